import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as appAttributeName from './actions/appAttributeName/AppAttributeName.resource';
import * as push from './actions/push/Push.resource';
import * as scheduledPush from './actions/scheduledPush/ScheduledPush.resource';
import { router } from './actions/router';
import * as userAttribute from './actions/userAttribute/UserAttribute.resource';
import * as userTag from './actions/userTag/UserTag.resource';
import { getAttributeNames, getAttributeSlots } from './methods/attributeNames';
import { apiFamilyField } from './shared/descriptions';

const RESOURCES = [
	{
		name: 'App Attribute Name',
		value: 'appAttributeName',
		description: 'The ten attribute names an app can target',
	},
	{ name: 'Push', value: 'push' },
	{
		name: 'Scheduled Push',
		value: 'scheduledPush',
		description: 'Pushes Tencent sends at a set time',
	},
	{ name: 'User Attribute', value: 'userAttribute' },
	{ name: 'User Tag', value: 'userTag' },
];

/**
 * The API family is a detail of how an operation is sent, so it sits right below Operation (n8n
 * shows parameters in array order), not between Resource and Operation.
 */
function withApiFamily(description: INodeProperties[], api: INodeProperties): INodeProperties[] {
	const at = description.findIndex((p) => p.name === 'operation');
	return [...description.slice(0, at + 1), api, ...description.slice(at + 1)];
}

/**
 * Programmatic rather than declarative: the node groups items into Tencent's batch sizes, paces
 * pushes and rate-limited endpoints, retries only what is safe to retry and validates everything
 * before sending, none of which the declarative style can express.
 */
export class TencentChatPush implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tencent Chat Push',
		name: 'tencentChatPush',
		icon: {
			light: 'file:../../icons/tencentChat.svg',
			dark: 'file:../../icons/tencentChat.dark.svg',
		},
		group: ['output'],
		version: 1,
		// Display names, never the internal values ("sendToUsers: push"); test/unit/editor.test.ts keeps it in step.
		subtitle:
			'={{ {"appAttributeName:get":"Get: App Attribute Name","appAttributeName:set":"Set: App Attribute Name","push:getDeliveryLosses":"Get Delivery Losses: Push","push:getStatistics":"Get Statistics: Push","push:recall":"Recall: Push","push:send":"Send: Push","push:sendToUsers":"Send to Users: Push","push:traceUser":"Trace User: Push","scheduledPush:create":"Create: Scheduled Push","scheduledPush:delete":"Delete: Scheduled Push","scheduledPush:get":"Get: Scheduled Push","scheduledPush:getAll":"Get Many: Scheduled Push","scheduledPush:update":"Update: Scheduled Push","userAttribute:get":"Get: User Attribute","userAttribute:remove":"Remove: User Attribute","userAttribute:set":"Set: User Attribute","userTag:add":"Add: User Tag","userTag:get":"Get: User Tag","userTag:remove":"Remove: User Tag","userTag:removeAll":"Remove All: User Tag"}[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description:
			'Push to all users, by tag or attribute, or to named users through Tencent Cloud Chat, and manage the tags and attributes behind those audiences',
		defaults: { name: 'Tencent Chat Push' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tencentChatApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: RESOURCES,
				default: 'push',
			},
			...withApiFamily(push.description, apiFamilyField(['push'], ['send'])),
			...scheduledPush.description,
			...withApiFamily(userTag.description, apiFamilyField(['userTag'])),
			...withApiFamily(userAttribute.description, apiFamilyField(['userAttribute'])),
			...withApiFamily(appAttributeName.description, apiFamilyField(['appAttributeName'])),
		],
	};

	methods = { loadOptions: { getAttributeNames, getAttributeSlots } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
