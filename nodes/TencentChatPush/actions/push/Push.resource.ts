import type { INodeProperties } from 'n8n-workflow';

import * as getDeliveryLosses from './getDeliveryLosses.operation';
import * as getStatistics from './getStatistics.operation';
import * as recall from './recall.operation';
import * as send from './send.operation';
import * as sendToUsers from './sendToUsers.operation';
import * as traceUser from './traceUser.operation';

export { getDeliveryLosses, getStatistics, recall, send, sendToUsers, traceUser };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['push'] } },
		options: [
			{
				name: 'Get Delivery Losses',
				value: 'getDeliveryLosses',
				description:
					'Get why pushes did not reach devices: error codes before and after sending, per platform (last 7 days)',
				action: 'Get push delivery losses',
			},
			{
				name: 'Get Statistics',
				value: 'getStatistics',
				description:
					'Get delivery figures (total, sent, delivered, clicked) of pushes by TaskId or time range (last 30 days)',
				action: 'Get push statistics',
			},
			{
				name: 'Recall',
				value: 'recall',
				description:
					'Stop an all-user, tag or attribute push within 24 hours and overwrite its notification',
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
				description:
					"Push a notification to named accounts, paced to your Push service edition's users per second",
				action: 'Send a push to users',
			},
			{
				name: 'Trace User',
				value: 'traceUser',
				description: "Trace how one push reached one user's devices (kept 7 days)",
				action: 'Trace a push to a user',
			},
		],
		default: 'send',
	},
	...send.description,
	...sendToUsers.description,
	...recall.description,
	...getStatistics.description,
	...getDeliveryLosses.description,
	...traceUser.description,
];
