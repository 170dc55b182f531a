import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { routeErrorItems } from '../shared/execution';
import * as appAttributeName from './appAttributeName/AppAttributeName.resource';
import * as push from './push/Push.resource';
import * as scheduledPush from './scheduledPush/ScheduledPush.resource';
import * as userAttribute from './userAttribute/UserAttribute.resource';
import * as userTag from './userTag/UserTag.resource';

type Operation = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[]>;

const OPERATIONS: Record<string, Record<string, { execute: Operation }>> = {
	appAttributeName: { get: appAttributeName.get, set: appAttributeName.set },
	push: {
		getDeliveryLosses: push.getDeliveryLosses,
		getStatistics: push.getStatistics,
		recall: push.recall,
		send: push.send,
		sendToUsers: push.sendToUsers,
		traceUser: push.traceUser,
	},
	scheduledPush: {
		create: scheduledPush.create,
		delete: scheduledPush.remove,
		get: scheduledPush.get,
		getAll: scheduledPush.getAll,
		update: scheduledPush.update,
	},
	userAttribute: { get: userAttribute.get, remove: userAttribute.remove, set: userAttribute.set },
	userTag: {
		add: userTag.add,
		get: userTag.get,
		remove: userTag.remove,
		removeAll: userTag.removeAll,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	// Resource and operation cannot come from expressions (noDataExpression), so item 0 speaks for all.
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = OPERATIONS[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	return [routeErrorItems(this, await handler.execute.call(this, items))];
}
