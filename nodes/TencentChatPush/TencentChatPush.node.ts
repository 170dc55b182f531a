import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as appAttributeName from './actions/appAttributeName/AppAttributeName.resource';
import * as push from './actions/push/Push.resource';
import * as scheduledPush from './actions/scheduledPush/ScheduledPush.resource';
import { router } from './actions/router';
import * as userAttribute from './actions/userAttribute/UserAttribute.resource';
import * as userTag from './actions/userTag/UserTag.resource';
import { getAttributeNames } from './methods/attributeNames';
import { apiFamilyField } from './shared/descriptions';

/**
 * Programmatic rather than declarative: the node groups items into Tencent's batch sizes, paces
 * pushes and rate-limited endpoints, retries only what is safe to retry and validates everything
 * before sending, none of which the declarative style can express.
 */
export class TencentChatPush implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tencent Chat Push',
		name: 'tencentChatPush',
		icon: { light: 'file:../../icons/tencentChat.svg', dark: 'file:../../icons/tencentChat.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Push to all users, by tag or attribute, or to named users through Tencent Cloud Chat, and manage the tags and attributes behind those audiences',
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
				options: [
					{ name: 'App Attribute Name', value: 'appAttributeName', description: 'The ten attribute names an app can target' },
					{ name: 'Push', value: 'push' },
					{ name: 'Scheduled Push', value: 'scheduledPush', description: 'Pushes Tencent sends at a set time' },
					{ name: 'User Attribute', value: 'userAttribute' },
					{ name: 'User Tag', value: 'userTag' },
				],
				default: 'push',
			},
			apiFamilyField(['appAttributeName', 'userAttribute', 'userTag']),
			apiFamilyField(['push'], ['send']),
			...push.description,
			...scheduledPush.description,
			...userTag.description,
			...userAttribute.description,
			...appAttributeName.description,
		],
	};

	methods = { loadOptions: { getAttributeNames } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
