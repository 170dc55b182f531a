'use strict';

const fs = require('node:fs');
const {
	start,
	call,
	expectCode,
	introspect,
	nextRandom,
	text,
	STATS_FIXTURE,
	utcText,
} = require('./helpers');

const SDK = 1400000001;
const info = { Title: 'title', Desc: 'desc' };
const CODES = {
	iOS: 1,
	Xiaomi: 2,
	Huawei: 3,
	Android: 4,
	Meizu: 5,
	OPPO: 6,
	vivo: 7,
	Honor: 8,
	Harmony: 9,
};
const BULK = 250;

// The stats fixture plus 250 offline users (ids bulk0001…), so that a push has more than 100 recipients.
const fixture = JSON.parse(fs.readFileSync(STATS_FIXTURE, 'utf8'));
for (let i = 1; i <= BULK; i += 1)
	fixture.apps[0].users.push({
		id: `bulk${String(i).padStart(4, '0')}`,
		online: i % 5 === 0,
		tags: ['bulk'],
	});

let emu;
let receiver;
let replies; // per-test reply script: (entry, n) => { status, body? }

beforeAll(async () => {
	emu = await start({ fixture });
	const { startReceiver } = require('./helpers');
	receiver = await startReceiver((entry, n) => replies(entry, n));
});
afterAll(async () => {
	await emu.stop();
	await receiver.close();
});
beforeEach(async () => {
	await emu.reset({ config: true });
	replies = () => ({ status: 200 });
	receiver.received.length = 0;
	emu.configure({
		pushIntervalMs: 0,
		deliveryDelayMs: 0,
		callbackUrl: `${receiver.url}/im/callback?token=abc`,
		callbackRetryDelayMs: 1000,
	});
	emu.clock.advance(60 * 60 * 1000);
});

const push = async (body) =>
	expectCode(await call(emu, 'timpush/push', { MsgRandom: nextRandom(), ...body }), 0).TaskId;
const events = () => receiver.received.flatMap((r) => r.body.Events);
// Batches are posted concurrently, so the receiver may see them in any order.
const batchSizes = () => receiver.received.map((r) => r.body.Events.length).sort((a, b) => b - a);

describe('Push.AllMemberPush callbacks', () => {
	test('one event per delivered recipient, batches of at most 100, one app per request, documented query', async () => {
		const id = await push({ Condition: { TagsOr: ['bulk'] }, OfflinePushInfo: info });
		await emu.callbacks.drain();
		expect(batchSizes()).toEqual([100, 100, 50]);
		for (const r of receiver.received) {
			expect(r.method).toBe('POST');
			expect(r.path).toBe('/im/callback');
			expect(r.query).toEqual({
				token: 'abc',
				SdkAppid: String(SDK),
				CallbackCommand: 'Push.AllMemberPush',
				contenttype: 'json',
			});
			expect(r.headers['content-type']).toMatch(/application\/json/);
			expect(Object.keys(r.body)).toEqual(['Events']);
		}
		const task = emu.state.tasks.get(id);
		const byUser = new Map(events().map((e) => [e.To_Account, e]));
		expect([...byUser.keys()].sort()).toEqual(task.deliveries.map((d) => d.userId).sort());
		expect(events()).toHaveLength(BULK);
		for (const d of task.deliveries) {
			const user = emu.state.getUser(SDK, d.userId);
			expect(byUser.get(d.userId)).toEqual({
				CallbackCommand: 'Push.AllMemberPush',
				EventType: user.online ? 2 : 1,
				TaskId: id,
				TaskTime: Math.floor(task.createdAt / 1000),
				EventTime: Math.floor(d.deliveredAt / 1000),
				To_Account: d.userId,
				PushPlatform: user.online ? 0 : CODES[user.platform],
				PushStage: 2, // reached the device
				ErrCode: 0,
				ErrInfo: 'OK',
			});
		}
		const log = (await introspect(emu, `callbacks?taskId=${encodeURIComponent(id)}`)).json;
		expect(
			log.callbacks.map((b) => [
				b.status,
				b.events.length,
				b.attempts.length,
				b.attempts[0].httpStatus,
			]),
		).toEqual([
			['delivered', 100, 1, 200],
			['delivered', 100, 1, 200],
			['delivered', 50, 1, 200],
		]);
		expect(log.callbacks[0].attempts[0].response).toEqual({
			ActionStatus: 'OK',
			ErrorInfo: '',
			ErrorCode: 0,
		});
		expect(emu.state.counters.callbacks).toEqual({
			batches: 3,
			events: BULK,
			attempts: 3,
			delivered: 3,
			failed: 0,
			retries: 0,
		});
	});

	test('events follow delivery settling on the emulator clock; undelivered recipients get none', async () => {
		emu.configure({ deliveryDelayMs: 2000 });
		const id = await push({
			OfflinePushInfo: { PushFlag: 1 },
			Condition: { TagsOr: ['vip', 'news'] },
		});
		// ios-on is online; ios-off, hw-off, mi-off are offline and PushFlag 1 sends them nothing.
		await emu.callbacks.drain();
		expect(receiver.received).toHaveLength(0);
		emu.clock.advance(1999);
		await emu.callbacks.drain();
		expect(receiver.received).toHaveLength(0);
		emu.clock.advance(1);
		await emu.callbacks.drain();
		expect(events()).toEqual([
			expect.objectContaining({ To_Account: 'ios-on', EventType: 2, PushPlatform: 0, TaskId: id }),
		]);
		emu.clock.advance(60000);
		await emu.callbacks.drain();
		expect(receiver.received).toHaveLength(1);
	});

	test('events of several tasks settling together share batches; batch pushes echo DataId', async () => {
		emu.configure({ deliveryDelayMs: 1000 });
		const a = await push({ Condition: { TagsOr: ['news'] }, OfflinePushInfo: info });
		const b = expectCode(
			await call(emu, 'timpush/batch', {
				MsgRandom: nextRandom(),
				From_Account: 'admin',
				To_Account: ['fcm-on', 'reg-1'],
				OfflinePushInfo: info,
				DataId: 'order-42',
			}),
			0,
		).TaskId;
		emu.clock.advance(1000);
		await emu.callbacks.drain();
		expect(receiver.received).toHaveLength(1);
		const evs = events();
		expect(evs.map((e) => [e.TaskId, e.To_Account]).sort()).toEqual(
			[
				[a, 'hw-off'],
				[a, 'mi-off'],
				[b, 'fcm-on'],
				[b, 'reg-1'],
			].sort(),
		);
		expect(evs.filter((e) => e.TaskId === b).every((e) => e.DataId === 'order-42')).toBe(true);
		expect(evs.filter((e) => e.TaskId === a).every((e) => !('DataId' in e))).toBe(true);
		expect(evs.find((e) => e.To_Account === 'reg-1')).toMatchObject({
			EventType: 1,
			PushPlatform: CODES.Honor,
		});
		expect((await introspect(emu, 'callbacks?events=0')).json.callbacks[0]).toMatchObject({
			sdkAppId: SDK,
			taskIds: expect.arrayContaining([a, b]),
			status: 'delivered',
		});
		expect((await introspect(emu, 'callbacks?events=0')).json.callbacks[0].events).toBeUndefined();
	});

	test('a 500 from the receiver is retried after callbackRetryDelayMs of emulator time', async () => {
		replies = (entry, n) => (n === 1 ? { status: 500, body: { error: 'boom' } } : { status: 200 });
		const id = await push({ Condition: { TagsOr: ['news'] }, OfflinePushInfo: info });
		await emu.callbacks.drain();
		expect(receiver.received).toHaveLength(1);
		let batch = emu.callbacks.list({ taskId: id })[0];
		expect(batch).toMatchObject({ status: 'retrying', nextAttemptAt: emu.clock.now() + 1000 });
		expect(batch.attempts).toEqual([
			{
				attempt: 1,
				at: emu.clock.now(),
				url: batch.url,
				httpStatus: 500,
				error: null,
				response: { error: 'boom' },
			},
		]);
		emu.clock.advance(999);
		await emu.callbacks.drain();
		expect(receiver.received).toHaveLength(1);
		emu.clock.advance(1);
		await emu.callbacks.drain();
		expect(receiver.received).toHaveLength(2);
		expect(receiver.received[1].body).toEqual(receiver.received[0].body);
		batch = emu.callbacks.list({ taskId: id })[0];
		expect(batch.status).toBe('delivered');
		expect(batch.attempts.map((x) => x.httpStatus)).toEqual([500, 200]);
		expect(emu.state.counters.callbacks).toMatchObject({
			batches: 1,
			attempts: 2,
			retries: 1,
			delivered: 1,
			failed: 0,
		});
	});

	test('retries are bounded: after 1 + callbackRetries failed attempts the batch fails', async () => {
		emu.configure({ callbackRetries: 2, callbackRetryDelayMs: 0 });
		replies = () => ({ status: 503 });
		await push({ Condition: { TagsOr: ['news'] }, OfflinePushInfo: info });
		await emu.callbacks.drain();
		expect(receiver.received).toHaveLength(3);
		expect(emu.callbacks.list()[0]).toMatchObject({
			status: 'failed',
			attempts: [{ httpStatus: 503 }, { httpStatus: 503 }, { httpStatus: 503 }],
		});
		expect(emu.state.counters.callbacks).toMatchObject({
			attempts: 3,
			retries: 2,
			failed: 1,
			delivered: 0,
		});
		expect((await introspect(emu, 'callbacks?status=failed')).json.callbacks).toHaveLength(1);
	});

	test('a receiver that is down counts as a failure with the network error recorded', async () => {
		const { startReceiver } = require('./helpers');
		const gone = await startReceiver();
		await gone.close();
		emu.configure({ callbackUrl: `${gone.url}/cb`, callbackRetries: 0 });
		await push({ Condition: { TagsOr: ['news'] }, OfflinePushInfo: info });
		await emu.callbacks.drain();
		const [batch] = emu.callbacks.list();
		expect(batch.status).toBe('failed');
		expect(batch.attempts[0]).toMatchObject({ httpStatus: null, error: expect.any(String) });
	});

	test('scheduled dispatches call back too; legacy im_push, no callbackUrl and revoked deliveries do not', async () => {
		const schedAt = utcText(emu.clock.now() + 60000);
		expectCode(
			await call(emu, 'timpush/add_sched_task', {
				Sdkappid: SDK,
				Type: 'User',
				SchedAt: schedAt,
				Content: { From_Account: 'admin', To_Account: ['mi-off'], OfflinePushInfo: info },
			}),
			0,
		);
		expectCode(
			await call(emu, 'all_member_push/im_push', {
				MsgRandom: nextRandom(),
				MsgBody: text('x'),
				MsgLifeTime: 60,
			}),
			0,
		);
		await emu.callbacks.drain();
		expect(receiver.received).toHaveLength(0);
		emu.clock.advance(61000);
		await emu.callbacks.drain();
		expect(events()).toEqual([
			expect.objectContaining({ To_Account: 'mi-off', TaskId: expect.stringMatching(/^batch_/) }),
		]);

		emu.configure({ deliveryDelayMs: 4000 });
		const id = await push({ Condition: { TagsOr: ['news'] }, OfflinePushInfo: info }); // hw-off at +2000, mi-off at +4000
		emu.clock.advance(2000);
		expectCode(await call(emu, 'timpush/revoke', { TaskId: id, OfflinePushInfo: info }), 0);
		emu.clock.advance(5000);
		await emu.callbacks.drain();
		expect(
			events()
				.filter((e) => e.TaskId === id)
				.map((e) => e.To_Account),
		).toEqual(['hw-off']);

		emu.configure({ callbackUrl: '', deliveryDelayMs: 0 });
		await push({ OfflinePushInfo: info });
		await emu.callbacks.drain();
		expect(receiver.received).toHaveLength(2);
	});

	test('with callbackToken, every attempt is signed: Sign = hex SHA-256(token + RequestTime), RequestTime from the emulator clock', async () => {
		const crypto = require('node:crypto');
		const token = 'console-callback-token-1';
		emu.configure({ callbackToken: token });
		replies = (entry, n) => (n === 1 ? { status: 500 } : { status: 200 });
		const id = await push({ Condition: { TagsOr: ['news'] }, OfflinePushInfo: info });
		await emu.callbacks.drain();
		const firstAt = emu.clock.now();
		emu.clock.advance(5000);
		await emu.callbacks.drain();
		expect(receiver.received).toHaveLength(2);
		const times = [];
		for (const r of receiver.received) {
			const { Sign, RequestTime, ...rest } = r.query;
			expect(rest).toEqual({
				token: 'abc',
				SdkAppid: String(SDK),
				CallbackCommand: 'Push.AllMemberPush',
				contenttype: 'json',
			});
			expect(RequestTime).toMatch(/^\d+$/);
			expect(Sign).toBe(
				crypto
					.createHash('sha256')
					.update(token + RequestTime)
					.digest('hex'),
			);
			times.push(Number(RequestTime));
		}
		// The retry is signed anew, at its own time.
		expect(times).toEqual([Math.floor(firstAt / 1000), Math.floor(firstAt / 1000) + 5]);
		const [batch] = emu.callbacks.list({ taskId: id });
		expect(batch.attempts.map((a) => new URL(a.url).searchParams.get('RequestTime'))).toEqual(
			times.map(String),
		);
		// The token is the receiver's secret: the introspection API says whether it is set, not what it is.
		const config = (await introspect(emu, 'config')).json.config;
		expect(config.callbackToken).toBe('[set]');
		expect(JSON.stringify(await introspect(emu, 'callbacks'))).not.toContain(token);
		expect(() => emu.configure({ callbackToken: 'x'.repeat(129) })).toThrow(/at most 128/);
		emu.configure({ callbackToken: '' });
		expect((await introspect(emu, 'config')).json.config.callbackToken).toBe('');
	});

	test('callbackUrl must be loopback; callbackBatchSize is 1..100 and shapes the batches', async () => {
		expect(
			(await introspect(emu, 'config', { callbackUrl: 'https://example.com/cb' })).status,
		).toBe(400);
		expect((await introspect(emu, 'config', { callbackUrl: 'ftp://127.0.0.1/cb' })).status).toBe(
			400,
		);
		expect((await introspect(emu, 'config', { callbackUrl: 'not a url' })).status).toBe(400);
		expect((await introspect(emu, 'config', { callbackBatchSize: 101 })).status).toBe(400);
		expect(() => emu.configure({ callbackUrl: 'http://10.0.0.1/cb' })).toThrow(/loopback/);
		const ok = await introspect(emu, 'config', {
			callbackUrl: `${receiver.url.replace('127.0.0.1', 'localhost')}/x`,
			callbackBatchSize: 40,
		});
		expect(ok.status).toBe(200);
		await push({ Condition: { TagsOr: ['bulk'] }, OfflinePushInfo: info });
		await emu.callbacks.drain();
		expect(batchSizes()).toEqual([40, 40, 40, 40, 40, 40, 10]);
		expect(emu.callbacks.list().map((b) => b.events.length)).toEqual([40, 40, 40, 40, 40, 40, 10]); // the log keeps creation order
		expect(receiver.received[0].path).toBe('/x');
	});
});
