'use strict';

const crypto = require('node:crypto');
const { formatTime } = require('./util');
const { pushPlatformOf, systemOf, fnv1a } = require('./platforms');

/**
 * Statistics and traces computed from delivery records, never stored: whatever the records say
 * at the emulator clock's "now" is what the API reports. A delivery is
 *   - sent       when it went out on a channel (online, or a vendor notification): sentAt set;
 *   - delivered  once deliveredAt <= now (deliveries settle over config.deliveryDelayMs);
 *   - clicked    once clickedAt is set (POST /_emulator/apps/:id/tasks/:taskId/clicks).
 * A revoke terminates undelivered deliveries (deliveredAt becomes null).
 */

/** Trace and callback times are shown in China Standard Time (UTC+8), Tencent's home zone. */
const TRACE_OFFSET_MINUTES = 480;
/** all_member_push_trace keeps 7 days of data. */
const TRACE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const EMULATED_SDK_VERSION = '8.2.6325';

const isSent = (d) => d.sentAt !== null && d.sentAt !== undefined;
const isDelivered = (d, now) =>
	d.deliveredAt !== null && d.deliveredAt !== undefined && d.deliveredAt <= now;
const isClicked = (d) => d.clickedAt !== null && d.clickedAt !== undefined;

function emptyCounts() {
	return { TotalCount: 0, SentCount: 0, DeliveredCount: 0, ClickCount: 0 };
}

function addDelivery(counts, d, now) {
	counts.TotalCount += 1;
	if (isSent(d)) counts.SentCount += 1;
	if (isDelivered(d, now)) counts.DeliveredCount += 1;
	if (isClicked(d)) counts.ClickCount += 1;
}

/** EventType of a delivery: 2 = online push (Tencent's channel), 1 = offline push (vendor). */
const eventTypeOf = (d) => (d.channel === 'online' ? 2 : 1);

/** Rows keyed `EventType|PushPlatform`, ascending by PushPlatform then EventType. */
function sortedRows(byKey, build) {
	return [...byKey.entries()]
		.map(([key, value]) => {
			const [eventType, platform] = key.split('|').map(Number);
			return build(eventType, platform, value);
		})
		.sort((a, b) => a.PushPlatform - b.PushPlatform || a.EventType - b.EventType);
}

/**
 * Figures of one task as one entry of `Results` (docs/tencent-api.md#statistics): TotalCount = recipients, SentCount =
 * sent, DeliveredCount = delivered by now, ClickCount = clicked, and PlatformStatistics per
 * EventType and PushPlatform (0 with EventType 2 = the online channel); only rows with recipients.
 */
function taskStatistics(task, now) {
	const totals = emptyCounts();
	const byKey = new Map();
	for (const d of task.deliveries) {
		addDelivery(totals, d, now);
		const key = `${eventTypeOf(d)}|${pushPlatformOf(d)}`;
		if (!byKey.has(key)) byKey.set(key, emptyCounts());
		addDelivery(byKey.get(key), d, now);
	}
	return {
		TaskID: task.taskId,
		...totals,
		PlatformStatistics: sortedRows(byKey, (EventType, PushPlatform, c) => ({
			EventType,
			PushPlatform,
			...c,
		})),
	};
}

/** Sums of several tasks' figures, as one `Results` entry with the given TaskID ("" = overall). */
function aggregate(stats, taskId = '') {
	const totals = emptyCounts();
	const byKey = new Map();
	for (const s of stats) {
		for (const k of Object.keys(totals)) totals[k] += s[k];
		for (const row of s.PlatformStatistics) {
			const key = `${row.EventType}|${row.PushPlatform}`;
			if (!byKey.has(key)) byKey.set(key, emptyCounts());
			const c = byKey.get(key);
			for (const k of Object.keys(c)) c[k] += row[k];
		}
	}
	return {
		TaskID: taskId,
		...totals,
		PlatformStatistics: sortedRows(byKey, (EventType, PushPlatform, c) => ({
			EventType,
			PushPlatform,
			...c,
		})),
	};
}

// ---------------------------------------------------------------------------------------------
// Delivery losses (all_member_push_loss, docs/tencent-api.md#statistics): lost deliveries counted by error code, before
// sending (ReadyToSendLoss) and after (PostSendDeliveredLoss), overall and per platform. ErrCode
// is a string, as on Tencent's page.

function addLoss(map, key, loss) {
	const found = map.get(key);
	if (found) found.ErrCount += 1;
	else map.set(key, { ErrCode: loss.code, ErrCount: 1, ErrInfo: loss.info });
}

/** Losses of several deliveries as one `Results` entry. */
function lossesOf(deliveries, taskId) {
	const lists = { beforeSending: new Map(), afterSending: new Map() };
	const perPlatform = { beforeSending: new Map(), afterSending: new Map() };
	for (const d of deliveries) {
		if (!d.loss) continue;
		addLoss(lists[d.loss.stage], d.loss.code, d.loss);
		addLoss(
			perPlatform[d.loss.stage],
			`${eventTypeOf(d)}|${pushPlatformOf(d)}|${d.loss.code}`,
			d.loss,
		);
	}
	const byCount = (a, b) => b.ErrCount - a.ErrCount || a.ErrCode.localeCompare(b.ErrCode);
	const platformRows = (map) =>
		[...map.entries()]
			.map(([key, row]) => {
				const [eventType, platform] = key.split('|').map(Number);
				return { EventType: eventType, PushPlatform: platform, ...row };
			})
			.sort((a, b) => a.PushPlatform - b.PushPlatform || byCount(a, b));
	return {
		TaskID: taskId,
		ReadyToSendLoss: [...lists.beforeSending.values()].sort(byCount),
		PostSendDeliveredLoss: [...lists.afterSending.values()].sort(byCount),
		PlatformReadyToSendLoss: platformRows(perPlatform.beforeSending),
		PlatformPostSendDeliveredLoss: platformRows(perPlatform.afterSending),
	};
}

const taskLosses = (task) => lossesOf(task.deliveries, task.taskId);

// Trace PushStatus values (unconfirmed: docs/tencent-api.md#unconfirmed): 0 = not yet, 1 = success, 2 = not sent / stopped.
const stat = (status, info, at) => ({
	PushStatus: status,
	ErrorCode: 0,
	ErrorInfo: info,
	EventTime: at === null ? '' : formatTime(at, TRACE_OFFSET_MINUTES),
});

function offlineStats(task, d, now) {
	const delivered = isDelivered(d, now);
	if (d.loss) {
		const lost = {
			PushStatus: 2,
			ErrorCode: Number(d.loss.code),
			ErrorInfo: d.loss.info,
			EventTime: '',
		};
		if (d.loss.stage === 'beforeSending')
			return { OfflineStat: lost, ChannelStat: lost, DeviceStat: lost };
		return { OfflineStat: stat(1, 'success', d.sentAt), ChannelStat: lost, DeviceStat: lost };
	}
	const device = () => {
		if (delivered) return stat(1, 'success', d.deliveredAt);
		if (d.deliveredAt === null) return stat(2, 'terminated by revoke', null);
		return stat(0, 'in progress', null);
	};
	if (d.channel === 'online') {
		return {
			OfflineStat: stat(2, 'online: delivered on the online channel', null),
			ChannelStat: stat(2, 'online: no vendor channel', null),
			DeviceStat: device(),
		};
	}
	if (d.channel === 'vendor') {
		return {
			OfflineStat: stat(1, 'success', d.sentAt),
			ChannelStat: stat(1, 'success', d.sentAt),
			DeviceStat: device(),
		};
	}
	let reason = 'offline push not sent';
	if (task.content.offlinePushInfo && task.content.offlinePushInfo.PushFlag === 1)
		reason = 'offline push disabled (PushFlag 1)';
	else if (task.content.msgBody) reason = 'no push text (custom message without Desc)';
	return {
		OfflineStat: stat(2, reason, null),
		ChannelStat: stat(2, reason, null),
		DeviceStat: stat(2, reason, null),
	};
}

/** One InstanceTrace entry (docs/tencent-api.md#statistics shape) for a user's delivery of a task. */
function traceInstance(task, d, now) {
	// A device that never uploaded a token (loss "-2") has none to show.
	const vendor = d.channel !== 'online' && !(d.loss && d.loss.code === '-2');
	const token = vendor
		? crypto
				.createHash('sha1')
				.update(`${d.sdkAppId}|${d.userId}|${d.platform}`)
				.digest('hex')
				.slice(0, 32)
		: '';
	const code = pushPlatformOf(d);
	return {
		InstanceId: String(10000000 + (fnv1a(`${task.taskId}|${d.userId}`) % 90000000)),
		PushTime: formatTime(isSent(d) ? d.sentAt : d.arrivedAt, TRACE_OFFSET_MINUTES),
		DeviceModel: '',
		System: systemOf(d.platform),
		SystemVersion: '',
		EventType: d.channel === 'online' ? 2 : 1,
		PushPlatform: code,
		Token: token,
		CertId: code === 0 ? '0' : String(1000 + code),
		SdkVersion: EMULATED_SDK_VERSION,
		PushVersion: EMULATED_SDK_VERSION,
		NotificationStatus: 1,
		last_active_terminal: 1,
		IMCommitStat: { IMStat: stat(1, 'success', d.arrivedAt) },
		OfflinePushStat: offlineStats(task, d, now),
	};
}

module.exports = {
	TRACE_OFFSET_MINUTES,
	TRACE_RETENTION_MS,
	isSent,
	isDelivered,
	isClicked,
	taskStatistics,
	aggregate,
	lossesOf,
	taskLosses,
	traceInstance,
};
