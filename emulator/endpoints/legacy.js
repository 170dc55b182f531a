'use strict';

const { fail } = require('../errors');
const { hasOwn } = require('../util');
const { parseCondition } = require('../condition');
const { validateMsgBody, validateOfflinePushInfo, offlinePushAllowed } = require('../content');
const { submitPush, resolveAudience } = require('../push');
const {
	requirePushEnabled,
	msgRandomOf,
	senderOf,
	lifeTimeOf,
	managementEndpoints,
} = require('./shared');

const FAMILY = 'legacy';

/**
 * v4/all_member_push/im_push. MsgBody is required; MsgLifeTime 0 (the default) means online users
 * only and nothing is stored, so offline users are not reached at all.
 */
function imPush(ctx) {
	requirePushEnabled(ctx.app);
	const b = ctx.body;
	const msgRandom = msgRandomOf(b, 90005);
	const fromAccount = senderOf(ctx);
	const msgLifeTime = lifeTimeOf(b, ctx.config);
	if (!hasOwn(b, 'MsgBody')) fail(90002, 'MsgBody is required.');
	const msgBody = validateMsgBody(b.MsgBody);
	const cond = parseCondition(b.Condition, ctx.app, FAMILY, ctx.config);
	const info = validateOfflinePushInfo(b.OfflinePushInfo, ctx.warnings);
	const stored = msgLifeTime > 0;
	return submitPush(ctx, {
		family: FAMILY,
		command: 'im_push',
		msgRandom,
		fromAccount,
		audience: {
			type: cond.type,
			condition: hasOwn(b, 'Condition') ? b.Condition : null,
			toAccount: null,
		},
		recipients: () => resolveAudience(ctx.app, cond, FAMILY, true),
		variant: 'message',
		content: { msgBody, offlinePushInfo: info, onlineOnlyFlag: null, msgLifeTime, dataId: null },
		stored,
		offlinePush: stored && offlinePushAllowed(info, msgBody),
		limits: { interval: true, quota: true },
	});
}

const commands = {
	im_push: {
		kind: 'push',
		fields: ['From_Account', 'MsgRandom', 'MsgLifeTime', 'MsgBody', 'Condition', 'OfflinePushInfo'],
		mutates: true,
		handle: imPush,
	},
	...managementEndpoints(FAMILY, {
		setAttrName: 'im_set_attr_name',
		getAttrName: 'im_get_attr_name',
		getAttr: 'im_get_attr',
		setAttr: 'im_set_attr',
		removeAttr: 'im_remove_attr',
		getTag: 'im_get_tag',
		addTag: 'im_add_tag',
		removeTag: 'im_remove_tag',
		clearTags: 'im_remove_all_tags',
	}),
};

module.exports = { service: 'all_member_push', family: FAMILY, commands, notImplemented: [] };
