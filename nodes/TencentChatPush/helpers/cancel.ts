import type { IExecuteFunctions, ILoadOptionsFunctions, INode } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

/**
 * Stopping an execution in n8n aborts its cancel signal; nothing else stops a node that is waiting
 * for a pacing slot or sending item after item. These helpers let the transport look at the signal
 * before every request and give up a wait the moment it fires, so that at most the request already
 * on the wire reaches Tencent after the user pressed Stop.
 */

/** Marks the error a stopped execution ends with; `isCancellation` recognises it. */
const CANCELLED = Symbol.for('n8n-nodes-tencent-chat-push.cancelled');

export function cancelSignalOf(
	context: IExecuteFunctions | ILoadOptionsFunctions,
): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context &&
		typeof context.getExecutionCancelSignal === 'function'
		? context.getExecutionCancelSignal()
		: undefined;
}

export function cancellationError(node: INode): NodeOperationError {
	const error = new NodeOperationError(
		node,
		'The execution was stopped: nothing more was sent to Tencent',
		{
			description:
				'Requests that had not left yet were dropped; a request already on its way when Stop was pressed may still have taken effect.',
		},
	);
	Object.defineProperty(error, CANCELLED, { value: true });
	return error;
}

export function isCancellation(error: unknown): boolean {
	return (
		typeof error === 'object' &&
		error !== null &&
		(error as Record<symbol, unknown>)[CANCELLED] === true
	);
}

/** In a catch block: a stopped execution's error goes on up, untouched. */
export function rethrowIfCancelled(error: unknown): void {
	if (isCancellation(error)) throw error as NodeOperationError;
}

/** Throws the cancellation error when the execution has been stopped. */
export function throwIfCancelled(node: INode, signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw cancellationError(node);
}

/**
 * Settles like `work`, or rejects with the cancellation error as soon as `signal` fires. `work`
 * keeps running (a lane turn cannot be taken back), so its own failure is swallowed here rather
 * than surfacing later as an unhandled rejection.
 */
export async function unlessCancelled<T>(
	node: INode,
	signal: AbortSignal | undefined,
	work: Promise<T>,
): Promise<T> {
	if (!signal) return await work;
	work.catch(() => undefined);
	throwIfCancelled(node, signal);
	let onAbort: (() => void) | undefined;
	const stopped = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(cancellationError(node));
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([work, stopped]);
	} finally {
		signal.removeEventListener('abort', onAbort!);
	}
}

/**
 * A pause (backoff, "too soon" waits) that ends early with the cancellation error on Stop. The
 * signal also goes to n8n's sleep, which clears its timer on hosts whose sleep takes one.
 */
export async function pause(
	node: INode,
	signal: AbortSignal | undefined,
	ms: number,
): Promise<void> {
	await unlessCancelled(node, signal, sleep(ms, signal));
}
