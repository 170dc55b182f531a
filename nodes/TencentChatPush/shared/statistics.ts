import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { statisticsLane } from '../helpers/pacing';
import { channelName, platformName } from '../helpers/pushPlatforms';
import { callTencent, type CallOptions } from '../transport';
import { statisticsSchema } from '../validation/statistics';
import { assertValid } from '../validation/validate';
import { type AppIdentity } from './execution';
import { resultsOf, taskIdOf } from './taskReport';

/**
 * Push statistics (v4/timpush/all_member_push_statistics) in the node's names: what Push → Get
 * Statistics outputs and what the report poller behind Send's "Wait for Report" watches. Both go
 * through one lane per app: Tencent answers one statistics request per second. The answer is read
 * from `Results[]`, one entry per task.
 */

export const STATISTICS_COMMAND = 'all_member_push_statistics';

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
	return {
		platform: platformName(row.PushPlatform, row.EventType),
		pushPlatform: count(row.PushPlatform),
		channel: channelName(row.EventType),
		...countsOf(row),
	};
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
	return [...merged.values()].sort(
		(a, b) => a.pushPlatform - b.pushPlatform || a.channel.localeCompare(b.channel),
	);
}

function figuresOf(raw: IDataObject): Figures {
	const rows = Array.isArray(raw.PlatformStatistics)
		? (raw.PlatformStatistics as IDataObject[])
		: [];
	return { ...countsOf(raw), platforms: mergePlatforms(rows.map(platformRowOf)) };
}

/**
 * Tencent's answer in the node's names: one entry of `Results[]` per task (a row without a TaskID
 * holds overall figures), and their sums. Tencent's page shows no top-level totals.
 */
export function statisticsOf(response: IDataObject): Statistics {
	return sumStatistics(
		resultsOf(response).map((row) => ({ taskId: taskIdOf(row), ...figuresOf(row) })),
	);
}

function sumStatistics(tasks: TaskFigures[]): Statistics {
	const sum = (key: (typeof COUNT_KEYS)[number]) =>
		tasks.reduce((total, task) => total + task[key], 0);
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
export async function requestStatistics(
	this: IExecuteFunctions,
	app: AppIdentity,
	body: IDataObject,
	call: CallOptions,
): Promise<{ statistics: Statistics; attempts: number }> {
	assertValid(this.getNode(), statisticsSchema, body, call.itemIndex ?? 0);
	const { response, attempts } = await callTencent.call(this, 'timpush', STATISTICS_COMMAND, body, {
		...call,
		lane: statisticsLane(app.key, STATISTICS_COMMAND),
	});
	return { statistics: statisticsOf(response), attempts };
}
