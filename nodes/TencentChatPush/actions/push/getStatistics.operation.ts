import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { timeZoneOption } from '../../helpers/time';
import { requestOptionsField } from '../../shared/descriptions';
import { appIdentity, dryRunResult, forEachItem, requestSettings } from '../../shared/execution';
import {
	STATISTICS_COMMAND as COMMAND,
	type Statistics,
	mergeStatistics,
	requestStatistics,
} from '../../shared/statistics';
import { readTaskReportRequest, taskReportFields } from '../../shared/taskReport';
import { LIMITS } from '../../validation/limits';
import { statisticsSchema } from '../../validation/statistics';
import { assertValid } from '../../validation/validate';

/**
 * Push → Get Statistics (v4/timpush/all_member_push_statistics); the figures are read in
 * shared/statistics.ts, which Send's "Wait for Report" (shared/reportPoller.ts) uses too. Every
 * request carries StartTime, EndTime (at most 30 days apart) and TaskID (at most 5; empty for the
 * app's overall figures), as Tencent's page requires
 * (intl.cloud.tencent.com/document/product/1047/71894).
 */

const properties: INodeProperties[] = [
	...taskReportFields('figures', LIMITS.statisticsRangeSeconds),
	{
		displayName: 'Output',
		name: 'statisticsOutput',
		type: 'options',
		default: 'summary',
		options: [
			{
				name: 'One Item per Task',
				value: 'tasks',
				description: 'An item with the figures of each push',
			},
			{
				name: 'Summary',
				value: 'summary',
				description: "One item with the totals and, under tasks, each push's figures",
			},
		],
	},
	requestOptionsField([timeZoneOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['push'], operation: ['getStatistics'] } },
	properties,
);

// ---------------------------------------------------------------------------------------------
// Get Statistics

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
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
