import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { rethrowIfCancelled } from '../helpers/cancel';
import { clock } from '../helpers/pacing';
import { type CallOptions } from '../transport';
import { type AppIdentity, readFlag, readWholeNumber } from './execution';
import { type Figures, type Statistics, requestStatistics } from './statistics';

/**
 * Push → Send's "Wait for Report" option: after a push, poll its statistics until delivery
 * settles, the report times out, or the execution is stopped.
 */

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
		description:
			'With Wait for Report: delivery counts as settled once the figures have not changed for this long (devices that are off never confirm)',
		displayOptions: { show: { '/api': ['timpush'] } },
	},
	{
		displayName: 'Report Timeout (Seconds)',
		name: 'reportTimeout',
		type: 'number',
		default: DEFAULT_REPORT_TIMEOUT_SECONDS,
		typeOptions: { minValue: 1, maxValue: 3600 },
		description:
			'With Wait for Report: the longest to wait; the figures so far are output, marked settled: false',
		displayOptions: { show: { '/api': ['timpush'] } },
	},
];

export interface ReportSettings {
	timeoutMs: number;
	quietMs: number;
}

export function readReportSettings(
	this: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
): ReportSettings | undefined {
	if (!readFlag(this, options.waitForReport, 'Wait for Report', itemIndex)) return undefined;
	const seconds = (value: unknown, fallback: number, label: string, max: number) =>
		readWholeNumber(this, value, fallback, label, [1, max], itemIndex) * 1000;
	return {
		timeoutMs: seconds(
			options.reportTimeout,
			DEFAULT_REPORT_TIMEOUT_SECONDS,
			'Report Timeout (Seconds)',
			3600,
		),
		quietMs: seconds(
			options.reportQuietPeriod,
			DEFAULT_REPORT_QUIET_SECONDS,
			'Report Quiet Period (Seconds)',
			3600,
		),
	};
}

const sameDelivery = (a: Figures, b: Figures) =>
	a.totalCount === b.totalCount &&
	a.sentCount === b.sentCount &&
	a.deliveredCount === b.deliveredCount;

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
	const report = (
		settledBy: string,
		figures: Figures | undefined,
		extra: IDataObject = {},
	): IDataObject => ({
		settled: settledBy !== 'timeout' && settledBy !== 'error' && settledBy !== 'cancelled',
		settledBy,
		polls,
		waitedSeconds: Math.round((clock.now() - started) / 100) / 10,
		...(figures ?? {
			totalCount: 0,
			sentCount: 0,
			deliveredCount: 0,
			clickCount: 0,
			platforms: [],
		}),
		...extra,
	});
	for (;;) {
		let statistics: Statistics;
		try {
			const body = {
				StartTime: startTime,
				EndTime: Math.max(startTime, Math.floor(clock.now() / 1000)),
				TaskID: [taskId],
			};
			statistics = (await requestStatistics.call(this, app, body, call)).statistics;
		} catch (error) {
			rethrowIfCancelled(error);
			const context = (error as { context?: IDataObject }).context;
			return report('error', last, {
				error: (error as Error).message,
				errorCode: context?.tencentErrorCode ?? null,
			});
		}
		polls++;
		const at = clock.now();
		// The task's row of Results; a lone row without a TaskID is taken as its figures too (one task asked for).
		const found: Figures | undefined =
			statistics.tasks.find((task) => task.taskId === taskId) ??
			(statistics.tasks.length === 1 && statistics.tasks[0].taskId === ''
				? statistics.tasks[0]
				: undefined);
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
			if (unchanged && current.sentCount > 0 && current.deliveredCount >= current.sentCount)
				return report('delivered', current);
			if (at - lastChangeAt >= settings.quietMs) return report('quiet', current);
		}
		if (at - started >= settings.timeoutMs) return report('timeout', last);
		if (this.getExecutionCancelSignal()?.aborted) return report('cancelled', last);
	}
}
