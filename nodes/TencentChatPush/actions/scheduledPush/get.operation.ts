import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requestOptionsField } from '../../shared/descriptions';
import { appIdentity, dryRunResult, forEachItem, requestSettings } from '../../shared/execution';
import { schedTaskRefSchema } from '../../validation/scheduling';
import { assertValid } from '../../validation/validate';
import { fetchTask, readTaskId, taskIdField, taskOutput } from './fields';

const properties: INodeProperties[] = [taskIdField, requestOptionsField()];

export const description = updateDisplayOptions(
	{ show: { resource: ['scheduledPush'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const settings = requestSettings.call(this, i);
		const body = { Sdkappid: app.sdkAppId, TaskID: readTaskId.call(this, i) };
		if (settings.dryRun)
			return dryRunResult(app, 'timpush', 'get_sched_task', body, schedTaskRefSchema);

		assertValid(this.getNode(), schedTaskRefSchema, body, i);
		return taskOutput(await fetchTask.call(this, app, body.TaskID, settings.call));
	});
}
