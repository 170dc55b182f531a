import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { channelName, chatTypeName, platformName, stageName } from '../TencentChatPush/helpers/pushPlatforms';

/** Tencent's answer envelope: ErrorCode 0 accepts the callback. */
export const ACCEPTED = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 };

/** Refusal for a callback that is not for this app; Tencent's envelope with a non-zero code. */
const refused = (reason: string) => ({ ActionStatus: 'FAIL', ErrorInfo: reason, ErrorCode: 1 });

export const PUSH_EVENTS = ['Push.AllMemberPush', 'Push.OfflinePush'];

const isObject = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Tencent's codes as words next to the raw fields: platform and stage names, and what EventType
 * means for this callback (offline/online push for Push.AllMemberPush, the chat type for
 * Push.OfflinePush).
 */
function withNames(event: IDataObject): IDataObject {
	const names: IDataObject = {};
	if (event.PushPlatform !== undefined) names.platform = platformName(event.PushPlatform, event.CallbackCommand === 'Push.AllMemberPush' ? event.EventType : undefined);
	if (event.PushStage !== undefined) names.stage = stageName(event.PushStage);
	if (event.EventType !== undefined) {
		if (event.CallbackCommand === 'Push.OfflinePush') names.chatType = chatTypeName(event.EventType);
		else names.channel = channelName(event.EventType);
	}
	return { ...event, ...names };
}

/**
 * Receives Tencent Cloud Chat push callbacks (spec §2.8): Tencent POSTs
 * `?SdkAppid=…&CallbackCommand=Push.AllMemberPush&contenttype=json` with `{"Events": [...]}` (1 to
 * 100 events), and wants `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}` back. Each event
 * becomes one item. Tencent has no API to register the URL: it is pasted in the Chat console, so
 * the lifecycle methods below have nothing to register.
 */
export class TencentChatPushTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tencent Chat Push Trigger',
		name: 'tencentChatPushTrigger',
		icon: { light: 'file:../../icons/tencentChat.svg', dark: 'file:../../icons/tencentChat.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when Tencent Cloud Chat reports push results (push callbacks)',
		defaults: { name: 'Tencent Chat Push Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tencentChatApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// When an execution starts, n8n answers with this, not with webhookResponse (which it only
				// sends when nothing starts); its default would be the text "firstEntryJson".
				responseData: '={{ { "ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0 } }}',
				path: 'tencent-chat-push',
			},
		],
		properties: [
			{
				displayName:
					'Paste the Production URL of this node in the Tencent Cloud Chat console: your app → Callback Configuration (Webhooks) → Callback URL, and enable the push callbacks chosen below. Tencent adds ?SdkAppid=… to every call; callbacks for another SDKAppID than the credential\'s are refused.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['Push.AllMemberPush'],
				description: 'The callbacks that start the workflow; others are answered and ignored',
				options: [
					{
						name: 'All-Member Push Result (Push.AllMemberPush)',
						value: 'Push.AllMemberPush',
						description: 'Results of pushes to all users, by tag or attribute, and to named users: one event per recipient',
					},
					{
						name: 'Offline Push of a Message (Push.OfflinePush)',
						value: 'Push.OfflinePush',
						description: 'Vendor notifications of ordinary one-to-one and group messages',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			/** The callback URL lives in Tencent's console, not behind an API: there is nothing to look up. */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			/** Nothing to register: the URL is pasted in the console once. */
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			/** Nothing to remove: Tencent keeps calling the URL until it is removed in the console. */
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const query = this.getQueryData() as IDataObject;
		const credentials = await this.getCredentials('tencentChatApi');
		const expected = String(credentials.sdkAppId ?? '').trim();
		const received = String(query.SdkAppid ?? query.sdkappid ?? '').trim();
		if (received === '' || received !== expected) {
			return {
				webhookResponse: refused(
					received === '' ? 'SdkAppid is missing from the callback URL' : `SdkAppid ${received} is not the SDKAppID of this workflow's credential`,
				),
			};
		}

		const body = this.getBodyData();
		const queryCommand = String(query.CallbackCommand ?? '');
		// Push callbacks wrap events in "Events"; a bare event object is taken as a list of one.
		const raw: unknown[] = Array.isArray(body.Events) ? body.Events : isObject(body) && body.CallbackCommand ? [body] : [];
		const wanted = new Set(this.getNodeParameter('events', PUSH_EVENTS) as string[]);
		const events = raw
			.filter(isObject)
			.map((event) => (event.CallbackCommand ? event : { CallbackCommand: queryCommand, ...event }))
			.filter((event) => wanted.has(String(event.CallbackCommand)))
			.map(withNames);
		if (events.length === 0) return { webhookResponse: ACCEPTED };
		return { webhookResponse: ACCEPTED, workflowData: [this.helpers.returnJsonArray(events)] };
	}
}
