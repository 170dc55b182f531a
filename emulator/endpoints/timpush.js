'use strict';

const { fail } = require('../errors');
const { byteLength, hasOwn, accountList } = require('../util');
const { parseCondition } = require('../condition');
const { validateMsgBody, validateOfflinePushInfo, offlinePushAllowed } = require('../content');
const { submitPush, resolveAudience, lookupAccounts, revokeTask } = require('../push');
const {
	requirePushEnabled,
	msgRandomOf,
	senderOf,
	bitOf,
	lifeTimeOf,
	managementEndpoints,
} = require('./shared');

const FAMILY = 'timpush';

/**
 * v4/timpush/push in both documented shapes: without MsgBody it is a pure notification push
 * (Push-Service variant); with MsgBody it is an IM message (stored for roaming/unread unless
 * OnlineOnlyFlag is 1). RegistrationID accounts are not IM accounts, so only the notification
 * variant reaches them.
 *
 * pushSpec validates a push body and returns what submitPush needs; scheduled tasks (sched.js)
 * validate their Content with it and dispatch through it, so both follow the same rules.
 */
function pushSpec(ctx, b) {
	const msgRandom = msgRandomOf(b, 90005);
	const fromAccount = senderOf(ctx, b);
	const cond = parseCondition(b.Condition, ctx.app, FAMILY, ctx.config);
	const msgBody = hasOwn(b, 'MsgBody') ? validateMsgBody(b.MsgBody) : null;
	const onlineOnlyFlag = bitOf(b, 'OnlineOnlyFlag');
	if (!msgBody && hasOwn(b, 'OnlineOnlyFlag'))
		ctx.warnings.push('OnlineOnlyFlag has no effect without MsgBody');
	const msgLifeTime = hasOwn(b, 'MsgLifeTime') ? lifeTimeOf(b, ctx.config) : null;
	const info = validateOfflinePushInfo(b.OfflinePushInfo, ctx.warnings);
	return {
		family: FAMILY,
		command: 'push',
		msgRandom,
		fromAccount,
		audience: {
			type: cond.type,
			condition: hasOwn(b, 'Condition') ? b.Condition : null,
			toAccount: null,
		},
		recipients: () => resolveAudience(ctx.app, cond, FAMILY, msgBody !== null),
		variant: msgBody ? 'message' : 'notification',
		content: {
			msgBody,
			offlinePushInfo: info,
			onlineOnlyFlag: msgBody ? onlineOnlyFlag : null,
			msgLifeTime,
			dataId: null,
		},
		stored: msgBody !== null && onlineOnlyFlag !== 1,
		offlinePush: offlinePushAllowed(info, msgBody),
		limits: { interval: true, quota: true },
	};
}

function push(ctx) {
	requirePushEnabled(ctx.app);
	return submitPush(ctx, pushSpec(ctx, ctx.body));
}

/**
 * v4/timpush/batch body: push to 1-500 named accounts; unknown accounts go to ErrorList (70107).
 * With { lookup: false } only the shape is checked (a scheduled task may name accounts that are
 * imported before it is dispatched).
 */
function batchSpec(ctx, b, { lookup = true } = {}) {
	const { config } = ctx;
	if (typeof b.From_Account !== 'string' || b.From_Account === '')
		fail(90001, 'From_Account is required and must be a string');
	const ids = accountList(b.To_Account, 'To_Account', config.maxBatchAccounts, 90018);
	// Tencent's own batch example answers a bad MsgRandom with 90001, not 90005 (docs/tencent-api.md#disagreements).
	const msgRandom = msgRandomOf(b, 90001, 'Invalid format of MsgRandom');
	if (!hasOwn(b, 'OfflinePushInfo')) fail(90001, 'OfflinePushInfo is required');
	const info = validateOfflinePushInfo(b.OfflinePushInfo, ctx.warnings);
	let dataId = null;
	if (hasOwn(b, 'DataId')) {
		if (typeof b.DataId !== 'string') fail(90001, 'DataId must be a string');
		if (byteLength(b.DataId) > config.maxDataIdBytes)
			fail(90057, `DataId exceeds the limit (cannot exceed ${config.maxDataIdBytes} bytes).`);
		dataId = b.DataId;
	}
	if (!lookup) return null;
	const { found, errorList } = lookupAccounts(ctx.app, ids, FAMILY);
	if (found.length === 0)
		fail(70107, 'None of the accounts in To_Account exist.', { ErrorList: errorList });
	return {
		family: FAMILY,
		command: 'batch',
		msgRandom,
		fromAccount: b.From_Account,
		audience: { type: 'accounts', condition: null, toAccount: ids },
		recipients: () => found,
		errorList,
		variant: 'notification',
		content: {
			msgBody: null,
			offlinePushInfo: info,
			onlineOnlyFlag: null,
			msgLifeTime: null,
			dataId,
		},
		stored: false,
		offlinePush: offlinePushAllowed(info, null),
		limits: { interval: false, quota: false },
	};
}

function batch(ctx) {
	requirePushEnabled(ctx.app);
	return submitPush(ctx, batchSpec(ctx, ctx.body));
}

function revoke(ctx) {
	const b = ctx.body;
	if (typeof b.TaskId !== 'string' || b.TaskId === '')
		fail(90001, 'TaskId is required and must be a string');
	const info = validateOfflinePushInfo(b.OfflinePushInfo, ctx.warnings);
	return revokeTask(ctx, b.TaskId, info);
}

const commands = {
	push: {
		kind: 'push',
		fields: [
			'From_Account',
			'MsgRandom',
			'Condition',
			'OfflinePushInfo',
			'MsgBody',
			'OnlineOnlyFlag',
			'MsgLifeTime',
		],
		mutates: true,
		bodyLimit: true,
		handle: push,
	},
	batch: {
		kind: 'batch',
		fields: ['From_Account', 'To_Account', 'MsgRandom', 'OfflinePushInfo', 'DataId'],
		mutates: true,
		handle: batch,
	},
	revoke: { kind: 'revoke', fields: ['TaskId', 'OfflinePushInfo'], mutates: true, handle: revoke },
	...managementEndpoints(FAMILY, {
		setAttrName: 'set_attr_name',
		getAttrName: 'get_attr_name',
		getAttr: 'get_attr',
		setAttr: 'set_attr',
		removeAttr: 'remove_attr',
		getTag: 'get_tag',
		addTag: 'add_tag',
		removeTag: 'remove_tag',
		clearTags: 'clear_all_tags',
	}),
};

// Documented commands the emulator does not model (ordinary one-to-one/group message pushes);
// answered explicitly instead of as unknown paths. Statistics, trace and scheduled tasks of
// all-member pushes live in stats.js and sched.js.
const notImplemented = ['normal_push_statistics', 'normal_push_trace', 'normal_push_loss'];

const PUSH_FIELDS = commands.push.fields;
const BATCH_FIELDS = commands.batch.fields;

module.exports = {
	service: 'timpush',
	family: FAMILY,
	commands,
	notImplemented,
	pushSpec,
	batchSpec,
	PUSH_FIELDS,
	BATCH_FIELDS,
};
