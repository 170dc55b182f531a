'use strict';

const crypto = require('crypto');

const { pushPlatformOf } = require('./platforms');

/**
 * Push callbacks (docs/tencent-api.md#callbacks): when deliveries of Push-service tasks settle, the emulator POSTs
 * `Push.AllMemberPush` events to config.callbackUrl (loopback only) as
 *   <callbackUrl>?SdkAppid=<id>&CallbackCommand=Push.AllMemberPush&contenttype=json
 * with `{"Events":[...]}`, at most config.callbackBatchSize (≤ 100) events per request and one app
 * per request. Any HTTP 2xx is success; anything else (or a network error, or no answer within
 * config.callbackTimeoutMs of real time) is retried config.callbackRetries times,
 * config.callbackRetryDelayMs of emulator clock apart. Every batch and attempt is kept in a
 * bounded log (GET /_emulator/callbacks).
 *
 * With config.callbackToken set, every attempt is signed as Tencent's console authentication does
 * (docs/tencent-api.md#callbacks): `&Sign=<hex SHA-256 of token + RequestTime>&RequestTime=<Unix seconds>`, with
 * RequestTime read from the emulator clock when the attempt leaves. Whether Tencent signs a retry
 * anew is not documented; the emulator does (a retry is a new request at a new time).
 */
const COMMAND = 'Push.AllMemberPush';
const MAX_RESPONSE_CHARS = 2000;

/** One event per delivered recipient. EventType 1 = offline (vendor) push, 2 = online push. */
function eventOf(task, d) {
	const event = {
		CallbackCommand: COMMAND,
		EventType: d.channel === 'online' ? 2 : 1,
		TaskId: task.taskId,
		TaskTime: Math.floor(task.createdAt / 1000),
		EventTime: Math.floor(d.deliveredAt / 1000),
		To_Account: d.userId,
		PushPlatform: pushPlatformOf(d),
		// PushStage 1 sent, 2 reached, 3 clicked (docs/tencent-api.md#callbacks); the emulator reports the reached stage.
		PushStage: 2,
		ErrCode: 0,
		ErrInfo: 'OK',
	};
	if (task.content.dataId !== null && task.content.dataId !== undefined)
		event.DataId = task.content.dataId;
	return event;
}

function callbackUrlFor(base, sdkAppId) {
	const url = new URL(base);
	url.searchParams.set('SdkAppid', String(sdkAppId));
	url.searchParams.set('CallbackCommand', COMMAND);
	url.searchParams.set('contenttype', 'json');
	return url.toString();
}

/** Tencent's callback signature: hex SHA-256 of the token followed by RequestTime. */
function callbackSign(token, requestTime) {
	return crypto.createHash('sha256').update(`${token}${requestTime}`, 'utf8').digest('hex');
}

/** The URL of one attempt: signed with the token at `nowMs`, or as is without a token. */
function signedUrl(url, token, nowMs) {
	if (!token) return url;
	const signed = new URL(url);
	const requestTime = String(Math.floor(nowMs / 1000));
	signed.searchParams.set('Sign', callbackSign(token, requestTime));
	signed.searchParams.set('RequestTime', requestTime);
	return signed.toString();
}

function parseResponse(text) {
	try {
		return JSON.parse(text);
	} catch {
		return text.length > MAX_RESPONSE_CHARS ? `${text.slice(0, MAX_RESPONSE_CHARS)}…` : text;
	}
}

/**
 * @param {object} emu  the emulator (config, clock, state.counters)
 * @param {() => void} wake  called when a retry falls due later (the scheduler re-arms)
 */
function createCallbacks(emu, wake) {
	const log = [];
	const retrying = new Set();
	const inflight = new Map();
	let generation = 0;
	let seq = 0;
	const counters = () => emu.state.counters.callbacks;

	function send(batch) {
		const at = emu.clock.now();
		const url = signedUrl(batch.url, emu.config.callbackToken, at);
		const attempt = {
			attempt: batch.attempts.length + 1,
			at,
			url,
			httpStatus: null,
			error: null,
			response: null,
		};
		batch.attempts.push(attempt);
		batch.status = 'sending';
		counters().attempts += 1;
		if (attempt.attempt > 1) counters().retries += 1;
		const gen = generation;
		const controller = new AbortController();
		const timeoutMs = emu.config.callbackTimeoutMs;
		let timer = null;
		if (timeoutMs > 0) {
			timer = setTimeout(
				() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)),
				timeoutMs,
			);
			timer.unref();
		}
		const promise = (async () => {
			let ok = false;
			try {
				const res = await fetch(url, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ Events: batch.events }),
					signal: controller.signal,
				});
				attempt.httpStatus = res.status;
				attempt.response = parseResponse(await res.text());
				ok = res.status >= 200 && res.status < 300;
			} catch (err) {
				const reason =
					controller.signal.aborted && controller.signal.reason ? controller.signal.reason : err;
				attempt.error = (reason && reason.message) || String(reason);
			} finally {
				if (timer) clearTimeout(timer);
				inflight.delete(batch);
			}
			if (gen !== generation) return;
			if (ok) {
				batch.status = 'delivered';
				counters().delivered += 1;
			} else if (batch.attempts.length <= emu.config.callbackRetries) {
				batch.status = 'retrying';
				batch.nextAttemptAt = emu.clock.now() + emu.config.callbackRetryDelayMs;
				retrying.add(batch);
				wake();
			} else {
				batch.status = 'failed';
				counters().failed += 1;
			}
		})();
		inflight.set(batch, { controller, promise });
	}

	const callbacks = {
		/** Queues events for settled deliveries: [{ task, delivery }] in settle order. */
		enqueue(settled, now) {
			const base = emu.config.callbackUrl;
			if (!base || settled.length === 0) return;
			const byApp = new Map();
			for (const s of settled) {
				if (!byApp.has(s.task.sdkAppId)) byApp.set(s.task.sdkAppId, []);
				byApp.get(s.task.sdkAppId).push(s);
			}
			const size = emu.config.callbackBatchSize;
			for (const [sdkAppId, items] of byApp) {
				for (let i = 0; i < items.length; i += size) {
					const chunk = items.slice(i, i + size);
					const batch = {
						id: ++seq,
						sdkAppId,
						command: COMMAND,
						url: callbackUrlFor(base, sdkAppId),
						createdAt: now,
						taskIds: [...new Set(chunk.map((s) => s.task.taskId))],
						events: chunk.map((s) => eventOf(s.task, s.delivery)),
						status: 'pending',
						nextAttemptAt: now,
						attempts: [],
					};
					log.push(batch);
					while (log.length > Math.max(1, emu.config.callbackLogLimit)) log.shift();
					counters().batches += 1;
					counters().events += batch.events.length;
					send(batch);
				}
			}
		},

		/** Sends retries whose time has come. */
		sendDue(now) {
			for (const batch of retrying) {
				if (batch.nextAttemptAt <= now) {
					retrying.delete(batch);
					send(batch);
				}
			}
		},

		nextDue() {
			let next = Infinity;
			for (const batch of retrying) next = Math.min(next, batch.nextAttemptAt);
			return next;
		},

		/** Resolves when no callback request is in flight (retries falling due now included). */
		async drain() {
			while (inflight.size > 0)
				await Promise.allSettled([...inflight.values()].map((x) => x.promise));
		},

		inFlight: () => inflight.size,

		list(filter = {}) {
			return log.filter(
				(b) =>
					(filter.sdkAppId === undefined || b.sdkAppId === filter.sdkAppId) &&
					(filter.status === undefined || b.status === filter.status) &&
					(filter.taskId === undefined || b.taskIds.includes(filter.taskId)),
			);
		},

		/** Forgets queued retries and the log; answers of requests in flight are ignored. */
		reset() {
			generation += 1;
			for (const { controller } of inflight.values()) controller.abort(new Error('emulator reset'));
			retrying.clear();
			log.length = 0;
		},

		stop() {
			generation += 1;
			for (const { controller } of inflight.values())
				controller.abort(new Error('emulator stopped'));
			retrying.clear();
		},
	};
	return callbacks;
}

module.exports = { createCallbacks, eventOf, callbackUrlFor, callbackSign, signedUrl, COMMAND };
