import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { rethrowIfCancelled } from '../../helpers/cancel';
import { clock, statisticsLane } from '../../helpers/pacing';
import { channelName, platformName } from '../../helpers/pushPlatforms';
import { callTencent, type CallOptions } from '../../transport';
import { LIMITS, statisticsSchema } from '../../validation/limits';
import { assertValid } from '../../validation/validate';
import { type AppIdentity, appIdentity, dryRunResult, forEachItem, readFlag, readWholeNumber, requestOptionsField, requestSettings } from '../common';
import { timeZoneOption } from '../scheduledPush/time';
import { readTaskReportRequest, resultsOf, taskIdOf, taskReportFields } from './taskReport';

/**
 * Push → Get Statistics (v4/timpush/all_member_push_statistics), and the report that Push → Send
 * waits for with its "Wait for Report" option. Both go through one lane per app: Tencent answers
 * one statistics request per second. Every request carries StartTime, EndTime (at most 30 days
 * apart) and TaskID (at most 5; empty for the app's overall figures), as Tencent's page requires
 * (intl.cloud.tencent.com/document/product/1047/71894), and the answer is read from `Results[]`.
 */

const COMMAND = 'all_member_push_statistics';

const properties: INodeProperties[] = [
	...taskReportFields('figures', LIMITS.statisticsRangeSeconds),
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
	/** PushPlatform as a name: APNs, Xiaomi, Huawei, FCM, Meizu, OPPO, vivo, Honor; Online; Unknown. */
	platform: string;
	pushPlatform: number;
	/** EventType as a name: offline (vendor channel) or online (Tencent's channel). */
	channel: string;
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

const COUNT_KEYS = ['totalCount', 'sentCount', 'deliveredCount', 'clickCount'] as const;

function platformRowOf(row: IDataObject): PlatformFigures {
	return { platform: platformName(row.PushPlatform, row.EventType), pushPlatform: count(row.PushPlatform), channel: channelName(row.EventType), ...countsOf(row) };
}

/** Platform rows summed by (channel, platform), sorted by PushPlatform then channel. */
function mergePlatforms(rows: PlatformFigures[]): PlatformFigures[] {
	const merged = new Map<string, PlatformFigures>();
	for (const row of rows) {
		const key = `${row.pushPlatform}|${row.channel}`;
		const into = merged.get(key);
		if (!into) merged.set(key, { ...row });
		else for (const k of COUNT_KEYS) into[k] += row[k];
	}
	return [...merged.values()].sort((a, b) => a.pushPlatform - b.pushPlatform || a.channel.localeCompare(b.channel));
}

function figuresOf(raw: IDataObject): Figures {
	const rows = Array.isArray(raw.PlatformStatistics) ? (raw.PlatformStatistics as IDataObject[]) : [];
	return { ...countsOf(raw), platforms: mergePlatforms(rows.map(platformRowOf)) };
}

/**
 * Tencent's answer in the node's names: one entry of `Results[]` per task (a row without a TaskID
 * holds overall figures), and their sums. Tencent's page shows no top-level totals.
 */
export function statisticsOf(response: IDataObject): Statistics {
	return sumStatistics(resultsOf(response).map((row) => ({ taskId: taskIdOf(row), ...figuresOf(row) })));
}

function sumStatistics(tasks: TaskFigures[]): Statistics {
	const sum = (key: (typeof COUNT_KEYS)[number]) => tasks.reduce((total, task) => total + task[key], 0);
	return {
		totalCount: sum('totalCount'),
		sentCount: sum('sentCount'),
		deliveredCount: sum('deliveredCount'),
		clickCount: sum('clickCount'),
		platforms: mergePlatforms(tasks.flatMap((task) => task.platforms)),
		tasks,
	};
}

/** Sums answers of several requests (Task IDs asked for 5 at a time). */
export function mergeStatistics(parts: Statistics[]): Statistics {
	return sumStatistics(parts.flatMap((part) => part.tasks));
}

/** One statistics request, validated and paced. */
export async function requestStatistics(this: IExecuteFunctions, app: AppIdentity, body: IDataObject, call: CallOptions): Promise<{ statistics: Statistics; attempts: number }> {
	assertValid(this.getNode(), statisticsSchema, body, call.itemIndex ?? 0);
	const { response, attempts } = await callTencent.call(this, 'timpush', COMMAND, body, { ...call, lane: statisticsLane(app.key, COMMAND) });
	return { statistics: statisticsOf(response), attempts };
}

// ---------------------------------------------------------------------------------------------
// Get Statistics

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const settings = requestSettings.call(this, i);
		const { bodies } = readTaskReportRequest.call(this, i, LIMITS.statisticsRangeSeconds);
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
		const range = { startTime: bodies[0].StartTime, endTime: bodies[0].EndTime };
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
/** How long before the push the report's window starts: room for clocks that disagree. */
export const REPORT_WINDOW_LEAD_SECONDS = 300;
export const DEFAULT_REPORT_QUIET_SECONDS = 10;

/** Entries of Send's Options collection: the switch first, then its two timings. */
export const reportOptionFields: INodeProperties[] = [
	{
		displayName: 'Wait for Report',
		name: 'waitForReport',
		type: 'boolean',
		default: false,
		description:
			'Whether to poll the push statistics (one request per second) after the push until delivery settles or the Report Timeout passes, and output the figures under report',
		displayOptions: { show: { '/api': ['timpush'] } },
	},
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
	pushedAt: number,
	settings: ReportSettings,
	call: CallOptions,
): Promise<IDataObject> {
	const started = clock.now();
	// The window starts before the push (Tencent's clock may run behind n8n's) and ends at each
	// poll, never in the future; a report waits an hour at most, far inside the 30-day limit.
	const startTime = Math.floor(pushedAt / 1000) - REPORT_WINDOW_LEAD_SECONDS;
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
			const body = { StartTime: startTime, EndTime: Math.max(startTime, Math.floor(clock.now() / 1000)), TaskID: [taskId] };
			statistics = (await requestStatistics.call(this, app, body, call)).statistics;
		} catch (error) {
			rethrowIfCancelled(error);
			const context = (error as { context?: IDataObject }).context;
			return report('error', last, { error: (error as Error).message, errorCode: context?.tencentErrorCode ?? null });
		}
		polls++;
		const at = clock.now();
		// The task's row of Results; a lone row without a TaskID is taken as its figures too (one task asked for).
		const found: Figures | undefined =
			statistics.tasks.find((task) => task.taskId === taskId) ?? (statistics.tasks.length === 1 && statistics.tasks[0].taskId === '' ? statistics.tasks[0] : undefined);
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
