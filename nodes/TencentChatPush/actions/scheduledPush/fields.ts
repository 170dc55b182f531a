/**
 * Why one file: the fields Create and Update share and their readers sit side by side, so that a
 * field and the way it is read change together.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { DateTime } from 'luxon';
import type { z } from 'zod/v4';

import { unique } from '../../helpers/lists';
import { msgRandomFor } from '../../helpers/msgRandom';
import { schedLane } from '../../helpers/pacing';
import { readStringList } from '../../helpers/parameters';
import { now, readDateTime, tencentUtcToIso, toTencentUtc } from '../../helpers/time';
import { fetchAttributeNames } from '../../shared/attributeNames';
import { type AppIdentity, assertKnownAttributes, dryRunResult } from '../../shared/execution';
import { conditionAttributeNames, describeAudience } from '../../shared/pushContent/audience';
import { buildPushBody } from '../../shared/pushContent/body';
import {
	additionalFieldsCollection,
	audienceFields,
	dataIdField,
	fromAccountField,
	messageFields,
	notificationFields,
	readAudienceKind,
	readOfflinePushInfo,
} from '../../shared/pushContent/fields';
import { callTencent, type CallOptions, type CallResult } from '../../transport';
import { type SchedType } from '../../validation/scheduling';

/**
 * What Create and Update (with Update Content) share: the audience, notification and message
 * fields of Push → Send (from shared/pushContent/fields.ts), plus Named Users, which scheduled
 * tasks allow.
 */

const baseAudience = audienceFields.find((field) => field.name === 'audience')!;

const scheduledAudience: INodeProperties = {
	...baseAudience,
	description:
		'Who receives the push when it goes out: all users (Type All), users by tags or attributes (Type Tag), or named accounts (Type User)',
	// Send's audiences plus named users, in the alphabetical order n8n's lint asks for.
	options: [
		...(baseAudience.options as INodePropertyOptions[]),
		{ name: 'Named Users', value: 'users', description: 'Up to 500 UserIDs or RegistrationIDs' },
	].sort((a, b) => a.name.localeCompare(b.name)),
};

/** Audience, content and Additional Fields of a scheduled push. */
export const contentFields: INodeProperties[] = [
	scheduledAudience,
	...audienceFields.filter((field) => field.name !== 'audience'),
	{
		// Not `required`: n8n shows a field whose displayOptions depend on an expression (Audience
		// may be one), so a required one would flag every other resource. Checked when read instead.
		displayName: 'Accounts',
		name: 'schedAccounts',
		type: 'string',
		default: '',
		placeholder: 'alice, bob',
		description:
			'UserIDs or RegistrationIDs (1 to 500): comma-separated, a JSON array, or an expression returning a list',
		displayOptions: { show: { audience: ['users'] } },
	},
	...notificationFields,
	// Pushes to named users carry a notification only (v4/timpush/batch rules).
	...updateDisplayOptions({ hide: { audience: ['users'] } }, messageFields),
	additionalFieldsCollection([
		{
			...dataIdField,
			description: `${dataIdField.description}. Named Users only.`,
			displayOptions: { show: { '/audience': ['users'] } },
		},
		fromAccountField,
		{
			displayName: 'MsgRandom',
			name: 'msgRandom',
			type: 'number',
			default: 0,
			description:
				'Random number of the push the task becomes (0–4294967295); Tencent merges a repeat within the same second only. Leave 0 to derive it from the workflow, execution (or Idempotency Key), node, item and content; the node uses it to find the task again after a lost answer.',
		},
		{
			displayName: 'Online Only',
			name: 'onlineOnly',
			type: 'boolean',
			default: false,
			description:
				'Whether to skip storing the message in history and unread counts (OnlineOnlyFlag 1)',
			displayOptions: { hide: { '/audience': ['users'] } },
		},
	]),
];

export const SCHED_TYPE: Record<string, SchedType> = {
	all: 'All',
	attributes: 'Tag',
	tags: 'Tag',
	users: 'User',
};

export interface ScheduledContent {
	type: SchedType;
	content: IDataObject;
	audience: string;
}

/** The task's Type and Content (the body of the push it becomes) from an item's fields. */
export function readScheduledContent(
	this: IExecuteFunctions,
	app: AppIdentity,
	itemIndex: number,
): ScheduledContent {
	const type = SCHED_TYPE[readAudienceKind(this, itemIndex, Object.keys(SCHED_TYPE))];
	if (type !== 'User') {
		const content = buildPushBody.call(this, 'timpush', itemIndex);
		return {
			type,
			content,
			audience: describeAudience(content.Condition as IDataObject | undefined),
		};
	}
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const accounts = unique(readStringList(this, 'schedAccounts', 'Accounts', itemIndex));
	const content: IDataObject = {
		From_Account: (additional.fromAccount as string) || app.identifier,
		To_Account: accounts,
		OfflinePushInfo: readOfflinePushInfo.call(this, itemIndex, additional) ?? {},
	};
	if (additional.dataId) content.DataId = additional.dataId;
	content.MsgRandom = msgRandomFor.call(this, itemIndex, content, additional.msgRandom);
	return {
		type,
		content,
		audience: `${accounts.length} named account${accounts.length === 1 ? '' : 's'}`,
	};
}

/** Tencent answers 90104 for an unknown attribute name; checking first names the attribute. */
export async function assertScheduledAttributes(
	this: IExecuteFunctions,
	content: IDataObject,
	itemIndex: number,
	cache: { names?: Set<string> },
): Promise<void> {
	const used = conditionAttributeNames(content.Condition as IDataObject | undefined);
	if (used.length === 0) return;
	cache.names ??= new Set(Object.values((await fetchAttributeNames.call(this, 'timpush')).names));
	assertKnownAttributes.call(this, used, cache.names, itemIndex);
}

/** Send At in Tencent's form, refused before sending when it is not in the future (90104). */
export function readSendAt(
	this: IExecuteFunctions,
	itemIndex: number,
	zone: string,
	required: boolean,
): { at: DateTime; schedAt: string } | undefined {
	const at = readDateTime.call(this, 'sendAt', 'Send At', itemIndex, zone);
	if (!at) {
		if (!required) return undefined;
		throw new NodeOperationError(
			this.getNode(),
			'Send At is empty: give the date and time the push should go out',
			{
				itemIndex,
				description: 'Nothing was sent to Tencent.',
			},
		);
	}
	const current = now();
	if (at.toMillis() <= current.toMillis()) {
		throw new NodeOperationError(
			this.getNode(),
			`Send At ${toTencentUtc(at)} UTC is not in the future (error 90104)`,
			{
				itemIndex,
				description: `Nothing was sent to Tencent. It is now ${toTencentUtc(current)} UTC; Tencent refuses scheduled tasks whose time has passed with error 90104 (invalid parameters).`,
			},
		);
	}
	return { at, schedAt: toTencentUtc(at) };
}

/** Task ID of an item: Tencent's scheduled-task IDs are integers. */
export function readTaskId(this: IExecuteFunctions, itemIndex: number): number {
	const raw = this.getNodeParameter('schedTaskId', itemIndex, '') as unknown;
	const taskId = typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : Number(raw);
	if (!Number.isSafeInteger(taskId) || taskId <= 0) {
		throw new NodeOperationError(
			this.getNode(),
			`Task ID: '${String(raw)}' is not a scheduled task ID, a positive whole number (error 90104)`,
			{
				itemIndex,
				description:
					'Nothing was sent to Tencent. Use the taskId output by Scheduled Push → Create or Get Many.',
			},
		);
	}
	return taskId;
}

export const taskIdField: INodeProperties = {
	displayName: 'Task ID',
	name: 'schedTaskId',
	// Text, not a number field: a number field shows 0 as filled in, and the taskId output elsewhere is text.
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. {{ $json.taskId }}',
	description: 'ID of the scheduled task (a number, not the TaskId of a push)',
};

/** One scheduled-task request on the app's lane for that endpoint (five per second). */
export async function callSched(
	this: IExecuteFunctions,
	app: AppIdentity,
	command: string,
	body: IDataObject,
	call: CallOptions,
): Promise<CallResult> {
	return await callTencent.call(this, 'timpush', command, body, {
		...call,
		lane: schedLane(app.key, command),
	});
}

/**
 * A scheduled task's TaskID as every output gives it: text. Tencent's TaskID is an integer here but
 * a push's TaskId is text, and the Task ID field reads either; one type lets a later node compare or
 * map `taskId` without caring which operation made it.
 */
export function outputTaskId(taskId: unknown): string {
	return taskId === undefined || taskId === null ? '' : String(taskId);
}

/**
 * A task as get_sched_task / list_sched_task describe it (TaskInfo), in the node's names. When it goes
 * out is one key, `sendAt`, an ISO 8601 UTC time ending in Z, in Create, Update, Get and Get Many
 * alike; Tencent's own `SchedAt` text (UTC without a zone) is not repeated next to it.
 */
export function taskOutput(info: IDataObject): IDataObject {
	return {
		taskId: outputTaskId(info.TaskID),
		type: info.Type as string,
		status: info.Status as string,
		sendAt: tencentUtcToIso(info.SchedAt),
		createdAt: tencentUtcToIso(info.CreateAt),
		title: (info.Title as string) ?? '',
		text: (info.Desc as string) ?? '',
		content: (info.Content as IDataObject) ?? {},
		dispatchSuccess: info.DispatchSuccess as number,
		dispatchError: (info.DispatchErr as string) ?? '',
		pushTaskId: (info.PushTaskID as string) ?? '',
	};
}

/**
 * The task's current TaskInfo. Update and Delete read it first: Tencent wants the task's Type in
 * both requests, and only a pending task may change (else 90107, said here before trying).
 */
export async function fetchTask(
	this: IExecuteFunctions,
	app: AppIdentity,
	taskId: number,
	call: CallOptions,
): Promise<IDataObject> {
	const { response } = await callSched.call(
		this,
		app,
		'get_sched_task',
		{ Sdkappid: app.sdkAppId, TaskID: taskId },
		call,
	);
	return (response.TaskInfo as IDataObject) ?? {};
}

/** Stands for the task's Type in the Dry Run of Update and Delete, which do not read the task. */
export const TYPE_READ_WHEN_SENT = "(the task's Type, read with get_sched_task when sent)";

/**
 * Dry Run of Update and Delete: nothing reaches Tencent, not even get_sched_task, so the task's
 * Type is not known (except from new content, which must match it) and the request is checked with
 * a stand-in Type. The output says what could not be checked.
 */
export function unreadTaskDryRun(
	app: AppIdentity,
	command: string,
	body: IDataObject,
	schema: z.ZodType,
	type?: string,
): IDataObject {
	const result = dryRunResult(app, 'timpush', command, { ...body, Type: type ?? 'All' }, schema);
	const request = result.request as IDataObject;
	request.body = { ...(request.body as IDataObject), Type: type ?? TYPE_READ_WHEN_SENT };
	result.notChecked = type
		? `The task is not read in a dry run: that it is a ${type} task (error 90104 otherwise) and still pending (error 90107 otherwise) is checked when sending.`
		: 'The task is not read in a dry run: its Type, and that it is still pending (error 90107 otherwise), are read when sending.';
	return result;
}

export function assertPending(
	this: IExecuteFunctions,
	info: IDataObject,
	verb: string,
	itemIndex: number,
): void {
	if (info.Status === 'pending') return;
	// delete_sched_task's page (intl 1047/78841) answers 90107 while dispatching and 90106 once
	// dispatched; Tencent's push error table gives 90107 for a task that can no longer be modified.
	const code = verb === 'deleted' && info.Status !== 'dispatching' ? 90106 : 90107;
	throw new NodeOperationError(
		this.getNode(),
		`Scheduled task ${String(info.TaskID)} cannot be ${verb}: it is ${String(info.Status)}, not pending (error ${code})`,
		{
			itemIndex,
			description: `Only pending scheduled tasks can be changed or deleted; Tencent answers ${code} otherwise.${info.PushTaskID ? ` The task became the push ${String(info.PushTaskID)}: use Push → Recall to stop it.` : ''}`,
		},
	);
}
