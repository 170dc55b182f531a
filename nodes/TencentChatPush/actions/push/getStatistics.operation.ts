import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { rethrowIfCancelled } from '../../helpers/cancel';
import { chunk, unique } from '../../helpers/lists';
import { clock, statisticsLane } from '../../helpers/pacing';
import { callTencent, type CallOptions } from '../../transport';
import { LIMITS, statisticsSchema } from '../../validation/limits';
import { assertValid } from '../../validation/validate';
import { type AppIdentity, appIdentity, dryRunResult, forEachItem, readFlag, readWholeNumber, requestOptionsField, requestSettings } from '../common';
import { readDateTime, readTimeZone, timeZoneOption, toUnixSeconds } from '../scheduledPush/time';
import { readStringList } from './fields';

/**
 * Push → Get Statistics (v4/timpush/all_member_push_statistics), and the report that Push → Send
 * waits for with its "Wait for Report" option. Both go through one lane per app: Tencent answers
 * one statistics request per second.
 */

const COMMAND = 'all_member_push_statistics';

const properties: INodeProperties[] = [
	{
		displayName: 'Filter By',
		name: 'statisticsFilter',
		type: 'options',
		default: 'taskIds',
		description: 'Which pushes to report on',
		options: [
			{ name: 'Task IDs', value: 'taskIds', description: 'Pushes by their TaskId (from Send or Send to Users)' },
			{ name: 'Task IDs Within a Time Range', value: 'both', description: 'Pushes by TaskId, counted only when sent within the range' },
			{ name: 'Time Range', value: 'timeRange', description: 'Every push sent within the range (at most 30 days)' },
		],
	},
	{
		displayName: 'Task IDs',
		name: 'taskIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.taskId }}',
		description: 'TaskIds, comma-separated, a JSON array, or an expression returning a list. More than 100 are asked for in several requests, one per second.',
		displayOptions: { show: { statisticsFilter: ['taskIds', 'both'] } },
	},
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Start of the range (inclusive). Any n8n date-time; without an offset it is read in the Time Zone option, else the workflow\'s time zone.',
		displayOptions: { show: { statisticsFilter: ['timeRange', 'both'] } },
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'End of the range (inclusive), at most 30 days after Start Time',
		displayOptions: { show: { statisticsFilter: ['timeRange', 'both'] } },
	},
	{
		displayName: 'Output',
		name: 'statisticsOutput',
		type: 'options',
		default: 'summary',
		options: [
			{ name: 'One Item per Task', value: 'tasks', description: 'An item with the figures of each push' },
			{ name: 'Summary', value: 'summary', description: 'One item with the totals and, under tasks, each push\'s figures' },
		],
	},
	requestOptionsField([timeZoneOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['push'], operation: ['getStatistics'] } }, properties);

// ---------------------------------------------------------------------------------------------
// Figures

export interface PlatformFigures extends IDataObject {
	pushPlatform: number;
	totalCount: number;
	sentCount: number;
	deliveredCount: number;
	clickCount: number;
}

export interface Figures extends IDataObject {
	totalCount: number;
	sentCount: number;
	deliveredCount: number;
	clickCount: number;
	platforms: PlatformFigures[];
}

export interface TaskFigures extends Figures {
	taskId: string;
}

export interface Statistics extends Figures {
	tasks: TaskFigures[];
}

const count = (value: unknown): number => (Number.isFinite(Number(value)) ? Number(value) : 0);

function countsOf(raw: IDataObject) {
	return {
		totalCount: count(raw.TotalCount),
		sentCount: count(raw.SentCount),
		deliveredCount: count(raw.DeliveredCount),
		clickCount: count(raw.ClickCount),
	};
}

function figuresOf(raw: IDataObject): Figures {
	const rows = Array.isArray(raw.PlatformStatistics) ? (raw.PlatformStatistics as IDataObject[]) : [];
	return { ...countsOf(raw), platforms: rows.map((row) => ({ pushPlatform: count(row.PushPlatform), ...countsOf(row) })) };
}

/** Tencent's answer, in the node's names. Per-task figures are read when Tencent lists them. */
export function statisticsOf(response: IDataObject): Statistics {
	const tasks = Array.isArray(response.TaskStatistics) ? (response.TaskStatistics as IDataObject[]) : [];
	return {
		...figuresOf(response),
		tasks: tasks.map((task) => ({ taskId: String(task.TaskID ?? task.TaskId ?? ''), ...figuresOf(task) })),
	};
}

/** Sums answers of several requests (Task IDs asked for 100 at a time). */
export function mergeStatistics(parts: Statistics[]): Statistics {
	const sum = (key: 'totalCount' | 'sentCount' | 'deliveredCount' | 'clickCount') => parts.reduce((total, part) => total + part[key], 0);
	const platforms = new Map<number, PlatformFigures>();
	for (const row of parts.flatMap((part) => part.platforms)) {
		const merged = platforms.get(row.pushPlatform) ?? { pushPlatform: row.pushPlatform, totalCount: 0, sentCount: 0, deliveredCount: 0, clickCount: 0 };
		merged.totalCount += row.totalCount;
		merged.sentCount += row.sentCount;
		merged.deliveredCount += row.deliveredCount;
		merged.clickCount += row.clickCount;
		platforms.set(row.pushPlatform, merged);
	}
	return {
		totalCount: sum('totalCount'),
		sentCount: sum('sentCount'),
		deliveredCount: sum('deliveredCount'),
		clickCount: sum('clickCount'),
		platforms: [...platforms.values()].sort((a, b) => a.pushPlatform - b.pushPlatform),
		tasks: parts.flatMap((part) => part.tasks),
	};
}

/** One statistics request, validated and paced. */
export async function requestStatistics(this: IExecuteFunctions, app: AppIdentity, body: IDataObject, call: CallOptions): Promise<{ statistics: Statistics; attempts: number }> {
	assertValid(this.getNode(), statisticsSchema, body, call.itemIndex ?? 0);
	const { response, attempts } = await callTencent.call(this, 'timpush', COMMAND, body, { ...call, lane: statisticsLane(app.key, COMMAND) });
	return { statistics: statisticsOf(response), attempts };
}

// ---------------------------------------------------------------------------------------------
// Get Statistics

function readRequestBodies(this: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const filter = this.getNodeParameter('statisticsFilter', itemIndex, 'taskIds') as string;
	const range: IDataObject = {};
	if (filter !== 'taskIds') {
		const zone = readTimeZone.call(this, itemIndex);
		const start = readDateTime.call(this, 'startTime', 'Start Time', itemIndex, zone);
		const end = readDateTime.call(this, 'endTime', 'End Time', itemIndex, zone);
		if (!start || !end) {
			throw new NodeOperationError(this.getNode(), `${start ? 'End' : 'Start'} Time is empty: a time range needs both ends`, {
				itemIndex,
				description: 'Nothing was sent to Tencent.',
			});
		}
		range.StartTime = toUnixSeconds(start);
		range.EndTime = toUnixSeconds(end);
	}
	if (filter === 'timeRange') return [range];
	const taskIds = unique(readStringList(this, 'taskIds', 'Task IDs', itemIndex));
	if (taskIds.length === 0) return [{ TaskID: [], ...range }];
	return chunk(taskIds, LIMITS.statisticsTaskIdsPerRequest).map((slice) => ({ TaskID: slice, ...range }));
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const settings = requestSettings.call(this, i);
		const bodies = readRequestBodies.call(this, i);
		if (settings.dryRun) return dryRunResult(app, 'timpush', COMMAND, bodies[0], statisticsSchema);
		for (const body of bodies) assertValid(this.getNode(), statisticsSchema, body, i);

		const parts: Statistics[] = [];
		let attempts = 0;
		for (const body of bodies) {
			const result = await requestStatistics.call(this, app, body, settings.call);
			parts.push(result.statistics);
			attempts = Math.max(attempts, result.attempts);
		}
		const statistics = mergeStatistics(parts);
		const api = `v4/timpush/${COMMAND}`;
		const range = bodies[0].StartTime === undefined ? {} : { startTime: bodies[0].StartTime, endTime: bodies[0].EndTime };
		if (this.getNodeParameter('statisticsOutput', i, 'summary') === 'tasks') {
			if (statistics.tasks.length > 0) return statistics.tasks.map((task) => ({ ...task, api }));
			// No rows is an answer too: one item says so, rather than the item vanishing from the output.
			const asked = bodies.flatMap((body) => (body.TaskID as string[] | undefined) ?? []);
			return {
				noData: true,
				message: `Tencent returned no per-task figures${asked.length > 0 ? ` for ${asked.join(', ')}` : ' for this time range'}: unknown TaskIds, pushes outside the range, or figures not ready yet`,
				taskIds: asked,
				...range,
				api,
				requests: bodies.length,
				attempts,
			};
		}
		return { ...statistics, ...range, api, requests: bodies.length, attempts };
	});
}

// ---------------------------------------------------------------------------------------------
// Wait for Report (an option of Push → Send)

export const DEFAULT_REPORT_TIMEOUT_SECONDS = 60;
export const DEFAULT_REPORT_QUIET_SECONDS = 10;

/** Entries of Send's Options collection. */
export const reportOptionFields: INodeProperties[] = [
	{
		displayName: 'Report Quiet Period (Seconds)',
		name: 'reportQuietPeriod',
		type: 'number',
		default: DEFAULT_REPORT_QUIET_SECONDS,
		typeOptions: { minValue: 1, maxValue: 3600 },
		description: 'With Wait for Report: delivery counts as settled once the figures have not changed for this long (devices that are off never confirm)',
		displayOptions: { show: { '/api': ['timpush'] } },
	},
	{
		displayName: 'Report Timeout (Seconds)',
		name: 'reportTimeout',
		type: 'number',
		default: DEFAULT_REPORT_TIMEOUT_SECONDS,
		typeOptions: { minValue: 1, maxValue: 3600 },
		description: 'With Wait for Report: the longest to wait; the figures so far are output, marked settled: false',
		displayOptions: { show: { '/api': ['timpush'] } },
	},
	{
		displayName: 'Wait for Report',
		name: 'waitForReport',
		type: 'boolean',
		default: false,
		description:
			'Whether to poll the push statistics (one request per second) after the push until delivery settles or the Report Timeout passes, and output the figures under report',
		displayOptions: { show: { '/api': ['timpush'] } },
	},
];

export interface ReportSettings {
	timeoutMs: number;
	quietMs: number;
}

export function readReportSettings(this: IExecuteFunctions, options: IDataObject, itemIndex: number): ReportSettings | undefined {
	if (!readFlag(this, options.waitForReport, 'Wait for Report', itemIndex)) return undefined;
	const seconds = (value: unknown, fallback: number, label: string, max: number) =>
		readWholeNumber(this, value, fallback, label, [1, max], itemIndex) * 1000;
	return {
		timeoutMs: seconds(options.reportTimeout, DEFAULT_REPORT_TIMEOUT_SECONDS, 'Report Timeout (Seconds)', 3600),
		quietMs: seconds(options.reportQuietPeriod, DEFAULT_REPORT_QUIET_SECONDS, 'Report Quiet Period (Seconds)', 3600),
	};
}

const sameDelivery = (a: Figures, b: Figures) =>
	a.totalCount === b.totalCount && a.sentCount === b.sentCount && a.deliveredCount === b.deliveredCount;

/**
 * Polls one task's statistics until delivery settles:
 * - "delivered": at least one notification went out, every one that went out was delivered
 *   (Delivered ≥ Sent), and two polls in a row (about a second apart) agree, so the fan-out is
 *   not still growing;
 * - "quiet": the task is in the statistics and Total, Sent and Delivered have not changed for the
 *   quiet period (what is left are devices that are off or unreachable);
 * - "timeout": neither happened within the timeout; the figures so far, with settled: false.
 * Clicks are reported but never waited for. A statistics request that fails ends the wait with the
 * error in the report: the push itself succeeded and its TaskId must not be lost.
 */
export async function waitForReport(
	this: IExecuteFunctions,
	app: AppIdentity,
	taskId: string,
	settings: ReportSettings,
	call: CallOptions,
): Promise<IDataObject> {
	const started = clock.now();
	let last: Figures | undefined;
	let lastChangeAt = started;
	let polls = 0;
	const report = (settledBy: string, figures: Figures | undefined, extra: IDataObject = {}): IDataObject => ({
		settled: settledBy !== 'timeout' && settledBy !== 'error' && settledBy !== 'cancelled',
		settledBy,
		polls,
		waitedSeconds: Math.round((clock.now() - started) / 100) / 10,
		...(figures ?? { totalCount: 0, sentCount: 0, deliveredCount: 0, clickCount: 0, platforms: [] }),
		...extra,
	});
	for (;;) {
		let statistics: Statistics;
		try {
			statistics = (await requestStatistics.call(this, app, { TaskID: [taskId] }, call)).statistics;
		} catch (error) {
			rethrowIfCancelled(error);
			const context = (error as { context?: IDataObject }).context;
			return report('error', last, { error: (error as Error).message, errorCode: context?.tencentErrorCode ?? null });
		}
		polls++;
		const at = clock.now();
		// Per-task figures when Tencent lists them; else the totals (one task asked for).
		const found: Figures | undefined =
			statistics.tasks.find((task) => task.taskId === taskId) ?? (statistics.tasks.length === 0 && statistics.totalCount > 0 ? statistics : undefined);
		if (found) {
			const current: Figures = {
				totalCount: found.totalCount,
				sentCount: found.sentCount,
				deliveredCount: found.deliveredCount,
				clickCount: found.clickCount,
				platforms: found.platforms,
			};
			const unchanged = last !== undefined && sameDelivery(last, current);
			if (!unchanged) lastChangeAt = at;
			last = current;
			if (unchanged && current.sentCount > 0 && current.deliveredCount >= current.sentCount) return report('delivered', current);
			if (at - lastChangeAt >= settings.quietMs) return report('quiet', current);
		}
		if (at - started >= settings.timeoutMs) return report('timeout', last);
		if (this.getExecutionCancelSignal()?.aborted) return report('cancelled', last);
	}
}
