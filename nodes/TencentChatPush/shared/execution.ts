import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod/v4';

import { isCancellation } from '../helpers/cancel';
import { parseStringList, quoteValue } from '../helpers/lists';
import { param } from '../helpers/parameters';

import { resolveBaseUrl } from '../../../credentials/regions';
import {
	CREDENTIAL_TYPE,
	DEFAULT_MAX_ATTEMPTS,
	DEFAULT_TIMEOUT_MS,
	type CallOptions,
} from '../transport';
import { findProblems, formatProblem } from '../validation/validate';

/**
 * How every operation runs: reading the shared options and accounts, the app's identity, the item
 * loop with pairedItem and Continue On Fail, Dry Run's output and the error item. The matching
 * parameter descriptions are in `descriptions.ts`.
 */

export interface RequestSettings {
	dryRun: boolean;
	call: CallOptions;
}

export function requestSettings(this: IExecuteFunctions, itemIndex: number): RequestSettings {
	const options = param<IDataObject>(this, 'options', itemIndex, {});
	return {
		dryRun: readFlag(this, options.dryRun, 'Dry Run', itemIndex),
		call: {
			itemIndex,
			maxAttempts: readWholeNumber(
				this,
				options.maxAttempts,
				DEFAULT_MAX_ATTEMPTS,
				'Max Attempts',
				[1, 10],
				itemIndex,
			),
			timeoutMs: readWholeNumber(
				this,
				options.timeout,
				DEFAULT_TIMEOUT_MS,
				'Timeout (Ms)',
				[100, 600_000],
				itemIndex,
			),
		},
	};
}

/**
 * Options can come from expressions, which yield text: "true" must mean true (a dry run that sends
 * for real spends quota), and anything that is not a yes or no must stop the item.
 */
export function readFlag(
	context: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): boolean {
	if (value === undefined || value === null || value === '') return false;
	if (typeof value === 'boolean') return value;
	const text = String(value).trim().toLowerCase();
	if (text === 'true') return true;
	if (text === 'false') return false;
	throw new NodeOperationError(
		context.getNode(),
		`${label} is ${quoteValue(value)}; it must be true or false`,
		{
			itemIndex,
			description: 'Nothing was sent to Tencent.',
		},
	);
}

/** A number option, possibly from an expression; NaN would make retries endless, so it is refused. */
export function readWholeNumber(
	context: IExecuteFunctions,
	value: unknown,
	fallback: number,
	label: string,
	[min, max]: [number, number],
	itemIndex: number,
): number {
	if (value === undefined || value === null || value === '') return fallback;
	const number = typeof value === 'number' ? value : Number(String(value).trim());
	if (Number.isInteger(number) && number >= min && number <= max) return number;
	throw new NodeOperationError(
		context.getNode(),
		`${label} is ${quoteValue(value)}; it must be a whole number from ${min} to ${max}`,
		{
			itemIndex,
			description: 'Nothing was sent to Tencent.',
		},
	);
}

export interface AppIdentity {
	/** Key of the pacing lanes: Tencent's limits are per app and per endpoint. */
	key: string;
	baseUrl: string;
	sdkAppId: number;
	identifier: string;
}

export async function appIdentity(this: IExecuteFunctions): Promise<AppIdentity> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = resolveBaseUrl(credentials.region, credentials.baseUrl);
	const sdkAppId = Number(credentials.sdkAppId);
	return {
		key: `${baseUrl}#${sdkAppId}`,
		baseUrl,
		sdkAppId,
		identifier: String(credentials.adminAccount ?? ''),
	};
}

/** What Dry Run returns: the request exactly as it would go out, secrets replaced. */
export function dryRunResult(
	app: AppIdentity,
	service: string,
	command: string,
	body: IDataObject,
	schema: z.ZodType,
	maxBodyBytes?: number,
): IDataObject {
	const problems = findProblems(schema, body, maxBodyBytes);
	const query = `sdkappid=${app.sdkAppId}&identifier=${encodeURIComponent(app.identifier)}&usersig=[redacted]&random=[new for each request]&contenttype=json`;
	return {
		dryRun: true,
		valid: problems.length === 0,
		problems: problems.map(formatProblem),
		request: {
			method: 'POST',
			url: `${app.baseUrl}/v4/${service}/${command}?${query}`,
			service,
			command,
			body,
		},
	};
}

/** Items made by errorItem, so that the router can find them among the outputs. */
const errorItems = new WeakSet<INodeExecutionData>();

/** The error item of "Continue On Fail": the message plus Tencent's code when there is one. */
export function errorItem(
	error: Error & { description?: string | null; context?: IDataObject },
	itemIndex: number,
): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error.context?.tencentErrorCode !== undefined)
		json.errorCode = error.context.tencentErrorCode;
	// "Outcome unknown" errors (helpers/unknownOutcome.ts): outcome, sentAt, api, msgRandom, audience…
	if (error.context?.unknownOutcome && typeof error.context.unknownOutcome === 'object')
		Object.assign(json, error.context.unknownOutcome);
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	errorItems.add(item);
	return item;
}

/**
 * With "On Error: Continue (using error output)", n8n moves an item to the error output only when
 * its json holds nothing but `error` and `message` (2.41 also allows `details`; 2.8 does not; an item
 * carrying an `error` object instead has its json cut down to the message). So there, error items
 * keep the message in `error` (it names Tencent's code) and the description in `message`; with
 * "Continue" (regular output) they keep every field, as documented.
 */
export function routeErrorItems(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	if (context.getNode().onError !== 'continueErrorOutput') return items;
	return items.map((item) => {
		if (!errorItems.has(item)) return item;
		const { error, description } = item.json;
		return { ...item, json: description ? { error, message: description } : { error } };
	});
}

/**
 * Runs `perItem` for every input item in order, giving each result its pairedItem and turning
 * failures into error items under "Continue On Fail" (otherwise the first failure stops the node).
 */
export async function forEachItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	perItem: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await perItem(i);
			out.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), {
					itemData: { item: i },
				}),
			);
		} catch (error) {
			// A stopped execution ends here even with Continue On Fail: the other items must not be tried.
			if (this.continueOnFail() && !isCancellation(error)) {
				out.push(errorItem(error, i));
				continue;
			}
			throw withItemIndex(this, error, i);
		}
	}
	return out;
}

/** Makes sure a thrown error says which item failed, without re-wrapping n8n errors. */
export function withItemIndex(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): Error {
	if (
		error instanceof Error &&
		'context' in error &&
		typeof error.context === 'object' &&
		error.context
	) {
		(error.context as IDataObject).itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/** Reads the accounts of one item, from its input field or from the Accounts parameter. */
export function readAccounts(
	this: IExecuteFunctions,
	itemIndex: number,
	name = 'accounts',
): string[] {
	const from = param<string>(this, 'accountsFrom', itemIndex, 'value');
	let raw: unknown;
	let label = 'Accounts';
	if (from === 'field') {
		const path = String(param(this, 'accountsField', itemIndex, 'userId'));
		label = `Input field '${path}'`;
		raw = path
			.split('.')
			.reduce<unknown>(
				(value, key) =>
					value && typeof value === 'object' ? (value as IDataObject)[key] : undefined,
				this.getInputData()[itemIndex]?.json,
			);
		if (raw === undefined) {
			throw new NodeOperationError(this.getNode(), `${label} is missing from item ${itemIndex}`, {
				itemIndex,
				description:
					'Nothing was sent to Tencent. Set Input Field to the name of the field that holds the account.',
			});
		}
	} else {
		raw = param(this, name, itemIndex, '');
	}
	const parsed = parseStringList(raw, label);
	if (!parsed.ok)
		throw new NodeOperationError(this.getNode(), parsed.reason, {
			itemIndex,
			description: 'Nothing was sent to Tencent.',
		});
	return parsed.values;
}

/**
 * Checks names a user typed or mapped against the app's attribute names (Tencent: 90033). Without
 * the names (an item in Dry Run, which calls nothing), there is nothing to check against.
 */
export function assertKnownAttributes(
	this: IExecuteFunctions,
	names: string[],
	known: Set<string> | undefined,
	itemIndex: number,
): void {
	if (!known) return;
	const missing = names.filter((name) => !known.has(name));
	if (missing.length === 0) return;
	throw new NodeOperationError(
		this.getNode(),
		`Attributes: '${missing.join("', '")}' is not an attribute name of this app (error 90033)`,
		{
			itemIndex,
			description: `Nothing was sent to Tencent. The app's attribute names are: ${[...known].join(', ') || '(none yet)'}. Define new ones with App Attribute Name → Set.`,
		},
	);
}
