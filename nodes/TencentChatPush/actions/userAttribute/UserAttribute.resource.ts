import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as remove from './remove.operation';
import * as set from './set.operation';

export { get, remove, set };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['userAttribute'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the attributes of users',
				action: 'Get attributes of users',
			},
			{
				name: 'Remove',
				value: 'remove',
				description: 'Delete attributes from users',
				action: 'Remove attributes from users',
			},
			{
				name: 'Set',
				value: 'set',
				description: 'Set attribute values of users',
				action: 'Set attributes of users',
			},
		],
		default: 'set',
	},
	...set.description,
	...get.description,
	...remove.description,
];
