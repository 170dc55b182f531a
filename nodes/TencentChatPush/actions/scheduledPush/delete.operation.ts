import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requestOptionsField } from '../../shared/descriptions';
import { appIdentity, forEachItem, requestSettings } from '../../shared/execution';
import { schedTaskRefSchema } from '../../validation/scheduling';
import { assertValid } from '../../validation/validate';
import {
	assertPending,
	fetchTask,
	outputTaskId,
	readTaskId,
	taskIdField,
	unreadTaskDryRun,
} from './fields';
import { changeTask } from './reconcile';

const COMMAND = 'delete_sched_task' as const;

const properties: INodeProperties[] = [taskIdField, requestOptionsField()];

export const description = updateDisplayOptions(
	{ show: { resource: ['scheduledPush'], operation: ['delete'] } },
	properties,
);

/**
 * Reads the task first (get_sched_task): the request needs the task's Type, and a task that is no
 * longer pending is refused here with 90107 named, before trying. A dry run reads nothing.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const settings = requestSettings.call(this, i);
		const taskId = readTaskId.call(this, i);
		if (settings.dryRun)
			return unreadTaskDryRun(
				app,
				COMMAND,
				{ Sdkappid: app.sdkAppId, TaskID: taskId },
				schedTaskRefSchema,
			);
		assertValid(this.getNode(), schedTaskRefSchema, { Sdkappid: app.sdkAppId, TaskID: taskId }, i);
		const info = await fetchTask.call(this, app, taskId, settings.call);
		const body: IDataObject = { Sdkappid: app.sdkAppId, TaskID: taskId, Type: info.Type };
		assertPending.call(this, info, 'deleted', i);
		assertValid(this.getNode(), schedTaskRefSchema, body, i);
		const { attempts, confirmedAfterUnknown } = await changeTask.call(
			this,
			app,
			COMMAND,
			body,
			settings.call,
		);
		return {
			taskId: outputTaskId(taskId),
			deleted: true,
			type: info.Type as string,
			api: `v4/timpush/${COMMAND}`,
			attempts,
			...(confirmedAfterUnknown ? { confirmedAfterUnknown: true } : {}),
		};
	});
}
