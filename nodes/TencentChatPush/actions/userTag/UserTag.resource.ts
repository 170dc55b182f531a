import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as get from './get.operation';
import * as remove from './remove.operation';
import * as removeAll from './removeAll.operation';

export { add, get, remove, removeAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['userTag'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				description: 'Add tags to users (or replace their tags)',
				action: 'Add tags to users',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get the tags of users',
				action: 'Get tags of users',
			},
			{
				name: 'Remove',
				value: 'remove',
				description: 'Remove some tags from users',
				action: 'Remove tags from users',
			},
			{
				name: 'Remove All',
				value: 'removeAll',
				description: 'Remove every tag from users',
				action: 'Remove all tags from users',
			},
		],
		default: 'add',
	},
	...add.description,
	...get.description,
	...remove.description,
	...removeAll.description,
];
