import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { chunk, unique } from '../../helpers/lists';
import { msgRandomFor } from '../../helpers/msgRandom';
import { batchPushLane } from '../../helpers/pacing';
import { CREDENTIAL_TYPE, callTencent, type TencentErrorListEntry } from '../../transport';
import { describeTencentError } from '../../transport/errorCodes';
import { LIMITS, batchPushSchema } from '../../validation/limits';
import { assertValid } from '../../validation/validate';
import { accountsFields, appIdentity, dryRunResult, errorItem, readAccounts, requestOptionsField, requestSettings, withItemIndex } from '../common';
import { additionalFieldsCollection, dataIdField, fromAccountField, notificationFields, readOfflinePushInfo } from './fields';

const properties: INodeProperties[] = [
	...accountsFields('push', ['sendToUsers'], 'toAccounts'),
	...notificationFields,
	additionalFieldsCollection([
		dataIdField,
		fromAccountField,
	]),
	requestOptionsField(),
];

export const description = updateDisplayOptions({ show: { resource: ['push'], operation: ['sendToUsers'] } }, properties);

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
	return { usersPerSecond, accountsPerRequest: Math.min(LIMITS.accountsPerBatchPush, usersPerSecond) };
}

interface Group {
	/** Body without To_Account and MsgRandom: identical for every item of the group. */
	content: IDataObject;
	items: Array<{ itemIndex: number; accounts: string[] }>;
}

interface ChunkResult {
	taskId?: string;
	msgRandom: number;
	attempts: number;
	failed: Map<string, TencentErrorListEntry>;
	error?: Error;
}

/**
 * One item per account is n8n's natural shape, one request per 500 accounts is Tencent's: items
 * whose notification is identical are pooled, split into requests that fit one second of the
 * edition's budget (27, 450 or 500 accounts), paced to that budget, and each item then gets the
 * outcome of its own accounts.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	const results: Array<INodeExecutionData | undefined> = new Array(items.length);
	const groups = new Map<string, Group>();
	const dryRun = requestSettings.call(this, 0).dryRun;
	const pacing = await readPacing.call(this);

	for (let i = 0; i < items.length; i++) {
		try {
			const additional = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
			const accounts = unique(readAccounts.call(this, i, 'toAccounts'));
			const content: IDataObject = {
				From_Account: (additional.fromAccount as string) || app.identifier,
				OfflinePushInfo: readOfflinePushInfo.call(this, i, additional) ?? {},
			};
			if (additional.dataId) content.DataId = additional.dataId;
			// Validate this item alone (accounts in slices of 500), so a bad item cannot sink the others.
			for (const slice of accounts.length > 0 ? chunk(accounts, LIMITS.accountsPerBatchPush) : [[]]) {
				assertValid(this.getNode(), batchPushSchema, { ...content, To_Account: slice, MsgRandom: 0 }, i);
			}
			if (dryRun) {
				const body = { ...content, To_Account: accounts.slice(0, pacing.accountsPerRequest), MsgRandom: 0 };
				results[i] = { json: dryRunResult(app, 'timpush', 'batch', body, batchPushSchema), pairedItem: { item: i } };
				continue;
			}
			const key = JSON.stringify(content);
			const group = groups.get(key) ?? { content, items: [] };
			group.items.push({ itemIndex: i, accounts });
			groups.set(key, group);
		} catch (error) {
			if (!this.continueOnFail()) throw withItemIndex(this, error, i);
			results[i] = errorItem(error, i);
		}
	}

	for (const group of groups.values()) {
		const accounts = unique(group.items.flatMap((item) => item.accounts));
		const byAccount = new Map<string, ChunkResult>();
		for (const slice of chunk(accounts, pacing.accountsPerRequest)) {
			const result = await sendChunk.call(this, app.key, pacing, group, slice);
			for (const account of slice) byAccount.set(account, result);
		}
		for (const item of group.items) {
			results[item.itemIndex] = itemOutcome.call(this, item.itemIndex, item.accounts, byAccount);
		}
	}
	return results.filter((r): r is INodeExecutionData => r !== undefined);
}

async function sendChunk(this: IExecuteFunctions, appKey: string, pacing: Pacing, group: Group, accounts: string[]): Promise<ChunkResult> {
	const firstItem = group.items[0].itemIndex;
	const body: IDataObject = { ...group.content, To_Account: accounts };
	body.MsgRandom = msgRandomFor.call(this, firstItem, body);
	try {
		const { response, attempts } = await callTencent.call(this, 'timpush', 'batch', body, {
			...requestSettings.call(this, firstItem).call,
			lane: batchPushLane(appKey).for(accounts.length, pacing.usersPerSecond),
		});
		const failed = new Map((response.ErrorList ?? []).map((entry) => [entry.To_Account, entry]));
		return { taskId: response.TaskId as string, msgRandom: body.MsgRandom as number, attempts, failed };
	} catch (error) {
		return { msgRandom: body.MsgRandom as number, attempts: 0, failed: new Map(), error };
	}
}

function itemOutcome(this: IExecuteFunctions, itemIndex: number, accounts: string[], byAccount: Map<string, ChunkResult>): INodeExecutionData {
	const chunks = unique(accounts.map((account) => byAccount.get(account)!));
	const requestError = chunks.find((c) => c.error)?.error;
	const failed = accounts.flatMap((account) => {
		const entry = byAccount.get(account)!.failed.get(account);
		return entry ? [{ account, errorCode: entry.ErrorCode, error: describeTencentError(entry.ErrorCode).meaning }] : [];
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
		if (!this.continueOnFail()) throw withItemIndex(this, error, itemIndex);
		return errorItem(error, itemIndex);
	}
	return {
		json: {
			taskIds: chunks.map((c) => c.taskId!),
			api: 'v4/timpush/batch',
			msgRandom: chunks.map((c) => c.msgRandom),
			accounts: accounts.length,
			delivered: accounts.filter((account) => !failed.some((f) => f.account === account)),
			failed,
			attempts: Math.max(...chunks.map((c) => c.attempts)),
		},
		pairedItem: { item: itemIndex },
	};
}
