import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ReplayMemory, bodyDigest, readEvents, verifySignature } from './callbackAuth';
import { readableEvent, zoneOf } from './events';

/** Tencent's answer envelope: ErrorCode 0 accepts the callback. */
export const ACCEPTED = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 };

/** Refusal in Tencent's envelope: a non-zero code (1 = callback error). */
const refused = (reason: string) => ({ ActionStatus: 'FAIL', ErrorInfo: reason, ErrorCode: 1 });

export const PUSH_EVENTS = ['Push.AllMemberPush', 'Push.OfflinePush'];

/** Time source of the signature check, replaceable in tests. */
export const callbackClock = { now: (): number => Date.now() };

/** Bodies that started an execution lately, shared by every trigger of this process. */
export const replayMemory = new ReplayMemory();

/** Trigger parameter: whether callbacks must carry Tencent's signature. */
export const SIGNED = 'signed';
export const UNSIGNED = 'none';

/**
 * Receives Tencent Cloud Chat push callbacks (docs/tencent-api.md#callbacks): Tencent POSTs
 * `?SdkAppid=…&CallbackCommand=Push.AllMemberPush&contenttype=json` with `{"Events": [...]}` (1 to
 * 100 events), and wants `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}` back. Each event
 * becomes one item. Tencent has no API to register the URL: it is pasted in the Chat console, so
 * the lifecycle methods below have nothing to register.
 */
export class TencentChatPushTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tencent Chat Push Trigger',
		name: 'tencentChatPushTrigger',
		icon: {
			light: 'file:../../icons/tencentChat.svg',
			dark: 'file:../../icons/tencentChat.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ ($parameter["events"] || []).map(e => ({ "Push.AllMemberPush": "All-member push results", "Push.OfflinePush": "Offline pushes" })[e] || e).join(", ") }}',
		description:
			'Starts the workflow when Tencent Cloud Chat reports push results (push callbacks)',
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
					"Paste the Production URL of this node in the Tencent Cloud Chat console: your app → Callback Configuration (Webhooks) → Callback URL, and enable the push callbacks chosen below. Tencent adds ?SdkAppid=… to every call; callbacks for another SDKAppID than the credential's are refused.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Authentication',
				name: 'callbackAuthentication',
				type: 'options',
				default: SIGNED,
				description: 'Whether a callback must prove it comes from Tencent',
				options: [
					{
						name: 'Signed With the Callback Token (Recommended)',
						value: SIGNED,
						description:
							"Tencent's Sign and RequestTime must match the credential's Callback Token and be at most 60 s old",
					},
					{
						name: 'None (Anyone With the URL Can Start This Workflow)',
						value: UNSIGNED,
						description:
							'Only the SDKAppID is checked, and it is public: every client app carries it',
					},
				],
			},
			{
				displayName:
					"Callbacks must be signed: in the Chat console, Callback Configuration → callback authentication, set a token, and enter the same token as Callback Token in this node's credential. Unsigned calls, a wrong Sign, and a RequestTime more than 60 s from this server's clock are refused (HTTP 401) and start nothing; so is every call while the credential has no Callback Token. A body that already started an execution in the last two minutes is acknowledged and starts nothing again.",
				name: 'signedNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { callbackAuthentication: [SIGNED] } },
			},
			{
				displayName:
					'Callbacks are NOT authenticated: anyone who learns this URL can start this workflow with made-up push results. The SDKAppID that is checked is public. Choose Signed With the Callback Token and set the token in the Chat console and the credential.',
				name: 'unsignedNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { callbackAuthentication: [UNSIGNED] } },
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
						// n8n builds the nodes panel's trigger names from these: the Tencent command would read as words.
						name: 'All-Member Push Result',
						value: 'Push.AllMemberPush',
						description:
							'Results of pushes to all users, by tag or attribute, and to named users: one event per recipient (Tencent callback Push.AllMemberPush)',
					},
					{
						name: 'Offline Push of a Message',
						value: 'Push.OfflinePush',
						description:
							'Vendor notifications of ordinary one-to-one and group messages (Tencent callback Push.OfflinePush)',
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

	/**
	 * Checks, in order: the SdkAppid of the URL, then (unless Authentication is None) Sign and
	 * RequestTime, then the body. A refusal answers Tencent's envelope with ErrorCode 1 and an HTTP
	 * status that says why (403 another app, 401 not authenticated, 400 unreadable body), and starts
	 * nothing. A body that already started an execution within REPLAY_MEMORY_MS is answered OK (a
	 * retry by Tencent must stop) and starts nothing again.
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const query = this.getQueryData() as IDataObject;
		const credentials = await this.getCredentials('tencentChatApi');
		const refuse = (status: number, reason: string): IWebhookResponseData => {
			this.logger?.warn(`Tencent Chat Push Trigger refused a callback: ${reason}`, { status });
			this.getResponseObject().status(status).json(refused(reason));
			return { noWebhookResponse: true };
		};

		const expected = String(credentials.sdkAppId ?? '').trim();
		const received = String(query.SdkAppid ?? query.sdkappid ?? '').trim();
		if (received === '' || received !== expected) {
			return refuse(
				403,
				received === ''
					? 'SdkAppid is missing from the callback URL'
					: `SdkAppid ${received} is not the SDKAppID of this workflow's credential`,
			);
		}

		const nowMs = callbackClock.now();
		if (this.getNodeParameter('callbackAuthentication', SIGNED) !== UNSIGNED) {
			const token = String(credentials.callbackToken ?? '');
			if (token === '') {
				return refuse(
					401,
					"This trigger accepts signed callbacks only, and its credential has no Callback Token: set the Chat console's callback authentication token in the credential (or choose Authentication: None)",
				);
			}
			const verdict = verifySignature(
				token,
				query.Sign,
				query.RequestTime,
				Math.floor(nowMs / 1000),
			);
			if (!verdict.ok) return refuse(401, verdict.reason);
		}

		const body = this.getBodyData() as unknown;
		const read = readEvents(
			body,
			typeof query.CallbackCommand === 'string' ? query.CallbackCommand : '',
		);
		if (!read.ok) return refuse(400, read.reason);

		const wanted = new Set(this.getNodeParameter('events', PUSH_EVENTS) as string[]);
		const zone = zoneOf(this);
		const events = read.events
			.filter((event) => wanted.has(String(event.CallbackCommand)))
			.map((event) => readableEvent(event, zone));
		if (events.length === 0) return { webhookResponse: ACCEPTED };

		// The same body again: a replay within the signature's window, or Tencent resending a call
		// whose answer it did not get. Either way its events already started an execution.
		const node = this.getNode();
		const key = `${this.getWorkflow().id ?? ''}|${node.id ?? node.name}|${bodyDigest(body)}`;
		if (!replayMemory.firstSight(key, nowMs)) {
			return {
				webhookResponse: {
					...ACCEPTED,
					ErrorInfo:
						'Duplicate of a callback received in the last two minutes: no execution started',
				},
			};
		}
		return { webhookResponse: ACCEPTED, workflowData: [this.helpers.returnJsonArray(events)] };
	}
}
