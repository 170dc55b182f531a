import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { now, readDateTime, readTimeZone, timeZoneOption, toTencentUtc } from '../../helpers/time';
import { requestOptionsField } from '../../shared/descriptions';
import {
	type AppIdentity,
	appIdentity,
	dryRunResult,
	forEachItem,
	readFlag,
	readWholeNumber,
	requestSettings,
} from '../../shared/execution';
import type { CallOptions } from '../../transport';
import { LIMITS } from '../../validation/limits';
import { listSchedTaskSchema } from '../../validation/scheduling';
import { assertValid } from '../../validation/validate';
import { callSched, taskOutput } from './fields';

const COMMAND = 'list_sched_task';
const WINDOW_MS = LIMITS.schedListRangeSeconds * 1000;
const MAX_SPAN_MS = LIMITS.schedListMaxWindows * WINDOW_MS;

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'End Time',
				name: 'endTime',
				type: 'dateTime',
				default: '',
				description: 'Latest time (inclusive) of the Order By field; 31 days after now when empty',
			},
			{
				displayName: 'Keyword',
				name: 'keyword',
				type: 'string',
				default: '',
				description: 'Only tasks whose notification title or text contains this',
			},
			{
				displayName: 'Start Time',
				name: 'startTime',
				type: 'dateTime',
				default: '',
				description:
					'Earliest time (inclusive) of the Order By field; 31 days before now when empty. Ranges longer than 31 days are read in 31-day windows, at most 372 days in all.',
			},
		],
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort Option',
		default: {},
		options: [
			{
				displayName: 'Ascending',
				name: 'ascending',
				type: 'boolean',
				default: false,
				description: 'Whether to list the earliest first (newest first when off)',
			},
			{
				displayName: 'Order By',
				name: 'orderBy',
				type: 'options',
				default: 'createAt',
				description: 'Which time the tasks are sorted and filtered by',
				options: [
					{ name: 'Created At', value: 'createAt' },
					{ name: 'Send At', value: 'schedAt' },
				],
			},
		],
	},
	requestOptionsField([timeZoneOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['scheduledPush'], operation: ['getAll'] } },
	properties,
);

interface Query {
	base: IDataObject;
	/** [start, end] in ms, inclusive, each at most WINDOW_MS long, in the order pages are read. */
	windows: Array<[number, number]>;
	max: number;
}

function readQuery(this: IExecuteFunctions, app: AppIdentity, itemIndex: number): Query {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const sort = this.getNodeParameter('sort', itemIndex, {}) as IDataObject;
	const zone = readTimeZone.call(this, itemIndex);
	const readFilterTime = (name: string, label: string) => {
		const parsed = readDateTime.call(this, `filters.${name}`, label, itemIndex, zone);
		return parsed ? Math.floor(parsed.toMillis() / 1000) * 1000 : undefined;
	};
	const current = now().toMillis();
	const start =
		readFilterTime('startTime', 'Start Time') ?? Math.floor((current - WINDOW_MS) / 1000) * 1000;
	const end =
		readFilterTime('endTime', 'End Time') ?? Math.floor((current + WINDOW_MS) / 1000) * 1000;
	if (start > end) {
		throw new NodeOperationError(
			this.getNode(),
			'Start Time is later than End Time (error 90104)',
			{ itemIndex, description: 'Nothing was sent to Tencent.' },
		);
	}
	if (end - start >= MAX_SPAN_MS) {
		const days = Math.ceil((end - start + 1000) / 86_400_000);
		throw new NodeOperationError(
			this.getNode(),
			`Filters: Start Time to End Time spans ${days} days; Get Many reads at most ${MAX_SPAN_MS / 86_400_000} days`,
			{
				itemIndex,
				description: `Nothing was sent to Tencent. The range is read in ${WINDOW_MS / 86_400_000}-day windows, one request each at Tencent's five per second, so at most ${LIMITS.schedListMaxWindows} windows are read per item. Narrow Start Time and End Time, or split the range over several items.`,
			},
		);
	}
	const ascending = sort.ascending === true;
	// Consecutive windows of at most 31 days whose ends are whole seconds and do not overlap.
	const windows: Array<[number, number]> = [];
	for (let from = start; from <= end; from += WINDOW_MS)
		windows.push([from, Math.min(from + WINDOW_MS - 1000, end)]);
	if (!ascending) windows.reverse();

	// OrderBy is spelled createAt/schedAt on Tencent's Chinese list_sched_task page (cloud.tencent.com)
	// and createat/schedat on the international ones. The Chinese page is the original the others
	// are translated from, and its spelling matches the CreateAt/SchedAt fields of every TaskInfo.
	const base: IDataObject = {
		Sdkappid: app.sdkAppId,
		OrderBy: (sort.orderBy as string) || 'createAt',
		Asc: ascending,
	};
	const keyword = String(filters.keyword ?? '');
	if (keyword) base.Keyword = keyword;
	const returnAll = readFlag(
		this,
		this.getNodeParameter('returnAll', itemIndex, false),
		'Return All',
		itemIndex,
	);
	const max = returnAll
		? Infinity
		: readWholeNumber(
				this,
				this.getNodeParameter('limit', itemIndex, 50),
				50,
				'Limit',
				[1, Number.MAX_SAFE_INTEGER],
				itemIndex,
			);
	return { base, windows, max };
}

const pageBody = (
	query: Query,
	window: [number, number],
	offset: number,
	want: number,
): IDataObject => ({
	...query.base,
	Offset: offset,
	Want: want,
	BeginTime: toTencentUtc(dateOf(window[0])),
	EndTime: toTencentUtc(dateOf(window[1])),
});

const dateOf = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' });

/** Pages through each window with Offset/Want until the tasks run out or the limit is reached. */
async function listTasks(
	this: IExecuteFunctions,
	app: AppIdentity,
	query: Query,
	call: CallOptions,
	itemIndex: number,
) {
	const tasks: IDataObject[] = [];
	for (const window of query.windows) {
		for (let offset = 0; tasks.length < query.max; ) {
			const want = Math.min(LIMITS.schedListMaxWant, query.max - tasks.length);
			const body = pageBody(query, window, offset, want);
			assertValid(this.getNode(), listSchedTaskSchema, body, itemIndex);
			const { response } = await callSched.call(this, app, COMMAND, body, call);
			const page = Array.isArray(response.Tasks) ? (response.Tasks as IDataObject[]) : [];
			tasks.push(...page.slice(0, query.max - tasks.length));
			offset += page.length;
			const total = Number(response.Total);
			if (page.length < want || (Number.isFinite(total) && offset >= total)) break;
		}
		if (tasks.length >= query.max) break;
	}
	return tasks;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const settings = requestSettings.call(this, i);
		const query = readQuery.call(this, app, i);
		if (settings.dryRun) {
			const body = pageBody(
				query,
				query.windows[0],
				0,
				Math.min(LIMITS.schedListMaxWant, query.max),
			);
			return dryRunResult(app, 'timpush', COMMAND, body, listSchedTaskSchema);
		}
		const tasks = await listTasks.call(this, app, query, settings.call, i);
		return tasks.map(taskOutput);
	});
}
