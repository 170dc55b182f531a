'use strict';

const { fail } = require('../errors');
const { isUint32, hasOwn } = require('../util');
const tags = require('../tags');
const attrs = require('../attrs');

function requirePushEnabled(app) {
	if (!app.pushEnabled) fail(90045);
}

function msgRandomOf(body, code, info) {
	if (!isUint32(body.MsgRandom)) fail(code, info);
	return body.MsgRandom;
}

/** From_Account is optional for all-member pushes; an unknown sender falls back to the caller. */
function senderOf(ctx, body = ctx.body) {
	if (!hasOwn(body, 'From_Account')) return ctx.identifier;
	const from = body.From_Account;
	if (typeof from !== 'string') fail(90001, 'From_Account must be a string');
	return ctx.app.users.has(from) || ctx.app.admins.includes(from) ? from : ctx.identifier;
}

function bitOf(body, field) {
	if (!hasOwn(body, field)) return 0;
	if (body[field] !== 0 && body[field] !== 1) fail(90001, `${field} must be 0 or 1`);
	return body[field];
}

function lifeTimeOf(body, config) {
	if (!hasOwn(body, 'MsgLifeTime')) return 0;
	const v = body.MsgLifeTime;
	if (!Number.isInteger(v) || v < 0 || v > config.maxMsgLifeTime) {
		fail(
			90026,
			`Message offline storage time error (MsgLifeTime must be an integer from 0 to ${config.maxMsgLifeTime} seconds).`,
		);
	}
	return v;
}

/**
 * The nine tag/attribute management endpoints exist in both families under different names and
 * with family-specific fields; the behaviour lives in tags.js / attrs.js.
 */
function managementEndpoints(family, names) {
	const isNew = family === 'timpush';
	const def = (fields, mutates, fn) => ({
		kind: 'management',
		fields,
		mutates,
		handle: (ctx) => fn(ctx, family),
	});
	return {
		[names.setAttrName]: def(
			isNew ? ['AttrNames', 'AttrTypes'] : ['AttrNames'],
			true,
			attrs.setAttrNames,
		),
		[names.getAttrName]: def([], false, attrs.getAttrNames),
		[names.getAttr]: def(['To_Account'], false, attrs.getAttrs),
		[names.setAttr]: def(['UserAttrs'], true, attrs.setAttrs),
		[names.removeAttr]: def(['UserAttrs'], true, attrs.removeAttrs),
		[names.getTag]: def(['To_Account'], false, tags.getTags),
		[names.addTag]: def(isNew ? ['Replace', 'UserTags'] : ['UserTags'], true, tags.addTags),
		[names.removeTag]: def(['UserTags'], true, tags.removeTags),
		[names.clearTags]: def(['To_Account'], true, tags.clearTags),
	};
}

module.exports = {
	requirePushEnabled,
	msgRandomOf,
	senderOf,
	bitOf,
	lifeTimeOf,
	managementEndpoints,
};
