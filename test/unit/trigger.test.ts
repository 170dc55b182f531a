/**
 * Tencent Chat Push Trigger: webhook() with a mocked IWebhookFunctions — events become items,
 * callbacks for another SDKAppID are refused, Tencent's envelope is answered — and the description
 * n8n registers.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { ACCEPTED, TencentChatPushTrigger } from '../../nodes/TencentChatPushTrigger/TencentChatPushTrigger.node';

const SDK_APP_ID = 1400000000;

interface Call {
	query?: IDataObject;
	body?: IDataObject;
	events?: string[];
	credentialAppId?: number | string;
}

function mockContext(call: Call): IWebhookFunctions {
	return {
		getQueryData: () => call.query ?? { SdkAppid: String(SDK_APP_ID), CallbackCommand: 'Push.AllMemberPush', contenttype: 'json' },
		getBodyData: () => call.body ?? {},
		getCredentials: async (type: string) => {
			expect(type).toBe('tencentChatApi');
			return { sdkAppId: call.credentialAppId ?? SDK_APP_ID, adminAccount: 'administrator', secretKey: 'k' };
		},
		getNodeParameter: (name: string, fallback?: unknown) => (name === 'events' ? (call.events ?? ['Push.AllMemberPush']) : fallback),
		helpers: {
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
		},
	} as unknown as IWebhookFunctions;
}

const trigger = new TencentChatPushTrigger();
const run = async (call: Call) => await trigger.webhook.call(mockContext(call));

const event = (overrides: IDataObject = {}): IDataObject => ({
	CallbackCommand: 'Push.AllMemberPush',
	EventType: 1,
	TaskId: '53743040_144115212910570789_4155518400_15723514',
	TaskTime: 1557481127,
	EventTime: 1557481128,
	To_Account: 'user2',
	PushPlatform: 1,
	PushStage: 1,
	ErrCode: 0,
	ErrInfo: 'OK',
	...overrides,
});

describe('webhook()', () => {
	test('every event of a Push.AllMemberPush callback becomes one item; Tencent gets OK', async () => {
		const events = [event(), event({ To_Account: 'user3', EventType: 2, PushPlatform: 0 }), event({ To_Account: 'user4', DataId: 'order-42' })];
		const result = await run({ body: { Events: events } });
		expect(result.webhookResponse).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 });
		expect(result.workflowData).toEqual([events.map((json) => ({ json: expect.objectContaining(json) }))]);
	});

	test('100 events, the most Tencent sends at once, give 100 items in order', async () => {
		const events = Array.from({ length: 100 }, (_, i) => event({ To_Account: `u${i}` }));
		const result = await run({ body: { Events: events } });
		expect(result.workflowData![0].map((item) => item.json.To_Account)).toEqual(events.map((e) => e.To_Account));
	});

	test('a callback for another SDKAppID is refused with a failure envelope and emits nothing', async () => {
		const result = await run({ query: { SdkAppid: '1400999999', CallbackCommand: 'Push.AllMemberPush' }, body: { Events: [event()] } });
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toEqual({
			ActionStatus: 'FAIL',
			ErrorCode: 1,
			ErrorInfo: "SdkAppid 1400999999 is not the SDKAppID of this workflow's credential",
		});
	});

	test('a callback without SdkAppid is refused too', async () => {
		const result = await run({ query: { CallbackCommand: 'Push.AllMemberPush' }, body: { Events: [event()] } });
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toMatchObject({ ActionStatus: 'FAIL', ErrorInfo: 'SdkAppid is missing from the callback URL' });
	});

	test('the credential SDKAppID may be stored as text', async () => {
		const result = await run({ credentialAppId: String(SDK_APP_ID), body: { Events: [event()] } });
		expect(result.workflowData![0]).toHaveLength(1);
	});

	test('events not chosen in Events are answered OK and ignored', async () => {
		const offline = { CallbackCommand: 'Push.OfflinePush', EventType: 1, From_Account: 'a', To_Account: 'b', PushID: 'p1', ErrCode: 0 };
		const query = { SdkAppid: String(SDK_APP_ID), CallbackCommand: 'Push.OfflinePush' };
		const ignored = await run({ query, body: { Events: [offline] }, events: ['Push.AllMemberPush'] });
		expect(ignored.webhookResponse).toEqual(ACCEPTED);
		expect(ignored.workflowData).toBeUndefined();

		const taken = await run({ query, body: { Events: [offline] }, events: ['Push.AllMemberPush', 'Push.OfflinePush'] });
		expect(taken.workflowData).toEqual([[{ json: { ...offline, chatType: 'one-to-one' } }]]);
	});

	test('events without CallbackCommand take the one of the URL; a bare event is a list of one', async () => {
		const { CallbackCommand: _omitted, ...bare } = event();
		expect(_omitted).toBe('Push.AllMemberPush');
		const result = await run({ body: { Events: [bare] } });
		expect(result.workflowData).toEqual([[{ json: expect.objectContaining({ CallbackCommand: 'Push.AllMemberPush', ...bare }) }]]);

		const single = await run({ body: event({ To_Account: 'solo' }) });
		expect(single.workflowData![0].map((item) => item.json.To_Account)).toEqual(['solo']);
	});

	test('codes are named next to the raw fields: platform, stage, and what EventType means for the command', async () => {
		const events = [
			event({ EventType: 1, PushPlatform: 3, PushStage: 2 }),
			event({ EventType: 2, PushPlatform: 0, PushStage: 1 }),
			event({ EventType: 1, PushPlatform: 8, PushStage: 3 }),
			event({ EventType: 1, PushPlatform: 42, PushStage: 9 }),
		];
		const result = await run({ body: { Events: events } });
		expect(result.workflowData![0].map(({ json }) => [json.PushPlatform, json.platform, json.PushStage, json.stage, json.EventType, json.channel])).toEqual([
			[3, 'Huawei', 2, 'reached', 1, 'offline'],
			[0, 'Online', 1, 'sent', 2, 'online'],
			[8, 'Honor', 3, 'clicked', 1, 'offline'],
			[42, 'Unknown (42)', 9, 'unknown (9)', 1, 'offline'],
		]);
		const offline = { CallbackCommand: 'Push.OfflinePush', EventType: 2, PushPlatform: 4, PushStage: 1, GroupID: 'g1' };
		const group = await run({ query: { SdkAppid: String(SDK_APP_ID) }, body: { Events: [offline] }, events: ['Push.OfflinePush'] });
		expect(group.workflowData![0][0].json).toEqual({ ...offline, platform: 'FCM', stage: 'sent', chatType: 'group' });
	});

	test('an empty or malformed body is answered OK and starts nothing', async () => {
		for (const body of [{}, { Events: [] }, { Events: 'nope' }, { Events: [null, 5, 'x'] }]) {
			const result = await run({ body: body as IDataObject });
			expect(result.webhookResponse).toEqual(ACCEPTED);
			expect(result.workflowData).toBeUndefined();
		}
	});
});

describe('description', () => {
	test('a POST webhook answering on receipt, no inputs, the package credential and icons', () => {
		const { description } = trigger;
		expect(description.name).toBe('tencentChatPushTrigger');
		expect(description.displayName).toBe('Tencent Chat Push Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.webhooks).toEqual([
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Tencent's success envelope, also when an execution starts (n8n's default reply is "firstEntryJson").
				responseData: '={{ { "ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0 } }}',
				path: 'tencent-chat-push',
			},
		]);
		expect(description.credentials).toEqual([{ name: 'tencentChatApi', required: true }]);
		expect(description.icon).toEqual({ light: 'file:../../icons/tencentChat.svg', dark: 'file:../../icons/tencentChat.dark.svg' });
		const events = description.properties.find((p) => p.name === 'events')!;
		expect((events.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['Push.AllMemberPush', 'Push.OfflinePush']);
	});

	test('the lifecycle has nothing to register: the URL is pasted in the console', async () => {
		const methods = trigger.webhookMethods.default;
		const hook = {} as never;
		await expect(methods.checkExists.call(hook)).resolves.toBe(true);
		await expect(methods.create.call(hook)).resolves.toBe(true);
		await expect(methods.delete.call(hook)).resolves.toBe(true);
	});
});
