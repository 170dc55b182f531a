import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';
import type { z } from 'zod/v4';

import { cancelSignalOf, isCancellation, throwIfCancelled } from '../helpers/cancel';
import { chunk } from '../helpers/lists';
import { managementLane } from '../helpers/pacing';
import { pacingModeOf } from '../helpers/pacingOption';
import { param } from '../helpers/parameters';
import {
	callTencent,
	type PacingReport,
	type RequestLane,
	type TencentErrorListEntry,
	type TencentResponse,
} from '../transport';
import { describeTencentError } from '../transport/errorCodes';
import { LIMITS } from '../validation/limits';
import { accountsSchema } from '../validation/management';
import { assertValid, validationError } from '../validation/validate';
import { type ApiFamily, SERVICE } from './apiFamily';
import { fetchAttributeNames } from './attributeNames';
import {
	appIdentity,
	dryRunResult,
	errorItem,
	readAccounts,
	requestSettings,
	withItemIndex,
} from './execution';

/**
 * The batching engine behind User Tag and User Attribute. Their operations all work the same way:
 * each input item names one or more users; users of many items are packed into requests of at most
 * 100 and every user's outcome goes back to the item it came from. Requests leave as soon as they
 * are full, while later items are still being read, so reading 100,000 items overlaps with
 * Tencent's 100 requests/s instead of adding to it.
 *
 * Why one file of about 600 lines: packing, checking a closed request (and its items when it
 * fails), the requests in flight and the mapping of each user's outcome back to its item share one
 * queue and its bookkeeping; split, each part would need the others' internals.
 */

/** One user's part of a request: the body element for that user (or just the account id). */
export interface UserEntry {
	account: string;
	element: IDataObject | string;
}

export interface ManagementOperation {
	/** Tencent command for each API family. */
	command: Record<ApiFamily, string>;
	/**
	 * Reads the item's users; throws a NodeOperationError on bad input. `attributeNames` is undefined
	 * for an item in Dry Run: the app's names are not fetched for it, since a dry run calls nothing.
	 */
	collect(
		this: IExecuteFunctions,
		itemIndex: number,
		api: ApiFamily,
		attributeNames: Set<string> | undefined,
	): UserEntry[];
	/** Whether `collect` checks attribute names against the app's (fetched once per run, when an item is sent). */
	usesAttributeNames?: boolean;
	/** The request body around the elements of one request. */
	body(
		this: IExecuteFunctions,
		elements: Array<IDataObject | string>,
		api: ApiFamily,
		itemIndex: number,
	): IDataObject;
	schema(this: IExecuteFunctions, api: ApiFamily, itemIndex: number): z.ZodType;
	/** Output items of an item whose users all succeeded. */
	output(
		entries: UserEntry[],
		responses: TencentResponse[],
		api: ApiFamily,
		itemIndex: number,
	): IDataObject[];
	/** Items whose request-level options differ (e.g. Replace on or off) must not share a request. */
	requestKey?(this: IExecuteFunctions, itemIndex: number): string;
}

/**
 * An item whose users are on their way. Outcomes are kept per item, not per user: with 100,000
 * one-user items, an object per user and outcome is memory n8n needs for the output items.
 */
interface Pending {
	itemIndex: number;
	/** Where the item is in the run's list, which holds its result instead once it has one. */
	slot: number;
	entries: UserEntry[];
	/** The distinct responses of the requests that carried this item's users. */
	responses: TencentResponse[];
	/** A failed request carrying any of this item's users fails the item. */
	error?: Error;
	/** Users in Tencent's ErrorList, by their index in `entries`. */
	failures?: Map<number, TencentErrorListEntry>;
	/** The last rate-limit wait of a request that carried this item's users. */
	pacing?: PacingReport;
	/** Requests carrying this item's users that have not been answered yet. */
	outstanding: number;
	/** The item's output or error, made as soon as its last request is answered (then entries are dropped). */
	result?: INodeExecutionData[] | Error;
}

interface Request {
	itemIndex: number;
	members: Array<{ owner: Pending; index: number }>;
	accounts: Set<string>;
	/** The body, built and checked once when the request is closed. */
	body?: IDataObject;
}

/** In-flight requests per run; the lane caps the rate, this caps open sockets. */
const CONCURRENCY = 8;
/**
 * Full requests that may wait for a sender before reading more items stops. Reading is far faster
 * than Tencent's 100 requests/s, so without this bound all items would be read, checked and packed
 * long before they are sent, and their garbage would pile up at once (issue 16: 100,000 items).
 */
const MAX_QUEUED = CONCURRENCY / 2;

export async function runManagement(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	operation: ManagementOperation,
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	const api = param<ApiFamily>(this, 'api', 0);
	const service = SERVICE[api];
	const command = operation.command[api];
	/** Output of items that never reached a request (dry run, invalid input), by item index. */
	const settled = new Map<number, INodeExecutionData[]>();
	const settle = (itemIndex: number, item: INodeExecutionData) =>
		settled.set(itemIndex, [...(settled.get(itemIndex) ?? []), item]);
	/**
	 * Items that reached a request, in item order: the item while on its way, then its output or
	 * error in its place, so that 100,000 bookkeeping objects do not outlive their requests.
	 */
	const pending: Array<Pending | INodeExecutionData[] | Error> = [];
	/** Fetched once, when the first item that is sent needs them; a failure fails each such item alike. */
	let attributeNames: Promise<Set<string>> | undefined;
	const node = this.getNode();
	const signal = cancelSignalOf(this);
	const sender = new RequestSender(
		this,
		operation,
		api,
		service,
		command,
		managementLane(app.key, `${service}/${command}`, pacingModeOf(this)),
		(owner) => (pending[owner.slot] = owner.result!),
	);

	for (let i = 0; i < items.length; i++) {
		try {
			throwIfCancelled(node, signal);
			// Dry Run is read per item: an expression can make item 7 a dry run and item 0 not.
			const { dryRun, call } = requestSettings.call(this, i);
			if (!dryRun && operation.usesAttributeNames) {
				attributeNames ??= fetchAttributeNames
					.call(this, api, call)
					.then(({ names }) => new Set(Object.values(names)));
			}
			const known = dryRun || !attributeNames ? undefined : await attributeNames;
			const entries = operation.collect.call(this, i, api, known);
			if (dryRun) {
				settle(i, {
					json: dryRunResult(
						app,
						service,
						command,
						itemBodies(this, operation, api, entries.slice(0, LIMITS.usersPerManagementCall), i)[0],
						operation.schema.call(this, api, i),
					),
					pairedItem: { item: i },
				});
				continue;
			}
			// A one-user item (how large runs arrive) is checked with the request that carries it: one
			// check per 100 users instead of per user. Any other item is checked alone first, so that no
			// part of it leaves while another part is bad, and an item without accounts fails with the
			// schema's message instead of vanishing from the output.
			const key = operation.requestKey?.call(this, i) ?? '';
			if (entries.length !== 1 || sender.checksEachItem(key))
				checkItem(this, operation, api, entries, i);
			// The item's own options are read now, so that a bad one (e.g. Replace from an expression)
			// fails this item before it joins a request.
			else operation.schema.call(this, api, i);
			sender.throwIfStopped();
			const owner: Pending = {
				itemIndex: i,
				slot: pending.length,
				entries,
				responses: [],
				outstanding: 0,
			};
			pending.push(owner);
			const ready = sender.add(owner, key);
			sender.throwIfStopped();
			// Let the requests that just filled up leave before reading more items, and wait while
			// enough of them are queued.
			if (ready) await sender.roomForMore();
		} catch (error) {
			if (!this.continueOnFail() || isCancellation(error)) {
				await sender.finish();
				throw withItemIndex(this, error, sender.failure()?.itemIndex ?? i);
			}
			settle(i, errorItem(error, i));
		}
	}
	await sender.finish();
	const failure = sender.failure();
	if (failure) throw withItemIndex(this, failure.error, failure.itemIndex);
	throwIfCancelled(node, signal);

	// Each item either settled early or is pending, and pending items are in item order.
	const output: INodeExecutionData[] = [];
	let next = 0;
	for (let i = 0; i < items.length; i++) {
		const early = settled.get(i);
		if (early) {
			output.push(...early);
			continue;
		}
		const item = pending[next++];
		const result =
			Array.isArray(item) || item instanceof Error
				? item
				: (item.result ?? itemResult.call(this, item, operation, api, `v4/${service}/${command}`));
		if (result instanceof Error) {
			if (!this.continueOnFail()) throw withItemIndex(this, result, i);
			output.push(errorItem(result, i));
			continue;
		}
		output.push(...result);
	}
	return output;
}

/** An item's request bodies on its own: one per 100 users (one empty one for an item without users). */
function itemBodies(
	context: IExecuteFunctions,
	operation: ManagementOperation,
	api: ApiFamily,
	entries: UserEntry[],
	itemIndex: number,
): IDataObject[] {
	const slices =
		entries.length > LIMITS.usersPerManagementCall
			? chunk(entries, LIMITS.usersPerManagementCall)
			: [entries];
	return slices.map((slice) =>
		operation.body.call(
			context,
			slice.map((e) => e.element),
			api,
			itemIndex,
		),
	);
}

/** Throws the first problem of an item's requests, as if the item were sent alone. */
function checkItem(
	context: IExecuteFunctions,
	operation: ManagementOperation,
	api: ApiFamily,
	entries: UserEntry[],
	itemIndex: number,
): void {
	const schema = operation.schema.call(context, api, itemIndex);
	for (const body of itemBodies(context, operation, api, entries, itemIndex))
		assertValid(context.getNode(), schema, body, itemIndex);
}

/** An answered item's output items, or its error; what the output needs is kept, the rest dropped. */
function itemResult(
	this: IExecuteFunctions,
	item: Pending,
	operation: ManagementOperation,
	api: ApiFamily,
	/** `v4/<service>/<command>`, one string for all items. */
	endpoint: string,
): INodeExecutionData[] | Error {
	const result =
		itemError.call(this, item, api, endpoint) ??
		operation.output(item.entries, item.responses, api, item.itemIndex).map((json) => {
			// `api` is the endpoint called, as in every other operation's output (not the API family).
			// One endpoint string for all items, set on the fresh object instead of copying it.
			if ('api' in json) json.api = endpoint;
			return {
				json: item.pacing ? { ...json, pacing: { ...item.pacing } } : json,
				pairedItem: { item: item.itemIndex },
			};
		});
	return result;
}

/** Packs users into requests (≤ 100, each account once) and sends full requests right away. */
class RequestSender {
	private readonly open = new Map<string, Request>();
	private readonly queue: Request[] = [];
	private readonly workers: Array<Promise<void>> = [];
	private closed = false;
	private wake: (() => void) | undefined;
	private room: (() => void) | undefined;
	/**
	 * Set when an item failed its check and the run stops at it (On Error: Stop): the items before it
	 * are sent, it and the items after it are not.
	 */
	private stopped: { error: Error; itemIndex: number } | undefined;
	/** `v4/<service>/<command>`: one string for every item's output. */
	private readonly endpoint: string;
	/** Throws the failing item's error once a check has stopped the run. */
	throwIfStopped(): void {
		if (this.stopped) throw this.stopped.error;
	}

	/** The item the run stopped at, if it did (a method: it changes behind the caller's back). */
	failure(): { error: Error; itemIndex: number } | undefined {
		return this.stopped;
	}

	/** Set by checksEachItem. */
	private eachItem = false;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly operation: ManagementOperation,
		private readonly api: ApiFamily,
		private readonly service: string,
		private readonly command: string,
		private readonly lane: RequestLane,
		/** Called once an item has its result. */
		private readonly answered: (owner: Pending) => void,
	) {
		this.endpoint = `v4/${service}/${command}`;
	}

	/**
	 * Whether items must be checked one by one from now on. Checking one-user items with their
	 * request keeps On Error: Stop exact only while one request is open at a time: a request that
	 * fails then holds every item read since the failing one. Once items need requests of another
	 * kind (Replace on and off), the open requests are checked now and every item from then on.
	 */
	checksEachItem(key: string): boolean {
		if (this.eachItem) return true;
		if (this.open.size === 0 || this.open.has(key)) return false;
		this.eachItem = true;
		for (const request of this.open.values()) this.check(request);
		return true;
	}

	/** Adds an item's users; returns whether a request became ready to send. */
	add(owner: Pending, key: string): boolean {
		let ready = false;
		for (const [index, entry] of owner.entries.entries()) {
			let request = this.open.get(key);
			// A user twice in one request has no documented meaning; the second goes to the next one.
			if (
				request &&
				(request.members.length >= LIMITS.usersPerManagementCall ||
					request.accounts.has(entry.account))
			) {
				this.open.delete(key);
				this.enqueue(request);
				ready = true;
				request = undefined;
				// The closed request's check stopped the run: this item is after the failing one.
				if (this.stopped) return ready;
			}
			if (!request) {
				request = { itemIndex: owner.itemIndex, members: [], accounts: new Set() };
				this.open.set(key, request);
			}
			// An item's users are added together, so its members of one request are adjacent.
			if (request.members[request.members.length - 1]?.owner !== owner) owner.outstanding++;
			request.members.push({ owner, index });
			request.accounts.add(entry.account);
		}
		return ready;
	}

	/** Lets full requests leave, then waits while MAX_QUEUED of them still wait for a sender. */
	async roomForMore(): Promise<void> {
		await sleep(0);
		while (this.queue.length >= MAX_QUEUED)
			await new Promise<void>((resolve) => (this.room = resolve));
	}

	async finish(): Promise<void> {
		for (const request of this.open.values()) this.enqueue(request);
		this.open.clear();
		this.closed = true;
		this.wake?.();
		await Promise.all(this.workers);
	}

	private enqueue(request: Request): void {
		this.check(request);
		if (request.members.length === 0) return;
		this.queue.push(request);
		if (this.workers.length < CONCURRENCY) this.workers.push(this.work());
		this.wake?.();
	}

	/**
	 * Checks a closed request's body once. If it breaks a rule, its items are checked one by one, as
	 * if each were sent alone, so that the error names the item and its own field: with On Error:
	 * Continue the failing items leave the request and the others go; otherwise the run stops at the
	 * first failing item and only the items before it go (from this and every open request).
	 */
	private check(request: Request): void {
		const { context, operation, api } = this;
		const schema = operation.schema.call(context, api, request.itemIndex);
		const build = () =>
			operation.body.call(
				context,
				request.members.map((m) => m.owner.entries[m.index].element),
				api,
				request.itemIndex,
			);
		request.body = build();
		const requestError = validationError(
			context.getNode(),
			schema,
			request.body,
			request.itemIndex,
		);
		if (!requestError) return;
		const failed = new Map<Pending, Error>();
		for (const owner of new Set(request.members.map((m) => m.owner))) {
			try {
				checkItem(context, operation, api, owner.entries, owner.itemIndex);
			} catch (error) {
				failed.set(owner, error as Error);
				if (!context.continueOnFail()) break;
			}
		}
		// A rule no single item breaks (none is known today) fails every item of the request.
		if (failed.size === 0) {
			for (const owner of new Set(request.members.map((m) => m.owner)))
				failed.set(owner, requestError);
		}
		if (!context.continueOnFail()) {
			const [first, error] = [...failed][0];
			this.stopped ??= { error, itemIndex: first.itemIndex };
			for (const open of [request, ...this.open.values()])
				open.members = open.members.filter((m) => m.owner.itemIndex < first.itemIndex);
		} else {
			for (const [owner, error] of failed) {
				owner.result = error;
				owner.outstanding = 0;
				this.answered(owner);
			}
			request.members = request.members.filter((m) => !failed.has(m.owner));
		}
		request.body = request.members.length > 0 ? build() : undefined;
	}

	private async work(): Promise<void> {
		for (;;) {
			const request = this.queue.shift();
			if (request && this.queue.length < MAX_QUEUED) {
				this.room?.();
				this.room = undefined;
			}
			if (request) {
				await this.send(request);
				continue;
			}
			if (this.closed) return;
			await new Promise<void>((resolve) => {
				const previous = this.wake;
				this.wake = () => {
					this.wake = undefined;
					previous?.();
					resolve();
				};
			});
		}
	}

	private async send(request: Request): Promise<void> {
		const { context, operation, api } = this;
		let response: TencentResponse | undefined;
		let pacing: PacingReport | undefined;
		let error: Error | undefined;
		let failures = new Map<string, TencentErrorListEntry>();
		try {
			({ response, pacing } = await callTencent.call(
				context,
				this.service,
				this.command,
				request.body!,
				{ ...requestSettings.call(context, request.itemIndex).call, lane: this.lane },
			));
			failures = new Map((response.ErrorList ?? []).map((e) => [e.To_Account, e]));
		} catch (caught) {
			error = caught as Error;
		}
		for (const { owner, index } of request.members) {
			if (pacing) owner.pacing = pacing;
			if (error) owner.error ??= error;
			else if (owner.responses[owner.responses.length - 1] !== response)
				owner.responses.push(response!);
			const failure = failures.size > 0 ? failures.get(owner.entries[index].account) : undefined;
			if (failure) (owner.failures ??= new Map()).set(index, failure);
		}
		// Items whose last request this was get their output now, so that their users, bodies and
		// responses can go while later items are still being sent.
		let previous: Pending | undefined;
		for (const { owner } of request.members) {
			if (owner === previous) continue;
			previous = owner;
			if (--owner.outstanding === 0) {
				owner.result = itemResult.call(context, owner, operation, api, this.endpoint);
				this.answered(owner);
			}
		}
	}
}

/** An item fails when its request failed or any of its users is in Tencent's ErrorList. */
function itemError(
	this: IExecuteFunctions,
	item: Pending,
	api: ApiFamily,
	endpoint: string,
): Error | undefined {
	if (item.error) return item.error;
	if (!item.failures) return undefined;
	const failed = [...item.failures]
		.sort(([a], [b]) => a - b)
		.map(([index, failure]) => ({
			account: item.entries[index].account,
			code: Number(failure.ErrorCode),
			info: failure.ErrorInfo,
		}));
	const first = describeTencentError(failed[0].code);
	const error = new NodeApiError(this.getNode(), { failed } as unknown as JsonObject, {
		message: `Tencent error ${failed[0].code} for ${failed.map((f) => `'${f.account}'`).join(', ')}: ${first.meaning}`,
		description: `${first.action} ${failed.length} of ${item.entries.length} account(s) of this item failed; the others succeeded. (API ${endpoint}, ${api})`,
		itemIndex: item.itemIndex,
	});
	Object.assign(error.context, {
		tencentErrorCode: failed[0].code,
		failedAccounts: failed.map((f) => f.account),
	});
	return error;
}

/** `collect` of operations whose users carry nothing but their account id. */
export function accountEntries(this: IExecuteFunctions, itemIndex: number): UserEntry[] {
	return readAccounts.call(this, itemIndex).map((account) => ({ account, element: account }));
}

/**
 * Get operations: users' records (`UserTags[].Tags`, `UserAttrs[].Attrs`), one output item per
 * user, in the order asked, whichever of the item's requests carried each user.
 */
export function userRecordsOperation(spec: {
	command: Record<ApiFamily, string>;
	list: 'UserAttrs' | 'UserTags';
	field: 'Attrs' | 'Tags';
	output: 'attributes' | 'tags';
	empty: () => IDataObject | string[];
}): ManagementOperation {
	return {
		command: spec.command,
		collect: accountEntries,
		body: (accounts) => ({ To_Account: accounts }),
		schema: () => accountsSchema,
		output(entries, responses) {
			const records = new Map<string, IDataObject>();
			for (const response of responses) {
				for (const record of (response[spec.list] as IDataObject[] | undefined) ?? [])
					records.set(String(record.To_Account), record);
			}
			return entries.map(({ account }) => ({
				account,
				[spec.output]:
					(records.get(account)?.[spec.field] as IDataObject | string[] | undefined) ??
					spec.empty(),
			}));
		},
	};
}
