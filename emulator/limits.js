'use strict';

const { fail } = require('./errors');
const { DAY_MS } = require('./config');

/**
 * Sliding-window limiter over admitted requests: a request is admitted when fewer than `limit`
 * requests were admitted in (now - windowMs, now]. Rejected requests are not recorded, so a client
 * that backs off is not locked out by its own rejected attempts.
 */
class RateLimiter {
	constructor() {
		this.windows = new Map();
		this.weighted = new Map();
	}

	admit(key, limit, nowMs, windowMs) {
		if (!limit) return true;
		let w = this.windows.get(key);
		if (!w) this.windows.set(key, (w = []));
		while (w.length > 0 && w[0] <= nowMs - windowMs) w.shift();
		if (w.length >= limit) return false;
		w.push(nowMs);
		return true;
	}

	/**
	 * Admits a request carrying `weight` (e.g. recipients) when the weights admitted in
	 * (now - windowMs, now] plus its own stay within `limit`. A request heavier than the limit is
	 * never admitted.
	 */
	admitWeighted(key, limit, weight, nowMs, windowMs) {
		if (!limit) return true;
		let w = this.weighted.get(key);
		if (!w) this.weighted.set(key, (w = { entries: [], total: 0 }));
		while (w.entries.length > 0 && w.entries[0].at <= nowMs - windowMs)
			w.total -= w.entries.shift().weight;
		if (w.total + weight > limit) return false;
		w.entries.push({ at: nowMs, weight });
		w.total += weight;
		return true;
	}

	clear() {
		this.windows.clear();
		this.weighted.clear();
	}
}

/** Quota day index; Tencent counts days in China Standard Time by default (UTC+8). */
function quotaDay(nowMs, config) {
	return Math.floor((nowMs + config.quotaDayOffsetMinutes * 60000) / DAY_MS);
}

function quotaOf(app, config) {
	return app.dailyPushQuota === null || app.dailyPushQuota === undefined
		? config.dailyPushQuota
		: app.dailyPushQuota;
}

function quotaUsedToday(app, nowMs, config) {
	return app.limits.quotaDay === quotaDay(nowMs, config) ? app.limits.quotaUsed : 0;
}

const dedupKey = (command, msgRandom) => `${command}:${msgRandom}`;

/**
 * Returns the remembered answer when this MsgRandom was already accepted within the dedup window
 * (default 1000 ms: "within the same second", config.js). Checked before interval and quota so that
 * a repeat inside the window gets the same TaskId instead of a 90024.
 */
function findDuplicate(app, command, msgRandom, nowMs, config) {
	if (!(config.dedupWindowMs > 0)) return null;
	const hit = app.dedup.get(dedupKey(command, msgRandom));
	return hit && nowMs - hit.at < config.dedupWindowMs ? hit : null;
}

/** Interval (90024; 0 disables) and daily quota (90047); both measured on request arrival. */
function checkPushAllowance(app, arrivedAt, config, { interval, quota }) {
	const spaced = config.pushIntervalMs > 0 && app.limits.lastPushAt !== null;
	if (interval && spaced && !(arrivedAt - app.limits.lastPushAt > config.pushIntervalMs)) {
		fail(
			90024,
			`Excessive Frequency of Push, the interval between two pushes must be greater than ${config.pushIntervalMs} ms.`,
		);
	}
	if (quota) {
		const limit = quotaOf(app, config);
		if (quotaUsedToday(app, arrivedAt, config) >= limit) {
			fail(90047, `The number of pushes has exceeded the daily limit (${limit} per day).`);
		}
	}
}

function recordPush(
	app,
	command,
	msgRandom,
	digest,
	response,
	arrivedAt,
	config,
	{ interval, quota, dedup },
) {
	if (interval) app.limits.lastPushAt = arrivedAt;
	if (quota) {
		const day = quotaDay(arrivedAt, config);
		if (app.limits.quotaDay !== day) {
			app.limits.quotaDay = day;
			app.limits.quotaUsed = 0;
		}
		app.limits.quotaUsed += 1;
	}
	if (config.dedupWindowMs > 0 && dedup !== false) {
		app.dedup.set(dedupKey(command, msgRandom), {
			taskId: response.TaskId,
			at: arrivedAt,
			digest,
			response,
		});
		if (app.dedup.size % 256 === 0) {
			for (const [k, v] of app.dedup)
				if (arrivedAt - v.at >= config.dedupWindowMs) app.dedup.delete(k);
		}
	}
}

module.exports = {
	RateLimiter,
	quotaDay,
	quotaOf,
	quotaUsedToday,
	findDuplicate,
	checkPushAllowance,
	recordPush,
};
