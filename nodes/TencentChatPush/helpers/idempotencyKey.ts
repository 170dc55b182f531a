import { createHash } from 'crypto';
import type {
	DeduplicationHelperFunctions,
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isoWithZone, type UnknownOutcomePolicy } from '../transport';
import { quoteValue } from './lists';

/**
 * The Idempotency Key of Send, Send to Users and Scheduled Push → Create: an ID of what caused the
 * push (an event, an order…). A key that was accepted is not sent again within the window; the item
 * returns the earlier result with `duplicate: true`.
 *
 * Why one file of about 360 lines: the three memories below are read and written together by one
 * guard (claim, accept, release, flush), and the order of those writes is what keeps a key from
 * being sent twice; split across files, that order would be harder to see and to review.
 *
 * Keys are remembered in three places, because each covers what the others miss (all measured in a
 * real n8n 2.41.1, see the README's Delivery guarantees):
 * 1. This process's memory, the moment a request is accepted (or its outcome is unknown), for every
 *    execution of the workflow's node: the same key twice in one execution, and executions running
 *    at the same time in this process (one sends, the others wait for its answer). Lost on restart.
 * 2. The node's static data (`getWorkflowStaticData('node')`), with the earlier result (TaskId),
 *    written when the node ends, also when it fails: n8n saves static data after every execution that
 *    is not manual, failed ones included (not cancelled ones). Later executions of the workflow see
 *    it. But n8n's Retry of a failed execution runs with the static data stored in that execution,
 *    which does not hold what the failed run wrote, and n8n writes the whole static data of a
 *    workflow at the end of each execution, so two executions at once each write their own copy
 *    (every write here includes what this process remembers for the node, to lose as little as
 *    possible). In queue mode a webhook execution may also start from static data older than the
 *    last execution's (measured with two workers).
 * 3. n8n's deduplication store (`helpers.checkProcessedAndRecord`, the database table behind the
 *    Remove Duplicates node), written before the request is sent ("used") and after it is accepted
 *    ("ok"): every process of the instance sees it at once, a Retry included, after a restart or on
 *    another queue-mode worker. It keeps no times and no results, so a key found only there returns
 *    `duplicate: true` without the earlier TaskId, and the window is kept in buckets of its length
 *    (a key is remembered between one and two windows there). It is not used by manual executions.
 * Manual (editor) runs never write where production runs look: n8n does not save their static data,
 * they skip the store, and their memory scope is their own; so a test run never blocks a real send.
 * Not covered: two executions with the same key that check n8n's store at the very same moment in two
 * processes (its check-and-record is not atomic across processes).
 */

export const DEFAULT_WINDOW_HOURS = 24;
const MAX_WINDOW_HOURS = 720;
/** Keys kept per node in static data (the oldest go first): static data is stored with the workflow. */
export const MAX_REMEMBERED_KEYS = 10_000;
/** Keys kept per node in memory. */
const MAX_MEMORY_KEYS = 100_000;
/** Entries kept per node in n8n's deduplication store (two per key): n8n's own default. */
const MAX_STORE_ENTRIES = 10_000;

export const IDEMPOTENCY_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Idempotency Key',
		name: 'idempotencyKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.eventId }}',
		description:
			"An ID of what causes this push, such as an event or order ID. An item whose key was already accepted within the Idempotency Window is not sent again; it returns the earlier result with duplicate: true. Keys are kept in the workflow's static data (see Delivery guarantees in the README for what is covered).",
	},
	{
		displayName: 'Idempotency Window (Hours)',
		name: 'idempotencyWindowHours',
		type: 'number',
		default: DEFAULT_WINDOW_HOURS,
		typeOptions: { minValue: 1, maxValue: MAX_WINDOW_HOURS },
		description: 'How long an accepted Idempotency Key is remembered',
	},
];

export interface IdempotencySettings {
	key: string;
	windowMs: number;
}

/** The item's key and window, or undefined when it has no key. */
export function readIdempotency(
	this: IExecuteFunctions,
	itemIndex: number,
): IdempotencySettings | undefined {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const raw = options.idempotencyKey;
	if (raw === undefined || raw === null || raw === '') return undefined;
	if (typeof raw !== 'string' && typeof raw !== 'number') {
		throw new NodeOperationError(
			this.getNode(),
			`Idempotency Key is ${quoteValue(raw)}; it must be text or a number`,
			{
				itemIndex,
				description: 'Nothing was sent to Tencent. Map an ID such as {{ $json.eventId }}.',
			},
		);
	}
	const key = String(raw).trim();
	if (key === '') return undefined;
	const hours =
		options.idempotencyWindowHours === undefined || options.idempotencyWindowHours === ''
			? DEFAULT_WINDOW_HOURS
			: Number(options.idempotencyWindowHours);
	if (!Number.isFinite(hours) || hours < 1 || hours > MAX_WINDOW_HOURS) {
		throw new NodeOperationError(
			this.getNode(),
			`Idempotency Window (Hours) is ${quoteValue(options.idempotencyWindowHours)}; it must be a number from 1 to ${MAX_WINDOW_HOURS}`,
			{
				itemIndex,
				description: 'Nothing was sent to Tencent.',
			},
		);
	}
	return { key, windowMs: hours * 3_600_000 };
}

/** What static data keeps per key: accepted at (ms), the result to return again, or u = outcome unknown. */
interface Remembered {
	t: number;
	r?: IDataObject;
	u?: 1;
}

type MemoryEntry =
	| { state: 'pending'; at: number; settled: Promise<void> }
	| { state: 'accepted'; at: number; result: IDataObject }
	| { state: 'unknown'; at: number };

/** scope (workflow, node, manual or not) → key hash → entry. Shared by every execution of this process. */
const memory = new Map<string, Map<string, MemoryEntry>>();

/** Forgets what this process remembers (tests). */
export function resetIdempotencyMemory(): void {
	memory.clear();
}

export interface Earlier {
	result: IDataObject;
	/** Unknown when only n8n's store remembers the key. */
	acceptedAt?: number;
}

export interface Claim {
	hash: string;
	key: string;
	windowMs: number;
	previous: MemoryEntry | undefined;
	settle: () => void;
	done: boolean;
	/** The "used" entry recorded in n8n's store for this claim, if any. */
	recorded?: string;
}

export type Begin = { earlier: Earlier } | { claim: Claim };

/**
 * One per operation run. `begin` either finds the key accepted before, or claims it (others in this
 * process then wait); every claim ends with `accepted`, `unknown` or `release`, and `flush` writes
 * static data (call it in a finally block: the node's failure is saved too).
 */
export class IdempotencyGuard {
	private readonly entries: Map<string, MemoryEntry>;
	private readonly written = new Map<string, Remembered>();
	/** Claims not yet settled: flush settles them so that no other execution waits forever. */
	private readonly open = new Set<Claim>();
	/** Store writes still to make (accepted → "ok", released → remove "used"), done in settleStore. */
	private readonly storeWrites: Array<{ values: string[]; remove: boolean }> = [];
	private storeDisabled = false;
	private windowMs = DEFAULT_WINDOW_HOURS * 3_600_000;

	constructor(
		private readonly context: IExecuteFunctions,
		/** What a key is scoped to besides the node: the app and the operation. */
		private readonly scope: string,
	) {
		const workflowId = context.getWorkflow().id ?? 'unsaved';
		const manual = context.getMode() === 'manual' ? 'manual' : 'production';
		const memoryScope = `${workflowId}\n${context.getNode().name}\n${manual}`;
		let entries = memory.get(memoryScope);
		if (!entries) {
			entries = new Map();
			memory.set(memoryScope, entries);
		}
		this.entries = entries;
	}

	private hash(key: string): string {
		return createHash('sha256').update(`${this.scope}\n${key}`).digest('base64url').slice(0, 24);
	}

	private stored(): Record<string, Remembered> {
		const data = this.context.getWorkflowStaticData('node');
		const keys = data.idempotencyKeys;
		return keys && typeof keys === 'object' && !Array.isArray(keys)
			? (keys as Record<string, Remembered>)
			: {};
	}

	/** The earlier use of the key, waiting for one in flight in this process; or a claim to send it. */
	async begin(
		settings: IdempotencySettings,
		onUnknown: UnknownOutcomePolicy,
		itemIndex: number,
	): Promise<Begin> {
		this.windowMs = settings.windowMs;
		const hash = this.hash(settings.key);
		for (;;) {
			const now = Date.now();
			let entry = this.entries.get(hash);
			if (entry && entry.state !== 'pending' && now - entry.at >= settings.windowMs)
				entry = undefined;
			if (entry?.state === 'pending') {
				await entry.settled;
				continue;
			}
			if (!entry) {
				const saved = this.stored()[hash];
				if (saved && now - saved.t < settings.windowMs) {
					entry = saved.u
						? { state: 'unknown', at: saved.t }
						: { state: 'accepted', at: saved.t, result: saved.r ?? {} };
				}
			}
			if (entry?.state === 'accepted')
				return { earlier: { result: entry.result, acceptedAt: entry.at } };
			if (entry?.state === 'unknown' && onUnknown !== 'sendAgain') {
				throw new NodeOperationError(
					this.context.getNode(),
					`Idempotency Key '${settings.key}': an earlier attempt with this key has an unknown outcome`,
					{
						itemIndex,
						description: `The attempt at ${isoWithZone(this.context, entry.at)} may or may not have reached Tencent, so this item was not sent. Check whether it went out (Push → Get Statistics, the Trigger's callbacks, Scheduled Push → Get Many), then use a new key, or set On Unknown Outcome to Send Again to send it anyway.`,
					},
				);
			}
			let settle = () => {};
			const settled = new Promise<void>((resolve) => (settle = resolve));
			this.entries.set(hash, { state: 'pending', at: now, settled });
			const claim: Claim = {
				hash,
				key: settings.key,
				windowMs: settings.windowMs,
				previous: entry,
				settle,
				done: false,
			};
			this.open.add(claim);
			// What this process does not know, n8n's store may: a Retry, another worker, a restart.
			const stored = await this.checkStore(claim, now, entry?.state === 'unknown');
			if (stored === 'accepted') {
				this.release(claim);
				return {
					earlier: {
						result: {
							taskId: null,
							note: "Accepted before (recorded in n8n's deduplication store); the earlier execution's output has its result.",
						},
					},
				};
			}
			if (stored === 'unknown' && onUnknown !== 'sendAgain') {
				this.release(claim);
				throw new NodeOperationError(
					this.context.getNode(),
					`Idempotency Key '${settings.key}': an earlier attempt with this key has an unknown outcome or is still running`,
					{
						itemIndex,
						description: `n8n's deduplication store shows the key was used in the last ${Math.round(settings.windowMs / 3_600_000)} hours, by an execution that has not recorded an answer from Tencent: it may still be running, or its request may or may not have reached Tencent. This item was not sent. Check whether it went out (Push → Get Statistics, the Trigger's callbacks, Scheduled Push → Get Many), then use a new key, or set On Unknown Outcome to Send Again to send it anyway.`,
					},
				);
			}
			return { claim };
		}
	}

	/** n8n's store, if this n8n has one for this run (not in manual runs, not in test harnesses). */
	private storeUsable(): boolean {
		if (this.storeDisabled) return false;
		const helpers = this.context.helpers as Partial<DeduplicationHelperFunctions>;
		return (
			this.context.getMode() !== 'manual' &&
			typeof helpers.checkProcessedAndRecord === 'function' &&
			typeof helpers.removeProcessed === 'function'
		);
	}

	private storeOptions = { mode: 'entries' as const, maxEntries: MAX_STORE_ENTRIES };

	/**
	 * Records the claim ("used" in the current bucket) and reports what the store already had for the
	 * key in this bucket or the one before: 'accepted', 'unknown' (used, never accepted), or 'new'.
	 */
	private async checkStore(
		claim: Claim,
		now: number,
		knownUnknown: boolean,
	): Promise<'accepted' | 'unknown' | 'new'> {
		if (!this.storeUsable()) return 'new';
		const bucket = Math.floor(now / claim.windowMs);
		const used = (b: number) => `${claim.hash}.${b}.used`;
		const ok = (b: number) => `${claim.hash}.${b}.ok`;
		const asked = [used(bucket), used(bucket - 1), ok(bucket), ok(bucket - 1)];
		let seen: Set<string>;
		try {
			const answer = await this.context.helpers.checkProcessedAndRecord(
				asked,
				'node',
				this.storeOptions,
			);
			seen = new Set(answer.processed.map(String));
			// Only "used" in this bucket stays recorded (our claim); the rest were lookups.
			const lookedUp = asked.slice(1).filter((value) => !seen.has(value));
			if (lookedUp.length > 0)
				await this.context.helpers.removeProcessed(lookedUp, 'node', this.storeOptions);
		} catch (error) {
			// No store (an n8n without one, a database error): memory and static data still apply.
			this.storeDisabled = true;
			this.context.logger?.warn(
				`Idempotency Key: n8n's deduplication store is unavailable (${(error as Error).message}); keys are kept in memory and static data only`,
			);
			return 'new';
		}
		if (!seen.has(used(bucket))) claim.recorded = used(bucket);
		if (seen.has(ok(bucket)) || seen.has(ok(bucket - 1))) return 'accepted';
		if (seen.has(used(bucket)) || seen.has(used(bucket - 1)))
			return knownUnknown ? 'new' : 'unknown';
		return 'new';
	}

	private async recordInStore(values: string[], remove: boolean): Promise<void> {
		if (!this.storeUsable() || values.length === 0) return;
		try {
			if (remove) await this.context.helpers.removeProcessed(values, 'node', this.storeOptions);
			else await this.context.helpers.checkProcessedAndRecord(values, 'node', this.storeOptions);
		} catch {
			this.storeDisabled = true;
		}
	}

	/** Tencent accepted the request: later uses of the key get `result`. */
	accepted(claim: Claim, result: IDataObject): void {
		if (claim.done) return;
		this.storeWrites.push({
			values: [`${claim.hash}.${Math.floor(Date.now() / claim.windowMs)}.ok`],
			remove: false,
		});
		this.finish(claim, { state: 'accepted', at: Date.now(), result }, { t: Date.now(), r: result });
	}

	/** The request may or may not have taken effect: later uses of the key are stopped too. */
	unknown(claim: Claim): void {
		this.finish(claim, { state: 'unknown', at: Date.now() }, { t: Date.now(), u: 1 });
	}

	/** Nothing was done (invalid, refused, known not sent): the key is free again. */
	release(claim: Claim): void {
		if (claim.done) return;
		if (claim.recorded) this.storeWrites.push({ values: [claim.recorded], remove: true });
		claim.done = true;
		this.open.delete(claim);
		if (claim.previous) this.entries.set(claim.hash, claim.previous);
		else this.entries.delete(claim.hash);
		claim.settle();
	}

	private finish(claim: Claim, entry: MemoryEntry, remembered: Remembered): void {
		if (claim.done) return;
		claim.done = true;
		this.open.delete(claim);
		this.entries.set(claim.hash, entry);
		this.written.set(claim.hash, remembered);
		if (this.entries.size > MAX_MEMORY_KEYS) this.pruneMemory();
		claim.settle();
	}

	/** Makes the queued store writes (one call for all "ok", one for all removals). */
	async settleStore(): Promise<void> {
		const writes = this.storeWrites.splice(0);
		await this.recordInStore(
			writes.filter((w) => !w.remove).flatMap((w) => w.values),
			false,
		);
		await this.recordInStore(
			writes.filter((w) => w.remove).flatMap((w) => w.values),
			true,
		);
	}

	private pruneMemory(): void {
		const now = Date.now();
		for (const [hash, entry] of this.entries) {
			if (this.entries.size <= MAX_MEMORY_KEYS * 0.9) break;
			if (
				entry.state !== 'pending' &&
				(now - entry.at >= this.windowMs || this.entries.size > MAX_MEMORY_KEYS)
			)
				this.entries.delete(hash);
		}
	}

	/**
	 * Writes the keys to the node's static data: what is already there, what this process remembers
	 * for the node (so that a concurrent execution's copy does not erase them), and this run's, minus
	 * what is older than the window, at most MAX_REMEMBERED_KEYS (newest kept). Claims still open
	 * (the run stopped on an error) are settled first: released when nothing of theirs was sent,
	 * else marked unknown.
	 */
	async flush(openClaims: 'release' | 'unknown' = 'release'): Promise<void> {
		for (const claim of [...this.open]) {
			if (openClaims === 'unknown') this.unknown(claim);
			else this.release(claim);
		}
		await this.settleStore();
		if (this.written.size === 0) return;
		const now = Date.now();
		const merged: Record<string, Remembered> = { ...this.stored() };
		for (const [hash, entry] of this.entries) {
			if (entry.state === 'accepted') merged[hash] = { t: entry.at, r: entry.result };
			else if (entry.state === 'unknown') merged[hash] = { t: entry.at, u: 1 };
		}
		for (const [hash, remembered] of this.written) merged[hash] = remembered;
		const kept = Object.entries(merged)
			.filter(([, r]) => r && typeof r.t === 'number' && now - r.t < this.windowMs)
			.sort(([, a], [, b]) => b.t - a.t)
			.slice(0, MAX_REMEMBERED_KEYS);
		// A new object each time: n8n only notices assignments, not changes inside a new object.
		this.context.getWorkflowStaticData('node').idempotencyKeys = Object.fromEntries(kept);
		this.written.clear();
	}
}

/** What a duplicate item outputs: the earlier result, marked. */
export function duplicateOutput(
	this: IExecuteFunctions,
	earlier: Earlier,
	key: string,
): IDataObject {
	return {
		...earlier.result,
		duplicate: true,
		idempotencyKey: key,
		...(earlier.acceptedAt !== undefined
			? { acceptedAt: isoWithZone(this, earlier.acceptedAt) }
			: {}),
	};
}
