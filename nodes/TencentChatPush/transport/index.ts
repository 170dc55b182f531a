import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { cancelSignalOf, pause, rethrowIfCancelled, throwIfCancelled, unlessCancelled } from '../helpers/cancel';
import { describeTencentError, type RetryPolicy } from './errorCodes';
import { redactSecrets } from './redact';

/**
 * The only module that talks HTTP. Every call is a POST of JSON to `/v4/{service}/{command}`; the
 * credential adds the host and the signed query string. Tencent answers HTTP 200 for API-level
 * outcomes, so success is read from the envelope, not from the status code.
 */

export const CREDENTIAL_TYPE = 'tencentChatApi';

export type TencentContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface TencentErrorListEntry {
	To_Account: string;
	ErrorCode: number;
	ErrorInfo?: string;
}

export interface TencentResponse extends IDataObject {
	ActionStatus: string;
	ErrorCode: number;
	ErrorInfo: string;
	ErrorList?: TencentErrorListEntry[];
}

/** Decides when a request may go out; pacing rules (push interval, rate limits) live behind it. */
export interface RequestLane {
	run<T>(send: () => Promise<T>): Promise<T>;
}

export interface CallOptions {
	itemIndex?: number;
	/** Per-attempt timeout. */
	timeoutMs?: number;
	/** Total attempts including the first one. */
	maxAttempts?: number;
	lane?: RequestLane;
}

export interface CallResult {
	response: TencentResponse;
	attempts: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_ATTEMPTS = 4;
const BACKOFF_BASE_MS = 400;
const BACKOFF_CAP_MS = 8_000;
/** 90024/90051: Tencent's push and recall intervals are one second. */
const INTERVAL_RETRY_MS = 1_050;
/**
 * 90024/90051 mean "not yet", not "failed": another process (a second queue-mode worker, another
 * system) holds the app's one-per-second slot. They are retried for this long without counting
 * against maxAttempts, since such a competitor can hold the slot for as long as its backlog lasts.
 */
export const INTERVAL_RETRY_BUDGET_MS = 60_000;

/** What went wrong with one attempt, stripped of everything that could carry a secret. */
interface Failure {
	retry: RetryPolicy;
	error: NodeApiError;
}

const directLane: RequestLane = { run: async (send) => await send() };

export async function callTencent(
	this: TencentContext,
	service: string,
	command: string,
	body: IDataObject = {},
	options: CallOptions = {},
): Promise<CallResult> {
	const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
	const lane = options.lane ?? directLane;
	// n8n's HTTP helper sends no body at all for an empty object, and Tencent rejects an empty
	// body (spec §1.1: send {} when an API takes no fields, e.g. get_attr_name): send it as text.
	const emptyBody = Object.keys(body).length === 0;
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: `/v4/${service}/${command}`,
		body: emptyBody ? '{}' : body,
		...(emptyBody ? { headers: { 'Content-Type': 'application/json' } } : {}),
		json: true,
		timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};

	const startedAt = Date.now();
	const node = this.getNode();
	const signal = cancelSignalOf(this);
	let counted = 0;
	for (let attempt = 1; ; attempt++) {
		let failure: Failure;
		// Stop: checked before each attempt, again when the lane lets the request go, and any wait
		// for the lane ends at once; only a request already on the wire can still reach Tencent.
		throwIfCancelled(node, signal);
		try {
			const response = await unlessCancelled(
				node,
				signal,
				lane.run(async () => {
					throwIfCancelled(node, signal);
					return (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, { ...request })) as unknown;
				}),
			);
			const envelope = parseEnvelope(response);
			if (envelope.ActionStatus !== 'FAIL') return { response: envelope, attempts: attempt };
			failure = envelopeFailure.call(this, service, command, envelope, options.itemIndex);
		} catch (error) {
			rethrowIfCancelled(error);
			failure = transportFailure.call(this, service, command, error, options.itemIndex);
		}
		failure.error.context.attempts = attempt;
		const waitingForSlot =
			failure.retry === 'interval' && maxAttempts > 1 && Date.now() - startedAt < INTERVAL_RETRY_BUDGET_MS;
		if (!waitingForSlot) counted++;
		if (failure.retry === 'never' || counted >= maxAttempts || isCancelled(this)) {
			throw failure.error;
		}
		if (failure.retry === 'backoff') await pause(node, signal, backoffDelay(attempt));
		// With a lane, the lane already keeps the interval; without one, wait it out here.
		if (failure.retry === 'interval' && !options.lane) await pause(node, signal, INTERVAL_RETRY_MS);
	}
}

/** Exponential backoff with jitter, so that parallel executions do not retry in lockstep. */
export function backoffDelay(attempt: number): number {
	const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function parseEnvelope(raw: unknown): TencentResponse {
	const data = typeof raw === 'string' ? safeJson(raw) : raw;
	if (!data || typeof data !== 'object' || Array.isArray(data) || !('ActionStatus' in data)) {
		// Not Tencent's envelope: a proxy page or a half-written body. Treated like a gateway error.
		return {
			ActionStatus: 'FAIL',
			ErrorCode: 60013,
			ErrorInfo: 'The response is not a Tencent Chat JSON envelope',
		};
	}
	const envelope = data as TencentResponse;
	return { ...envelope, ErrorCode: Number(envelope.ErrorCode ?? 0) };
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function envelopeFailure(
	this: TencentContext,
	service: string,
	command: string,
	envelope: TencentResponse,
	itemIndex: number | undefined,
): Failure {
	const code = envelope.ErrorCode;
	const known = describeTencentError(code);
	const tencentText = redactSecrets(String(envelope.ErrorInfo ?? ''));
	// A request can fail as a whole and still say which accounts were at fault (e.g. every
	// account of a batch push unknown, 70107): name them, or the user cannot tell which to fix.
	const failedAccounts = Array.isArray(envelope.ErrorList) ? envelope.ErrorList.map((e) => String(e.To_Account)) : [];
	const forAccounts = failedAccounts.length > 0 ? ` for ${failedAccounts.map((a) => `'${a}'`).join(', ')}` : '';
	const error = new NodeApiError(
		this.getNode(),
		{ ActionStatus: 'FAIL', ErrorCode: code, ErrorInfo: tencentText } as JsonObject,
		{
			message: `Tencent error ${code}${forAccounts}: ${known.meaning}`,
			description: `${known.action}${tencentText ? ` Tencent said: "${tencentText}".` : ''} (API v4/${service}/${command})`,
			itemIndex,
		},
	);
	Object.assign(error.context, { tencentErrorCode: code, api: `v4/${service}/${command}` });
	if (failedAccounts.length > 0) error.context.failedAccounts = failedAccounts;
	return { retry: known.retry, error };
}

const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
]);

function transportFailure(
	this: TencentContext,
	service: string,
	command: string,
	raw: unknown,
	itemIndex: number | undefined,
): Failure {
	const { httpStatus, networkCode, text } = inspectTransportError(raw);
	const api = `v4/${service}/${command}`;
	const retryable =
		(httpStatus !== undefined && (httpStatus >= 500 || httpStatus === 429)) ||
		(networkCode !== undefined && RETRYABLE_NETWORK_CODES.has(networkCode)) ||
		/timeout|socket hang up/i.test(text);
	const what = httpStatus
		? `HTTP ${httpStatus} from Tencent Chat`
		: `Could not reach Tencent Chat (${networkCode ?? 'network error'})`;
	// A plain object, never the caught error: that one holds the request config with the UserSig.
	const error = new NodeApiError(
		this.getNode(),
		{ message: what, code: networkCode ?? null } as JsonObject,
		{
			message: what,
			description: `${redactSecrets(text)} (API ${api}). ${
				retryable
					? 'This is usually temporary; the node retried with backoff.'
					: 'Check the region or Base URL of the credential.'
			}`,
			itemIndex,
		},
	);
	// NodeApiError swaps messages of known network codes for n8n's generic wording; ours names Tencent.
	error.message = what;
	if (httpStatus) error.httpCode = String(httpStatus);
	Object.assign(error.context, { api, networkCode: networkCode ?? null });
	return { retry: retryable ? 'backoff' : 'never', error };
}

interface ErrorLike {
	message?: unknown;
	code?: unknown;
	httpCode?: unknown;
	status?: unknown;
	response?: { status?: unknown };
	cause?: unknown;
}

/** Reads status and network code from whatever n8n's HTTP helper threw (axios error, NodeApiError…). */
function inspectTransportError(raw: unknown): {
	httpStatus?: number;
	networkCode?: string;
	text: string;
} {
	const chain: ErrorLike[] = [];
	for (let e = raw as ErrorLike | undefined; e && typeof e === 'object' && chain.length < 5; ) {
		chain.push(e);
		e = e.cause as ErrorLike | undefined;
	}
	let httpStatus: number | undefined;
	let networkCode: string | undefined;
	for (const e of chain) {
		const status = Number(e.response?.status ?? e.status ?? e.httpCode);
		if (!httpStatus && Number.isInteger(status) && status >= 100) httpStatus = status;
		if (!networkCode && typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code)) networkCode = e.code;
	}
	const text = String(chain.find((e) => typeof e.message === 'string')?.message ?? 'Unknown error');
	return { httpStatus, networkCode, text };
}

function isCancelled(context: TencentContext): boolean {
	const signal = 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
	return signal?.aborted === true;
}
