'use strict';

const { start, call, expectCode, nextRandom, text } = require('./helpers');
const { DEFAULT_CONFIG } = require('../../emulator');

let emu;
beforeAll(async () => {
	emu = await start();
});
afterAll(() => emu.stop());
beforeEach(async () => {
	await emu.reset({ config: true });
	emu.clock.advance(60 * 60 * 1000); // well past any interval from the previous test
});

const push = (body, opts) => call(emu, 'timpush/push', { MsgRandom: nextRandom(), ...body }, opts);
const noInterval = () => emu.configure({ pushIntervalMs: 0 });
const info = { PushFlag: 0, Title: 'title', Desc: 'desc' };

const VALID_ELEMENTS = [
	{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } },
	{ MsgType: 'TIMLocationElem', MsgContent: { Desc: 'office', Latitude: 22.5, Longitude: 113.9 } },
	{ MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'smile' } },
	{ MsgType: 'TIMCustomElem', MsgContent: { Data: 'd', Desc: 'custom', Ext: 'e', Sound: 's.mp3' } },
	{
		MsgType: 'TIMSoundElem',
		MsgContent: { Url: 'https://x/s.mp3', UUID: 'u1', Size: 10, Second: 2, Download_Flag: 2 },
	},
	{
		MsgType: 'TIMImageElem',
		MsgContent: {
			UUID: 'u2',
			ImageFormat: 1,
			ImageInfoArray: [{ Type: 1, Size: 10, Width: 1, Height: 1, URL: 'https://x/i.jpg' }],
		},
	},
	{
		MsgType: 'TIMFileElem',
		MsgContent: {
			Url: 'https://x/f',
			UUID: 'u3',
			FileSize: 5,
			FileName: 'f.txt',
			Download_Flag: 2,
		},
	},
	{
		MsgType: 'TIMVideoFileElem',
		MsgContent: {
			VideoUrl: 'https://x/v.mp4',
			VideoUUID: 'v',
			VideoSize: 1,
			VideoSecond: 1,
			VideoFormat: 'mp4',
			VideoDownloadFlag: 2,
			ThumbUrl: 'https://x/t.jpg',
			ThumbUUID: 't',
			ThumbSize: 1,
			ThumbWidth: 1,
			ThumbHeight: 1,
			ThumbFormat: 'JPG',
			ThumbDownloadFlag: 2,
		},
	},
];

// Required MsgContent fields per element type (docs/tencent-api.md#msgbody).
const REQUIRED = {
	TIMTextElem: ['Text'],
	TIMLocationElem: ['Desc', 'Latitude', 'Longitude'],
	TIMFaceElem: ['Index'],
	TIMCustomElem: ['Data'],
	TIMSoundElem: ['Url', 'UUID', 'Size', 'Second', 'Download_Flag'],
	TIMImageElem: ['UUID', 'ImageFormat', 'ImageInfoArray'],
	TIMFileElem: ['Url', 'UUID', 'FileSize', 'FileName', 'Download_Flag'],
	TIMVideoFileElem: Object.keys(VALID_ELEMENTS[7].MsgContent),
};

describe('timpush/push', () => {
	test('notification shape (no MsgBody) pushes to all accounts, offline users get a vendor push', async () => {
		const res = expectCode(await push({ From_Account: 'admin', OfflinePushInfo: info }), 0);
		expect(res.TaskId).toMatch(/^[0-9a-f]+_[0-9a-f]+_[0-9a-f]+_[0-9a-f]+_[0-9a-f]+$/);
		const task = emu.state.tasks.get(res.TaskId);
		expect(task).toMatchObject({
			family: 'timpush',
			command: 'push',
			variant: 'notification',
			stored: false,
			status: 'delivered',
			fromAccount: 'admin',
		});
		expect(task.deliveries.map((d) => d.userId)).toEqual(['alice', 'bob', 'carol', 'dave', 'reg1']);
		const bob = task.deliveries.find((d) => d.userId === 'bob');
		expect(bob).toMatchObject({
			online: false,
			onlineDelivered: false,
			offlinePush: true,
			stored: false,
			family: 'timpush',
			msgRandom: task.msgRandom,
			arrivedAt: task.createdAt,
		});
		expect(bob.content.offlinePushInfo).toEqual(info);
		expect(task.summary).toEqual({
			recipients: 5,
			online: 2,
			offline: 3,
			stored: 0,
			offlinePush: 3,
			unreached: 0,
		});
		expect(emu.state.counters.pushesAccepted).toBe(1);
	});

	test('PushFlag 1 means no offline push; unknown From_Account falls back to the caller', async () => {
		const res = expectCode(
			await push({ From_Account: 'nobody', OfflinePushInfo: { PushFlag: 1, Ext: '{"k":1}' } }),
			0,
		);
		const task = emu.state.tasks.get(res.TaskId);
		expect(task.fromAccount).toBe('admin');
		expect(task.deliveries.filter((d) => d.offlinePush)).toEqual([]);
		expect(task.summary.unreached).toBe(3);
	});

	test('MsgBody shape: IM message to UserIDs only, stored unless OnlineOnlyFlag 1', async () => {
		noInterval();
		const stored = emu.state.tasks.get(
			expectCode(await push({ MsgBody: text('hi'), OnlineOnlyFlag: 0, OfflinePushInfo: info }), 0)
				.TaskId,
		);
		expect(stored).toMatchObject({ variant: 'message', stored: true });
		expect(stored.deliveries.map((d) => d.userId)).toEqual(['alice', 'bob', 'carol', 'dave']);
		const online = emu.state.tasks.get(
			expectCode(await push({ MsgBody: text('hi'), OnlineOnlyFlag: 1 }), 0).TaskId,
		);
		expect(online.stored).toBe(false);
		expectCode(await push({ MsgBody: text('hi'), OnlineOnlyFlag: 2 }), 90001);
		// A lone TIMCustomElem without any Desc has no push text.
		const custom = emu.state.tasks.get(
			expectCode(
				await push({ MsgBody: [{ MsgType: 'TIMCustomElem', MsgContent: { Data: 'x' } }] }),
				0,
			).TaskId,
		);
		expect(custom.offlinePushEnabled).toBe(false);
	});

	test('all eight element types are accepted, alone and together', async () => {
		noInterval();
		for (const el of VALID_ELEMENTS) expectCode(await push({ MsgBody: [el] }), 0);
		expectCode(await push({ MsgBody: VALID_ELEMENTS }), 0);
	});

	test('MsgBody validation: 90007 not an array, 90002 malformed element, 90010 bad content', async () => {
		expectCode(await push({ MsgBody: { MsgType: 'TIMTextElem' } }), 90007);
		expectCode(await push({ MsgBody: [] }), 90002);
		expectCode(await push({ MsgBody: ['x'] }), 90002);
		expectCode(await push({ MsgBody: [{ MsgType: 'TIMRelayElem', MsgContent: {} }] }), 90002);
		expectCode(await push({ MsgBody: [{ MsgType: 'TIMTextElem' }] }), 90002);
		for (const el of VALID_ELEMENTS) {
			for (const field of REQUIRED[el.MsgType]) {
				const { [field]: _omit, ...rest } = el.MsgContent;
				expectCode(await push({ MsgBody: [{ MsgType: el.MsgType, MsgContent: rest }] }), 90010);
			}
		}
		expectCode(
			await push({ MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 5 } }] }),
			90010,
		);
		expectCode(
			await push({
				MsgBody: [
					{
						MsgType: 'TIMSoundElem',
						MsgContent: { ...VALID_ELEMENTS[4].MsgContent, Download_Flag: 1 },
					},
				],
			}),
			90010,
		);
		expectCode(
			await push({
				MsgBody: [
					{
						MsgType: 'TIMImageElem',
						MsgContent: { ...VALID_ELEMENTS[5].MsgContent, ImageInfoArray: [{ Type: 4 }] },
					},
				],
			}),
			90010,
		);
		expectCode(await push({ MsgBody: [VALID_ELEMENTS[3], VALID_ELEMENTS[3]] }), 90010);
		expect(emu.state.tasks.size).toBe(0);
	});

	test('MsgRandom missing or not a uint32 → 90005', async () => {
		for (const MsgRandom of [undefined, '12', -1, 1.5, 4294967296, null]) {
			expectCode(await call(emu, 'timpush/push', { MsgRandom }), 90005);
		}
		expectCode(await call(emu, 'timpush/push', { MsgRandom: 4294967295 }), 0);
	});

	test('MsgLifeTime (if sent) 0..604800 → else 90026; OfflinePushInfo types → 90001', async () => {
		noInterval();
		expectCode(await push({ MsgLifeTime: 604801 }), 90026);
		expectCode(await push({ MsgLifeTime: 604800 }), 0);
		expectCode(await push({ OfflinePushInfo: 'x' }), 90001);
		expectCode(await push({ OfflinePushInfo: { PushFlag: 2 } }), 90001);
		expectCode(await push({ OfflinePushInfo: { Title: 1 } }), 90001);
		expectCode(
			await push({ OfflinePushInfo: { AndroidInfo: { HuaWeiImportance: 'HIGH' } } }),
			90001,
		);
		expectCode(await push({ OfflinePushInfo: { ApnsInfo: { BadgeMode: 3 } } }), 90001);
		expectCode(
			await push({
				OfflinePushInfo: {
					...info,
					AndroidInfo: { Sound: 'a', HuaWeiImportance: 'LOW' },
					ApnsInfo: { BadgeMode: 1, MutableContent: 1 },
				},
			}),
			0,
		);
		expectCode(await push({ From_Account: 5 }), 90001);
	});

	test('Condition limits: 90032, 90040, 90020, 90022, 90039, 90033, 90001', async () => {
		const tags = Array.from({ length: 11 }, (_, i) => `t${i}`);
		expectCode(await push({ Condition: { TagsOr: tags } }), 90032);
		expectCode(await push({ Condition: { TagsAnd: tags } }), 90032);
		expectCode(await push({ Condition: { TagsOr: ['a', ''] } }), 90040);
		expectCode(await push({ Condition: { TagsAnd: ['标'.repeat(17)] } }), 90020);
		expectCode(await push({ Condition: { TagsOr: ['a', 'b'], TagsAnd: ['b'] } }), 90022);
		expectCode(await push({ Condition: { TagsOr: ['gold'], AttrsOr: { city: 'x' } } }), 90039);
		expectCode(await push({ Condition: { TagsAnd: ['gold'], AttrsAnd: { city: 'x' } } }), 90039);
		expectCode(
			await push({ Condition: { AttrsOr: { city: 'x' }, AttrsAnd: { sex: 'y' } } }),
			90039,
		); // new-family rule
		expectCode(await push({ Condition: { AttrsOr: { age: 'x' } } }), 90033);
		expectCode(await push({ Condition: { AttrsAnd: { city: 'c'.repeat(51) } } }), 90033);
		expectCode(await push({ Condition: { TagOr: ['gold'] } }), 90001); // typo must not become "all users"
		expectCode(await push({ Condition: {} }), 90001);
		expectCode(await push({ Condition: { TagsOr: [] } }), 90001);
		expectCode(await push({ Condition: { TagsOr: 'gold' } }), 90001);
		expectCode(await push({ Condition: [] }), 90001);
		expect(emu.state.tasks.size).toBe(0);
		expectCode(
			await push({ Condition: { TagsOr: Array.from({ length: 10 }, (_, i) => `t${i}`) } }),
			0,
		);
	});

	test('TagsOr + TagsAnd coexist in the new family unless timpushTagsOrAndCoexist is false', async () => {
		const ok = expectCode(await push({ Condition: { TagsOr: ['gold'], TagsAnd: ['silver'] } }), 0);
		expect(emu.state.tasks.get(ok.TaskId).deliveries.map((d) => d.userId)).toEqual(['dave']);
		emu.configure({ timpushTagsOrAndCoexist: false });
		emu.clock.advance(2000);
		expectCode(await push({ Condition: { TagsOr: ['gold'], TagsAnd: ['silver'] } }), 90039);
	});

	test('push feature not enabled → 90045', async () => {
		const app = { sdkAppId: 1400000002, key: 'another-app-secret-key', identifier: 'admin' };
		expectCode(await push({}, { app }), 90045);
		expectCode(await call(emu, 'timpush/batch', {}, { app }), 90045);
		expectCode(await call(emu, 'all_member_push/im_push', {}, { app }), 90045);
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['x1'] }, { app }), 0);
	});
});

describe('push interval, daily quota and dedup', () => {
	test('pushes must be MORE than pushIntervalMs apart, on arrival, across both families', async () => {
		expectCode(await push({}), 0);
		emu.clock.advance(1000);
		expectCode(await push({}), 90024);
		expectCode(
			await call(emu, 'all_member_push/im_push', { MsgRandom: nextRandom(), MsgBody: text('x') }),
			90024,
		);
		emu.clock.advance(1);
		// The rejected attempts did not restart the interval.
		expectCode(
			await call(emu, 'all_member_push/im_push', { MsgRandom: nextRandom(), MsgBody: text('x') }),
			0,
		);
		emu.clock.advance(500);
		expectCode(await push({}), 90024);
		// batch is not subject to the interval
		expectCode(
			await call(emu, 'timpush/batch', {
				From_Account: 'admin',
				To_Account: ['bob'],
				MsgRandom: nextRandom(),
				OfflinePushInfo: info,
			}),
			0,
		);
		expect(emu.state.counters.limitRejections).toBe(3);
		emu.configure({ pushIntervalMs: 50 });
		emu.clock.advance(51);
		expectCode(await push({}), 0);
	});

	test('daily quota → 90047, resets at midnight UTC+8 (quotaDayOffsetMinutes)', async () => {
		emu.configure({ pushIntervalMs: 0, dailyPushQuota: 2 });
		const dayMs = 86400000;
		const offset = 8 * 3600000;
		// Move to 23:59:59.000 China Standard Time.
		const now = emu.clock.now();
		const nextMidnight = Math.floor((now + offset) / dayMs) * dayMs + dayMs - offset;
		emu.clock.advance(nextMidnight - now - 1000);
		expectCode(await push({}), 0);
		expectCode(await push({}), 0);
		const third = expectCode(await push({}), 90047);
		expect(third.TaskId).toBe('');
		expectCode(
			await call(emu, 'all_member_push/im_push', { MsgRandom: nextRandom(), MsgBody: text('x') }),
			90047,
		);
		emu.clock.advance(1000);
		expectCode(await push({}), 0);
		expect(emu.state.getApp(1400000001).limits.quotaUsed).toBe(1);
	});

	test('an app-level dailyPushQuota from the fixture overrides the config', async () => {
		const fixture = {
			apps: [{ sdkAppId: 1, secretKey: 'k', admins: ['admin'], dailyPushQuota: 1 }],
		};
		const other = await start({ fixture, config: { pushIntervalMs: 0 } });
		try {
			const app = { sdkAppId: 1, key: 'k', identifier: 'admin' };
			expectCode(await call(other, 'timpush/push', { MsgRandom: 1 }, { app }), 0);
			expectCode(await call(other, 'timpush/push', { MsgRandom: 2 }, { app }), 90047);
		} finally {
			await other.stop();
		}
	});

	test('same MsgRandom → same TaskId, one task, no quota, checked before interval and quota', async () => {
		emu.configure({ dailyPushQuota: 1 });
		const body = { MsgRandom: 777, Condition: { TagsOr: ['gold'] } };
		const first = expectCode(await call(emu, 'timpush/push', body), 0);
		const again = expectCode(await call(emu, 'timpush/push', body), 0); // within the interval and over quota
		expect(again.TaskId).toBe(first.TaskId);
		expect(emu.state.tasks.size).toBe(1);
		expect(emu.state.tasks.get(first.TaskId).duplicateRequests).toBe(1);
		expect(emu.state.counters).toMatchObject({
			duplicatePushes: 1,
			duplicatePushesWithDifferentBody: 0,
			pushesAccepted: 1,
		});
		expect(emu.state.requestLog.at(-1).duplicateOf).toBe(first.TaskId);
		// A different body with the same MsgRandom is still a duplicate, and is counted as suspicious.
		expectCode(await call(emu, 'timpush/push', { MsgRandom: 777 }), 0);
		expect(emu.state.counters.duplicatePushesWithDifferentBody).toBe(1);
		expect(emu.state.getApp(1400000001).limits.quotaUsed).toBe(1);
		// Families and commands dedup separately.
		emu.configure({ dailyPushQuota: 100 });
		emu.clock.advance(1001);
		const legacy = expectCode(
			await call(emu, 'all_member_push/im_push', { MsgRandom: 777, MsgBody: text('x') }),
			0,
		);
		expect(legacy.TaskId).not.toBe(first.TaskId);
	});

	test('dedup window by default "within the same second": a repeat 1 s later is a second push', async () => {
		expect(DEFAULT_CONFIG.dedupWindowMs).toBe(1000);
		/** @type {Array<[string, object]>} */
		const families = [
			['timpush/push', {}],
			['all_member_push/im_push', { MsgBody: text('x') }],
		];
		for (const [command, extra] of families) {
			const first = expectCode(await call(emu, command, { MsgRandom: 4711, ...extra }), 0);
			emu.clock.advance(999);
			expect(expectCode(await call(emu, command, { MsgRandom: 4711, ...extra }), 0).TaskId).toBe(
				first.TaskId,
			);
			emu.clock.advance(2);
			expect(
				expectCode(await call(emu, command, { MsgRandom: 4711, ...extra }), 0).TaskId,
			).not.toBe(first.TaskId);
			emu.clock.advance(1001);
		}
		expect(emu.state.tasks.size).toBe(4);
	});

	test('dedup window longer only when configured', async () => {
		emu.configure({ dedupWindowMs: 10000 });
		const first = expectCode(await call(emu, 'timpush/push', { MsgRandom: 42 }), 0);
		emu.clock.advance(9999);
		expect(expectCode(await call(emu, 'timpush/push', { MsgRandom: 42 }), 0).TaskId).toBe(
			first.TaskId,
		);
		emu.clock.advance(1);
		expect(expectCode(await call(emu, 'timpush/push', { MsgRandom: 42 }), 0).TaskId).not.toBe(
			first.TaskId,
		);
		expect(emu.state.tasks.size).toBe(2);
	});
});

describe('timpush/batch', () => {
	const batch = (body, opts) =>
		call(
			emu,
			'timpush/batch',
			{
				From_Account: 'admin',
				To_Account: ['alice', 'reg1'],
				MsgRandom: nextRandom(),
				OfflinePushInfo: info,
				...body,
			},
			opts,
		);

	test('pushes to the named accounts; batch_ TaskId; unknown accounts in ErrorList', async () => {
		const res = expectCode(
			await batch({ To_Account: ['alice', 'reg1', 'ghost', 'alice'], DataId: 'd'.repeat(64) }),
			0,
		);
		expect(res.TaskId).toMatch(/^batch_/);
		expect(res.ErrorList).toEqual([{ To_Account: 'ghost', ErrorCode: 70107 }]);
		const task = emu.state.tasks.get(res.TaskId);
		expect(task.deliveries.map((d) => [d.userId, d.online, d.offlinePush])).toEqual([
			['alice', true, false],
			['reg1', false, true],
		]);
		expect(task.content.dataId).toBe('d'.repeat(64));
		expect(task.audience).toEqual({
			type: 'accounts',
			condition: null,
			toAccount: ['alice', 'reg1', 'ghost'],
		});
	});

	test('all accounts unknown → FAIL 70107 with TaskId ""', async () => {
		const res = expectCode(await batch({ To_Account: ['ghost'] }), 70107);
		expect(res).toMatchObject({
			TaskId: '',
			ErrorList: [{ To_Account: 'ghost', ErrorCode: 70107 }],
		});
	});

	test('validation: 1-500 accounts, From_Account and OfflinePushInfo required, DataId ≤ 64 bytes, MsgRandom', async () => {
		emu.configure({ batchUserRatePerSecond: 0 });
		expectCode(await batch({ To_Account: Array.from({ length: 501 }, (_, i) => `u${i}`) }), 90018);
		expectCode(await batch({ To_Account: [] }), 90001);
		expectCode(await batch({ From_Account: undefined }), 90001);
		expectCode(await batch({ OfflinePushInfo: undefined }), 90001);
		expectCode(await batch({ DataId: 'd'.repeat(65) }), 90057);
		expectCode(await batch({ DataId: '数'.repeat(22) }), 90057);
		expectCode(await batch({ DataId: 1 }), 90001);
		const bad = expectCode(await batch({ MsgRandom: 'x' }), 90001);
		expect(bad).toMatchObject({ ErrorInfo: 'Invalid format of MsgRandom', TaskId: '' });
		const many = Array.from({ length: 500 }, (_, i) => (i === 0 ? 'alice' : `u${i}`));
		expect(expectCode(await batch({ To_Account: many }), 0).ErrorList).toHaveLength(499);
	});

	test('recipient rate per edition → 60007, counted on arrival over any second; a refused request counts nothing', async () => {
		// Default: the free/trial edition's 30 users/s.
		expect(emu.config.batchUserRatePerSecond).toBe(30);
		// alice exists, so every request pushes; the others only count as recipients.
		const accounts = (n, from = 0) =>
			Array.from({ length: n }, (_, i) => (i === 0 ? 'alice' : `u${from + i}`));
		expectCode(await batch({ To_Account: accounts(20) }), 0);
		emu.clock.advance(500);
		expectCode(await batch({ To_Account: accounts(11, 20) }), 60007); // 31 in one second
		expectCode(await batch({ To_Account: accounts(10, 20) }), 0); // exactly 30
		emu.clock.advance(500); // the first request leaves the window; 10 remain
		expectCode(await batch({ To_Account: accounts(20, 40) }), 0);
		expectCode(await batch({ To_Account: accounts(1, 60) }), 60007);
		expectCode(await batch({ To_Account: accounts(31) }), 60007);
		emu.clock.advance(1000);
		expectCode(await batch({ To_Account: accounts(31) }), 60007); // more than a second's budget: never
		emu.configure({ batchUserRatePerSecond: 500 }); // the standard edition
		expectCode(await batch({ To_Account: accounts(500) }), 0);
		expectCode(await batch({ To_Account: accounts(1, 500) }), 60007);
		expect(emu.state.counters.limitRejections).toBe(5);
	});

	test('batch rate limit → 60007; dedup applies to batch too', async () => {
		emu.configure({ batchRatePerSecond: 2 });
		const first = expectCode(await batch({ MsgRandom: 9 }), 0);
		expect(expectCode(await batch({ MsgRandom: 9 }), 0).TaskId).toBe(first.TaskId);
		expectCode(await batch({}), 60007);
		emu.clock.advance(1000);
		expectCode(await batch({}), 0);
	});
});

describe('timpush/revoke', () => {
	const revoke = (body) => call(emu, 'timpush/revoke', body);

	test('revokes a push or batch task once; 90050 afterwards; 90049 for unknown ids', async () => {
		const p = expectCode(await push({ OfflinePushInfo: info }), 0);
		expectCode(
			await revoke({ TaskId: p.TaskId, OfflinePushInfo: { Title: 'revoked', Desc: 'recalled' } }),
			0,
		);
		const task = emu.state.tasks.get(p.TaskId);
		expect(task).toMatchObject({
			status: 'revoked',
			revokedAt: emu.clock.now(),
			revokeOfflinePushInfo: { Title: 'revoked', Desc: 'recalled' },
		});
		expect(task.deliveries.every((d) => d.revoked)).toBe(true);
		emu.clock.advance(1000);
		expectCode(await revoke({ TaskId: p.TaskId, OfflinePushInfo: info }), 90050);
		emu.clock.advance(1000);
		expectCode(await revoke({ TaskId: 'nope', OfflinePushInfo: info }), 90049);
		emu.clock.advance(1000);
		expectCode(await revoke({}), 90001);
		emu.clock.advance(1000);
		const b = expectCode(
			await call(emu, 'timpush/batch', {
				From_Account: 'admin',
				To_Account: ['bob'],
				MsgRandom: nextRandom(),
				OfflinePushInfo: info,
			}),
			0,
		);
		expectCode(await revoke({ TaskId: b.TaskId, OfflinePushInfo: info }), 0);
	});

	test('1 per second → 90051', async () => {
		const p = expectCode(await push({}), 0);
		expectCode(await revoke({ TaskId: 'nope', OfflinePushInfo: info }), 90049);
		expectCode(await revoke({ TaskId: p.TaskId, OfflinePushInfo: info }), 90051);
		emu.clock.advance(999);
		expectCode(await revoke({ TaskId: p.TaskId, OfflinePushInfo: info }), 90051);
		emu.clock.advance(1);
		expectCode(await revoke({ TaskId: p.TaskId, OfflinePushInfo: info }), 0);
	});

	test('OfflinePushInfo is required (current page 269/105123): 90001 without it, 90053 when the push stored messages', async () => {
		const p = expectCode(await push({ OfflinePushInfo: info }), 0);
		const res = expectCode(await revoke({ TaskId: p.TaskId }), 90001);
		expect(res.ErrorInfo).toMatch(/OfflinePushInfo is required/);
		expect(emu.state.tasks.get(p.TaskId).status).toBe('delivered');
		emu.clock.advance(1000);
		expectCode(await revoke({ TaskId: p.TaskId, OfflinePushInfo: info }), 0);
	});

	test('24 h window → 90052; stored message without OfflinePushInfo → 90053; legacy tasks → 90049', async () => {
		const p = expectCode(await push({}), 0);
		emu.clock.advance(24 * 3600 * 1000 + 1);
		expectCode(await revoke({ TaskId: p.TaskId, OfflinePushInfo: info }), 90052);
		emu.clock.advance(2000);
		const stored = expectCode(await push({ MsgBody: text('x') }), 0);
		emu.clock.advance(2000);
		expectCode(await revoke({ TaskId: stored.TaskId }), 90053);
		emu.clock.advance(2000);
		expectCode(await revoke({ TaskId: stored.TaskId, OfflinePushInfo: info }), 0);
		emu.clock.advance(2000);
		const legacy = expectCode(
			await call(emu, 'all_member_push/im_push', { MsgRandom: nextRandom(), MsgBody: text('x') }),
			0,
		);
		emu.clock.advance(2000);
		expectCode(await revoke({ TaskId: legacy.TaskId, OfflinePushInfo: info }), 90049);
	});
});
