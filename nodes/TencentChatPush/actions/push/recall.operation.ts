import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { revokeLane } from '../../helpers/pacing';
import { callTencent } from '../../transport';
import { revokeSchema } from '../../validation/limits';
import { assertValid } from '../../validation/validate';
import { appIdentity, dryRunResult, forEachItem, requestOptionsField, requestSettings } from '../common';
import { buildOfflinePushInfo } from './offlinePush';

const properties: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.taskId }}',
		description: 'TaskId returned by Send or Send to Users, at most 24 hours old',
	},
	{
		displayName: 'Overwrite Notification',
		name: 'overwrite',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Replaces notifications already shown (APNs, FCM, Huawei and Honor) with this one. Required when the push stored messages (error 90053).',
		options: [
			{ displayName: 'Ext', name: 'ext', type: 'string', default: '', description: 'Pass-through data, as a JSON string' },
			{ displayName: 'Text', name: 'text', type: 'string', default: '', description: 'Notification body, e.g. "This message was withdrawn"' },
			{ displayName: 'Title', name: 'title', type: 'string', default: '' },
		],
	},
	requestOptionsField(),
];

export const description = updateDisplayOptions({ show: { resource: ['push'], operation: ['recall'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const settings = requestSettings.call(this, i);
		const overwrite = this.getNodeParameter('overwrite', i, {}) as IDataObject;
		const body: IDataObject = { TaskId: String(this.getNodeParameter('taskId', i, '')).trim() };
		const offlinePushInfo = buildOfflinePushInfo({ title: overwrite.title as string, text: overwrite.text as string, ext: overwrite.ext });
		if (offlinePushInfo) body.OfflinePushInfo = offlinePushInfo;
		if (settings.dryRun) return dryRunResult(app, 'timpush', 'revoke', body, revokeSchema);

		assertValid(this.getNode(), revokeSchema, body, i);
		const { attempts } = await callTencent.call(this, 'timpush', 'revoke', body, { ...settings.call, lane: revokeLane(app.key) });
		return { taskId: body.TaskId as string, recalled: true, overwritten: offlinePushInfo !== undefined, api: 'v4/timpush/revoke', attempts };
	});
}
