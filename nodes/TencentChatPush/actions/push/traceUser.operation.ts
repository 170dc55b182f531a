import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { statisticsLane } from '../../helpers/pacing';
import { channelName, platformName } from '../../helpers/pushPlatforms';
import { requestOptionsField } from '../../shared/descriptions';
import { appIdentity, dryRunResult, forEachItem, requestSettings } from '../../shared/execution';
import { callTencent } from '../../transport';
import { traceSchema } from '../../validation/statistics';
import { assertValid } from '../../validation/validate';

/** Push → Trace User (v4/timpush/all_member_push_trace): how one push reached one user's devices. */

const COMMAND = 'all_member_push_trace';

const properties: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'traceTaskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.taskId }}',
		description: 'TaskId of the push (Send or Send to Users); Tencent keeps traces for 7 days',
	},
	{
		displayName: 'User ID',
		name: 'traceUserId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.userId }}',
		description: 'The recipient (UserID or RegistrationID) whose delivery to trace',
	},
	requestOptionsField(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['push'], operation: ['traceUser'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const settings = requestSettings.call(this, i);
		const body: IDataObject = {
			TaskID: String(this.getNodeParameter('traceTaskId', i, '')).trim(),
			UserID: String(this.getNodeParameter('traceUserId', i, '')).trim(),
		};
		if (settings.dryRun) return dryRunResult(app, 'timpush', COMMAND, body, traceSchema);

		assertValid(this.getNode(), traceSchema, body, i);
		const { response, attempts } = await callTencent.call(this, 'timpush', COMMAND, body, {
			...settings.call,
			lane: statisticsLane(app.key, COMMAND),
		});
		// Tencent's fields are kept as they are, with the names Get Statistics uses next to them.
		// EventTime stays Tencent's text: its page states no time zone (docs/tencent-api.md#unconfirmed),
		// and a guessed zone would put a wrong instant in the output.
		const instances = (
			Array.isArray(response.InstanceTrace) ? (response.InstanceTrace as IDataObject[]) : []
		).map((instance) => ({
			...instance,
			platform: platformName(instance.PushPlatform, instance.EventType),
			channel: channelName(instance.EventType),
		}));
		return {
			taskId: body.TaskID as string,
			userId: body.UserID as string,
			// An empty trace: not a recipient, an unknown task, or older than 7 days.
			found: instances.length > 0,
			instances,
			api: `v4/timpush/${COMMAND}`,
			attempts,
		};
	});
}
