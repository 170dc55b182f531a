import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { statisticsLane } from '../../helpers/pacing';
import { channelName, platformName } from '../../helpers/pushPlatforms';
import { timeZoneOption } from '../../helpers/time';
import { requestOptionsField } from '../../shared/descriptions';
import { appIdentity, dryRunResult, forEachItem, requestSettings } from '../../shared/execution';
import {
	readTaskReportRequest,
	resultsOf,
	taskIdOf,
	taskReportFields,
} from '../../shared/taskReport';
import { callTencent } from '../../transport';
import { LIMITS } from '../../validation/limits';
import { lossSchema } from '../../validation/statistics';
import { assertValid } from '../../validation/validate';

/**
 * Push → Get Delivery Losses (v4/timpush/all_member_push_loss, trtc.io/document/71895): why a push
 * did not reach devices, as Tencent counts it by error code: before sending (no certificate for
 * the vendor, no device token uploaded) and after sending (the vendor refused the registration:
 * invalid, unregistered), overall and per platform. The request is the statistics request with a
 * window of at most 7 days; one output item per task, its losses readable in the table view.
 */

const COMMAND = 'all_member_push_loss';
const API = `v4/timpush/${COMMAND}`;

const properties: INodeProperties[] = [
	...taskReportFields('losses', LIMITS.lossRangeSeconds),
	requestOptionsField([timeZoneOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['push'], operation: ['getDeliveryLosses'] } },
	properties,
);

export interface Loss extends IDataObject {
	/** Tencent's code, as the text it sends (e.g. "-1", "410"). */
	errorCode: string;
	reason: string;
	count: number;
}

export interface PlatformLoss extends Loss {
	stage: string;
	platform: string;
	pushPlatform: number;
	channel: string;
}

export interface TaskLosses extends IDataObject {
	taskId: string | null;
	/** Whether Tencent's answer had a row for this task. */
	found: boolean;
	lostBeforeSending: number;
	lostAfterSending: number;
	lost: number;
	/** Every reason in one line, largest first: "167 × certificate id not set (-1, before sending); …". */
	reasons: string;
	beforeSending: Loss[];
	afterSending: Loss[];
	platforms: PlatformLoss[];
}

const BEFORE = 'before sending';
const AFTER = 'after sending';

const count = (value: unknown): number => (Number.isFinite(Number(value)) ? Number(value) : 0);
const rowsOf = (value: unknown): IDataObject[] =>
	Array.isArray(value)
		? value.filter(
				(row): row is IDataObject => typeof row === 'object' && row !== null && !Array.isArray(row),
			)
		: [];
/** Codes in numeric order where they are numbers ("-2" < "1" < "410"), else as text. */
function compareCodes(a: string, b: string): number {
	const [x, y] = [Number(a), Number(b)];
	if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
	return a < b ? -1 : a > b ? 1 : 0;
}
const byCount = <T extends Loss>(a: T, b: T) =>
	b.count - a.count || compareCodes(a.errorCode, b.errorCode);

function lossOf(row: IDataObject): Loss {
	return {
		errorCode: String(row.ErrCode ?? ''),
		reason: String(row.ErrInfo ?? ''),
		count: count(row.ErrCount),
	};
}

function platformLossOf(row: IDataObject, stage: string): PlatformLoss {
	return {
		stage,
		platform: platformName(row.PushPlatform, row.EventType),
		pushPlatform: count(row.PushPlatform),
		channel: channelName(row.EventType ?? 1),
		...lossOf(row),
	};
}

const describeLoss = (loss: Loss, stage: string) =>
	`${loss.count} × ${loss.reason || 'no reason given'} (${loss.errorCode}, ${stage})`;

/** One task's losses (or the overall ones: a row without a TaskID) in the node's names. */
export function taskLossesOf(row: IDataObject | undefined, taskId: string | null): TaskLosses {
	const beforeSending = rowsOf(row?.ReadyToSendLoss).map(lossOf).sort(byCount);
	const afterSending = rowsOf(row?.PostSendDeliveredLoss).map(lossOf).sort(byCount);
	const platforms = [
		...rowsOf(row?.PlatformReadyToSendLoss).map((r) => platformLossOf(r, BEFORE)),
		...rowsOf(row?.PlatformPostSendDeliveredLoss).map((r) => platformLossOf(r, AFTER)),
	];
	const sum = (list: Loss[]) => list.reduce((total, loss) => total + loss.count, 0);
	// Largest first; on a tie, losses before sending first (the stable sort keeps them ahead).
	const reasons = [
		...beforeSending.map((loss) => ({ loss, stage: BEFORE })),
		...afterSending.map((loss) => ({ loss, stage: AFTER })),
	]
		.sort((a, b) => b.loss.count - a.loss.count)
		.map(({ loss, stage }) => describeLoss(loss, stage));
	return {
		taskId,
		found: row !== undefined,
		lostBeforeSending: sum(beforeSending),
		lostAfterSending: sum(afterSending),
		lost: sum(beforeSending) + sum(afterSending),
		reasons: reasons.join('; ') || 'no losses reported',
		beforeSending,
		afterSending,
		platforms,
	};
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const settings = requestSettings.call(this, i);
		const { taskIds, bodies } = readTaskReportRequest.call(this, i, LIMITS.lossRangeSeconds);
		if (settings.dryRun) return dryRunResult(app, 'timpush', COMMAND, bodies[0], lossSchema);
		for (const body of bodies) assertValid(this.getNode(), lossSchema, body, i);

		const rows: IDataObject[] = [];
		let attempts = 0;
		for (const body of bodies) {
			const { response, attempts: used } = await callTencent.call(this, 'timpush', COMMAND, body, {
				...settings.call,
				lane: statisticsLane(app.key, COMMAND),
			});
			rows.push(...resultsOf(response));
			attempts = Math.max(attempts, used);
		}
		const window = {
			startTime: bodies[0].StartTime as number,
			endTime: bodies[0].EndTime as number,
			api: API,
			attempts,
		};
		if (taskIds.length === 0) {
			// Overall losses: whatever rows Tencent gave, or one item of zeros when it gave none.
			const overall =
				rows.length > 0
					? rows.map((row) => taskLossesOf(row, taskIdOf(row) || null))
					: [taskLossesOf(undefined, null)];
			return overall.map((losses) => ({ ...losses, ...window }));
		}
		// One item per task asked for, in the order given: a task Tencent has no row for has lost nothing that it reports.
		const byTask = new Map(rows.map((row) => [taskIdOf(row), row]));
		return taskIds.map((taskId) => ({ ...taskLossesOf(byTask.get(taskId), taskId), ...window }));
	});
}
