'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
	start,
	call,
	expectCode,
	introspect,
	nextRandom,
	text,
	STATS_FIXTURE,
	APP2,
	utcText,
} = require('./helpers');

const SDK = 1400000001;
// The PushPlatform numbers the emulator documents (README): 0 = online channel, vendors 1..9.
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
const info = { Title: 'title', Desc: 'desc' };

let emu;
beforeAll(async () => {
	emu = await start({ fixture: STATS_FIXTURE });
});
afterAll(() => emu.stop());
beforeEach(async () => {
	await emu.reset({ config: true });
	emu.configure({ pushIntervalMs: 0, statisticsRatePerSecond: 0 });
	emu.clock.advance(60 * 60 * 1000);
});

const stats = (body, opts) => call(emu, 'timpush/all_member_push_statistics', body, opts);
const losses = (body, opts) => call(emu, 'timpush/all_member_push_loss', body, opts);
/** A window around the emulator's now: a day back and a day ahead (Unix seconds). */
const around = () => {
	const nowSec = Math.floor(emu.clock.now() / 1000);
	return { StartTime: nowSec - 86400, EndTime: nowSec + 86400 };
};
const trace = (body, opts) => call(emu, 'timpush/all_member_push_trace', body, opts);
const push = async (body) =>
	expectCode(await call(emu, 'timpush/push', { MsgRandom: nextRandom(), ...body }), 0).TaskId;
const batch = async (body) =>
	expectCode(
		await call(emu, 'timpush/batch', {
			MsgRandom: nextRandom(),
			From_Account: 'admin',
			OfflinePushInfo: info,
			...body,
		}),
		0,
	).TaskId;
const task = (id) => emu.state.tasks.get(id);
const platformOf = (userId) => emu.state.getUser(SDK, userId).platform;

const zero = () => ({ TotalCount: 0, SentCount: 0, DeliveredCount: 0, ClickCount: 0 });

/** The figures a task's delivery records imply at `now`, computed here from the records alone. */
function fromRecords(t, now) {
	const total = zero();
	const rows = new Map();
	for (const d of t.deliveries) {
		const key = d.channel === 'online' ? '2|0' : `1|${CODES[d.platform]}`;
		if (!rows.has(key)) rows.set(key, zero());
		for (const c of [total, rows.get(key)]) {
			c.TotalCount += 1;
			if (d.sentAt !== null) c.SentCount += 1;
			if (d.deliveredAt !== null && d.deliveredAt <= now) c.DeliveredCount += 1;
			if (d.clickedAt !== null) c.ClickCount += 1;
		}
	}
	const PlatformStatistics = [...rows.entries()]
		.map(([key, c]) => {
			const [EventType, PushPlatform] = key.split('|').map(Number);
			return { EventType, PushPlatform, ...c };
		})
		.sort((a, b) => a.PushPlatform - b.PushPlatform);
	return { TaskID: t.taskId, ...total, PlatformStatistics };
}

async function statsOf(taskId) {
	const res = expectCode(await stats({ TaskID: [taskId], ...around() }), 0);
	expect(res.Results).toHaveLength(1);
	return res.Results[0];
}

describe('all_member_push_statistics', () => {
	test('a notification push to all: figures per task and per platform, delivered over deliveryDelayMs', async () => {
		const id = await push({ OfflinePushInfo: info });
		const t0 = emu.clock.now();
		const expectedRows = new Map([[0, 2]]); // ios-on and fcm-on are online: online channel, not split by vendor
		for (const u of ['ios-off', 'hw-off', 'mi-off', 'plain', 'reg-1']) {
			const code = CODES[platformOf(u)];
			expectedRows.set(code, (expectedRows.get(code) || 0) + 1);
		}
		const first = await statsOf(id);
		expect(first).toMatchObject({
			TaskID: id,
			TotalCount: 7,
			SentCount: 7,
			DeliveredCount: 0,
			ClickCount: 0,
		});
		expect(
			first.PlatformStatistics.map((r) => [r.PushPlatform, r.TotalCount, r.SentCount]),
		).toEqual(
			[...expectedRows.entries()].sort((a, b) => a[0] - b[0]).map(([code, n]) => [code, n, n]),
		);
		expect(first).toEqual(fromRecords(task(id), t0));

		emu.clock.advance(1000); // half of the default 2000 ms
		const half = await statsOf(id);
		expect(half.DeliveredCount).toBe(3); // 7 deliveries evenly spread: 286, 572, 858, 1143, ... ms
		expect(half).toEqual(fromRecords(task(id), emu.clock.now()));

		emu.clock.advance(1000);
		const done = await statsOf(id);
		expect(done).toMatchObject({ TotalCount: 7, SentCount: 7, DeliveredCount: 7 });
		expect(done).toEqual(fromRecords(task(id), emu.clock.now()));
		expect(task(id).settlesAt).toBe(t0 + 2000);
	});

	test('tag, attribute, batch, IM-message and PushFlag 1 pushes each match their delivery records', async () => {
		const ids = {
			tag: await push({ Condition: { TagsOr: ['vip'] }, OfflinePushInfo: info }),
			attr: await push({ Condition: { AttrsAnd: { city: 'Shenzhen' } }, OfflinePushInfo: info }),
			message: await push({ MsgBody: text('hi'), OfflinePushInfo: info }),
			silent: await push({ OfflinePushInfo: { PushFlag: 1, Ext: 'x' } }),
			batch: await batch({ To_Account: ['ios-off', 'fcm-on', 'ghost'], DataId: 'd-1' }),
		};
		emu.clock.advance(5000);
		const res = expectCode(await stats({ TaskID: Object.values(ids), ...around() }), 0);
		const now = emu.clock.now();
		expect(Object.keys(res).sort()).toEqual(['ActionStatus', 'ErrorCode', 'ErrorInfo', 'Results']);
		expect(res.Results).toEqual(Object.values(ids).map((id) => fromRecords(task(id), now)));
		const byId = Object.fromEntries(res.Results.map((s) => [s.TaskID, s]));
		expect(byId[ids.tag]).toMatchObject({ TotalCount: 3, SentCount: 3, DeliveredCount: 3 });
		expect(byId[ids.attr]).toMatchObject({ TotalCount: 2, SentCount: 2, DeliveredCount: 2 });
		expect(byId[ids.message]).toMatchObject({ TotalCount: 6, SentCount: 6 }); // UserIDs only
		// PushFlag 1: offline users get no notification, so only the two online users were sent to.
		expect(byId[ids.silent]).toMatchObject({ TotalCount: 7, SentCount: 2, DeliveredCount: 2 });
		expect(
			byId[ids.silent].PlatformStatistics.filter((r) => r.PushPlatform !== 0).every(
				(r) => r.SentCount === 0,
			),
		).toBe(true);
		expect(byId[ids.batch]).toMatchObject({ TotalCount: 2, SentCount: 2, DeliveredCount: 2 });
		expect(byId[ids.batch].PlatformStatistics).toEqual([
			{
				EventType: 2,
				PushPlatform: 0,
				TotalCount: 1,
				SentCount: 1,
				DeliveredCount: 1,
				ClickCount: 0,
			},
			{
				EventType: 1,
				PushPlatform: 1,
				TotalCount: 1,
				SentCount: 1,
				DeliveredCount: 1,
				ClickCount: 0,
			},
		]);
		// An empty TaskID list asks for overall figures: one entry (TaskID "") summing the window's tasks.
		const overall = expectCode(await stats({ TaskID: [], ...around() }), 0).Results;
		const sum = (k) => res.Results.reduce((n, s) => n + s[k], 0);
		expect(overall).toHaveLength(1);
		expect(overall[0]).toMatchObject({
			TaskID: '',
			TotalCount: sum('TotalCount'),
			SentCount: sum('SentCount'),
			DeliveredCount: sum('DeliveredCount'),
			ClickCount: 0,
		});
		expect(overall[0].PlatformStatistics.reduce((n, r) => n + r.TotalCount, 0)).toBe(
			overall[0].TotalCount,
		);
	});

	test('a time range selects tasks by creation time; legacy, unknown and foreign tasks are not reported', async () => {
		const startSec = Math.floor(emu.clock.now() / 1000);
		const a = await push({ OfflinePushInfo: info });
		emu.clock.advance(2000);
		const legacy = expectCode(
			await call(emu, 'all_member_push/im_push', {
				MsgRandom: nextRandom(),
				MsgBody: text('x'),
				MsgLifeTime: 60,
			}),
			0,
		).TaskId;
		emu.clock.advance(2000);
		const b = await push({ Condition: { TagsOr: ['news'] } });
		const endSec = Math.floor(emu.clock.now() / 1000);

		const all = expectCode(
			await stats({ TaskID: [a, b], StartTime: startSec, EndTime: endSec }),
			0,
		);
		expect(all.Results.map((s) => s.TaskID)).toEqual([a, b]);
		const overall = expectCode(await stats({ TaskID: [], StartTime: startSec, EndTime: endSec }), 0)
			.Results[0];
		expect(overall.TotalCount).toBe(task(a).deliveries.length + task(b).deliveries.length); // not the legacy task
		const onlyB = expectCode(
			await stats({ TaskID: [a, b], StartTime: endSec, EndTime: endSec + 10 }),
			0,
		);
		expect(onlyB.Results.map((s) => s.TaskID)).toEqual([b]);
		const mixed = expectCode(
			await stats({ TaskID: [legacy, 'no-such-task', a], StartTime: startSec, EndTime: endSec }),
			0,
		);
		expect(mixed.Results.map((s) => s.TaskID)).toEqual([a]);
		const other = expectCode(
			await stats({ TaskID: [a], StartTime: startSec, EndTime: endSec }, { app: APP2 }),
			0,
		);
		expect(other.Results).toEqual([]);
		const otherOverall = expectCode(
			await stats({ TaskID: [], StartTime: startSec, EndTime: endSec }, { app: APP2 }),
			0,
		);
		expect(otherOverall.Results).toEqual([{ TaskID: '', ...zero(), PlatformStatistics: [] }]);
	});

	test('deliveryDelayMs 0 delivers on arrival; revoke stops what has not been delivered yet', async () => {
		emu.configure({ deliveryDelayMs: 0 });
		const now = await push({ OfflinePushInfo: info });
		expect(await statsOf(now)).toMatchObject({ TotalCount: 7, SentCount: 7, DeliveredCount: 7 });

		emu.configure({ deliveryDelayMs: 7000 }); // one delivery per second
		const id = await push({ OfflinePushInfo: info });
		emu.clock.advance(3000);
		expectCode(await call(emu, 'timpush/revoke', { TaskId: id, OfflinePushInfo: info }), 0);
		emu.clock.advance(10000);
		const after = await statsOf(id);
		expect(after).toMatchObject({ TotalCount: 7, SentCount: 7, DeliveredCount: 3 });
		expect(after).toEqual(fromRecords(task(id), emu.clock.now()));
	});

	test('clicks recorded through the introspection hook are counted once per delivered recipient', async () => {
		const id = await push({ Condition: { TagsOr: ['vip'] }, OfflinePushInfo: info });
		const clicks = (users) =>
			introspect(emu, `apps/${SDK}/tasks/${encodeURIComponent(id)}/clicks`, { users });
		const early = await clicks(['ios-off']);
		expect(early.json).toMatchObject({
			clicked: [],
			ignored: [{ user: 'ios-off', reason: 'not delivered (yet)' }],
			clickCount: 0,
		});
		emu.clock.advance(2000);
		const res = await clicks(['ios-off', 'hw-off', 'mi-off', 'ios-off']);
		expect(res.status).toBe(200);
		expect(res.json).toEqual({
			taskId: id,
			clicked: ['ios-off', 'hw-off'],
			ignored: [
				{ user: 'mi-off', reason: 'not a recipient of this task' },
				{ user: 'ios-off', reason: 'already clicked' },
			],
			clickCount: 2,
		});
		const s = await statsOf(id);
		expect(s.ClickCount).toBe(2);
		expect(s.PlatformStatistics.find((r) => r.PushPlatform === CODES.iOS).ClickCount).toBe(1);
		expect(s.PlatformStatistics.find((r) => r.PushPlatform === CODES.Huawei).ClickCount).toBe(1);
		expect(s).toEqual(fromRecords(task(id), emu.clock.now()));
		expect(
			(await introspect(emu, `apps/${SDK}/tasks/${encodeURIComponent(id)}/statistics`)).json,
		).toEqual(s);
		expect(emu.state.counters.clicks).toBe(2);
		expect((await clicks('ios-on')).status).toBe(400);
		expect((await introspect(emu, `apps/${SDK}/tasks/nope/clicks`, { users: ['a'] })).status).toBe(
			404,
		);
	});

	test('refuses the old request shapes with 90001: TaskID alone, no time range, 6 TaskIDs, 31 days; 1 request/s (60007)', async () => {
		const nowSec = Math.floor(emu.clock.now() / 1000);
		const range = { StartTime: nowSec - 86400, EndTime: nowSec };
		const six = Array.from({ length: 6 }, (_, i) => `t${i}`);
		for (const body of [
			{},
			{ TaskID: ['t0'] }, // TaskID only: the old shape, no time range
			{ TaskID: ['t0'], StartTime: nowSec }, // half a range
			{ TaskID: ['t0'], EndTime: nowSec },
			{ StartTime: nowSec - 86400, EndTime: nowSec }, // no TaskID (required; [] for overall)
			{ TaskID: six, ...range }, // 6 TaskIDs
			{ TaskID: [], StartTime: nowSec - 31 * 86400, EndTime: nowSec }, // 31 days
			{ TaskID: 'abc', ...range },
			{ TaskID: [''], ...range },
			{ TaskID: [], StartTime: nowSec, EndTime: nowSec - 1 },
			{ TaskID: [], StartTime: String(nowSec), EndTime: nowSec },
		]) {
			expect([body, (await stats(body)).json.ErrorCode]).toEqual([body, 90001]);
		}
		expect(emu.state.counters.invalidByCode[90001]).toBe(11);
		expectCode(await stats({ TaskID: [], StartTime: nowSec - 30 * 86400, EndTime: nowSec }), 0);
		expectCode(await stats({ TaskID: six.slice(0, 5), ...range }), 0);

		emu.configure({ statisticsRatePerSecond: 1 });
		emu.clock.advance(1000);
		expectCode(await stats({ TaskID: [], ...range }), 0);
		expectCode(await stats({ TaskID: [], ...range }), 60007);
		expectCode(await trace({ TaskID: 'x', UserID: 'y' }), 0); // its own window
		expectCode(await losses({ TaskID: [], ...range }), 0); // and the losses theirs
		emu.clock.advance(1000);
		expectCode(await stats({ TaskID: [], ...range }), 0);
		expect(emu.state.counters.limitRejections).toBe(1);
	});
});

describe('all_member_push_loss', () => {
	/** The stats fixture with losses: no Xiaomi certificate, one device without a token, two refused by their vendors. */
	async function withLosses(fn) {
		const fixture = JSON.parse(fs.readFileSync(STATS_FIXTURE, 'utf8'));
		const app = fixture.apps[0];
		app.pushCertificates = [
			'iOS',
			'Huawei',
			'Android',
			'Honor',
			'OPPO',
			'vivo',
			'Meizu',
			'Harmony',
		];
		const token = { 'ios-off': 'invalid', 'hw-off': 'invalid', 'reg-1': 'missing' };
		for (const u of app.users) if (token[u.id]) u.pushToken = token[u.id];
		app.users.find((u) => u.id === 'plain').platform = 'OPPO';
		const e = await start({ fixture, config: { pushIntervalMs: 0, statisticsRatePerSecond: 0 } });
		try {
			await fn(e);
		} finally {
			await e.stop();
		}
	}
	const range = (e) => {
		const nowSec = Math.floor(e.clock.now() / 1000);
		return { StartTime: nowSec - 86400, EndTime: nowSec };
	};

	test('losses by error code before sending (no certificate, no token) and after (refused token), per platform', async () => {
		await withLosses(async (e) => {
			const id = expectCode(
				await call(e, 'timpush/push', { MsgRandom: nextRandom(), OfflinePushInfo: info }),
				0,
			).TaskId;
			const res = expectCode(
				await call(e, 'timpush/all_member_push_loss', { TaskID: [id], ...range(e) }),
				0,
			);
			expect(Object.keys(res).sort()).toEqual([
				'ActionStatus',
				'ErrorCode',
				'ErrorInfo',
				'Results',
			]);
			expect(res.Results).toEqual([
				{
					TaskID: id,
					// mi-off: Xiaomi has no certificate; reg-1 never uploaded a token.
					ReadyToSendLoss: [
						{ ErrCode: '-1', ErrCount: 1, ErrInfo: 'certificate id not set' },
						{ ErrCode: '-2', ErrCount: 1, ErrInfo: 'token not uploaded' },
					],
					// ios-off: APNs answers Unregistered; hw-off: Huawei answers regid_invalid.
					PostSendDeliveredLoss: [
						{ ErrCode: '1', ErrCount: 1, ErrInfo: 'regid_invalid' },
						{ ErrCode: '410', ErrCount: 1, ErrInfo: 'Unregistered' },
					],
					PlatformReadyToSendLoss: [
						{
							EventType: 1,
							PushPlatform: CODES.Xiaomi,
							ErrCode: '-1',
							ErrCount: 1,
							ErrInfo: 'certificate id not set',
						},
						{
							EventType: 1,
							PushPlatform: CODES.Honor,
							ErrCode: '-2',
							ErrCount: 1,
							ErrInfo: 'token not uploaded',
						},
					],
					PlatformPostSendDeliveredLoss: [
						{
							EventType: 1,
							PushPlatform: CODES.iOS,
							ErrCode: '410',
							ErrCount: 1,
							ErrInfo: 'Unregistered',
						},
						{
							EventType: 1,
							PushPlatform: CODES.Huawei,
							ErrCode: '1',
							ErrCount: 1,
							ErrInfo: 'regid_invalid',
						},
					],
				},
			]);
			// The statistics agree: lost before sending is not sent, lost after sending is never delivered.
			e.clock.advance(5000);
			const figures = expectCode(
				await call(e, 'timpush/all_member_push_statistics', { TaskID: [id], ...range(e) }),
				0,
			).Results[0];
			expect(figures).toMatchObject({ TotalCount: 7, SentCount: 5, DeliveredCount: 3 });
			const t = e.state.tasks.get(id);
			expect(
				t.deliveries
					.filter((d) => d.loss)
					.map((d) => [d.userId, d.loss.stage, d.sentAt !== null, d.deliveredAt]),
			).toEqual([
				['ios-off', 'afterSending', true, null],
				['hw-off', 'afterSending', true, null],
				['mi-off', 'beforeSending', false, null],
				['reg-1', 'beforeSending', false, null],
			]);
			// The trace names the loss.
			const lost = expectCode(
				await call(e, 'timpush/all_member_push_trace', { TaskID: id, UserID: 'reg-1' }),
				0,
			).InstanceTrace[0];
			expect(lost).toMatchObject({
				Token: '',
				OfflinePushStat: {
					ChannelStat: { PushStatus: 2, ErrorCode: -2, ErrorInfo: 'token not uploaded' },
				},
			});
		});
	});

	test('online users and PushFlag 1 lose nothing; overall losses sum the window; a token fixed later stops the loss', async () => {
		await withLosses(async (e) => {
			const silent = expectCode(
				await call(e, 'timpush/push', {
					MsgRandom: nextRandom(),
					OfflinePushInfo: { PushFlag: 1 },
				}),
				0,
			).TaskId;
			const batchId = expectCode(
				await call(e, 'timpush/batch', {
					MsgRandom: nextRandom(),
					From_Account: 'admin',
					To_Account: ['ios-off', 'ios-on'],
					OfflinePushInfo: info,
				}),
				0,
			).TaskId;
			await introspect(e, `apps/${SDK}/users/ios-off`, { pushToken: 'ok' });
			const fixed = expectCode(
				await call(e, 'timpush/batch', {
					MsgRandom: nextRandom(),
					From_Account: 'admin',
					To_Account: ['ios-off'],
					OfflinePushInfo: info,
				}),
				0,
			).TaskId;
			const res = expectCode(
				await call(e, 'timpush/all_member_push_loss', {
					TaskID: [silent, batchId, fixed],
					...range(e),
				}),
				0,
			).Results;
			const empty = {
				ReadyToSendLoss: [],
				PostSendDeliveredLoss: [],
				PlatformReadyToSendLoss: [],
				PlatformPostSendDeliveredLoss: [],
			};
			expect(res).toEqual([
				{ TaskID: silent, ...empty },
				expect.objectContaining({
					TaskID: batchId,
					PostSendDeliveredLoss: [{ ErrCode: '410', ErrCount: 1, ErrInfo: 'Unregistered' }],
				}),
				{ TaskID: fixed, ...empty },
			]);
			const overall = expectCode(
				await call(e, 'timpush/all_member_push_loss', { TaskID: [], ...range(e) }),
				0,
			).Results;
			expect(overall).toEqual([
				{
					TaskID: '',
					...empty,
					PostSendDeliveredLoss: [{ ErrCode: '410', ErrCount: 1, ErrInfo: 'Unregistered' }],
					PlatformPostSendDeliveredLoss: [
						expect.objectContaining({ PushPlatform: CODES.iOS, ErrCount: 1 }),
					],
				},
			]);
			expect((await introspect(e, `apps/${SDK}/users/ios-off`, { pushToken: 'lost' })).status).toBe(
				400,
			);
		});
	});

	test('refuses the old request shapes with 90001: TaskID alone, 6 TaskIDs, 8 days (losses cover 7)', async () => {
		const nowSec = Math.floor(emu.clock.now() / 1000);
		for (const body of [
			{ TaskID: ['t0'] },
			{
				TaskID: Array.from({ length: 6 }, (_, i) => `t${i}`),
				StartTime: nowSec - 60,
				EndTime: nowSec,
			},
			{ TaskID: [], StartTime: nowSec - 8 * 86400, EndTime: nowSec },
			{ TaskID: [], StartTime: nowSec - 31 * 86400, EndTime: nowSec },
			{ StartTime: nowSec - 60, EndTime: nowSec },
		]) {
			expect([body, (await losses(body)).json.ErrorCode]).toEqual([body, 90001]);
		}
		expectCode(await losses({ TaskID: [], StartTime: nowSec - 7 * 86400, EndTime: nowSec }), 0);
	});
});

describe('all_member_push_trace', () => {
	test('a vendor push: InstanceTrace built from the delivery record, device stage pending until delivered', async () => {
		const id = await push({ OfflinePushInfo: info });
		const d = task(id).deliveries.find((x) => x.userId === 'hw-off');
		const pending = expectCode(await trace({ TaskID: id, UserID: 'hw-off' }), 0).InstanceTrace;
		expect(pending).toHaveLength(1);
		const cst = (ms) => utcText(ms, 480); // traces use China Standard Time
		expect(pending[0]).toEqual({
			InstanceId: expect.stringMatching(/^\d{8}$/),
			PushTime: cst(d.sentAt),
			DeviceModel: '',
			System: 'Android',
			SystemVersion: '',
			EventType: 1,
			PushPlatform: CODES.Huawei,
			Token: expect.stringMatching(/^[0-9a-f]{32}$/),
			CertId: expect.any(String),
			SdkVersion: expect.any(String),
			PushVersion: expect.any(String),
			NotificationStatus: 1,
			last_active_terminal: 1,
			IMCommitStat: {
				IMStat: { PushStatus: 1, ErrorCode: 0, ErrorInfo: 'success', EventTime: cst(d.arrivedAt) },
			},
			OfflinePushStat: {
				OfflineStat: {
					PushStatus: 1,
					ErrorCode: 0,
					ErrorInfo: 'success',
					EventTime: cst(d.sentAt),
				},
				ChannelStat: {
					PushStatus: 1,
					ErrorCode: 0,
					ErrorInfo: 'success',
					EventTime: cst(d.sentAt),
				},
				DeviceStat: { PushStatus: 0, ErrorCode: 0, ErrorInfo: 'in progress', EventTime: '' },
			},
		});
		expect(pending[0].PushTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		emu.clock.advance(2000);
		const done = expectCode(await trace({ TaskID: id, UserID: 'hw-off' }), 0).InstanceTrace[0];
		expect(done.OfflinePushStat.DeviceStat).toEqual({
			PushStatus: 1,
			ErrorCode: 0,
			ErrorInfo: 'success',
			EventTime: cst(d.deliveredAt),
		});
		expect(done.InstanceId).toBe(pending[0].InstanceId);
	});

	test('online delivery, suppressed offline push, iOS device', async () => {
		const id = await push({ OfflinePushInfo: { PushFlag: 1 } });
		emu.clock.advance(2000);
		const online = expectCode(await trace({ TaskID: id, UserID: 'fcm-on' }), 0).InstanceTrace[0];
		expect(online).toMatchObject({ EventType: 2, PushPlatform: 0, Token: '', System: 'Android' });
		expect(online.OfflinePushStat.DeviceStat.PushStatus).toBe(1);
		expect(online.OfflinePushStat.OfflineStat.PushStatus).toBe(2);
		const silent = expectCode(await trace({ TaskID: id, UserID: 'ios-off' }), 0).InstanceTrace[0];
		expect(silent).toMatchObject({ EventType: 1, PushPlatform: CODES.iOS, System: 'iOS' });
		expect(silent.OfflinePushStat.OfflineStat).toEqual({
			PushStatus: 2,
			ErrorCode: 0,
			ErrorInfo: 'offline push disabled (PushFlag 1)',
			EventTime: '',
		});
		expect(silent.OfflinePushStat.DeviceStat.PushStatus).toBe(2);
	});

	test('unknown task or user, legacy task, data older than 7 days → empty list; missing fields → 90001', async () => {
		const id = await push({ Condition: { TagsOr: ['news'] } });
		const legacy = expectCode(
			await call(emu, 'all_member_push/im_push', { MsgRandom: nextRandom(), MsgBody: text('x') }),
			0,
		).TaskId;
		expect(expectCode(await trace({ TaskID: id, UserID: 'ios-on' }), 0)).toEqual({
			ActionStatus: 'OK',
			ErrorInfo: '',
			ErrorCode: 0,
			InstanceTrace: [],
		});
		expect(expectCode(await trace({ TaskID: 'nope', UserID: 'mi-off' }), 0).InstanceTrace).toEqual(
			[],
		);
		expect(expectCode(await trace({ TaskID: legacy, UserID: 'ios-on' }), 0).InstanceTrace).toEqual(
			[],
		);
		expect(
			expectCode(await trace({ TaskID: id, UserID: 'mi-off' }, { app: APP2 }), 0).InstanceTrace,
		).toEqual([]);
		expect(expectCode(await trace({ TaskID: id, UserID: 'mi-off' }), 0).InstanceTrace).toHaveLength(
			1,
		);
		emu.clock.advance(7 * 86400 * 1000 + 1);
		expect(expectCode(await trace({ TaskID: id, UserID: 'mi-off' }), 0).InstanceTrace).toEqual([]);
		expectCode(await trace({ TaskID: id }), 90001);
		expectCode(await trace({ UserID: 'mi-off' }), 90001);
		expectCode(await trace({ TaskID: 1, UserID: 'mi-off' }), 90001);
	});
});

describe('device platforms', () => {
	test('fixture platform, stable default, switch over introspection; unknown platform rejected', async () => {
		const users = (await introspect(emu, `apps/${SDK}/users`)).json.users;
		expect(Object.fromEntries(users.map((u) => [u.id, u.platform]))).toMatchObject({
			'ios-on': 'iOS',
			'hw-off': 'Huawei',
			'reg-1': 'Honor',
		});
		const plain = users.find((u) => u.id === 'plain').platform;
		expect(['iOS', 'Android', 'Huawei', 'Xiaomi', 'OPPO', 'vivo', 'Honor']).toContain(plain);
		const again = await start({ fixture: STATS_FIXTURE });
		try {
			expect(again.state.getUser(SDK, 'plain').platform).toBe(plain);
		} finally {
			await again.stop();
		}
		const switched = await introspect(emu, `apps/${SDK}/users/plain`, { platform: 'Harmony' });
		expect(switched.json).toMatchObject({ id: 'plain', platform: 'Harmony', online: false });
		expect((await introspect(emu, `apps/${SDK}/users/plain`, { platform: 'Nokia' })).status).toBe(
			400,
		);
		expect((await introspect(emu, `apps/${SDK}/users/plain`, {})).status).toBe(400);
		const id = await push({ OfflinePushInfo: info });
		const s = await statsOf(id);
		expect(s.PlatformStatistics.find((r) => r.PushPlatform === CODES.Harmony)).toMatchObject({
			TotalCount: 1,
		});
		const t = expectCode(await trace({ TaskID: id, UserID: 'plain' }), 0).InstanceTrace[0];
		expect(t).toMatchObject({ PushPlatform: CODES.Harmony, System: 'HarmonyOS' });

		const bad = JSON.parse(fs.readFileSync(STATS_FIXTURE, 'utf8'));
		bad.apps[0].users[0].platform = 'Nokia';
		await expect(start({ fixture: bad })).rejects.toThrow(/platform must be one of/);
	});
});

const window = (e) => {
	const nowSec = Math.floor(e.clock.now() / 1000);
	return { StartTime: nowSec - 86400, EndTime: nowSec + 86400 };
};

test('delivery timing, clicks and platforms survive a restart with the same persist file', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-stats-'));
	const file = path.join(dir, 'state.json');
	const cfg = { pushIntervalMs: 0, statisticsRatePerSecond: 0 };
	try {
		const first = await start({ fixture: STATS_FIXTURE, persistPath: file, config: cfg });
		let id;
		let before;
		try {
			await introspect(first, `apps/${SDK}/users/plain`, { platform: 'Meizu' });
			id = expectCode(
				await call(first, 'timpush/push', { MsgRandom: nextRandom(), OfflinePushInfo: info }),
				0,
			).TaskId;
			first.clock.advance(1000);
			await introspect(first, `apps/${SDK}/tasks/${encodeURIComponent(id)}/clicks`, {
				users: ['ios-on'],
			});
			before = expectCode(
				await call(first, 'timpush/all_member_push_statistics', { TaskID: [id], ...window(first) }),
				0,
			);
		} finally {
			await first.stop();
		}
		const second = await start({ fixture: STATS_FIXTURE, persistPath: file, config: cfg });
		try {
			expect(second.clock.now()).toBe(first.clock.now());
			expect(
				expectCode(
					await call(second, 'timpush/all_member_push_statistics', {
						TaskID: [id],
						...window(second),
					}),
					0,
				),
			).toEqual(before);
			expect(before.Results[0]).toMatchObject({ DeliveredCount: 3, ClickCount: 1 });
			expect(before.Results[0].PlatformStatistics.some((r) => r.PushPlatform === CODES.Meizu)).toBe(
				true,
			);
			second.clock.advance(1000);
			expect(
				expectCode(
					await call(second, 'timpush/all_member_push_statistics', {
						TaskID: [id],
						...window(second),
					}),
					0,
				).Results[0].DeliveredCount,
			).toBe(7);
		} finally {
			await second.stop();
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
