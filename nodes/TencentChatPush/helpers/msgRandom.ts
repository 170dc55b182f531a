import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * MsgRandom is the 32-bit number Tencent uses to merge a repeated push, but only "within the same
 * second" (all five source documents): pushes must be more than a second apart, so a re-sent push
 * is a second push. The node therefore never counts on it to make a retry harmless (see
 * transport/idempotency.ts); it derives MsgRandom so that it *names* the push:
 * - stable: the same workflow, execution, node, item and request give the same number, so an error
 *   message, the output and Tencent's records can be matched; a scheduled task is found again by the
 *   MsgRandom in its Content (Scheduled Push → Create, after an unknown outcome);
 * - with an Idempotency Key, the key takes the execution's place, so the same event gives the same
 *   MsgRandom in any execution (two deliveries of it within one second are merged by Tencent too);
 * - two different pushes practically never share one (1 in 4 billion).
 */
export function deriveMsgRandom(parts: {
	workflowId: string | undefined;
	executionId: string | undefined;
	nodeName: string;
	itemIndex: number;
	body: IDataObject;
}): number {
	const rest = { ...parts.body };
	delete rest.MsgRandom;
	const digest = createHash('sha256')
		.update(
			JSON.stringify([
				parts.workflowId ?? '',
				parts.executionId ?? '',
				parts.nodeName,
				parts.itemIndex,
				rest,
			]),
		)
		.digest();
	return digest.readUInt32BE(0);
}

/**
 * The push's MsgRandom: the one the user set, or one derived from this workflow, node and request
 * plus either the item's Idempotency Key (Options) or this execution and item.
 */
export function msgRandomFor(
	this: IExecuteFunctions,
	itemIndex: number,
	body: IDataObject,
	chosen?: unknown,
): number {
	const explicit = Number(chosen ?? 0);
	if (explicit) return explicit;
	const key = idempotencyKeyOf(this, itemIndex);
	return deriveMsgRandom({
		workflowId: this.getWorkflow().id,
		executionId: key === undefined ? this.getExecutionId() : `key:${key}`,
		nodeName: this.getNode().name,
		itemIndex: key === undefined ? itemIndex : 0,
		body,
	});
}

function idempotencyKeyOf(context: IExecuteFunctions, itemIndex: number): string | undefined {
	let raw: unknown;
	try {
		raw = context.getNodeParameter('options.idempotencyKey', itemIndex, '');
	} catch {
		return undefined;
	}
	const key = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	return key === '' ? undefined : key;
}
