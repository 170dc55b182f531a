import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { requestOptionsField } from '../../shared/descriptions';
import { appIdentity, forEachItem, readFlag, requestSettings } from '../../shared/execution';
import { modifySchedTaskSchema } from '../../validation/scheduling';
import { assertValid } from '../../validation/validate';
import {
	assertPending,
	assertScheduledAttributes,
	contentFields,
	fetchTask,
	outputTaskId,
	readScheduledContent,
	readSendAt,
	readTaskId,
	taskIdField,
	unreadTaskDryRun,
} from './fields';
import { readTimeZone, tencentUtcToIso, timeZoneOption } from '../../helpers/time';
import { changeTask } from './reconcile';

const COMMAND = 'modify_sched_task' as const;

const properties: INodeProperties[] = [
	taskIdField,
	{
		displayName: 'Send At',
		name: 'sendAt',
		type: 'dateTime',
		default: '',
		description:
			"New time for the push; empty keeps the current one. A time without an offset (the date picker gives none) is read in Options → Time Zone, by default the workflow's time zone (Workflow Settings; n8n's own default is America/New_York).",
	},
	{
		displayName: 'Update Content',
		name: 'updateContent',
		type: 'boolean',
		default: false,
		description:
			"Whether to send new audience, notification and message fields (each replaces the task's); off keeps the content. The kind of audience (all users, tags or attributes, named users) cannot change.",
	},
	...updateDisplayOptions({ show: { updateContent: [true] } }, contentFields),
	requestOptionsField([timeZoneOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['scheduledPush'], operation: ['update'] } },
	properties,
);

/**
 * Reads the task first (get_sched_task): Tencent wants the task's Type in the request, and only a
 * pending task can change (90107, said here before trying). A dry run reads nothing.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	const attributes: { names?: Set<string> } = {};
	return await forEachItem.call(this, items, async (i) => {
		const settings = requestSettings.call(this, i);
		const taskId = readTaskId.call(this, i);
		const sendAt = readSendAt.call(this, i, readTimeZone.call(this, i), false);
		const replace = readFlag(
			this,
			this.getNodeParameter('updateContent', i, false),
			'Update Content',
			i,
		);
		const scheduled = replace ? readScheduledContent.call(this, app, i) : undefined;

		const change: IDataObject = {};
		if (sendAt) change.SchedAt = sendAt.schedAt;
		if (scheduled) change.Content = scheduled.content;
		if (settings.dryRun)
			return unreadTaskDryRun(
				app,
				COMMAND,
				{ Sdkappid: app.sdkAppId, TaskID: taskId, ...change },
				modifySchedTaskSchema,
				scheduled?.type,
			);

		const info = await fetchTask.call(this, app, taskId, settings.call);
		const body: IDataObject = {
			Sdkappid: app.sdkAppId,
			TaskID: taskId,
			Type: info.Type,
			...change,
		};
		assertPending.call(this, info, 'updated', i);
		if (scheduled && scheduled.type !== info.Type) {
			throw new NodeOperationError(
				this.getNode(),
				`Audience: task ${taskId} is of Type ${String(info.Type)}; the new content is for Type ${scheduled.type} (error 90104)`,
				{
					itemIndex: i,
					description:
						'Nothing was changed. A scheduled task keeps its Type: choose the same kind of audience, or delete the task and create a new one.',
				},
			);
		}
		assertValid(this.getNode(), modifySchedTaskSchema, body, i);
		if (scheduled) await assertScheduledAttributes.call(this, scheduled.content, i, attributes);
		const { attempts, confirmedAfterUnknown } = await changeTask.call(
			this,
			app,
			COMMAND,
			body,
			settings.call,
		);
		const schedAt = (body.SchedAt as string | undefined) ?? (info.SchedAt as string);
		return {
			taskId: outputTaskId(taskId),
			updated: true,
			type: info.Type as string,
			sendAt: tencentUtcToIso(schedAt),
			contentUpdated: scheduled !== undefined,
			...(scheduled
				? { audience: scheduled.audience, msgRandom: scheduled.content.MsgRandom as number }
				: {}),
			api: `v4/timpush/${COMMAND}`,
			attempts,
			...(confirmedAfterUnknown ? { confirmedAfterUnknown: true } : {}),
		};
	});
}
