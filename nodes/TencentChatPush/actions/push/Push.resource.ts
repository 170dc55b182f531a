import type { INodeProperties } from 'n8n-workflow';

import * as getStatistics from './getStatistics.operation';
import * as recall from './recall.operation';
import * as send from './send.operation';
import * as sendToUsers from './sendToUsers.operation';
import * as traceUser from './traceUser.operation';

export { getStatistics, recall, send, sendToUsers, traceUser };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['push'] } },
		options: [
			{
				name: 'Get Statistics',
				value: 'getStatistics',
				description: 'Get delivery figures (total, sent, delivered, clicked) of pushes by TaskId or time range',
				action: 'Get push statistics',
			},
			{
				name: 'Recall',
				value: 'recall',
				description: 'Stop an all-user, tag or attribute push within 24 hours and overwrite its notification',
				action: 'Recall a push',
			},
			{
				name: 'Send',
				value: 'send',
				description: 'Push to all users, or to users selected by tags or attributes',
				action: 'Send a push',
			},
			{
				name: 'Send to Users',
				value: 'sendToUsers',
				description: 'Push a notification to named accounts (500 per request, split automatically)',
				action: 'Send a push to users',
			},
			{
				name: 'Trace User',
				value: 'traceUser',
				description: 'Trace how one push reached one user\'s devices (kept 7 days)',
				action: 'Trace a push to a user',
			},
		],
		default: 'send',
	},
	...send.description,
	...sendToUsers.description,
	...recall.description,
	...getStatistics.description,
	...traceUser.description,
];
