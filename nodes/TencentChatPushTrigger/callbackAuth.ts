import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * Authentication of Tencent Cloud Chat callbacks (docs/tencent-api.md#callbacks; cloud.tencent.com/document/
 * product/269/32431). With an authentication token set in the Chat console (Callback
 * Configuration), Tencent appends `&Sign=<hex SHA-256 of token + RequestTime>&RequestTime=<Unix
 * seconds>` to the callback URL and asks receivers to refuse calls more than a minute old.
 *
 * The signature covers the token and the time only, not the body: within the minute, a captured
 * URL can carry any body. What the signature cannot tell apart, the replay memory below narrows:
 * a body that already started an execution starts nothing again while its signature could still
 * be accepted. Pure functions and one small class, so the fuzz suite can drive them directly.
 */

/** Tencent: "refuse calls more than 1 minute old"; the same bound applies to clocks running ahead. */
export const MAX_SKEW_SECONDS = 60;

/**
 * A signature made at T is accepted while |now − T| ≤ 60 s, i.e. for up to 120 s if T was ahead
 * of our clock: an exact replay can arrive that late, so bodies are remembered that long.
 */
export const REPLAY_MEMORY_MS = 2 * MAX_SKEW_SECONDS * 1000;

/** Bodies remembered at most (about 1,000 callbacks/s, Tencent's default, for two minutes would be 120,000). */
export const MAX_REMEMBERED_BODIES = 100_000;

export type Verdict = { ok: true } | { ok: false; reason: string };

/** Hex SHA-256 of the token followed by RequestTime, as Tencent computes `Sign`. */
export function callbackSign(token: string, requestTime: string): string {
	return createHash('sha256')
		.update(token + requestTime, 'utf8')
		.digest('hex');
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Checks `Sign` and `RequestTime` of the callback URL against the token, at `nowSeconds`.
 * The comparison is constant-time: both sides are hashed to equal-length digests first, so
 * neither the length nor the first differing character of a guess shows in the timing.
 */
export function verifySignature(
	token: string,
	sign: unknown,
	requestTime: unknown,
	nowSeconds: number,
): Verdict {
	const missing = [
		sign === undefined || sign === '' ? 'Sign' : '',
		requestTime === undefined || requestTime === '' ? 'RequestTime' : '',
	].filter(Boolean);
	if (missing.length > 0) {
		return {
			ok: false,
			reason: `The callback is not signed: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing from the URL`,
		};
	}
	if (typeof sign !== 'string' || typeof requestTime !== 'string') {
		return { ok: false, reason: 'Sign and RequestTime must each appear once in the callback URL' };
	}
	if (!/^\d{1,12}$/.test(requestTime))
		return { ok: false, reason: 'RequestTime is not a time in Unix seconds' };
	const expected = sha256(callbackSign(token, requestTime));
	const received = sha256(sign.trim().toLowerCase());
	if (!timingSafeEqual(expected, received)) {
		return {
			ok: false,
			reason:
				"Sign does not match: the callback was not signed with the credential's Callback Token",
		};
	}
	const skew = nowSeconds - Number(requestTime);
	if (Math.abs(skew) > MAX_SKEW_SECONDS) {
		return {
			ok: false,
			reason: `RequestTime is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'}; calls more than ${MAX_SKEW_SECONDS} s from this server's clock are refused against replays`,
		};
	}
	return { ok: true };
}

/**
 * The events of a callback body: `{"Events": [1 to 100 event objects]}`, or one bare event object.
 * Each event needs a CallbackCommand, its own or the URL's. Anything else is refused, not dropped:
 * a receiver that answers OK to a body it could not read loses those events without a word.
 */
export function readEvents(
	body: unknown,
	urlCommand: string,
): { ok: true; events: IDataObject[] } | { ok: false; reason: string } {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { ok: false, reason: 'The callback body is not a JSON object' };
	}
	const object = body as IDataObject;
	let raw: unknown[];
	if ('Events' in object) {
		if (!Array.isArray(object.Events)) return { ok: false, reason: 'Events is not a list' };
		raw = object.Events;
		if (raw.length === 0 || raw.length > 100)
			return { ok: false, reason: `Events holds ${raw.length} events; Tencent sends 1 to 100` };
	} else if (typeof object.CallbackCommand === 'string' && object.CallbackCommand !== '') {
		raw = [object];
	} else {
		return { ok: false, reason: 'The callback body has neither Events nor a CallbackCommand' };
	}
	const events: IDataObject[] = [];
	for (const [index, event] of raw.entries()) {
		if (typeof event !== 'object' || event === null || Array.isArray(event))
			return { ok: false, reason: `Event ${index} is not an object` };
		const own = (event as IDataObject).CallbackCommand;
		if (own !== undefined && (typeof own !== 'string' || own === ''))
			return { ok: false, reason: `Event ${index} has an invalid CallbackCommand` };
		if (own === undefined && urlCommand === '')
			return {
				ok: false,
				reason: `Event ${index} has no CallbackCommand, and neither has the URL`,
			};
		events.push(
			own === undefined
				? { CallbackCommand: urlCommand, ...(event as IDataObject) }
				: (event as IDataObject),
		);
	}
	return { ok: true, events };
}

/** The digest a body is remembered by. */
export function bodyDigest(body: unknown): string {
	return createHash('sha256')
		.update(JSON.stringify(body) ?? '', 'utf8')
		.digest('hex');
}

/**
 * Bodies that started an execution, for REPLAY_MEMORY_MS. In memory, per n8n process: a second
 * webhook process (queue mode) has its own, and a restart forgets; the signature's 60 s bound is
 * what holds across both.
 */
export class ReplayMemory {
	private readonly seen = new Map<string, number>();
	private nextSweepAt = 0;

	constructor(
		private readonly ttlMs = REPLAY_MEMORY_MS,
		private readonly max = MAX_REMEMBERED_BODIES,
	) {}

	/** True the first time `key` is offered within ttlMs (and remembers it), false for a repeat. */
	firstSight(key: string, nowMs: number): boolean {
		this.sweep(nowMs);
		const expiresAt = this.seen.get(key);
		if (expiresAt !== undefined && expiresAt > nowMs) return false;
		this.seen.delete(key);
		this.seen.set(key, nowMs + this.ttlMs);
		// Past the bound, the oldest entries go first: memory stays bounded under a flood.
		while (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value!);
		return true;
	}

	get size(): number {
		return this.seen.size;
	}

	clear(): void {
		this.seen.clear();
		this.nextSweepAt = 0;
	}

	private sweep(nowMs: number): void {
		if (nowMs < this.nextSweepAt) return;
		this.nextSweepAt = nowMs + 5_000;
		for (const [key, expiresAt] of this.seen) if (expiresAt <= nowMs) this.seen.delete(key);
	}
}
