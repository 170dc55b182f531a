import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { revokeLane } from '../../helpers/pacing';
import { withUnknownOutcomeSubject } from '../../helpers/unknownOutcome';
import { requestOptionsField } from '../../shared/descriptions';
import {
	appIdentity,
	dryRunResult,
	forEachItem,
	requestSettings,
	withItemIndex,
} from '../../shared/execution';
import { buildOfflinePushInfo } from '../../shared/pushContent/offlinePush';
import { type CallOptions, callTencent, isUnknownOutcome } from '../../transport';
import { revokeSchema } from '../../validation/pushContent';
import { assertValid } from '../../validation/validate';

const properties: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.taskId }}',
		description: 'TaskId returned by Send or Send to Users, at most 24 hours old',
	},
	{
		displayName:
			'Tencent recalls by overwriting the notification already shown with the one below; APNs (iOS), FCM in notification mode, Huawei and Honor honour it, other vendors and apps in the foreground keep the original. Pushes not yet delivered are stopped.',
		name: 'overwriteNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Notification Title',
		name: 'overwriteTitle',
		type: 'string',
		default: '',
		placeholder: 'Message withdrawn',
		description: 'Title of the notification that replaces the recalled one',
	},
	{
		displayName: 'Notification Text',
		name: 'overwriteText',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'This message was withdrawn',
		description:
			"Text of the notification that replaces the recalled one. Required: Tencent's current recall page makes the overwrite notification (OfflinePushInfo) mandatory.",
	},
	{
		displayName: 'Notification Ext',
		name: 'overwriteExt',
		type: 'string',
		default: '',
		description: 'Pass-through data for the app, as a JSON string',
	},
	requestOptionsField(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['push'], operation: ['recall'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const settings = requestSettings.call(this, i);
		const body: IDataObject = { TaskId: String(this.getNodeParameter('taskId', i, '')).trim() };
		// Always sent: Tencent's current page (269/105123) makes OfflinePushInfo required for a recall.
		body.OfflinePushInfo =
			buildOfflinePushInfo({
				title: String(this.getNodeParameter('overwriteTitle', i, '') ?? ''),
				text: String(this.getNodeParameter('overwriteText', i, '') ?? ''),
				ext: this.getNodeParameter('overwriteExt', i, '') as string,
			}) ?? {};
		if (settings.dryRun) return dryRunResult(app, 'timpush', 'revoke', body, revokeSchema);

		assertValid(this.getNode(), revokeSchema, body, i);
		const { attempts, confirmedAfterUnknown } = await revoke.call(this, body, {
			...settings.call,
			lane: revokeLane(app.key),
		});
		return {
			taskId: body.TaskId as string,
			recalled: true,
			overwritten: true,
			api: 'v4/timpush/revoke',
			attempts,
			...(confirmedAfterUnknown ? { confirmedAfterUnknown: true } : {}),
		};
	});
}

/**
 * A recall whose outcome is unknown (no answer, connection lost after sending) is sent once more: a
 * second recall cannot recall anything twice, Tencent answers 90050 (already recalled) instead. That
 * answer then confirms the first one worked, and the item succeeds with `confirmedAfterUnknown`.
 */
async function revoke(
	this: IExecuteFunctions,
	body: IDataObject,
	call: CallOptions,
): Promise<{ attempts: number; confirmedAfterUnknown?: boolean }> {
	const subject = {
		happened: 'the recall may have been carried out',
		check:
			'Check the push with Push → Get Statistics (a recalled push stops delivering) before recalling again.',
		extra: { taskId: body.TaskId },
	};
	let first: unknown;
	try {
		return await callTencent.call(this, 'timpush', 'revoke', body, call);
	} catch (error) {
		if (!isUnknownOutcome(error)) throw withItemIndex(this, error, call.itemIndex ?? 0);
		first = error;
	}
	const earlier = Number((first as { context: { attempts?: number } }).context.attempts ?? 1);
	try {
		const { attempts } = await callTencent.call(this, 'timpush', 'revoke', body, call);
		return { attempts: earlier + attempts };
	} catch (error) {
		if ((error as { context?: IDataObject }).context?.tencentErrorCode === ALREADY_RECALLED) {
			return {
				attempts: earlier + Number((error as { context: IDataObject }).context.attempts ?? 1),
				confirmedAfterUnknown: true,
			};
		}
		if (isUnknownOutcome(error)) throw withUnknownOutcomeSubject(error, subject);
		// Tencent's answer to the same request now (90049, 90052…) says what the first one met too.
		const sentAt = String(
			((first as { context: IDataObject }).context.unknownOutcome as IDataObject).sentAt,
		);
		const described = error as { description?: string | null };
		described.description =
			`${described.description ?? ''} The first recall (sent ${sentAt}) had no answer; this is the answer to sending it again.`.trim();
		throw withItemIndex(this, error, call.itemIndex ?? 0);
	}
}

/** Tencent: "The push was already recalled". */
const ALREADY_RECALLED = 90050;
