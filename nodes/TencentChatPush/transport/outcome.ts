import { describeTencentError, type RetryPolicy } from './errorCodes';

/**
 * What a failed attempt says about its own effect. This decides whether a call that is not
 * idempotent (transport/idempotency.ts) may be sent again:
 * - `notDone`: the request provably had no effect: it never left this process or never reached
 *   Tencent (connection refused, DNS failure, connect timeout, TLS refused), a gateway refused it
 *   (HTTP 4xx), or Tencent's own envelope says it did not act (60007, 90024, 91000…). May be re-sent.
 * - `unknown`: the request may have reached Tencent and taken effect, with the answer lost: a
 *   timeout after the request was written, a connection reset or closed after writing, HTTP 5xx
 *   without Tencent's envelope, a 2xx body that is not Tencent's JSON, a gateway timeout (60008).
 *   Never re-sent automatically unless the call is idempotent.
 * Anything not recognised is `unknown`: the safe side for a push.
 */
export type Outcome = 'notDone' | 'unknown';

export interface AttemptVerdict {
	outcome: Outcome;
	retry: RetryPolicy;
	/** What happened, for messages: "no answer within 15000 ms after the request was sent". */
	reason: string;
}

/** Tencent answered with a FAIL envelope. */
export function envelopeVerdict(code: number): AttemptVerdict {
	const known = describeTencentError(code);
	return {
		outcome: known.effect === 'unknown' ? 'unknown' : 'notDone',
		retry: known.retry,
		reason: `Tencent answered error ${code} (${known.meaning})`,
	};
}

/** The body of a 2xx answer is not Tencent's JSON envelope (a proxy page, a cut-off body). */
export function nonEnvelopeVerdict(): AttemptVerdict {
	return {
		outcome: 'unknown',
		retry: 'backoff',
		reason: "the answer was not Tencent's JSON (the request may have been processed)",
	};
}

/** Codes that only happen before a connection exists: nothing was sent. */
const NOT_CONNECTED_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EAI_FAIL',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'UND_ERR_CONNECT_TIMEOUT',
]);
/** Worth another try when the outcome allows one. */
const TRANSIENT_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

export interface TransportFacts {
	httpStatus?: number;
	networkCode?: string;
	/** The system call that failed (Node's `syscall`): 'connect' and 'getaddrinfo' happen before sending. */
	syscall?: string;
	/** True when no byte of the request reached the operating system (see requestWasWritten). */
	nothingWritten?: boolean;
	text: string;
	timeoutMs?: number;
}

/** The attempt failed below Tencent's envelope: no answer, or an HTTP error status. */
export function transportVerdict(facts: TransportFacts): AttemptVerdict {
	const { httpStatus, networkCode, syscall, nothingWritten, text } = facts;
	if (httpStatus !== undefined) {
		if (httpStatus >= 500) {
			return {
				outcome: 'unknown',
				retry: 'backoff',
				reason: `the answer was HTTP ${httpStatus} without Tencent's envelope (the request may have been processed before the gateway failed)`,
			};
		}
		// A gateway that refuses (4xx) has not passed the request on.
		if (httpStatus === 429)
			return {
				outcome: 'notDone',
				retry: 'rate',
				reason: 'the answer was HTTP 429 (too many requests)',
			};
		if (httpStatus === 408)
			return {
				outcome: 'notDone',
				retry: 'backoff',
				reason: 'the answer was HTTP 408 (request timeout)',
			};
		return { outcome: 'notDone', retry: 'never', reason: `the answer was HTTP ${httpStatus}` };
	}
	const transient =
		(networkCode !== undefined && TRANSIENT_CODES.has(networkCode)) ||
		/timeout|socket hang up/i.test(text);
	const retry: RetryPolicy = transient ? 'backoff' : 'never';
	const what = networkCode ?? 'network error';
	if (
		(networkCode !== undefined && NOT_CONNECTED_CODES.has(networkCode)) ||
		syscall === 'connect' ||
		syscall === 'getaddrinfo'
	) {
		return {
			outcome: 'notDone',
			retry,
			reason: `no connection could be made (${what}), so nothing was sent`,
		};
	}
	if (/^(CERT_|ERR_TLS_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(networkCode ?? '')) {
		return {
			outcome: 'notDone',
			retry: 'never',
			reason: `the TLS connection was refused (${what}), so nothing was sent`,
		};
	}
	if (nothingWritten) {
		return {
			outcome: 'notDone',
			retry,
			reason: `the request failed before any of it was sent (${what})`,
		};
	}
	const timedOut =
		networkCode === 'ECONNABORTED' ||
		networkCode === 'ETIMEDOUT' ||
		networkCode === 'ESOCKETTIMEDOUT' ||
		/timeout/i.test(text);
	if (timedOut) {
		const within = facts.timeoutMs ? ` within ${facts.timeoutMs} ms` : '';
		return {
			outcome: 'unknown',
			retry,
			reason: `no answer came${within} after the request was sent`,
		};
	}
	return {
		outcome: 'unknown',
		retry,
		reason: `the connection failed (${what}) after the request was sent, before an answer came`,
	};
}

interface RequestLike {
	_currentRequest?: RequestLike;
	socket?: { _bytesDispatched?: unknown } | null;
}

/**
 * Whether the request provably never left this process. n8n's HTTP helper (axios) keeps the Node
 * request on its error; its socket counts the bytes handed to the operating system. Zero bytes (or
 * no socket yet) means Tencent cannot have the request, e.g. a timeout while still connecting. This
 * reads a Node internal, so anything unexpected answers false, which only makes the verdict
 * "unknown": the safe side.
 */
export function nothingWritten(request: unknown): boolean {
	if (!request || typeof request !== 'object') return false;
	const outer = request as RequestLike;
	const current =
		outer._currentRequest && typeof outer._currentRequest === 'object'
			? outer._currentRequest
			: outer;
	if (!('socket' in current)) return false;
	if (current.socket === null || current.socket === undefined) return true;
	return current.socket._bytesDispatched === 0;
}
