import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as remove from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, get, getAll, remove, update };

/** Scheduled push tasks (v4/timpush/*_sched_task, docs/tencent-api.md#scheduled): five requests per second each. */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['scheduledPush'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Schedule a push to all users, by tags or attributes, or to named users',
				action: 'Create a scheduled push',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a scheduled push that is still pending',
				action: 'Delete a scheduled push',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a scheduled push with its status',
				action: 'Get a scheduled push',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List scheduled pushes by creation or send time',
				action: 'Get many scheduled pushes',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the time or content of a scheduled push that is still pending',
				action: 'Update a scheduled push',
			},
		],
		default: 'create',
	},
	...create.description,
	...update.description,
	...remove.description,
	...get.description,
	...getAll.description,
];
