import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { addSchedTaskSchema } from '../../validation/limits';
import { assertValid } from '../../validation/validate';
import { appIdentity, dryRunResult, forEachItem, requestOptionsField, requestSettings } from '../common';
import { assertScheduledAttributes, callSched, contentFields, readScheduledContent, readSendAt } from './fields';
import { readTimeZone, tencentUtcToIso, timeZoneOption } from './time';

const COMMAND = 'add_sched_task';

const properties: INodeProperties[] = [
	{
		displayName: 'Send At',
		name: 'sendAt',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			"When the push goes out. Any n8n date-time; without an offset it is read in the Time Zone option, else the workflow's time zone. Sent to Tencent in UTC, to the second.",
	},
	...contentFields,
	requestOptionsField([timeZoneOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['scheduledPush'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	const attributes: { names?: Set<string> } = {};
	return await forEachItem.call(this, items, async (i) => {
		const settings = requestSettings.call(this, i);
		const zone = readTimeZone.call(this, i);
		const sendAt = readSendAt.call(this, i, zone, true)!;
		const { type, content, audience } = readScheduledContent.call(this, app, i);
		const body: IDataObject = { Sdkappid: app.sdkAppId, Type: type, SchedAt: sendAt.schedAt, Content: content };
		if (settings.dryRun) return dryRunResult(app, 'timpush', COMMAND, body, addSchedTaskSchema);

		assertValid(this.getNode(), addSchedTaskSchema, body, i);
		await assertScheduledAttributes.call(this, content, i, attributes);
		const { response, attempts } = await callSched.call(this, app, COMMAND, body, settings.call);
		return {
			taskId: response.TaskID as number,
			type,
			status: 'pending',
			// What Tencent stores: whole seconds, as Get and Update report it.
			sendAt: tencentUtcToIso(sendAt.schedAt),
			schedAt: sendAt.schedAt,
			audience,
			msgRandom: content.MsgRandom as number,
			api: `v4/timpush/${COMMAND}`,
			attempts,
		};
	});
}
