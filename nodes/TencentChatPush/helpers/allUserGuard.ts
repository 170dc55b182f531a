import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * A push to all users is the most expensive thing this node does: a notification on every device
 * of the app, and one of the app's pushes to all users, tags or attributes for the day (100 by
 * default). A workflow that hands Send N copies of the same item (a Split Out gone wrong, a
 * Merge that multiplied items, Loop Over Items around the node) would otherwise make N of them.
 *
 * So, per execution and node, the first all-user push of a given content is sent and every later
 * item with the same content gets its outcome instead: its TaskId with `duplicateOf`, or, when it
 * failed, an error that says so (its outcome may be unknown, and resending could push twice).
 * The memory spans the node's runs within the execution (a loop runs the node once per batch).
 */

export interface FirstPush {
	/** Which item of which run of the node (0 = its first run in the execution) sent it. */
	item: number;
	run: number;
	taskId?: string;
	msgRandom?: number;
	error?: Error;
}

interface ExecutionMemory {
	runs: number;
	pushes: Map<string, FirstPush>;
}

/** Executions remembered per process; the oldest is forgotten first. */
const MAX_EXECUTIONS = 200;
const executions = new Map<string, ExecutionMemory>();

/** What makes two pushes the same: the API and the request body, except its MsgRandom. */
export function contentKey(api: string, body: IDataObject): string {
	const rest = { ...body };
	delete rest.MsgRandom;
	return JSON.stringify([api, rest]);
}

/** The guard of one run of the node. */
export class AllUserGuard {
	private readonly pushes: Map<string, FirstPush>;
	/** Dry-run items: their "would be a duplicate of" never counts as a push. */
	private readonly dryRuns = new Map<string, FirstPush>();
	readonly run: number;

	constructor(context: IExecuteFunctions) {
		const executionId = context.getExecutionId();
		const node = context.getNode();
		const key = `${context.getWorkflow().id ?? ''}|${executionId ?? ''}|${node.id ?? node.name}`;
		let memory = executionId ? executions.get(key) : undefined;
		if (memory) {
			memory.runs++;
		} else {
			memory = { runs: 0, pushes: new Map() };
			if (executionId) executions.set(key, memory);
			while (executions.size > MAX_EXECUTIONS) executions.delete(executions.keys().next().value!);
		}
		this.pushes = memory.pushes;
		this.run = memory.runs;
	}

	/** The earlier push with this content in this execution, if any. */
	earlier(key: string): FirstPush | undefined {
		return this.pushes.get(key);
	}

	/** For a dry run: the earlier push, real or dry, this item would repeat. */
	earlierForDryRun(key: string, item: number): FirstPush | undefined {
		const found = this.pushes.get(key) ?? this.dryRuns.get(key);
		if (!found) this.dryRuns.set(key, { item, run: this.run });
		return found;
	}

	record(
		key: string,
		item: number,
		outcome: { taskId?: string; msgRandom?: number; error?: Error },
	): void {
		this.pushes.set(key, { item, run: this.run, ...outcome });
	}
}

/** Forgets every execution (tests). */
export function resetAllUserGuard(): void {
	executions.clear();
}
