/**
 * The Trigger's items: Tencent's callback events as a person reads them in n8n's table view, in the
 * action node's vocabulary, with the event itself kept under `raw`.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { DateTime } from 'luxon';

import {
	channelName,
	chatTypeName,
	platformName,
	stageName,
} from '../TencentChatPush/helpers/pushPlatforms';

/** The readable name of each callback command, as the Events option names it. */
export const EVENT_NAMES: Readonly<Record<string, string>> = {
	'Push.AllMemberPush': 'All-member push result',
	'Push.OfflinePush': 'Offline push of a message',
};

/** Tencent's event fields and the names they get in the output, in the order they are shown. */
const RENAMED: ReadonlyArray<[string, string]> = [
	['TaskId', 'taskId'],
	['DataId', 'dataId'],
	['To_Account', 'userId'],
	['From_Account', 'fromUserId'],
	['GroupID', 'groupId'],
	['MsgKey', 'msgKey'],
	['MsgSeq', 'msgSeq'],
	['MsgRandom', 'msgRandom'],
	['PushID', 'pushId'],
];

/**
 * Unix seconds (TaskTime, EventTime) as ISO 8601 in the workflow's time zone, with its offset. A
 * value that is not a number of seconds is left out rather than shown as a wrong time.
 */
function isoFromSeconds(seconds: unknown, zone: string): string | undefined {
	const number = typeof seconds === 'string' && seconds.trim() !== '' ? Number(seconds) : seconds;
	if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) return undefined;
	const at = DateTime.fromSeconds(number, { zone });
	return (at.isValid ? at : DateTime.fromSeconds(number, { zone: 'utc' })).toISO() ?? undefined;
}

/**
 * One event as a person reads it in the table view, like the action node's outputs: what happened
 * (`event`), who and which push in the node's names, codes as words (platform, stage, channel or
 * chat type), `succeeded` with Tencent's error, and times as ISO 8601 with their zone. Tencent's event
 * is kept unchanged under `raw`, for anything the names leave out and for fields Tencent adds later.
 */
export function readableEvent(event: IDataObject, zone: string): IDataObject {
	const command = String(event.CallbackCommand ?? '');
	const out: IDataObject = { event: EVENT_NAMES[command] ?? command };
	for (const [from, to] of RENAMED) if (event[from] !== undefined) out[to] = event[from];
	if (event.EventType !== undefined) {
		if (command === 'Push.OfflinePush') out.chatType = chatTypeName(event.EventType);
		else out.channel = channelName(event.EventType);
	}
	if (event.PushPlatform !== undefined)
		out.platform = platformName(
			event.PushPlatform,
			command === 'Push.AllMemberPush' ? event.EventType : undefined,
		);
	if (event.PushStage !== undefined) out.stage = stageName(event.PushStage);
	if (event.ErrCode !== undefined) {
		out.succeeded = Number(event.ErrCode) === 0;
		out.errorCode = event.ErrCode;
		out.error = event.ErrInfo ?? '';
	}
	const taskTime = isoFromSeconds(event.TaskTime, zone);
	if (taskTime) out.taskTime = taskTime;
	const eventTime = isoFromSeconds(event.EventTime, zone);
	if (eventTime) out.eventTime = eventTime;
	out.raw = event;
	return out;
}

/** The workflow's time zone (n8n's default when the workflow sets none), UTC if there is none. */
export function zoneOf(context: IWebhookFunctions): string {
	try {
		const zone = context.getTimezone();
		if (zone && DateTime.local().setZone(zone).isValid) return zone;
	} catch {
		// A context without a time zone: keep UTC.
	}
	return 'UTC';
}
