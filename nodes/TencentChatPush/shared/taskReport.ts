import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chunk, unique } from '../helpers/lists';
import { clock } from '../helpers/pacing';
import { readStringList } from '../helpers/parameters';
import { readDateTime, readTimeZone, toUnixSeconds } from '../helpers/time';
import { LIMITS } from '../validation/limits';

/**
 * What Push → Get Statistics (all_member_push_statistics) and Push → Get Delivery Losses
 * (all_member_push_loss) share: both take StartTime, EndTime and TaskID, all three required, with
 * at most 5 TaskIDs per request (an empty list asks for the app's overall figures) and a window of
 * at most 30 days (statistics) or 7 days (losses).
 *
 * A range longer than that is refused, not split: how Tencent selects pushes by the window
 * (by push time, or by event time) is not documented, and only under some readings would the
 * figures of consecutive windows add up; a wrong sum is worse than a clear refusal.
 */

export type TaskReportFilter = 'taskIds' | 'both' | 'timeRange';

/**
 * The window sent with Task IDs when the user gives no range: the most recent `maxRangeSeconds`,
 * less an hour so that a difference between n8n's and Tencent's clocks can never stretch it past
 * Tencent's limit. It ends now, never in the future.
 */
export const RECENT_WINDOW_MARGIN_SECONDS = 3_600;

export function recentWindow(
	maxRangeSeconds: number,
	nowMs = clock.now(),
): { StartTime: number; EndTime: number } {
	const end = Math.floor(nowMs / 1000);
	return { StartTime: end - (maxRangeSeconds - RECENT_WINDOW_MARGIN_SECONDS), EndTime: end };
}

const days = (seconds: number) => seconds / 86_400;

/** Filter By, Task IDs, Start Time and End Time, worded for a window of at most `maxRangeSeconds`. */
export function taskReportFields(what: string, maxRangeSeconds: number): INodeProperties[] {
	const max = days(maxRangeSeconds);
	return [
		{
			displayName: 'Filter By',
			name: 'statisticsFilter',
			type: 'options',
			default: 'taskIds',
			description: `Which pushes to report on. Tencent answers for at most ${max} days at a time.`,
			options: [
				{
					name: 'Task IDs',
					value: 'taskIds',
					description: `Pushes by their TaskId (from Send or Send to Users), looked up in the last ${max} days`,
				},
				{
					name: 'Task IDs Within a Time Range',
					value: 'both',
					description: 'Pushes by TaskId, counted only within the range',
				},
				{
					name: 'Time Range',
					value: 'timeRange',
					description: `The app's overall ${what} for the range (at most ${max} days)`,
				},
			],
		},
		{
			displayName: 'Task IDs',
			name: 'taskIds',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. {{ $json.taskId }}',
			description: `TaskIds, comma-separated, a JSON array, or an expression returning a list. Tencent takes ${LIMITS.statisticsTaskIdsPerRequest} per request: longer lists are asked for ${LIMITS.statisticsTaskIdsPerRequest} at a time, one request per second.`,
			displayOptions: { show: { statisticsFilter: ['taskIds', 'both'] } },
		},
		{
			displayName: 'Start Time',
			name: 'startTime',
			type: 'dateTime',
			required: true,
			default: '',
			description:
				"Start of the range (inclusive). Any n8n date-time; without an offset it is read in the Time Zone option, else the workflow's time zone.",
			displayOptions: { show: { statisticsFilter: ['timeRange', 'both'] } },
		},
		{
			displayName: 'End Time',
			name: 'endTime',
			type: 'dateTime',
			required: true,
			default: '',
			description: `End of the range (inclusive), at most ${max} days after Start Time; a longer range is refused before sending`,
			displayOptions: { show: { statisticsFilter: ['timeRange', 'both'] } },
		},
	];
}

/** The filter of an item; an expression giving anything else stops the item. */
function readFilter(context: IExecuteFunctions, itemIndex: number): TaskReportFilter {
	const filter = context.getNodeParameter('statisticsFilter', itemIndex, 'taskIds');
	if (filter === 'taskIds' || filter === 'both' || filter === 'timeRange') return filter;
	throw new NodeOperationError(
		context.getNode(),
		`Filter By is '${String(filter)}'; it must be 'taskIds', 'both' or 'timeRange'`,
		{
			itemIndex,
			description: 'Nothing was sent to Tencent.',
		},
	);
}

export interface TaskReportRequest {
	filter: TaskReportFilter;
	/** The Task IDs asked for, de-duplicated, in order; empty for the overall figures. */
	taskIds: string[];
	/** One body per request: at most 5 Task IDs each, every one with the same window. */
	bodies: IDataObject[];
}

/** Reads an item's filter into request bodies that always carry StartTime, EndTime and TaskID. */
export function readTaskReportRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	maxRangeSeconds: number,
): TaskReportRequest {
	const filter = readFilter(this, itemIndex);
	let window: { StartTime: number; EndTime: number };
	if (filter === 'taskIds') {
		window = recentWindow(maxRangeSeconds);
	} else {
		const zone = readTimeZone.call(this, itemIndex);
		const start = readDateTime.call(this, 'startTime', 'Start Time', itemIndex, zone);
		const end = readDateTime.call(this, 'endTime', 'End Time', itemIndex, zone);
		if (!start || !end) {
			throw new NodeOperationError(
				this.getNode(),
				`${start ? 'End' : 'Start'} Time is empty: a time range needs both ends`,
				{
					itemIndex,
					description: 'Nothing was sent to Tencent.',
				},
			);
		}
		window = { StartTime: toUnixSeconds(start), EndTime: toUnixSeconds(end) };
	}
	if (filter === 'timeRange')
		return {
			filter,
			taskIds: [],
			bodies: [{ StartTime: window.StartTime, EndTime: window.EndTime, TaskID: [] }],
		};

	const taskIds = unique(readStringList(this, 'taskIds', 'Task IDs', itemIndex));
	if (taskIds.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Task IDs is empty', {
			itemIndex,
			description:
				"Nothing was sent to Tencent. Give at least one TaskId, or choose Filter By 'Time Range' for the app's overall figures.",
		});
	}
	const bodies = chunk(taskIds, LIMITS.statisticsTaskIdsPerRequest).map((slice) => ({
		StartTime: window.StartTime,
		EndTime: window.EndTime,
		TaskID: slice,
	}));
	return { filter, taskIds, bodies };
}

/** `Results` of a statistics or loss answer; anything else reads as no rows. */
export function resultsOf(response: IDataObject): IDataObject[] {
	return Array.isArray(response.Results)
		? (response.Results as unknown[]).filter(
				(row): row is IDataObject => typeof row === 'object' && row !== null && !Array.isArray(row),
			)
		: [];
}

/** The TaskID of a result row ('' for a row of overall figures). */
export const taskIdOf = (row: IDataObject): string => String(row.TaskID ?? row.TaskId ?? '');
