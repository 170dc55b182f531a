import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { toTencentUtc } from '../../helpers/time';
import { type AppIdentity, withItemIndex } from '../../shared/execution';
import { type CallOptions, isUnknownOutcome } from '../../transport';
import { LIMITS } from '../../validation/limits';
import { callSched } from './fields';

/**
 * After a scheduled-task write whose outcome is unknown (no answer, connection lost after sending),
 * the node asks Tencent what happened instead of sending it again blindly:
 * - Create: list_sched_task around the time it was sent, looking for the task we sent. A found task
 *   is the result (`confirmedAfterUnknown`); a task not found may still be in flight, so the item
 *   fails as "outcome unknown" unless On Unknown Outcome is Send Again.
 * - Update and Delete: get_sched_task. A change already visible (or the task gone, for Delete)
 *   is the result; a task still pending without the change is sent the change again, which cannot
 *   act twice (it sets the same fields, or deletes what is still there).
 *
 * Safe under what Tencent's pages leave open (docs/tencent-api.md#scheduled):
 * - Content in TaskInfo: MsgRandom is the marker when the listed Content carries one (the node
 *   always sends its own, derived per item: helpers/msgRandom.ts); if Tencent leaves it out, the
 *   task must match Type, SchedAt, title, text and audience instead.
 * - CreateAt may be skewed from this machine's clock: tasks created from 10 minutes before the first
 *   attempt to 10 minutes after now are searched, newest first, at most 10 pages.
 * - A deleted task may be unreadable (90104, the emulator's choice) or readable with a status that
 *   says so; both count as deleted.
 * - Tasks this run already created or adopted are never adopted twice.
 */

const CLOCK_MARGIN_MS = 10 * 60_000;
const MAX_PAGES = 10;

/** The task created by an add_sched_task whose answer was lost, if Tencent lists it. */
export async function findCreatedTask(
	this: IExecuteFunctions,
	app: AppIdentity,
	sent: IDataObject,
	sentAt: number,
	call: CallOptions,
	taken: Set<number>,
): Promise<IDataObject | undefined> {
	const now = Date.now();
	const base: IDataObject = {
		Sdkappid: app.sdkAppId,
		OrderBy: 'createAt',
		Asc: false,
		BeginTime: toTencentUtc(DateTime.fromMillis(sentAt - CLOCK_MARGIN_MS, { zone: 'utc' })),
		EndTime: toTencentUtc(DateTime.fromMillis(now + CLOCK_MARGIN_MS, { zone: 'utc' })),
	};
	for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
		const { response } = await callSched.call(
			this,
			app,
			'list_sched_task',
			{ ...base, Offset: offset, Want: LIMITS.schedListMaxWant },
			call,
		);
		const tasks = Array.isArray(response.Tasks) ? (response.Tasks as IDataObject[]) : [];
		const found = tasks.find((task) => !taken.has(Number(task.TaskID)) && isTaskWeSent(task, sent));
		if (found) return found;
		offset += tasks.length;
		if (tasks.length < LIMITS.schedListMaxWant || offset >= Number(response.Total ?? Infinity))
			return undefined;
	}
	return undefined;
}

/** Whether a listed TaskInfo is the task of an add_sched_task body. */
export function isTaskWeSent(task: IDataObject, sent: IDataObject): boolean {
	if (task.Type !== sent.Type || task.SchedAt !== sent.SchedAt) return false;
	const theirs = (
		task.Content && typeof task.Content === 'object' ? task.Content : {}
	) as IDataObject;
	const ours = sent.Content as IDataObject;
	if (theirs.MsgRandom !== undefined && theirs.MsgRandom !== null)
		return Number(theirs.MsgRandom) === Number(ours.MsgRandom);
	const push = (ours.OfflinePushInfo ?? {}) as IDataObject;
	return (
		String(task.Title ?? '') === String(push.Title ?? '') &&
		String(task.Desc ?? '') === String(push.Desc ?? '') &&
		sameJson(theirs.Condition, ours.Condition) &&
		sameJson(sortedAccounts(theirs.To_Account), sortedAccounts(ours.To_Account))
	);
}

/** A task's TaskInfo, or undefined when Tencent no longer knows the TaskID (90104). */
export async function readTaskIfAny(
	this: IExecuteFunctions,
	app: AppIdentity,
	taskId: number,
	call: CallOptions,
): Promise<IDataObject | undefined> {
	try {
		const { response } = await callSched.call(
			this,
			app,
			'get_sched_task',
			{ Sdkappid: app.sdkAppId, TaskID: taskId },
			call,
		);
		return (response.TaskInfo as IDataObject) ?? undefined;
	} catch (error) {
		if ((error as { context?: IDataObject }).context?.tencentErrorCode === INVALID_PARAMETERS)
			return undefined;
		throw withItemIndex(this, error, call.itemIndex ?? 0);
	}
}

/** Whether a modify_sched_task body is already what the task holds. */
export function changeIsApplied(task: IDataObject, sent: IDataObject): boolean {
	if (sent.SchedAt !== undefined && task.SchedAt !== sent.SchedAt) return false;
	if (sent.Content === undefined) return true;
	const theirs = (
		task.Content && typeof task.Content === 'object' ? task.Content : {}
	) as IDataObject;
	return Object.entries(sent.Content as IDataObject).every(([field, value]) =>
		sameJson(theirs[field], value),
	);
}

/** A status that says the task is gone (Tencent may keep deleted tasks readable). */
export const looksDeleted = (status: unknown) => /delet|cancel/i.test(String(status ?? ''));

/** Tencent's answer to a TaskID it does not know (and to any other bad parameter). */
const INVALID_PARAMETERS = 90104;

export interface TaskChange {
	attempts: number;
	/** The first attempt's outcome was unknown; reading the task showed it had worked. */
	confirmedAfterUnknown?: boolean;
}

/**
 * modify_sched_task or delete_sched_task. After an unknown outcome the task is read: the change is
 * there (or the task is gone) → done; the task is still pending without it → sent once more;
 * otherwise it was not changed and can no longer be (dispatching, dispatched, gone).
 */
export async function changeTask(
	this: IExecuteFunctions,
	app: AppIdentity,
	command: 'modify_sched_task' | 'delete_sched_task',
	body: IDataObject,
	call: CallOptions,
): Promise<TaskChange> {
	try {
		return { attempts: (await callSched.call(this, app, command, body, call)).attempts };
	} catch (error) {
		if (!isUnknownOutcome(error)) throw withItemIndex(this, error, call.itemIndex ?? 0);
		const attempts = Number(error.context.attempts ?? 1);
		const deleting = command === 'delete_sched_task';
		let task: IDataObject | undefined;
		try {
			task = await readTaskIfAny.call(this, app, Number(body.TaskID), call);
		} catch (lookupError) {
			error.description = `${error.description ?? ''} Reading the task with get_sched_task failed too (${(lookupError as Error).message}).`;
			throw withItemIndex(this, error, call.itemIndex ?? 0);
		}
		const done = deleting
			? task === undefined || looksDeleted(task.Status)
			: task !== undefined && changeIsApplied(task, body);
		if (done) return { attempts, confirmedAfterUnknown: true };
		if (task?.Status === 'pending') {
			// Read back without the change and still pending: sending it again cannot act twice.
			const again = await callSched.call(this, app, command, body, call);
			return { attempts: attempts + again.attempts };
		}
		const verb = deleting ? 'deleted' : 'updated';
		throw new NodeOperationError(
			this.getNode(),
			`Scheduled task ${String(body.TaskID)} was not ${verb}: ${task ? `it is ${String(task.Status)} now` : 'it no longer exists'}`,
			{
				itemIndex: call.itemIndex,
				description: `The first request's answer was lost (${String((error.context.unknownOutcome as IDataObject).reason)}); reading the task afterwards shows the change was not made, and it can no longer be made.`,
			},
		);
	}
}

function sortedAccounts(value: unknown): unknown {
	return Array.isArray(value) ? [...value].map(String).sort() : value;
}

/** Deep equality of JSON values, ignoring key order. */
function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a))
		return (
			a.length === (b as unknown[]).length && a.every((v, i) => sameJson(v, (b as unknown[])[i]))
		);
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	return [...keys].every((k) => sameJson((a as IDataObject)[k], (b as IDataObject)[k]));
}
