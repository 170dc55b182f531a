/**
 * Tencent Chat Push Trigger: webhook() with a mocked IWebhookFunctions — events become items;
 * callbacks for another SDKAppID, unsigned, wrongly signed or stale ones, and unreadable bodies are
 * refused and start nothing; a body that already started an execution does not start another —
 * and the description n8n registers.
 */
import * as crypto from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import {
	MAX_REMEMBERED_BODIES,
	ReplayMemory,
	callbackSign,
	verifySignature,
} from '../../nodes/TencentChatPushTrigger/callbackAuth';
import {
	ACCEPTED,
	TencentChatPushTrigger,
	callbackClock,
	replayMemory,
} from '../../nodes/TencentChatPushTrigger/TencentChatPushTrigger.node';
import { TRIGGER_APP_ID as SDK_APP_ID, type WebhookCall, callTrigger } from '../harness/webhook';

jest.mock('crypto', () => {
	const actual = jest.requireActual<typeof import('crypto')>('crypto');
	return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const TOKEN = 'callback-token-for-unit-tests';
const NOW = 1_767_000_000;

const trigger = new TencentChatPushTrigger();
let bodies = 0;

/** A callback as Tencent sends it with a token: SdkAppid, command, Sign and RequestTime in the URL. */
function signedQuery(requestTime = NOW, token = TOKEN, extra: IDataObject = {}): IDataObject {
	return {
		SdkAppid: String(SDK_APP_ID),
		CallbackCommand: 'Push.AllMemberPush',
		contenttype: 'json',
		Sign: callbackSign(token, String(requestTime)),
		RequestTime: String(requestTime),
		...extra,
	};
}

/** Signed calls by default (the node's default Authentication), each with a body of its own. */
const run = async (call: WebhookCall) =>
	await callTrigger({ credential: { callbackToken: TOKEN }, query: signedQuery(), ...call });

const event = (overrides: IDataObject = {}): IDataObject => ({
	CallbackCommand: 'Push.AllMemberPush',
	EventType: 1,
	TaskId: '53743040_144115212910570789_4155518400_15723514',
	TaskTime: 1557481127,
	EventTime: 1557481128,
	To_Account: `user${++bodies}`,
	PushPlatform: 1,
	PushStage: 1,
	ErrCode: 0,
	ErrInfo: 'OK',
	...overrides,
});

beforeEach(() => {
	callbackClock.now = () => NOW * 1000;
	replayMemory.clear();
});

afterAll(() => {
	callbackClock.now = () => Date.now();
});

describe('webhook(): events', () => {
	test('every event of a Push.AllMemberPush callback becomes one item; Tencent gets OK', async () => {
		const events = [
			event(),
			event({ To_Account: 'user3', EventType: 2, PushPlatform: 0 }),
			event({ To_Account: 'user4', DataId: 'order-42' }),
		];
		const result = await run({ body: { Events: events } });
		expect(result.body).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 });
		expect(result.status).toBe(200);
		// Readable fields first, Tencent's event unchanged under raw.
		expect(result.raw.workflowData).toEqual([
			events.map((raw) => ({ json: expect.objectContaining({ raw }) })),
		]);
		expect(result.items[0]).toEqual({
			event: 'All-member push result',
			taskId: '53743040_144115212910570789_4155518400_15723514',
			userId: events[0].To_Account,
			channel: 'offline',
			platform: 'APNs',
			stage: 'sent',
			succeeded: true,
			errorCode: 0,
			error: 'OK',
			// TaskTime and EventTime (Unix seconds) in the workflow's zone (n8n's default here).
			taskTime: '2019-05-10T05:38:47.000-04:00',
			eventTime: '2019-05-10T05:38:48.000-04:00',
			raw: events[0],
		});
		expect(result.items[2]).toMatchObject({ userId: 'user4', dataId: 'order-42' });
	});

	test("times follow the workflow's time zone; a time that is not Unix seconds is left out", async () => {
		const result = await run({
			body: { Events: [event({ TaskTime: '1557481127', EventTime: 'yesterday' })] },
			timezone: 'Asia/Shanghai',
		});
		expect(result.items[0].taskTime).toBe('2019-05-10T17:38:47.000+08:00');
		expect(result.items[0]).not.toHaveProperty('eventTime');
		expect((result.items[0].raw as IDataObject).EventTime).toBe('yesterday');
	});

	test("a failed delivery reads as succeeded: false with Tencent's error", async () => {
		const result = await run({
			body: { Events: [event({ ErrCode: 70107, ErrInfo: 'user not exist' })] },
		});
		expect(result.items[0]).toMatchObject({
			succeeded: false,
			errorCode: 70107,
			error: 'user not exist',
		});
	});

	test('100 events, the most Tencent sends at once, give 100 items in order', async () => {
		const events = Array.from({ length: 100 }, (_, i) => event({ To_Account: `u${i}` }));
		const result = await run({ body: { Events: events } });
		expect(result.items.map((item) => item.userId)).toEqual(events.map((e) => e.To_Account));
	});

	test('the credential SDKAppID may be stored as text', async () => {
		const result = await run({
			credential: { sdkAppId: String(SDK_APP_ID), callbackToken: TOKEN },
			body: { Events: [event()] },
		});
		expect(result.items).toHaveLength(1);
	});

	test('events not chosen in Events are answered OK and ignored', async () => {
		const offline = {
			CallbackCommand: 'Push.OfflinePush',
			EventType: 1,
			From_Account: 'a',
			To_Account: 'b',
			PushID: 'p1',
			ErrCode: 0,
		};
		const query = signedQuery(NOW, TOKEN, { CallbackCommand: 'Push.OfflinePush' });
		const ignored = await run({
			query,
			body: { Events: [offline] },
			events: ['Push.AllMemberPush'],
		});
		expect(ignored.body).toEqual(ACCEPTED);
		expect(ignored.started).toBe(false);

		const taken = await run({
			query,
			body: { Events: [offline] },
			events: ['Push.AllMemberPush', 'Push.OfflinePush'],
		});
		expect(taken.raw.workflowData).toEqual([
			[
				{
					json: {
						event: 'Offline push of a message',
						userId: 'b',
						fromUserId: 'a',
						pushId: 'p1',
						chatType: 'one-to-one',
						succeeded: true,
						errorCode: 0,
						error: '',
						raw: offline,
					},
				},
			],
		]);
	});

	test('events without CallbackCommand take the one of the URL; a bare event is a list of one', async () => {
		const { CallbackCommand: _omitted, ...bare } = event();
		expect(_omitted).toBe('Push.AllMemberPush');
		const result = await run({ body: { Events: [bare] } });
		expect(result.raw.workflowData).toEqual([
			[
				{
					json: expect.objectContaining({
						event: 'All-member push result',
						raw: { CallbackCommand: 'Push.AllMemberPush', ...bare },
					}),
				},
			],
		]);

		const single = await run({ body: event({ To_Account: 'solo' }) });
		expect(single.items.map((item) => item.userId)).toEqual(['solo']);
	});

	test('codes are named, the raw fields kept under raw: platform, stage, and what EventType means for the command', async () => {
		const events = [
			event({ EventType: 1, PushPlatform: 3, PushStage: 2 }),
			event({ EventType: 2, PushPlatform: 0, PushStage: 1 }),
			event({ EventType: 1, PushPlatform: 8, PushStage: 3 }),
			event({ EventType: 1, PushPlatform: 42, PushStage: 9 }),
		];
		const result = await run({ body: { Events: events } });
		expect(
			result.items.map((json) => [
				(json.raw as IDataObject).PushPlatform,
				json.platform,
				(json.raw as IDataObject).PushStage,
				json.stage,
				(json.raw as IDataObject).EventType,
				json.channel,
			]),
		).toEqual([
			[3, 'Huawei', 2, 'reached', 1, 'offline'],
			[0, 'Online', 1, 'sent', 2, 'online'],
			[8, 'Honor', 3, 'clicked', 1, 'offline'],
			[42, 'Unknown (42)', 9, 'unknown (9)', 1, 'offline'],
		]);
		const offline = {
			CallbackCommand: 'Push.OfflinePush',
			EventType: 2,
			PushPlatform: 4,
			PushStage: 1,
			GroupID: 'g1',
		};
		const group = await run({
			query: signedQuery(NOW, TOKEN, { CallbackCommand: 'Push.OfflinePush' }),
			body: { Events: [offline] },
			events: ['Push.OfflinePush'],
		});
		expect(group.raw.workflowData![0][0].json).toEqual({
			event: 'Offline push of a message',
			groupId: 'g1',
			chatType: 'group',
			platform: 'FCM',
			stage: 'sent',
			raw: offline,
		});
	});

	test('an empty or malformed body is refused with HTTP 400 and starts nothing', async () => {
		const cases: Array<[unknown, RegExp]> = [
			[{}, /neither Events nor a CallbackCommand/],
			[{ Events: [] }, /holds 0 events/],
			[{ Events: Array.from({ length: 101 }, () => event()) }, /holds 101 events/],
			[{ Events: 'nope' }, /Events is not a list/],
			[{ Events: [null, 5, 'x'] }, /Event 0 is not an object/],
			[{ Events: [event(), [event()]] }, /Event 1 is not an object/],
			[{ Events: [event({ CallbackCommand: 7 })] }, /Event 0 has an invalid CallbackCommand/],
			['{"Events": [', /not a JSON object/],
			[[event()], /not a JSON object/],
		];
		for (const [body, reason] of cases) {
			const result = await run({ body });
			expect(result).toMatchObject({
				status: 400,
				started: false,
				body: { ActionStatus: 'FAIL', ErrorCode: 1 },
			});
			expect(result.body.ErrorInfo).toMatch(reason);
		}
		// Without a CallbackCommand in the URL, an event without one cannot be placed.
		const bare = event();
		delete bare.CallbackCommand;
		const query = signedQuery();
		delete query.CallbackCommand;
		const result = await run({ query, body: { Events: [bare] } });
		expect(result).toMatchObject({ status: 400, started: false });
		expect(result.body.ErrorInfo).toMatch(/neither has the URL/);
	});
});

describe('webhook(): SDKAppID', () => {
	test('a callback for another SDKAppID is refused (HTTP 403) and emits nothing', async () => {
		const result = await run({
			query: signedQuery(NOW, TOKEN, { SdkAppid: '1400999999' }),
			body: { Events: [event()] },
		});
		expect(result.started).toBe(false);
		expect(result.status).toBe(403);
		expect(result.body).toEqual({
			ActionStatus: 'FAIL',
			ErrorCode: 1,
			ErrorInfo: "SdkAppid 1400999999 is not the SDKAppID of this workflow's credential",
		});
	});

	test('a callback without SdkAppid is refused too', async () => {
		const query = signedQuery();
		delete query.SdkAppid;
		const result = await run({ query, body: { Events: [event()] } });
		expect(result).toMatchObject({
			status: 403,
			started: false,
			body: { ActionStatus: 'FAIL', ErrorInfo: 'SdkAppid is missing from the callback URL' },
		});
	});
});

describe('webhook(): signature (Sign = hex SHA-256 of token + RequestTime)', () => {
	test('the signature is the documented SHA-256 of the token followed by RequestTime', () => {
		expect(callbackSign('abc', '1700000000')).toBe(
			crypto.createHash('sha256').update('abc1700000000').digest('hex'),
		);
		expect(callbackSign('abc', '1700000000')).toMatch(/^[0-9a-f]{64}$/);
	});

	test('a correctly signed call starts an execution; hex in capitals is the same signature', async () => {
		expect((await run({ body: { Events: [event()] } })).started).toBe(true);
		const upper = signedQuery();
		upper.Sign = String(upper.Sign).toUpperCase();
		expect((await run({ query: upper, body: { Events: [event()] } })).started).toBe(true);
	});

	test.each([
		[
			'no Sign and no RequestTime',
			{ Sign: undefined, RequestTime: undefined },
			/not signed: Sign and RequestTime are missing/,
		],
		['no Sign', { Sign: undefined }, /not signed: Sign is missing/],
		['no RequestTime', { RequestTime: undefined }, /not signed: RequestTime is missing/],
		['an empty Sign', { Sign: '' }, /Sign is missing/],
		[
			'Sign of another token',
			{ Sign: callbackSign('another-token', String(NOW)) },
			/Sign does not match/,
		],
		['Sign of another time', { Sign: callbackSign(TOKEN, String(NOW - 1)) }, /Sign does not match/],
		[
			'a truncated Sign',
			{ Sign: callbackSign(TOKEN, String(NOW)).slice(0, 63) },
			/Sign does not match/,
		],
		['the token itself as Sign', { Sign: TOKEN }, /Sign does not match/],
		[
			'Sign twice',
			{ Sign: [callbackSign(TOKEN, String(NOW)), callbackSign(TOKEN, String(NOW))] },
			/each appear once/,
		],
		[
			'RequestTime not a number',
			{ RequestTime: '17e8', Sign: callbackSign(TOKEN, '17e8') },
			/not a time in Unix seconds/,
		],
		[
			'RequestTime negative',
			{ RequestTime: '-5', Sign: callbackSign(TOKEN, '-5') },
			/not a time in Unix seconds/,
		],
	])('%s: refused with HTTP 401, nothing starts', async (_name, change, reason) => {
		const query = { ...signedQuery(), ...change } as IDataObject;
		for (const key of Object.keys(query)) if (query[key] === undefined) delete query[key];
		const result = await run({ query, body: { Events: [event()] } });
		expect(result).toMatchObject({
			status: 401,
			started: false,
			body: { ActionStatus: 'FAIL', ErrorCode: 1 },
		});
		expect(result.body.ErrorInfo).toMatch(reason);
	});

	test('RequestTime 60 s either side of the clock is accepted; 61 s is stale or in the future', async () => {
		for (const skew of [-60, 0, 60]) {
			expect(
				(await run({ query: signedQuery(NOW + skew), body: { Events: [event()] } })).started,
			).toBe(true);
		}
		const stale = await run({ query: signedQuery(NOW - 61), body: { Events: [event()] } });
		expect(stale).toMatchObject({ status: 401, started: false });
		expect(stale.body.ErrorInfo).toMatch(/61 s old/);
		const future = await run({ query: signedQuery(NOW + 61), body: { Events: [event()] } });
		expect(future).toMatchObject({ status: 401, started: false });
		expect(future.body.ErrorInfo).toMatch(/61 s in the future/);
	});

	test('the comparison is constant-time (crypto.timingSafeEqual on equal-length digests)', () => {
		const spy = crypto.timingSafeEqual as unknown as jest.Mock;
		spy.mockClear();
		expect(verifySignature(TOKEN, 'short', String(NOW), NOW)).toMatchObject({ ok: false });
		expect(verifySignature(TOKEN, callbackSign(TOKEN, String(NOW)), String(NOW), NOW)).toEqual({
			ok: true,
		});
		expect(spy).toHaveBeenCalledTimes(2);
		for (const [a, b] of spy.mock.calls as Array<[Buffer, Buffer]>) expect(a.length).toBe(b.length);
	});

	test('a signed trigger whose credential has no Callback Token refuses every call and says why', async () => {
		const result = await run({ credential: { callbackToken: '' }, body: { Events: [event()] } });
		expect(result).toMatchObject({ status: 401, started: false });
		expect(result.body.ErrorInfo).toMatch(/credential has no Callback Token/);
	});

	test('Authentication None takes unsigned calls (the SDKAppID is still checked)', async () => {
		const query = { SdkAppid: String(SDK_APP_ID), CallbackCommand: 'Push.AllMemberPush' };
		expect(
			(await callTrigger({ authentication: 'none', query, body: { Events: [event()] } })).started,
		).toBe(true);
		const other = await callTrigger({
			authentication: 'none',
			query: { ...query, SdkAppid: '1' },
			body: { Events: [event()] },
		});
		expect(other).toMatchObject({ status: 403, started: false });
	});
});

describe('webhook(): replays', () => {
	test('the same body again within two minutes is answered OK and starts nothing', async () => {
		const body = { Events: [event()] };
		expect((await run({ body })).started).toBe(true);
		const replay = await run({ body });
		expect(replay).toMatchObject({
			status: 200,
			started: false,
			body: { ActionStatus: 'OK', ErrorCode: 0 },
		});
		expect(replay.body.ErrorInfo).toMatch(/Duplicate/);
		// Re-signed later (as a Tencent retry might be): still the same events.
		callbackClock.now = () => (NOW + 30) * 1000;
		expect((await run({ query: signedQuery(NOW + 30), body })).started).toBe(false);
		// Another workflow (or another trigger node) has its own memory.
		expect((await run({ body, workflowId: 'wf-other' })).started).toBe(true);
	});

	test('an exact replay of the URL after the window is stale, however the body', async () => {
		const body = { Events: [event()] };
		expect((await run({ body })).started).toBe(true);
		callbackClock.now = () => (NOW + 61) * 1000;
		expect(await run({ body })).toMatchObject({ status: 401, started: false });
		expect(await run({ body: { Events: [event()] } })).toMatchObject({
			status: 401,
			started: false,
		});
	});

	test('refused calls are not remembered: the genuine call with the same body still starts', async () => {
		const body = { Events: [event()] };
		expect((await run({ query: signedQuery(NOW, 'forged'), body })).started).toBe(false);
		expect((await run({ body })).started).toBe(true);
	});

	test('memory forgets after two minutes and stays bounded', () => {
		const memory = new ReplayMemory(120_000, 3);
		expect(memory.firstSight('a', 0)).toBe(true);
		expect(memory.firstSight('a', 119_999)).toBe(false);
		expect(memory.firstSight('a', 120_000)).toBe(true);
		for (const key of ['b', 'c', 'd']) memory.firstSight(key, 200_000);
		expect(memory.size).toBe(3);
		// 'a' was the oldest and was dropped to stay within the bound.
		expect(memory.firstSight('a', 200_001)).toBe(true);
		expect(MAX_REMEMBERED_BODIES).toBeGreaterThanOrEqual(100_000);
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
		expect(description.icon).toEqual({
			light: 'file:../../icons/tencentChat.svg',
			dark: 'file:../../icons/tencentChat.dark.svg',
		});
		const events = description.properties.find((p) => p.name === 'events')!;
		expect((events.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'Push.AllMemberPush',
			'Push.OfflinePush',
		]);
	});

	test('Authentication defaults to signed callbacks, and the panel says plainly when they are not authenticated', () => {
		const { properties } = trigger.description;
		const auth = properties.find((p) => p.name === 'callbackAuthentication')!;
		expect(auth.default).toBe('signed');
		expect((auth.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'signed',
			'none',
		]);
		const unsigned = properties.find((p) => p.name === 'unsignedNotice')!;
		expect(unsigned.type).toBe('notice');
		expect(unsigned.displayOptions).toEqual({ show: { callbackAuthentication: ['none'] } });
		expect(unsigned.displayName).toMatch(
			/Callbacks are NOT authenticated: anyone who learns this URL can start this workflow/,
		);
		const signed = properties.find((p) => p.name === 'signedNotice')!;
		expect(signed.displayOptions).toEqual({ show: { callbackAuthentication: ['signed'] } });
		expect(signed.displayName).toMatch(/60 s/);
	});

	test('the lifecycle has nothing to register: the URL is pasted in the console', async () => {
		const methods = trigger.webhookMethods.default;
		const hook = {} as never;
		await expect(methods.checkExists.call(hook)).resolves.toBe(true);
		await expect(methods.create.call(hook)).resolves.toBe(true);
		await expect(methods.delete.call(hook)).resolves.toBe(true);
	});
});
