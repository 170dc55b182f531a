import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	IDEMPOTENCY_OPTIONS,
	IdempotencyGuard,
	duplicateOutput,
	readIdempotency,
} from '../../helpers/idempotencyKey';
import { readTimeZone, tencentUtcToIso, timeZoneOption } from '../../helpers/time';
import {
	ON_UNKNOWN_OUTCOME_OPTION,
	unknownOutcomePolicy,
	withUnknownOutcomeSubject,
} from '../../helpers/unknownOutcome';
import { requestOptionsField } from '../../shared/descriptions';
import {
	type AppIdentity,
	appIdentity,
	dryRunResult,
	forEachItem,
	requestSettings,
	withItemIndex,
} from '../../shared/execution';
import {
	type CallOptions,
	type CallResult,
	isUnknownOutcome,
	type UnknownOutcomePolicy,
} from '../../transport';
import { addSchedTaskSchema } from '../../validation/scheduling';
import { assertValid } from '../../validation/validate';
import {
	assertScheduledAttributes,
	callSched,
	contentFields,
	outputTaskId,
	readScheduledContent,
	readSendAt,
} from './fields';
import { findCreatedTask } from './reconcile';

const COMMAND = 'add_sched_task';

const properties: INodeProperties[] = [
	{
		displayName: 'Send At',
		name: 'sendAt',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			"When the push goes out, sent to Tencent in UTC to the second. A time without an offset (the date picker gives none) is read in Options → Time Zone, by default the workflow's time zone (Workflow Settings; n8n's own default is America/New_York, so 09:00 there is 13:00 or 14:00 UTC).",
	},
	...contentFields,
	requestOptionsField([...IDEMPOTENCY_OPTIONS, ON_UNKNOWN_OUTCOME_OPTION, timeZoneOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['scheduledPush'], operation: ['create'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	const attributes: { names?: Set<string> } = {};
	const keys = new IdempotencyGuard(this, `${app.key}\nscheduledPush/create`);
	/** Tasks this run created or adopted: a lookup after an unknown outcome never adopts one twice. */
	const taken = new Set<number>();
	try {
		return await forEachItem.call(this, items, async (i) => {
			const settings = requestSettings.call(this, i);
			const onUnknownOutcome = unknownOutcomePolicy.call(this, i);
			const idempotency = readIdempotency.call(this, i);
			const zone = readTimeZone.call(this, i);
			const sendAt = readSendAt.call(this, i, zone, true)!;
			const { type, content, audience } = readScheduledContent.call(this, app, i);
			const body: IDataObject = {
				Sdkappid: app.sdkAppId,
				Type: type,
				SchedAt: sendAt.schedAt,
				Content: content,
			};
			if (settings.dryRun) return dryRunResult(app, 'timpush', COMMAND, body, addSchedTaskSchema);

			assertValid(this.getNode(), addSchedTaskSchema, body, i);
			const begin = idempotency ? await keys.begin(idempotency, onUnknownOutcome, i) : undefined;
			if (begin && 'earlier' in begin)
				return duplicateOutput.call(this, begin.earlier, idempotency!.key);
			const claim = begin?.claim;
			let created: Created;
			try {
				await assertScheduledAttributes.call(this, content, i, attributes);
				created = await createTask.call(this, app, body, settings.call, onUnknownOutcome, taken);
			} catch (error) {
				if (claim && isUnknownOutcome(error)) keys.unknown(claim);
				else if (claim) keys.release(claim);
				throw withUnknownOutcomeSubject(error, {
					happened: 'the scheduled task may have been created',
					msgRandom: content.MsgRandom as number,
					audience,
					check: `Before creating it again, look for it with Scheduled Push → Get Many (send time ${sendAt.schedAt} UTC, MsgRandom ${String(content.MsgRandom)} in its content).`,
				});
			}
			taken.add(created.taskId);
			const output: IDataObject = {
				taskId: outputTaskId(created.taskId),
				type,
				status: 'pending',
				// What Tencent stores: whole seconds, as Get and Update report it.
				sendAt: tencentUtcToIso(sendAt.schedAt),
				audience,
				msgRandom: content.MsgRandom as number,
				api: `v4/timpush/${COMMAND}`,
				attempts: created.attempts,
				...(created.confirmedAfterUnknown ? { confirmedAfterUnknown: true } : {}),
				...(created.sentAgainAfterUnknown ? { sentAgainAfterUnknown: true } : {}),
			};
			if (claim) {
				const remembered: IDataObject = { ...output };
				delete remembered.attempts;
				keys.accepted(claim, remembered);
				Object.assign(output, { idempotencyKey: claim.key, duplicate: false });
				// Other processes learn at once that this key was accepted (n8n's store).
				await keys.settleStore();
			}
			return output;
		});
	} finally {
		await keys.flush();
	}
}

interface Created {
	taskId: number;
	attempts: number;
	confirmedAfterUnknown?: boolean;
	sentAgainAfterUnknown?: boolean;
}

/**
 * add_sched_task, never sent twice blindly: when an attempt's outcome is unknown, the task is looked
 * for (reconcile.ts) and used if found; if not, On Unknown Outcome decides between failing the item
 * (Stop) and sending it once more (Send Again).
 */
async function createTask(
	this: IExecuteFunctions,
	app: AppIdentity,
	body: IDataObject,
	call: CallOptions,
	onUnknownOutcome: UnknownOutcomePolicy,
	taken: Set<number>,
): Promise<Created> {
	const sentAt = Date.now();
	let sent: CallResult;
	try {
		sent = await callSched.call(this, app, COMMAND, body, call);
	} catch (error) {
		if (!isUnknownOutcome(error)) throw withItemIndex(this, error, call.itemIndex ?? 0);
		const attempts = Number(error.context.attempts ?? 1);
		let found: IDataObject | undefined;
		try {
			found = await findCreatedTask.call(this, app, body, sentAt, call, taken);
		} catch (lookupError) {
			error.description = `${error.description ?? ''} Looking for it with list_sched_task failed too (${(lookupError as Error).message}).`;
			throw withItemIndex(this, error, call.itemIndex ?? 0);
		}
		if (found) return { taskId: Number(found.TaskID), attempts, confirmedAfterUnknown: true };
		if (onUnknownOutcome !== 'sendAgain') {
			error.description = `${error.description ?? ''} It was not among the tasks list_sched_task showed right after; it was probably not created, but Tencent may still be processing it.`;
			throw withItemIndex(this, error, call.itemIndex ?? 0);
		}
		sent = await callSched.call(this, app, COMMAND, body, call);
		return {
			taskId: sent.response.TaskID as number,
			attempts: attempts + sent.attempts,
			sentAgainAfterUnknown: true,
		};
	}
	return { taskId: sent.response.TaskID as number, attempts: sent.attempts };
}
