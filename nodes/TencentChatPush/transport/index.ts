import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { DateTime } from 'luxon';

import {
	cancelSignalOf,
	pause,
	rethrowIfCancelled,
	throwIfCancelled,
	unlessCancelled,
} from '../helpers/cancel';
import { describeTencentError } from './errorCodes';
import { isIdempotent } from './idempotency';
import {
	type AttemptVerdict,
	envelopeVerdict,
	nonEnvelopeVerdict,
	nothingWritten,
	transportVerdict,
} from './outcome';
import { redactSecrets } from './redact';

/**
 * The only module that talks HTTP. Every call is a POST of JSON to `/v4/{service}/{command}`; the
 * credential adds the host and the signed query string. Tencent answers HTTP 200 for API-level
 * outcomes, so success is read from the envelope, not from the status code.
 *
 * Why one file: the attempt loop, the reading of the envelope and the shaping of errors share each
 * attempt's state (what was written, when, under which lane); the pure parts (outcome verdicts,
 * idempotency table, error table, redaction) already live in their own modules beside it.
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

/**
 * A lane that adapts its rate to the app's "too frequent" answers (helpers/pacing.ts): the
 * transport tells it how each attempt went, and leaves the waiting after such an answer to it.
 */
export interface AdaptiveLane extends RequestLane {
	rateLimited(): void;
	succeeded(): void;
	readonly ratePerSecond: number;
}

function isAdaptive(lane: RequestLane): lane is AdaptiveLane {
	return typeof (lane as Partial<AdaptiveLane>).rateLimited === 'function';
}

/** What waiting for a rate limit cost one call; on the output of items whose call was throttled. */
export interface PacingReport {
	/** "Too frequent" answers (60007, 60011, 60018, 60019, HTTP 429) this call was re-sent after. */
	rateLimitedAnswers: number;
	/** From the first such answer to the end of the call. */
	waitedMs: number;
	/** How long such answers are waited out without using up Max Attempts. */
	budgetMs: number;
	/** The lane's rate when the call ended (requests per second), when it adapts. */
	ratePerSecond?: number;
}

export interface CallOptions {
	itemIndex?: number;
	/** Per-attempt timeout. */
	timeoutMs?: number;
	/** Total attempts including the first one. */
	maxAttempts?: number;
	lane?: RequestLane;
	/**
	 * A call that is not idempotent whose attempt may have taken effect (outcome unknown): 'stop'
	 * (default) ends with an outcome-unknown error; 'sendAgain' re-sends it like any transient
	 * failure, for users who prefer a possible duplicate to a possible miss.
	 */
	onUnknownOutcome?: UnknownOutcomePolicy;
}

export type UnknownOutcomePolicy = 'stop' | 'sendAgain';

export interface CallResult {
	response: TencentResponse;
	attempts: number;
	/** Set when an earlier attempt's outcome was unknown and the call was sent again (Send Again). */
	sentAgainAfterUnknown?: boolean;
	/** Set when the call was answered "too frequent" and waited (see PacingReport). */
	pacing?: PacingReport;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_ATTEMPTS = 4;
const BACKOFF_BASE_MS = 400;
const BACKOFF_CAP_MS = 8_000;
/** 90024/90051: Tencent's push and recall intervals are one second. */
const INTERVAL_RETRY_MS = 1_050;
/**
 * "Not yet" answers (90024/90051 intervals, 60007/60011/60018/60019 rate limits) prove the request
 * was not carried out: another process (a second queue-mode worker, another system) holds the app's
 * slot or budget. They are re-sent for this long without counting against maxAttempts, since such a
 * competitor can hold it for as long as its backlog lasts.
 */
export const INTERVAL_RETRY_BUDGET_MS = 60_000;

/** What went wrong with one attempt, stripped of everything that could carry a secret. */
interface Failure extends AttemptVerdict {
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
	const idempotent = isIdempotent(service, command);
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	// n8n's HTTP helper sends no body at all for an empty object, and Tencent rejects an empty
	// body (docs/tencent-api.md#conventions: send {} when an API takes no fields, e.g. get_attr_name): send it as text.
	const emptyBody = Object.keys(body).length === 0;
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: `/v4/${service}/${command}`,
		body: emptyBody ? '{}' : body,
		...(emptyBody ? { headers: { 'Content-Type': 'application/json' } } : {}),
		json: true,
		timeout: timeoutMs,
	};

	const startedAt = Date.now();
	const node = this.getNode();
	const signal = cancelSignalOf(this);
	let counted = 0;
	/** The first attempt whose outcome is unknown: once there is one, the call may have taken effect. */
	let firstUnknown: { at: number; failure: Failure } | undefined;
	const adaptive = isAdaptive(lane) ? lane : undefined;
	let rateLimited: { count: number; firstAt: number } | undefined;
	const pacingReport = (): PacingReport | undefined =>
		rateLimited && {
			rateLimitedAnswers: rateLimited.count,
			waitedMs: Date.now() - rateLimited.firstAt,
			budgetMs: INTERVAL_RETRY_BUDGET_MS,
			...(adaptive ? { ratePerSecond: adaptive.ratePerSecond } : {}),
		};
	for (let attempt = 1; ; attempt++) {
		let failure: Failure;
		// Stop: checked before each attempt, again when the lane lets the request go, and any wait
		// for the lane ends at once; only a request already on the wire can still reach Tencent.
		throwIfCancelled(node, signal);
		let sentAt = Date.now();
		try {
			const response = await unlessCancelled(
				node,
				signal,
				lane.run(async () => {
					throwIfCancelled(node, signal);
					sentAt = Date.now();
					return (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
						...request,
					})) as unknown;
				}),
			);
			const envelope = parseEnvelope(response);
			if (envelope && envelope.ActionStatus !== 'FAIL') {
				adaptive?.succeeded();
				const pacing = pacingReport();
				return {
					response: envelope,
					attempts: attempt,
					...(firstUnknown ? { sentAgainAfterUnknown: true } : {}),
					...(pacing ? { pacing } : {}),
				};
			}
			failure = envelope
				? envelopeFailure.call(this, service, command, envelope, options.itemIndex)
				: nonEnvelopeFailure.call(this, service, command, options.itemIndex);
		} catch (error) {
			rethrowIfCancelled(error);
			failure = transportFailure.call(this, service, command, error, timeoutMs, options.itemIndex);
		}
		failure.error.context.attempts = attempt;
		if (failure.retry === 'rate') {
			// A "too frequent" answer is the lane's signal to slow down. Re-sending keeps the
			// at-most-once rule of calls that are not idempotent: these are the REST layer's frequency
			// codes ("REST API call frequency over limit", "Too frequent, retry later": docs/tencent-api.md#errors),
			// answered instead of the API's own result, so the request was not carried out. Tencent
			// does not say so in as many words; docs/tencent-api.md marks it as inferred, and the
			// outcome table (transport/outcome.ts) already treats them as 'notDone'. An answer that
			// leaves the outcome open (timeout, 60008) is never one of these and keeps its own rule.
			adaptive?.rateLimited();
			rateLimited ??= { count: 0, firstAt: Date.now() };
			rateLimited.count++;
		}
		if (failure.outcome === 'unknown' && !firstUnknown) firstUnknown = { at: sentAt, failure };
		// A call that may already have taken effect is only sent again when that cannot matter
		// (idempotent) or the user chose duplicates over misses.
		const mayResend = idempotent || !firstUnknown || options.onUnknownOutcome === 'sendAgain';
		const waiting = failure.retry === 'interval' || failure.retry === 'rate';
		const waitingForSlot =
			waiting && maxAttempts > 1 && Date.now() - startedAt < INTERVAL_RETRY_BUDGET_MS;
		if (!waitingForSlot) counted++;
		if (
			!mayResend ||
			failure.retry === 'never' ||
			counted >= maxAttempts ||
			signal?.aborted === true
		) {
			if (firstUnknown && !idempotent) {
				throw unknownOutcomeError.call(
					this,
					service,
					command,
					firstUnknown,
					failure,
					attempt,
					options,
				);
			}
			const pacing = pacingReport();
			if (pacing) failure.error.context.pacing = pacing;
			throw failure.error;
		}
		// An adaptive lane has just lowered its rate and spaces the re-send itself; a fixed one
		// (or none) needs a backoff, or every refused request would come straight back.
		if (failure.retry === 'backoff' || (failure.retry === 'rate' && !adaptive))
			await pause(node, signal, backoffDelay(attempt));
		// With a lane, the lane already keeps the interval; without one, wait it out here.
		if (failure.retry === 'interval' && !options.lane) await pause(node, signal, INTERVAL_RETRY_MS);
	}
}

/** Exponential backoff with jitter, so that parallel executions do not retry in lockstep. */
export function backoffDelay(attempt: number): number {
	const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Tencent's envelope, or undefined when the body is not one (a proxy page, a half-written body). */
function parseEnvelope(raw: unknown): TencentResponse | undefined {
	const data = typeof raw === 'string' ? safeJson(raw) : raw;
	if (!data || typeof data !== 'object' || Array.isArray(data) || !('ActionStatus' in data))
		return undefined;
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
	const failedAccounts = Array.isArray(envelope.ErrorList)
		? envelope.ErrorList.map((e) => String(e.To_Account))
		: [];
	const forAccounts =
		failedAccounts.length > 0 ? ` for ${failedAccounts.map((a) => `'${a}'`).join(', ')}` : '';
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
	return { ...envelopeVerdict(code), error };
}

/** HTTP 2xx whose body is not Tencent's envelope: the request may well have been processed. */
function nonEnvelopeFailure(
	this: TencentContext,
	service: string,
	command: string,
	itemIndex: number | undefined,
): Failure {
	const api = `v4/${service}/${command}`;
	const what = 'The response is not a Tencent Chat JSON envelope';
	const error = new NodeApiError(this.getNode(), { message: what } as JsonObject, {
		message: what,
		description: `A proxy or gateway answered instead of Tencent, or the answer was cut off (API ${api}).`,
		itemIndex,
	});
	Object.assign(error.context, { api });
	return { ...nonEnvelopeVerdict(), error };
}

function transportFailure(
	this: TencentContext,
	service: string,
	command: string,
	raw: unknown,
	timeoutMs: number,
	itemIndex: number | undefined,
): Failure {
	const facts = inspectTransportError(raw);
	const { httpStatus, networkCode } = facts;
	const verdict = transportVerdict({ ...facts, timeoutMs });
	const api = `v4/${service}/${command}`;
	const what = httpStatus
		? `HTTP ${httpStatus} from Tencent Chat`
		: `Could not reach Tencent Chat (${networkCode ?? 'network error'})`;
	// A plain object, never the caught error: that one holds the request config with the UserSig.
	const error = new NodeApiError(
		this.getNode(),
		{ message: what, code: networkCode ?? null } as JsonObject,
		{
			message: what,
			description: `${redactSecrets(facts.text)} (API ${api}). ${
				verdict.retry === 'never'
					? 'Check the region or Base URL of the credential.'
					: 'This is usually temporary; the node retries such failures with backoff when that is safe.'
			}`,
			itemIndex,
		},
	);
	// NodeApiError swaps messages of known network codes for n8n's generic wording; ours names Tencent.
	error.message = what;
	if (httpStatus) error.httpCode = String(httpStatus);
	Object.assign(error.context, { api, networkCode: networkCode ?? null });
	return { ...verdict, error };
}

/**
 * The error of a call that is not idempotent and may have taken effect: it says so, when it was
 * sent, what happened, and that it was not sent again. Operations add what identifies their call
 * (MsgRandom, audience, accounts) through `context.unknownOutcome` (helpers/unknownOutcome.ts).
 */
function unknownOutcomeError(
	this: TencentContext,
	service: string,
	command: string,
	first: { at: number; failure: Failure },
	last: Failure,
	attempts: number,
	options: CallOptions,
): NodeApiError {
	const api = `v4/${service}/${command}`;
	const sentAt = isoWithZone(this, first.at);
	const later =
		last === first.failure ? '' : ` The last of ${attempts} attempts failed too: ${last.reason}.`;
	const error = new NodeApiError(
		this.getNode(),
		{ message: 'Outcome unknown', api } as JsonObject,
		{
			message: `Outcome unknown: Tencent may have carried out this request (${api}, sent ${sentAt})`,
			description: `The request was sent at ${sentAt} and ${first.failure.reason}. It may have reached Tencent and taken effect, so it was ${
				options.onUnknownOutcome === 'sendAgain'
					? 'sent again as On Unknown Outcome asks'
					: 'not sent again'
			}.${later}`,
			itemIndex: options.itemIndex,
		},
	);
	error.message = `Outcome unknown: Tencent may have carried out this request (${api}, sent ${sentAt})`;
	const code = last.error.context.tencentErrorCode;
	Object.assign(error.context, {
		api,
		attempts,
		unknownOutcome: { outcome: 'unknown', api, sentAt, reason: first.failure.reason, attempts },
		...(code !== undefined ? { tencentErrorCode: code } : {}),
	});
	return error;
}

/** Whether an error is the outcome-unknown error of a call that may have taken effect. */
export function isUnknownOutcome(error: unknown): error is NodeApiError {
	return (
		error instanceof NodeApiError &&
		typeof error.context.unknownOutcome === 'object' &&
		error.context.unknownOutcome !== null
	);
}

/** ISO 8601 with the workflow's zone offset, e.g. 2026-03-01T09:30:05.120+08:00. */
export function isoWithZone(context: TencentContext, ms: number): string {
	let zone = 'UTC';
	try {
		zone = context.getTimezone() || 'UTC';
	} catch {
		// A context without a time zone: keep UTC.
	}
	return DateTime.fromMillis(ms, { zone }).toISO() ?? new Date(ms).toISOString();
}

interface ErrorLike {
	message?: unknown;
	code?: unknown;
	syscall?: unknown;
	httpCode?: unknown;
	status?: unknown;
	response?: { status?: unknown };
	request?: unknown;
	cause?: unknown;
}

/** Reads status, network code and how far the request got from whatever n8n's HTTP helper threw. */
function inspectTransportError(raw: unknown): {
	httpStatus?: number;
	networkCode?: string;
	syscall?: string;
	nothingWritten: boolean;
	text: string;
} {
	const chain: ErrorLike[] = [];
	for (let e = raw as ErrorLike | undefined; e && typeof e === 'object' && chain.length < 5; ) {
		chain.push(e);
		e = e.cause as ErrorLike | undefined;
	}
	let httpStatus: number | undefined;
	let networkCode: string | undefined;
	let syscall: string | undefined;
	let written = true;
	for (const e of chain) {
		const status = Number(e.response?.status ?? e.status ?? e.httpCode);
		if (!httpStatus && Number.isInteger(status) && status >= 100) httpStatus = status;
		if (!networkCode && typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code))
			networkCode = e.code;
		if (!syscall && typeof e.syscall === 'string') syscall = e.syscall;
		if (e.request && nothingWritten(e.request)) written = false;
	}
	// n8n's own wording comes first in the chain; the HTTP client's ("timeout of 15000ms exceeded") is more exact.
	const texts = chain.map((e) => e.message).filter((m): m is string => typeof m === 'string');
	const text = texts.length > 0 ? [...new Set(texts)].join(': ') : 'Unknown error';
	return { httpStatus, networkCode, syscall, nothingWritten: !written, text };
}
