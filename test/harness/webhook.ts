/**
 * Calls the Tencent Chat Push Trigger's webhook() as n8n does, with a mocked IWebhookFunctions,
 * and reports what the caller would see: the HTTP status and body of the answer, and whether an
 * execution would start (with which items). Shared by the unit tests and the fuzz suite.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { TencentChatPushTrigger } from '../../nodes/TencentChatPushTrigger/TencentChatPushTrigger.node';

export const TRIGGER_APP_ID = 1400000000;

export interface WebhookCall {
	query?: IDataObject;
	body?: unknown;
	/** Trigger parameter Events. */
	events?: string[];
	/** Trigger parameter Authentication ('signed' by default, as the node's default). */
	authentication?: string;
	credential?: IDataObject;
	workflowId?: string;
	nodeId?: string;
	/** The workflow's time zone; n8n's default when not given. */
	timezone?: string;
}

export interface WebhookOutcome {
	status: number;
	body: IDataObject;
	/** Whether n8n would start an execution. */
	started: boolean;
	items: IDataObject[];
	raw: IWebhookResponseData;
}

const trigger = new TencentChatPushTrigger();

export async function callTrigger(call: WebhookCall): Promise<WebhookOutcome> {
	const answer: { status?: number; body?: IDataObject } = {};
	const response = {
		status(code: number) {
			answer.status = code;
			return response;
		},
		json(body: IDataObject) {
			answer.body = body;
			return response;
		},
	};
	const context = {
		getQueryData: () =>
			call.query ?? {
				SdkAppid: String(TRIGGER_APP_ID),
				CallbackCommand: 'Push.AllMemberPush',
				contenttype: 'json',
			},
		getBodyData: () => call.body ?? {},
		getCredentials: async (type: string) => {
			if (type !== 'tencentChatApi') throw new Error(`unexpected credential type ${type}`);
			return {
				sdkAppId: TRIGGER_APP_ID,
				adminAccount: 'administrator',
				secretKey: 'k',
				...(call.credential ?? {}),
			};
		},
		getNodeParameter: (name: string, fallback?: unknown) => {
			if (name === 'events') return call.events ?? ['Push.AllMemberPush'];
			if (name === 'callbackAuthentication') return call.authentication ?? fallback;
			return fallback;
		},
		getResponseObject: () => response,
		getNode: () => ({ id: call.nodeId ?? 'trigger-node', name: 'Push Callbacks' }),
		getWorkflow: () => ({ id: call.workflowId ?? 'wf-trigger' }),
		getTimezone: () => call.timezone ?? 'America/New_York',
		logger: { warn: () => undefined },
		helpers: {
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
		},
	} as unknown as IWebhookFunctions;
	const raw = await trigger.webhook.call(context);
	if (raw.noWebhookResponse) {
		if (answer.status === undefined) throw new Error('noWebhookResponse without an answer');
		return {
			status: answer.status,
			body: answer.body ?? {},
			started: raw.workflowData !== undefined,
			items: [],
			raw,
		};
	}
	const items = (raw.workflowData?.[0] ?? []).map((item) => item.json);
	return {
		status: 200,
		body: raw.webhookResponse as IDataObject,
		started: raw.workflowData !== undefined,
		items,
		raw,
	};
}
