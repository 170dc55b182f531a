import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * Tencent de-duplicates pushes by MsgRandom, so a MsgRandom derived from what identifies *this*
 * push — workflow, execution, node, item and the request itself — makes a retry (by the node, by
 * n8n's Retry On Fail, or a re-run of the same execution) the same push instead of a second one,
 * while two different pushes practically never collide (1 in 4 billion).
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
			JSON.stringify([parts.workflowId ?? '', parts.executionId ?? '', parts.nodeName, parts.itemIndex, rest]),
		)
		.digest();
	return digest.readUInt32BE(0);
}

/** The push's MsgRandom: the one the user set, or the one derived for this execution, node and item. */
export function msgRandomFor(this: IExecuteFunctions, itemIndex: number, body: IDataObject, chosen?: unknown): number {
	const explicit = Number(chosen ?? 0);
	if (explicit) return explicit;
	return deriveMsgRandom({
		workflowId: this.getWorkflow().id,
		executionId: this.getExecutionId(),
		nodeName: this.getNode().name,
		itemIndex,
		body,
	});
}
