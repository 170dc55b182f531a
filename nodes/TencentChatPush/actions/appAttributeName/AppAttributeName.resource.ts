import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as set from './set.operation';

export { get, set };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['appAttributeName'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the attribute names of the app',
				action: 'Get app attribute names',
			},
			{
				name: 'Set',
				value: 'set',
				description: 'Name the attribute slots of the app',
				action: 'Set app attribute names',
			},
		],
		default: 'get',
	},
	...get.description,
	...set.description,
];
