'use strict';

const crypto = require('node:crypto');
const { fail } = require('./errors');
const { findDuplicate, checkPushAllowance, recordPush } = require('./limits');
const { matches } = require('./condition');

/**
 * Shared push core for both API families: account lookup, task creation with one delivery record
 * per recipient, dedup/interval/quota, and revoke. Family handlers only map their body shapes
 * and family rules onto this.
 */

// The legacy API predates RegistrationIDs: those accounts do not exist for it.
const visibleTo = (family, user) => family !== 'legacy' || user.accountType === 'UserID';

function lookupAccounts(app, ids, family) {
	const found = [];
	const errorList = [];
	for (const id of ids) {
		const user = app.users.get(id);
		if (user && visibleTo(family, user)) found.push(user);
		else errorList.push({ To_Account: id, ErrorCode: 70107 });
	}
	return { found, errorList };
}

function withErrorList(result, errorList) {
	if (errorList.length > 0) result.ErrorList = errorList;
	return result;
}

/** Audience of an all-member/tag/attribute push, resolved at push time. */
function resolveAudience(app, cond, family, userIdsOnly) {
	const users = [];
	for (const user of app.users.values()) {
		if (!visibleTo(family, user)) continue;
		if (userIdsOnly && user.accountType !== 'UserID') continue;
		if (matches(user, cond)) users.push(user);
	}
	return users;
}

const hex = (n) => (n >>> 0).toString(16);

/** Opaque ids shaped like Tencent's examples; the sequence number keeps them unique. */
function newTaskId(ctx, family, command, msgRandom) {
	const seq = ++ctx.state.seq.task;
	const sec = Math.floor(ctx.arrivedAt / 1000);
	const sdk = ctx.app.sdkAppId;
	if (family === 'legacy') return `${sdk}_${144115188075855872n + BigInt(seq)}_${msgRandom}_${sec}`;
	const id = [
		hex(sdk),
		hex(sec),
		(0x2000000000000n + BigInt(seq)).toString(16),
		hex(msgRandom),
		hex(Math.imul(seq, 2654435761)),
	].join('_');
	return command === 'batch' ? `batch_${id}` : id;
}

function summarize(deliveries) {
	const s = {
		recipients: deliveries.length,
		online: 0,
		offline: 0,
		stored: 0,
		offlinePush: 0,
		unreached: 0,
	};
	for (const d of deliveries) {
		if (d.online) s.online += 1;
		else s.offline += 1;
		if (d.stored) s.stored += 1;
		if (d.offlinePush) s.offlinePush += 1;
		if (!d.online && !d.stored && !d.offlinePush) s.unreached += 1;
	}
	return s;
}

/**
 * Why an offline user's vendor notification would be lost, as all_member_push_loss reports it
 * (ErrCode is a string there): before sending, when the app has no push certificate for the
 * vendor ("-1") or the device never uploaded a token ("-2"); after sending, when the vendor refuses
 * the token ("410" Unregistered from APNs and FCM, "1" regid_invalid from the other vendors).
 */
function lossOf(app, user) {
	if (!app.pushCertificates.includes(user.platform))
		return { stage: 'beforeSending', code: '-1', info: 'certificate id not set' };
	if (user.pushToken === 'missing')
		return { stage: 'beforeSending', code: '-2', info: 'token not uploaded' };
	if (user.pushToken === 'invalid') {
		return user.platform === 'iOS' || user.platform === 'Android'
			? { stage: 'afterSending', code: '410', info: 'Unregistered' }
			: { stage: 'afterSending', code: '1', info: 'regid_invalid' };
	}
	return null;
}

/**
 * Delivery timing. Every recipient reached on a channel (online, or a vendor notification) is
 * sent on arrival; deliveries then settle one after another, evenly spread over
 * config.deliveryDelayMs (0 = delivered on arrival), so that DeliveredCount grows over time and a
 * client waiting for a report has something to wait for. Returns when the last one settles.
 */
function scheduleDeliveries(deliveries, sentAt, delayMs) {
	const sent = deliveries.filter((d) => d.channel !== null);
	for (const d of sent) d.sentAt = sentAt;
	// Sent but refused by the vendor: never delivered.
	const reaching = sent.filter((d) => !(d.loss && d.loss.stage === 'afterSending'));
	reaching.forEach((d, i) => {
		d.deliveredAt = sentAt + (delayMs > 0 ? Math.ceil((delayMs * (i + 1)) / reaching.length) : 0);
	});
	return reaching.length > 0 ? reaching[reaching.length - 1].deliveredAt : sentAt;
}

/**
 * Runs dedup, interval and quota, then creates the task.
 * spec: { family, command, msgRandom, fromAccount, audience, recipients(): users[], errorList?,
 *         variant, content, stored, offlinePush, limits: { interval, quota, dedup? },
 *         schedTaskId? (set when a scheduled task dispatches: not counted in pushesAccepted) }
 */
function submitPush(ctx, spec) {
	const { app, config, state } = ctx;
	const digest = crypto.createHash('sha1').update(ctx.rawBody).digest('hex');
	const dup =
		spec.limits.dedup === false
			? null
			: findDuplicate(app, spec.command, spec.msgRandom, ctx.arrivedAt, config);
	if (dup) {
		state.counters.duplicatePushes += 1;
		if (dup.digest !== digest) state.counters.duplicatePushesWithDifferentBody += 1;
		const original = state.tasks.get(dup.taskId);
		if (original) original.duplicateRequests += 1;
		ctx.duplicateOf = dup.taskId;
		return JSON.parse(JSON.stringify(dup.response));
	}
	checkPushAllowance(app, ctx.arrivedAt, config, spec.limits);

	const taskId = newTaskId(ctx, spec.family, spec.command, spec.msgRandom);
	const shared = {
		taskId,
		sdkAppId: app.sdkAppId,
		family: spec.family,
		command: spec.command,
		msgRandom: spec.msgRandom,
		content: spec.content,
	};
	const deliveries = spec.recipients().map((user) => {
		const loss = !user.online && spec.offlinePush ? lossOf(app, user) : null;
		const offlinePush =
			!user.online && spec.offlinePush && !(loss && loss.stage === 'beforeSending');
		return {
			...shared,
			userId: user.id,
			accountType: user.accountType,
			online: user.online,
			onlineDelivered: user.online,
			stored: spec.stored,
			offlinePush,
			arrivedAt: ctx.arrivedAt,
			revoked: false,
			platform: user.platform,
			channel: user.online ? 'online' : offlinePush ? 'vendor' : null,
			sentAt: null,
			deliveredAt: null,
			clickedAt: null,
			loss,
		};
	});
	const settlesAt = scheduleDeliveries(deliveries, ctx.arrivedAt, config.deliveryDelayMs);
	const task = {
		taskId,
		sdkAppId: app.sdkAppId,
		family: spec.family,
		command: spec.command,
		endpoint: ctx.endpoint.key,
		createdAt: ctx.arrivedAt,
		msgRandom: spec.msgRandom,
		fromAccount: spec.fromAccount,
		audience: spec.audience,
		variant: spec.variant,
		content: spec.content,
		stored: spec.stored,
		offlinePushEnabled: spec.offlinePush,
		status: 'delivered',
		revokedAt: null,
		revokeOfflinePushInfo: null,
		duplicateRequests: 0,
		settlesAt,
		schedTaskId: spec.schedTaskId === undefined ? null : spec.schedTaskId,
		summary: summarize(deliveries),
		deliveries,
	};
	state.tasks.set(taskId, task);
	const response = withErrorList({ TaskId: taskId }, spec.errorList || []);
	recordPush(
		app,
		spec.command,
		spec.msgRandom,
		digest,
		response,
		ctx.arrivedAt,
		config,
		spec.limits,
	);
	if (task.schedTaskId === null) {
		state.counters.pushesAccepted += 1;
		const byEndpoint = state.counters.pushesAcceptedByEndpoint;
		byEndpoint[ctx.endpoint.key] = (byEndpoint[ctx.endpoint.key] || 0) + 1;
	}
	ctx.taskId = taskId;
	if (ctx.onTaskCreated) ctx.onTaskCreated(task);
	return JSON.parse(JSON.stringify(response));
}

/**
 * Revoke (timpush only): 90049 unknown, 90050 already revoked, 90052 past window. OfflinePushInfo
 * is required (Tencent's current page, 269/105123): without it, 90053 when the task stored
 * messages (the documented case), else 90001 (a required field missing).
 */
function revokeTask(ctx, taskId, info) {
	const task = ctx.state.tasks.get(taskId);
	// Legacy im_push tasks cannot be revoked through the new family's endpoint.
	if (!task || task.sdkAppId !== ctx.app.sdkAppId || task.family !== 'timpush') fail(90049);
	if (task.status === 'revoked') fail(90050);
	if (ctx.arrivedAt - task.createdAt > ctx.config.revokeWindowMs) fail(90052);
	if (!info) {
		if (task.stored) fail(90053);
		fail(
			90001,
			'OfflinePushInfo is required: it is the notification that overwrites the recalled one.',
		);
	}
	task.status = 'revoked';
	task.revokedAt = ctx.arrivedAt;
	task.revokeOfflinePushInfo = info;
	// Revoke terminates the fan-out: what has not reached its device yet never will.
	for (const d of task.deliveries) {
		d.revoked = true;
		if (d.deliveredAt !== null && d.deliveredAt > ctx.arrivedAt) d.deliveredAt = null;
	}
	return {};
}

module.exports = {
	lookupAccounts,
	withErrorList,
	resolveAudience,
	submitPush,
	revokeTask,
	visibleTo,
	summarize,
	scheduleDeliveries,
};
