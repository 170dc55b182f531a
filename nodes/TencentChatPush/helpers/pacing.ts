import { sleep } from 'n8n-workflow';

import type { AdaptiveLane, RequestLane } from '../transport';
import { LIMITS } from '../validation/limits';

/**
 * Why one file: every lane kind (spaced, rate, adaptive, recipients) and the registry that shares
 * them per app are one policy: how fast this process may call Tencent.
 *
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
 * At most `perSecond` requests in any second *as the server counts them*, by arrival. The n-th
 * request starts a second after request n − perSecond has *finished*: that one arrived before its
 * response did, and the n-th arrives after it starts, so no window at the server ever holds more
 * than perSecond, however late a busy event loop or the network delivered either of them. This
 * costs one round trip per window instead of a fixed margin, and never causes 60007 on its own.
 * Requests overlap, and a small gap between starts turns a backlog into a stream, not a burst.
 */
export class RateLane implements RequestLane {
	/** When each of the last `perSecond` requests finished (pending while in flight). */
	private readonly finished: Array<Promise<number>> = [];
	private gate: Promise<unknown> = Promise.resolve();
	private lastStart = -Infinity;

	constructor(private readonly perSecond: number) {}

	async run<T>(send: () => Promise<T>): Promise<T> {
		let sent: Promise<T> | undefined;
		const admitted = this.gate.then(async () => {
			const windowOpensAt =
				this.finished.length >= this.perSecond
					? (await this.finished.shift()!) + RATE_WINDOW_MS
					: -Infinity;
			const wait = Math.max(windowOpensAt, this.lastStart + MIN_START_GAP_MS) - clock.now();
			if (wait > 0) await sleep(wait);
			this.lastStart = clock.now();
			sent = send();
			const done = () => clock.now();
			this.finished.push(sent.then(done, done));
		});
		this.gate = admitted.catch(() => undefined);
		await admitted;
		return await sent!;
	}
}

/**
 * Paces requests by what they carry as well as by their number: in any second *as the server
 * counts it*, by arrival, the requests of this lane carry at most `perSecond` recipients (the
 * caller's budget) and number at most `requestsPerSecond`. It is RateLane's argument with weights:
 * a request counts against the window until a second after it *finished* (it arrived before its
 * response did), so a new request is admitted only when the requests that could share a second
 * with it at the server, plus its own recipients, fit the budget. This holds whether the server
 * counts by sliding or calendar seconds, and however late the network delivered any request.
 * A request heavier than the whole budget waits for an empty window and goes alone; callers split
 * their work so that it never is.
 */
export class RecipientLane implements RequestLane {
	private entries: Array<{ weight: number; finishedAt?: number; done: Promise<void> }> = [];
	private gate: Promise<unknown> = Promise.resolve();
	private lastStart = -Infinity;

	constructor(private readonly requestsPerSecond: number) {}

	/** The lane for one request carrying `recipients`, within a budget of `perSecond` recipients. */
	for(recipients: number, perSecond: number): RequestLane {
		return { run: async (send) => await this.admit(recipients, perSecond, send) };
	}

	/** A request that carries no recipients (counted against the request rate only). */
	async run<T>(send: () => Promise<T>): Promise<T> {
		return await this.admit(0, Infinity, send);
	}

	private async admit<T>(weight: number, perSecond: number, send: () => Promise<T>): Promise<T> {
		let sent: Promise<T> | undefined;
		const admitted = this.gate.then(async () => {
			for (;;) {
				const now = clock.now();
				this.entries = this.entries.filter(
					(e) => e.finishedAt === undefined || e.finishedAt + RATE_WINDOW_MS > now,
				);
				const load = this.entries.reduce((sum, e) => sum + e.weight, 0);
				const fits =
					this.entries.length === 0 ||
					(this.entries.length < this.requestsPerSecond && load + weight <= perSecond);
				if (fits) break;
				// Wait until a finished request leaves the window, or one in flight finishes.
				const leaves = this.entries.flatMap((e) =>
					e.finishedAt === undefined ? [] : [e.finishedAt + RATE_WINDOW_MS],
				);
				const inFlight = this.entries.filter((e) => e.finishedAt === undefined).map((e) => e.done);
				await Promise.race([
					...inFlight,
					...(leaves.length > 0 ? [sleep(Math.max(0, Math.min(...leaves) - now))] : []),
				]);
			}
			const wait = this.lastStart + MIN_START_GAP_MS - clock.now();
			if (wait > 0) await sleep(wait);
			this.lastStart = clock.now();
			const entry: { weight: number; finishedAt?: number; done: Promise<void> } = {
				weight,
				done: Promise.resolve(),
			};
			sent = send();
			const finish = () => {
				entry.finishedAt = clock.now();
			};
			entry.done = sent.then(finish, finish);
			this.entries.push(entry);
		});
		this.gate = admitted.catch(() => undefined);
		await admitted;
		return await sent!;
	}
}

/**
 * A RateLane whose rate adapts to what Tencent answers, for apps whose limit is shared with
 * clients this process cannot see: other queue-mode workers, other n8n instances, other systems.
 * Tencent counts per app, and the package has no shared store, so each lane learns its share from
 * the only signal there is: "too frequent" answers (60007, 60011, 60018, 60019, HTTP 429).
 *
 * - Decrease (at most once per window, since the answers to one overshooting second arrive
 *   together and say the same thing): to `DECREASE` × the rate, and never above what Tencent
 *   admitted from this lane in the last window (its measured share), but to no less than a
 *   quarter of the rate per cut (DEEPEST_CUT) nor below the floor. The lane also pauses for the
 *   refused part of a window (refused / (refused + admitted) of it): a whole one for a lane that
 *   joined while others held the app's window, a moment for one that overshot slightly.
 * - Increase, while calls succeed: below `threshold` (half the rate of the last cut, at least
 *   the new rate) by one request/s per success, i.e. doubling per second; above it by `step`
 *   requests/s per second, where `step` is 1 for two seconds after a cut and then doubles every
 *   second without one, so that a lane left alone (the other workers finished) is back at the
 *   ceiling within seconds, while lanes that compete converge on their share.
 * - Probing: a new lane, and a lane just refused, sends one request at a time until one is
 *   admitted. Without it, a lane joining an app whose window others hold sent a burst of requests
 *   (one per sender) into a full window, and did it again after every pause: in benchmark P5 most
 *   "too frequent" answers came from the seconds in which workers joined. A probe that is refused
 *   waits twice as long as the one before (from PROBE_BACKOFF_MS up to a window); the answers to
 *   requests that were already on their way when the first refusal came do not lengthen the wait.
 * - Bounds: Tencent's documented ceiling (the lane never exceeds what one client may send) and a
 *   floor (a lane always makes progress).
 * The lane's own window rule (RateLane's) keeps it at or below `ratePerSecond` as the server counts.
 */
export class AdaptiveRateLane implements AdaptiveLane {
	/** When each of the last `ceiling` requests finished (pending while in flight). */
	private readonly finished: Array<Promise<number>> = [];
	/** When each success of the last window finished: what Tencent admitted from this lane. */
	private admitted: number[] = [];
	/** When each "too frequent" answer of the last window came. */
	private refused: number[] = [];
	/** No request starts before this (set by a cut). */
	private pausedUntil = -Infinity;
	private gate: Promise<unknown> = Promise.resolve();
	private lastStart = -Infinity;
	private rate: number;
	private threshold: number;
	private lastCutAt = -Infinity;
	/** One request at a time until one is admitted (a new lane, or one just refused). */
	private probing = true;
	private probeBackoffMs = 0;
	/** The last request sent, settled either way; and whether its answer has been classified. */
	private lastSent: Promise<unknown> = Promise.resolve();
	private lastAnswerSeen = true;
	private lastWasProbe = false;
	/** When the next start is due on the lane's even spread (see run). */
	private nextStartAt = -Infinity;
	/** "Too frequent" answers seen, for the output and tests. */
	rateLimitedAnswers = 0;

	constructor(
		readonly ceiling: number,
		readonly floor = 1,
	) {
		this.rate = ceiling;
		this.threshold = ceiling;
	}

	get ratePerSecond(): number {
		return Math.round(this.rate * 10) / 10;
	}

	rateLimited(): void {
		this.rateLimitedAnswers++;
		this.lastAnswerSeen = true;
		const now = clock.now();
		this.refused.push(now);
		if (this.refused.length > 2 * this.ceiling) this.refused = inWindow(this.refused, now);
		// A refused probe waits longer each time; answers to requests sent before probing began do not.
		if (this.lastWasProbe) {
			this.probeBackoffMs = Math.min(
				RATE_WINDOW_MS,
				this.probeBackoffMs > 0 ? 2 * this.probeBackoffMs : PROBE_BACKOFF_MS,
			);
			this.pausedUntil = Math.max(this.pausedUntil, now + this.probeBackoffMs);
		}
		this.probing = true;
		if (now - this.lastCutAt < RATE_WINDOW_MS) return;
		this.lastCutAt = now;
		const share = this.admittedInWindow(now);
		// A lane that joins while others hold the app's window had (nearly) everything refused: it
		// pauses for that part of a window, instead of spending the rest of its first second on
		// requests that are refused too. A lane that overshot slightly pauses for a moment only.
		this.refused = inWindow(this.refused, now);
		this.pausedUntil = now + (RATE_WINDOW_MS * this.refused.length) / (this.refused.length + share);
		const before = this.rate;
		this.rate = Math.max(
			this.floor,
			Math.min(before * DECREASE, Math.max(share, before * DEEPEST_CUT)),
		);
		this.threshold = Math.max(this.rate, before / 2);
	}

	succeeded(): void {
		this.lastAnswerSeen = true;
		this.probing = false;
		this.probeBackoffMs = 0;
		const now = clock.now();
		this.admitted.push(now);
		if (this.admitted.length > 2 * this.ceiling) this.admittedInWindow(now);
		if (this.rate < this.threshold) {
			this.rate = Math.min(this.threshold, this.rate + 1);
			return;
		}
		const sinceCut = Math.floor((now - this.lastCutAt) / 1000);
		const step = Number.isFinite(sinceCut)
			? Math.min(this.ceiling, 2 ** Math.max(0, sinceCut - 1))
			: this.ceiling;
		this.rate = Math.min(this.ceiling, this.rate + step / this.rate);
	}

	async run<T>(send: () => Promise<T>): Promise<T> {
		let sent: Promise<T> | undefined;
		const admitted = this.gate.then(async () => {
			if (this.probing) {
				await this.lastSent;
				// Its answer is classified (succeeded / rateLimited) by the caller just after it
				// settles: let that happen first, so that a refused probe's wait applies to this one.
				if (!this.lastAnswerSeen) await sleep(0);
			}
			// RateLane's rule with the current rate: request n starts a window after request
			// n − rate finished, so no window at the server holds more than `rate` of this lane's.
			const allowed = Math.max(1, Math.floor(this.rate));
			const oldest = this.finished.length - allowed;
			const windowOpensAt =
				oldest >= 0 ? (await this.finished[oldest]) + RATE_WINDOW_MS : -Infinity;
			// Starts spread over the window on a virtual schedule `gap` apart (at most SPREAD_BURST
			// requests ahead of it) instead of a window's worth at once: a burst puts many requests on
			// their way together, and when the app's window is full they are all refused before the
			// first refusal can slow the lane. A lane cut lately shares the app: its gap is a full
			// 1/rate. A lane alone spreads over part of the window, so that the window rule, not the
			// spread, sets its pace.
			const spread = clock.now() - this.lastCutAt < SHARED_FOR_MS ? 1 : SPREAD_GAP;
			const gap = (spread * 1000) / Math.max(this.rate, 1);
			let wait =
				Math.max(
					windowOpensAt,
					this.lastStart + MIN_START_GAP_MS,
					this.nextStartAt - SPREAD_BURST * gap,
					this.pausedUntil,
				) - clock.now();
			if (wait > 0) await sleep(wait);
			// A cut while this request waited may have paused the lane further.
			wait = this.pausedUntil - clock.now();
			if (wait > 0) await sleep(wait);
			this.lastStart = clock.now();
			this.nextStartAt = Math.max(this.nextStartAt, this.lastStart) + gap;
			sent = send();
			this.lastWasProbe = this.probing;
			this.lastAnswerSeen = false;
			const done = () => clock.now();
			const finished = sent.then(done, done);
			this.finished.push(finished);
			this.lastSent = finished;
			if (this.finished.length > this.ceiling) this.finished.shift();
		});
		this.gate = admitted.catch(() => undefined);
		await admitted;
		return await sent!;
	}

	private admittedInWindow(now: number): number {
		this.admitted = inWindow(this.admitted, now);
		return this.admitted.length;
	}
}

/** The times of a sorted list that fall within the last window. */
function inWindow(times: number[], now: number): number[] {
	const since = now - RATE_WINDOW_MS;
	let first = 0;
	while (first < times.length && times[first] <= since) first++;
	return first > 0 ? times.slice(first) : times;
}

/** Multiplicative decrease on a "too frequent" answer (CUBIC's 0.7: gentler than halving). */
const DECREASE = 0.7;
/**
 * One cut goes no deeper than this, whatever the measured share: a lane that joins while another
 * holds the whole window has been admitted nothing yet, and from the floor it would need seconds
 * to find its share (tried: a 4-worker run with staggered starts lost a third of its throughput).
 */
const DEEPEST_CUT = 0.25;

/** How many requests a lane may start ahead of its even spread (catching up after a late timer). */
const SPREAD_BURST = 3;
/**
 * The spread's gap as a share of 1/rate for a lane that has not been cut lately (tried: at 0.9
 * and 1.0, benchmark P1, one lane alone, lost 4 %); a lane cut within SHARED_FOR_MS uses 1/rate
 * (in benchmark P5 the lanes' windows reopened together a second after their first cuts, and
 * their faster starts overshot together).
 */
const SPREAD_GAP = 0.5;
const SHARED_FOR_MS = 10_000;

/** The first wait after a refused probe; it doubles with each refused probe, up to a window. */
const PROBE_BACKOFF_MS = 100;

/** A second, plus the rounding of millisecond clocks on both sides. */
const RATE_WINDOW_MS = 1_005;
const MIN_START_GAP_MS = 2;

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
export const pushLane = (appKey: string) =>
	lane(`push:${appKey}`, () => new SpacedLane(PUSH_GAP_MS));

/** Recall: one per second (90051). */
export const revokeLane = (appKey: string) =>
	lane(`revoke:${appKey}`, () => new SpacedLane(LIMITS.revokeIntervalMs + 20));

/**
 * How management lanes pace: 'adaptive' (default) learns the app's share from 60007 answers;
 * 'fixed' is the pacing before adaptation (always Tencent's full 100 requests/s, "too frequent"
 * answers retried with backoff), kept for comparison (benchmark P5) and as a node option.
 */
export type PacingMode = 'adaptive' | 'fixed';

/** Tag and attribute endpoints: 100 requests per second each (60007). */
export const managementLane = (appKey: string, endpoint: string, mode: PacingMode = 'adaptive') =>
	mode === 'fixed'
		? lane(
				`mgmt-fixed:${appKey}:${endpoint}`,
				() => new RateLane(LIMITS.managementRequestsPerSecond),
			)
		: lane(
				`mgmt:${appKey}:${endpoint}`,
				() => new AdaptiveRateLane(LIMITS.managementRequestsPerSecond, MANAGEMENT_FLOOR),
			);

/** A lane never goes below one request (100 users) per second: progress, however crowded the app. */
const MANAGEMENT_FLOOR = 1;

/** Forgets all lanes (tests). */
export function resetLanes(): void {
	lanes.clear();
}

/**
 * Pushes to named users: Tencent counts these in recipients per second (30, 500 or 800 by Push
 * service edition), and in requests (10/s, the lowest edition's documented call rate).
 */
export const batchPushLane = (appKey: string) =>
	lane(
		`batch:${appKey}`,
		() => new RecipientLane(LIMITS.batchPushRequestsPerSecond),
	) as RecipientLane;

/** Push statistics and trace: one request per second per endpoint (60007). */
export const statisticsLane = (appKey: string, command: string) =>
	lane(`stats:${appKey}:${command}`, () => new SpacedLane(LIMITS.statisticsIntervalMs + 20));

/** Scheduled-task endpoints: five requests per second each (60007). */
export const schedLane = (appKey: string, command: string) =>
	lane(`sched:${appKey}:${command}`, () => new RateLane(LIMITS.schedRequestsPerSecond));
