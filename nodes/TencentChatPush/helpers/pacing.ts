import { sleep } from 'n8n-workflow';

import type { RequestLane } from '../transport';
import { LIMITS } from '../validation/limits';

/**
 * Lanes live at module level, keyed by app and endpoint, so that every execution of this node in
 * one n8n process (parallel executions, a queue-mode worker) shares them: Tencent's limits are per
 * app, not per execution.
 */

/** Time source, replaceable in tests. */
export const clock = { now: (): number => Date.now() };

/**
 * Serialises requests and keeps a gap between the *end* of one and the *start* of the next.
 * Measuring from the end is what guarantees the server sees them more than `gapMs` apart: the
 * previous request arrived before its response did.
 */
export class SpacedLane implements RequestLane {
	private tail: Promise<unknown> = Promise.resolve();
	private lastDoneAt = 0;

	constructor(private readonly gapMs: number) {}

	async run<T>(send: () => Promise<T>): Promise<T> {
		const turn = this.tail.then(async () => {
			const wait = this.lastDoneAt + this.gapMs - clock.now();
			if (this.lastDoneAt > 0 && wait > 0) await sleep(wait);
			try {
				return await send();
			} finally {
				this.lastDoneAt = clock.now();
			}
		});
		this.tail = turn.catch(() => undefined);
		return await turn;
	}
}

/**
 * At most `perSecond` request starts per second, evenly spaced, with requests allowed to overlap so
 * that a slow response does not waste the budget. Even spacing rather than a window of `perSecond`
 * starts: after the event loop was busy, a window would let a burst out at once, and the burst
 * can land inside Tencent's one-second window together with the requests before it.
 */
export class RateLane implements RequestLane {
	private gate: Promise<unknown> = Promise.resolve();
	private lastStart = 0;
	private readonly spacingMs: number;

	constructor(perSecond: number) {
		this.spacingMs = (1000 / perSecond) * RATE_MARGIN;
	}

	async run<T>(send: () => Promise<T>): Promise<T> {
		const admitted = this.gate.then(async () => {
			const wait = this.lastStart + this.spacingMs - clock.now();
			if (wait > 0) await sleep(wait);
			this.lastStart = clock.now();
		});
		this.gate = admitted.catch(() => undefined);
		await admitted;
		return await send();
	}
}

/** 2 % under Tencent's rates: arrival times jitter a little on the way. */
const RATE_MARGIN = 1.02;

/** Margin on top of Tencent's 1 s push interval; see SpacedLane for why it can stay small. */
export const PUSH_GAP_MS = LIMITS.pushIntervalMs + 20;

const lanes = new Map<string, RequestLane>();

function lane(key: string, create: () => RequestLane): RequestLane {
	let found = lanes.get(key);
	if (!found) {
		found = create();
		lanes.set(key, found);
	}
	return found;
}

/** Pushes to all/tags/attributes of one app: more than one second apart (90024). */
export const pushLane = (appKey: string) => lane(`push:${appKey}`, () => new SpacedLane(PUSH_GAP_MS));

/** Recall: one per second (90051). */
export const revokeLane = (appKey: string) =>
	lane(`revoke:${appKey}`, () => new SpacedLane(LIMITS.revokeIntervalMs + 20));

/** Tag and attribute endpoints: 100 requests per second each (60007). */
export const managementLane = (appKey: string, endpoint: string) =>
	lane(`mgmt:${appKey}:${endpoint}`, () => new RateLane(LIMITS.managementRequestsPerSecond));

/** Forgets all lanes (tests). */
export function resetLanes(): void {
	lanes.clear();
}

/** Pushes to named users: 10 requests/s, the lowest edition's documented rate. */
export const batchPushLane = (appKey: string) => lane(`batch:${appKey}`, () => new RateLane(LIMITS.batchPushRequestsPerSecond));
