/**
 * Why one file: one file per operation, its description next to its execute; packing accounts into
 * 500-account requests and pacing them by edition are this operation's alone.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { rethrowIfCancelled } from '../../helpers/cancel';
import {
	type Claim,
	IDEMPOTENCY_OPTIONS,
	IdempotencyGuard,
	duplicateOutput,
	readIdempotency,
} from '../../helpers/idempotencyKey';
import { chunk, unique } from '../../helpers/lists';
import { msgRandomFor } from '../../helpers/msgRandom';
import { batchPushLane } from '../../helpers/pacing';
import {
	CHECK_BATCH,
	ON_UNKNOWN_OUTCOME_OPTION,
	unknownOutcomeForItem,
	unknownOutcomePolicy,
	withUnknownOutcomeSubject,
} from '../../helpers/unknownOutcome';
import { accountsFields, requestOptionsField } from '../../shared/descriptions';
import {
	type AppIdentity,
	appIdentity,
	dryRunResult,
	errorItem,
	readAccounts,
	requestSettings,
	withItemIndex,
} from '../../shared/execution';
import {
	additionalFieldsCollection,
	dataIdField,
	fromAccountField,
	notificationFields,
	readOfflinePushInfo,
} from '../../shared/pushContent/fields';
import {
	CREDENTIAL_TYPE,
	callTencent,
	isUnknownOutcome,
	type TencentErrorListEntry,
} from '../../transport';
import { describeTencentError } from '../../transport/errorCodes';
import { LIMITS } from '../../validation/limits';
import { batchPushSchema } from '../../validation/pushContent';
import { assertValid } from '../../validation/validate';

const properties: INodeProperties[] = [
	...accountsFields('push', ['sendToUsers'], 'toAccounts'),
	...notificationFields,
	additionalFieldsCollection([dataIdField, fromAccountField]),
	requestOptionsField([...IDEMPOTENCY_OPTIONS, ON_UNKNOWN_OUTCOME_OPTION]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['push'], operation: ['sendToUsers'] } },
	properties,
);

interface Pacing {
	/** Recipients per second the node sends: 90 % of what Tencent allows the app's edition. */
	usersPerSecond: number;
	/** Accounts per request: 500, or fewer when one request would exceed a second's budget. */
	accountsPerRequest: number;
}

/**
 * The budget of the edition set in the credential (default the smallest, free/trial), less 10 %
 * headroom: 27, 450 or 720 users/s. A request never carries more recipients than one second's
 * budget: how Tencent counts a 500-account request against 30 users/s is not documented, and a
 * request that fits a second fits any counting.
 */
async function readPacing(this: IExecuteFunctions): Promise<Pacing> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const edition = String(credentials.pushEdition ?? 'free');
	const budgets: Record<string, number> = LIMITS.batchPushUsersPerSecond;
	const allowed = budgets[edition] ?? LIMITS.batchPushUsersPerSecond.free;
	const usersPerSecond = Math.floor(allowed * LIMITS.batchPushBudgetShare);
	return {
		usersPerSecond,
		accountsPerRequest: Math.min(LIMITS.accountsPerBatchPush, usersPerSecond),
	};
}

interface Group {
	/** Body without To_Account and MsgRandom: identical for every item of the group. */
	content: IDataObject;
	items: Array<{ itemIndex: number; accounts: string[]; claim?: Claim }>;
}

interface ChunkResult {
	taskId?: string;
	msgRandom: number;
	attempts: number;
	failed: Map<string, TencentErrorListEntry>;
	error?: Error;
	/** The accounts of a failed request. */
	accounts?: Set<string>;
	sentAgainAfterUnknown?: boolean;
}

/**
 * One item per account is n8n's natural shape, one request per 500 accounts is Tencent's: items
 * whose notification is identical are pooled, split into requests that fit one second of the
 * edition's budget (27, 450 or 500 accounts), paced to that budget, and each item then gets the
 * outcome of its own accounts.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	const results: Array<INodeExecutionData | undefined> = new Array(items.length);
	const groups = new Map<string, Group>();
	const keys = new IdempotencyGuard(this, `${app.key}\npush/sendToUsers`);
	/** Items whose Idempotency Key an earlier item of this run already uses: they get its outcome. */
	const sameKeyAs = new Map<number, number>();
	const claimedInRun = new Map<string, number>();
	/** Failed items, thrown (or turned into error items) once every item's outcome is settled. */
	const errors = new Map<number, Error>();
	let sending = false;
	const pacing = await readPacing.call(this);
	try {
		for (let i = 0; i < items.length; i++) {
			try {
				results[i] = await collectItem.call(
					this,
					app,
					pacing,
					i,
					groups,
					keys,
					sameKeyAs,
					claimedInRun,
				);
			} catch (error) {
				if (!this.continueOnFail()) throw withItemIndex(this, error, i);
				results[i] = errorItem(error, i);
			}
		}

		sending = true;
		for (const group of groups.values()) {
			const accounts = unique(group.items.flatMap((item) => item.accounts));
			const byAccount = new Map<string, ChunkResult>();
			for (const slice of chunk(accounts, pacing.accountsPerRequest)) {
				const result = await sendChunk.call(this, app.key, pacing, group, slice);
				for (const account of slice) byAccount.set(account, result);
			}
			// Every item's outcome (and key) is settled before the first error stops the node.
			for (const item of group.items) {
				const outcome = itemOutcome.call(
					this,
					item.itemIndex,
					item.accounts,
					byAccount,
					keys,
					item.claim,
				);
				if (outcome instanceof Error) errors.set(item.itemIndex, outcome);
				else results[item.itemIndex] = outcome;
			}
		}
		for (const [itemIndex, error] of [...errors].sort(([a], [b]) => a - b)) {
			if (!this.continueOnFail()) throw withItemIndex(this, error, itemIndex);
			results[itemIndex] = errorItem(error, itemIndex);
		}
		for (const [itemIndex, leader] of sameKeyAs)
			results[itemIndex] = sameKeyOutcome.call(this, itemIndex, leader, results[leader]);
	} finally {
		await keys.flush(sending ? 'unknown' : 'release');
	}
	return results.filter((r): r is INodeExecutionData => r !== undefined);
}

/**
 * Reads and checks one item and adds it to the group of items with the same notification; returns
 * its output right away when it is not sent (dry run, or its Idempotency Key was accepted before).
 */
async function collectItem(
	this: IExecuteFunctions,
	app: AppIdentity,
	pacing: Pacing,
	i: number,
	groups: Map<string, Group>,
	keys: IdempotencyGuard,
	sameKeyAs: Map<number, number>,
	claimedInRun: Map<string, number>,
): Promise<INodeExecutionData | undefined> {
	// Per item: an expression can put item 7 in Dry Run and leave item 0 to be sent.
	const { dryRun } = requestSettings.call(this, i);
	const additional = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const accounts = unique(readAccounts.call(this, i, 'toAccounts'));
	const content: IDataObject = {
		From_Account: (additional.fromAccount as string) || app.identifier,
		OfflinePushInfo: readOfflinePushInfo.call(this, i, additional) ?? {},
	};
	if (additional.dataId) content.DataId = additional.dataId;
	const idempotency = readIdempotency.call(this, i);
	// Validate this item alone (accounts in slices of 500), so a bad item cannot sink the others.
	for (const slice of accounts.length > 0 ? chunk(accounts, LIMITS.accountsPerBatchPush) : [[]]) {
		assertValid(
			this.getNode(),
			batchPushSchema,
			{ ...content, To_Account: slice, MsgRandom: 0 },
			i,
		);
	}
	if (dryRun) {
		const body = {
			...content,
			To_Account: accounts.slice(0, pacing.accountsPerRequest),
			MsgRandom: 0,
		};
		return {
			json: dryRunResult(app, 'timpush', 'batch', body, batchPushSchema),
			pairedItem: { item: i },
		};
	}
	let claim: Claim | undefined;
	if (idempotency) {
		const leader = claimedInRun.get(idempotency.key);
		if (leader !== undefined) {
			sameKeyAs.set(i, leader);
			return undefined;
		}
		const begin = await keys.begin(idempotency, unknownOutcomePolicy.call(this, i), i);
		if ('earlier' in begin)
			return {
				json: duplicateOfKey(duplicateOutput.call(this, begin.earlier, idempotency.key), accounts),
				pairedItem: { item: i },
			};
		claim = begin.claim;
		claimedInRun.set(idempotency.key, i);
	}
	const key = JSON.stringify([content, unknownOutcomePolicy.call(this, i)]);
	const group = groups.get(key) ?? { content, items: [] };
	group.items.push({ itemIndex: i, accounts, claim });
	groups.set(key, group);
	return undefined;
}

async function sendChunk(
	this: IExecuteFunctions,
	appKey: string,
	pacing: Pacing,
	group: Group,
	accounts: string[],
): Promise<ChunkResult> {
	const firstItem = group.items[0].itemIndex;
	const body: IDataObject = { ...group.content, To_Account: accounts };
	body.MsgRandom = msgRandomFor.call(this, firstItem, body);
	try {
		const { response, attempts, sentAgainAfterUnknown } = await callTencent.call(
			this,
			'timpush',
			'batch',
			body,
			{
				...requestSettings.call(this, firstItem).call,
				lane: batchPushLane(appKey).for(accounts.length, pacing.usersPerSecond),
				onUnknownOutcome: unknownOutcomePolicy.call(this, firstItem),
			},
		);
		const failed = new Map((response.ErrorList ?? []).map((entry) => [entry.To_Account, entry]));
		return {
			taskId: response.TaskId as string,
			msgRandom: body.MsgRandom as number,
			attempts,
			failed,
			sentAgainAfterUnknown,
		};
	} catch (error) {
		rethrowIfCancelled(error);
		return {
			msgRandom: body.MsgRandom as number,
			attempts: 0,
			failed: new Map(),
			error,
			accounts: new Set(accounts),
		};
	}
}

/**
 * The outcome of one item from the requests that carried its accounts. With an Idempotency Key, the
 * key is then accepted (every request answered), marked unknown (a request whose outcome is unknown,
 * or some accounts sent and others not), or released (nothing was sent).
 */
function itemOutcome(
	this: IExecuteFunctions,
	itemIndex: number,
	accounts: string[],
	byAccount: Map<string, ChunkResult>,
	keys: IdempotencyGuard,
	claim: Claim | undefined,
): INodeExecutionData | Error {
	const chunks = unique(accounts.map((account) => byAccount.get(account)!));
	const failedChunk = chunks.find((c) => c.error);
	let requestError = failedChunk?.error;
	if (failedChunk && isUnknownOutcome(requestError)) {
		// The request carried other items' accounts too: this item's error names its own.
		const mine = accounts.filter((account) => failedChunk.accounts!.has(account));
		requestError = withUnknownOutcomeSubject(
			unknownOutcomeForItem.call(this, requestError, itemIndex),
			{
				happened: 'the push may have gone out',
				msgRandom: failedChunk.msgRandom,
				accounts: mine,
				check: CHECK_BATCH,
			},
		);
	}
	const failed = accounts.flatMap((account) => {
		const entry = byAccount.get(account)!.failed.get(account);
		return entry
			? [
					{
						account,
						errorCode: entry.ErrorCode,
						error: describeTencentError(entry.ErrorCode).meaning,
					},
				]
			: [];
	});
	let error = requestError;
	if (!error && failed.length > 0 && failed.length === accounts.length) {
		const apiError = new NodeApiError(this.getNode(), { failed } as JsonObject, {
			message: `Tencent error ${failed[0].errorCode}: no account of this item received the push`,
			description: failed.map((f) => `${f.account}: ${f.error} (${f.errorCode})`).join('; '),
			itemIndex,
		});
		apiError.context.tencentErrorCode = failed[0].errorCode;
		error = apiError;
	}
	if (error) {
		if (claim) {
			const maybeSent = chunks.some((c) => !c.error || isUnknownOutcome(c.error));
			if (maybeSent) keys.unknown(claim);
			else keys.release(claim);
		}
		return error;
	}
	// One name, one type, in every operation's output: a singular key (`taskId`, `msgRandom`) holds one
	// value, a plural one an array. An item's accounts can go out in several requests (more than one
	// request's worth, or pooled across a request boundary), each with its own TaskId and MsgRandom, so
	// Send to Users gives `taskIds` and `msgRandoms`, one per request in the same order, rather than a
	// `msgRandom` that would be a number here and an array there, or the first of several and silently
	// leave out the others. `accounts` is the item's accounts, as in User Tag and User Attribute outputs.
	const json: IDataObject = {
		taskIds: chunks.map((c) => c.taskId!),
		api: 'v4/timpush/batch',
		msgRandoms: chunks.map((c) => c.msgRandom),
		accounts,
		accountCount: accounts.length,
		delivered: accounts.filter((account) => !failed.some((f) => f.account === account)),
		failed,
		attempts: Math.max(...chunks.map((c) => c.attempts)),
	};
	if (claim) {
		// The accounts themselves are not kept: static data is stored with the workflow, and a repeat
		// of this key shows its own item's accounts (duplicateOfKey).
		keys.accepted(claim, {
			taskIds: json.taskIds,
			api: json.api,
			msgRandoms: json.msgRandoms,
			accountCount: json.accountCount,
		});
		Object.assign(json, { idempotencyKey: claim.key, duplicate: false });
	}
	if (chunks.some((c) => c.sentAgainAfterUnknown)) json.sentAgainAfterUnknown = true;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * The earlier result of a repeated Idempotency Key, with this item's accounts (static data keeps only
 * their count), so that a repeat has the keys of a first send.
 */
function duplicateOfKey(json: IDataObject, accounts: string[]): IDataObject {
	return { ...json, accounts, accountCount: accounts.length };
}

/** An item whose Idempotency Key an earlier item of the same run used: that item's result, marked. */
function sameKeyOutcome(
	this: IExecuteFunctions,
	itemIndex: number,
	leader: number,
	leaderResult: INodeExecutionData | undefined,
): INodeExecutionData {
	const json = leaderResult?.json;
	if (json && typeof json.error !== 'string') {
		const earlier: IDataObject = { ...json, duplicate: true, sameKeyAsItem: leader };
		delete earlier.attempts;
		return { json: earlier, pairedItem: { item: itemIndex } };
	}
	const error = new NodeOperationError(
		this.getNode(),
		`Idempotency Key: item ${leader} has the same key and failed, so this item was not sent`,
		{
			itemIndex,
			description: String(json?.error ?? 'See the error of that item.'),
		},
	);
	if (!this.continueOnFail()) throw error;
	return errorItem(error, itemIndex);
}
