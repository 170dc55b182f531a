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
	STATS_FIXTURE,
	APP2,
	START_MS,
	utcText,
} = require('./helpers');

const SDK = 1400000001;
const info = { Title: 'Sale', Desc: 'Everything must go' };
const MIN = 60 * 1000;

let emu;
beforeAll(async () => {
	emu = await start({ fixture: STATS_FIXTURE });
});
afterAll(() => emu.stop());
const DAY = 24 * 60 * MIN;
beforeEach(async () => {
	await emu.reset({ config: true });
	emu.configure({ schedRatePerSecond: 0 });
	// Every test starts at noon China Standard Time of a new day, far from the quota-day boundary.
	const noonCst = 4 * 60 * MIN;
	const now = emu.clock.now();
	emu.clock.advance(Math.floor((now - noonCst) / DAY) * DAY + noonCst + DAY - now);
});

const S = (command, body, opts) =>
	call(emu, `timpush/${command}`, { Sdkappid: SDK, ...body }, opts);
const at = (msFromNow) => utcText(emu.clock.now() + msFromNow);
const add = async (body) => expectCode(await S('add_sched_task', body), 0).TaskID;
const get = async (taskId) => expectCode(await S('get_sched_task', { TaskID: taskId }), 0).TaskInfo;
const allTask = (extra = {}) => ({
	Type: 'All',
	SchedAt: at(10 * MIN),
	Content: { From_Account: 'admin', OfflinePushInfo: info },
	...extra,
});

describe('add / get', () => {
	test('each Type is stored and returned as TaskInfo; TaskIDs are integers; MsgRandom is filled in', async () => {
		const created = utcText(emu.clock.now());
		const schedAt = at(10 * MIN);
		const all = await add({
			Type: 'All',
			SchedAt: schedAt,
			Content: { From_Account: 'admin', OfflinePushInfo: info },
		});
		const tag = await add({
			Type: 'Tag',
			SchedAt: schedAt,
			Content: { Condition: { TagsAnd: ['vip', 'news'] }, OfflinePushInfo: { Title: 'T' } },
		});
		const user = await add({
			Type: 'User',
			SchedAt: schedAt,
			Content: {
				From_Account: 'admin',
				To_Account: ['ios-off', 'later-user'],
				OfflinePushInfo: info,
				DataId: 'd1',
			},
		});
		expect([all, tag, user].every(Number.isInteger)).toBe(true);
		expect(tag).toBe(all + 1);
		expect(user).toBe(all + 2);

		const res = expectCode(await S('get_sched_task', { TaskID: all }), 0);
		expect(res).toEqual({
			ActionStatus: 'OK',
			ErrorInfo: '',
			ErrorCode: 0,
			TaskInfo: {
				TaskID: all,
				Sdkappid: SDK,
				CreateAt: created,
				Type: 'All',
				SchedAt: schedAt,
				Content: { From_Account: 'admin', OfflinePushInfo: info, MsgRandom: expect.any(Number) },
				Title: 'Sale',
				Desc: 'Everything must go',
				Status: 'pending',
				DispatchSuccess: 0,
				DispatchErr: '',
				PushTaskID: '',
			},
		});
		expect(await get(tag)).toMatchObject({
			Type: 'Tag',
			Title: 'T',
			Desc: '',
			Content: { Condition: { TagsAnd: ['vip', 'news'] } },
		});
		// A MsgRandom given in Content is kept.
		const own = await add({ ...allTask(), Content: { MsgRandom: 77, OfflinePushInfo: info } });
		expect((await get(own)).Content.MsgRandom).toBe(77);
		expect(emu.state.counters.schedTasks.added).toBe(4);
	});

	test('90104: Sdkappid, Type, SchedAt (format, past), Content by Type and by push rules; failures carry TaskID 0', async () => {
		const bad = async (body, re) => {
			const res = expectCode(await call(emu, 'timpush/add_sched_task', body), 90104);
			expect(res.TaskID).toBe(0);
			if (re) expect(res.ErrorInfo).toMatch(re);
		};
		const ok = { Sdkappid: SDK, ...allTask() };
		await bad({ ...ok, Sdkappid: 1400000002 }, /does not match/);
		await bad({ ...ok, Sdkappid: String(SDK) }, /integer/);
		const { Sdkappid: _s, ...noSdk } = ok;
		await bad(noSdk, /Sdkappid is required/);
		await bad({ ...ok, Type: 'all' }, /Type must be All, Tag or User/);
		await bad({ ...ok, Type: 'Attr' });
		await bad({ ...ok, SchedAt: utcText(emu.clock.now() - 1000) }, /not in the future/);
		await bad({ ...ok, SchedAt: utcText(emu.clock.now()) }, /not in the future/);
		await bad({ ...ok, SchedAt: '2030-06-01T10:00:00' }, /YYYY-MM-DD HH:MM:SS/);
		await bad({ ...ok, SchedAt: '2030-02-30 10:00:00' }, /YYYY-MM-DD HH:MM:SS/);
		await bad({ ...ok, SchedAt: 1900000000 });
		await bad({ ...ok, Content: undefined }, /Content is required/);
		await bad({ ...ok, Content: [] }, /Content must be an object/);
		await bad({ ...ok, Content: { Condition: { TagsOr: ['vip'] } } }, /not allowed for Type All/);
		await bad(
			{ ...ok, Type: 'Tag', Content: { OfflinePushInfo: info } },
			/Condition is required for Type Tag/,
		);
		await bad(
			{ ...ok, Type: 'Tag', Content: { Condition: { TagsOr: ['x'.repeat(51)] } } },
			/a push would answer 90020/,
		);
		await bad(
			{ ...ok, Type: 'Tag', Content: { Condition: { TagsOr: ['a'], AttrsOr: { city: 'x' } } } },
			/90039/,
		);
		await bad(
			{ ...ok, Type: 'Tag', Content: { Condition: { AttrsOr: { planet: 'x' } } } },
			/90033/,
		);
		await bad(
			{ ...ok, Type: 'Tag', Content: { To_Account: ['a'], Condition: { TagsOr: ['vip'] } } },
			/only allowed for Type User/,
		);
		await bad(
			{ ...ok, Type: 'User', Content: { From_Account: 'admin', OfflinePushInfo: info } },
			/To_Account is required/,
		);
		const many = Array.from({ length: 501 }, (_, i) => `u${i}`);
		await bad(
			{
				...ok,
				Type: 'User',
				Content: { From_Account: 'admin', To_Account: many, OfflinePushInfo: info },
			},
			/90018/,
		);
		await bad(
			{ ...ok, Type: 'User', Content: { To_Account: ['a'], OfflinePushInfo: info } },
			/From_Account is required/,
		);
		await bad(
			{ ...ok, Type: 'User', Content: { From_Account: 'admin', To_Account: ['a'] } },
			/OfflinePushInfo is required/,
		);
		await bad({ ...ok, Content: { MsgRandom: -1 } }, /90005/);
		await bad({ ...ok, Content: { MsgBody: [] } }, /90002/);
		expect(emu.state.schedTasks.size).toBe(0);
		expect(emu.state.counters.invalidByCode[90104]).toBe(24);
		// A 500-account User task is fine; accounts are looked up at dispatch time, not now.
		const okMany = many.slice(0, 500);
		expectCode(
			await call(emu, 'timpush/add_sched_task', {
				...ok,
				Type: 'User',
				Content: { From_Account: 'admin', To_Account: okMany, OfflinePushInfo: info },
			}),
			0,
		);
		// The push feature gate applies as for a push.
		expectCode(
			await call(emu, 'timpush/add_sched_task', { ...ok, Sdkappid: APP2.sdkAppId }, { app: APP2 }),
			90045,
		);
	});

	test('get of an unknown, foreign or malformed TaskID → 90104', async () => {
		const id = await add(allTask());
		expectCode(await S('get_sched_task', { TaskID: id + 100 }), 90104);
		expectCode(await S('get_sched_task', { TaskID: String(id) }), 90104);
		expectCode(await S('get_sched_task', {}), 90104);
		expectCode(
			await call(
				emu,
				'timpush/get_sched_task',
				{ Sdkappid: APP2.sdkAppId, TaskID: id },
				{ app: APP2 },
			),
			90104,
		);
	});

	test('5 requests/s per endpoint → 60007', async () => {
		emu.configure({ schedRatePerSecond: 5 });
		const id = await add(allTask());
		for (let i = 0; i < 4; i += 1) expectCode(await S('get_sched_task', { TaskID: id }), 0);
		expectCode(await S('get_sched_task', { TaskID: id }), 0);
		expectCode(await S('get_sched_task', { TaskID: id }), 60007);
		expectCode(await S('modify_sched_task', { TaskID: id, Type: 'All', SchedAt: at(20 * MIN) }), 0); // another endpoint
		emu.clock.advance(1000);
		expectCode(await S('get_sched_task', { TaskID: id }), 0);
	});
});

describe('modify / delete', () => {
	test('modify SchedAt and Content (merged field by field) while pending', async () => {
		const id = await add({
			Type: 'Tag',
			SchedAt: at(10 * MIN),
			Content: { Condition: { TagsOr: ['vip'] }, OfflinePushInfo: info },
		});
		const before = await get(id);
		const newAt = at(30 * MIN);
		const res = expectCode(
			await S('modify_sched_task', {
				TaskID: id,
				Type: 'Tag',
				SchedAt: newAt,
				Content: { OfflinePushInfo: { Title: 'New' } },
			}),
			0,
		);
		expect(res.TaskID).toBe(id);
		const after = await get(id);
		expect(after).toMatchObject({
			SchedAt: newAt,
			Title: 'New',
			Desc: '',
			Status: 'pending',
			CreateAt: before.CreateAt,
		});
		expect(after.Content).toEqual({
			Condition: { TagsOr: ['vip'] },
			OfflinePushInfo: { Title: 'New' },
			MsgRandom: before.Content.MsgRandom,
		});
		expectCode(await S('modify_sched_task', { TaskID: id, Type: 'Tag' }), 0); // nothing to change
		expect(emu.state.counters.schedTasks.modified).toBe(2);
	});

	test('modify errors: Type must not change, past SchedAt, invalid Content, unknown task → 90104', async () => {
		const id = await add(allTask());
		const m = (body) => S('modify_sched_task', { TaskID: id, Type: 'All', ...body });
		expectCode(await m({ Type: 'Tag' }), 90104);
		expectCode(await m({ SchedAt: at(-1000) }), 90104);
		expectCode(await m({ Content: { Condition: { TagsOr: ['vip'] } } }), 90104);
		expectCode(await m({ Content: 'x' }), 90104);
		expectCode(await m({ TaskID: id + 1 }), 90104);
		expectCode(await m({ Sdkappid: 1 }), 90104);
		expect((await get(id)).Content).toEqual({
			From_Account: 'admin',
			OfflinePushInfo: info,
			MsgRandom: expect.any(Number),
		});
	});

	test('delete while pending; Type must match; a deleted task is gone', async () => {
		const id = await add(allTask());
		expectCode(await S('delete_sched_task', { TaskID: id, Type: 'User' }), 90104);
		expectCode(await S('delete_sched_task', { TaskID: id }), 90104);
		const res = expectCode(await S('delete_sched_task', { TaskID: id, Type: 'All' }), 0);
		expect(res).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, TaskID: id });
		expectCode(await S('get_sched_task', { TaskID: id }), 90104);
		expectCode(await S('delete_sched_task', { TaskID: id, Type: 'All' }), 90104);
		expect(emu.state.counters.schedTasks.deleted).toBe(1);
	});
});

describe('dispatch when the clock passes SchedAt', () => {
	test('All: pending until SchedAt, then dispatching (push created as of SchedAt), then dispatched; 90107 after', async () => {
		emu.configure({ pushIntervalMs: 1000 });
		const schedAtText = at(10 * MIN);
		const schedAtMs = Date.parse(`${schedAtText.replace(' ', 'T')}Z`);
		const id = await add({ Type: 'All', SchedAt: schedAtText, Content: { OfflinePushInfo: info } });
		const tasksBefore = emu.state.tasks.size;

		emu.clock.advance(schedAtMs - 1 - emu.clock.now());
		expect((await get(id)).Status).toBe('pending');
		expect(emu.state.tasks.size).toBe(tasksBefore);

		emu.clock.advance(1500); // 1.5 s past SchedAt: the default 2 s of delivery has not settled yet
		const info1 = await get(id);
		expect(info1).toMatchObject({
			Status: 'dispatching',
			DispatchSuccess: 1,
			DispatchErr: '',
			PushTaskID: expect.any(String),
		});
		const pushTask = emu.state.tasks.get(info1.PushTaskID);
		expect(pushTask).toMatchObject({
			family: 'timpush',
			command: 'push',
			endpoint: 'timpush/push',
			createdAt: schedAtMs,
			schedTaskId: id,
			fromAccount: 'admin',
		});
		expect(pushTask.deliveries.map((d) => d.userId)).toEqual([
			'ios-on',
			'ios-off',
			'hw-off',
			'mi-off',
			'fcm-on',
			'plain',
			'reg-1',
		]);
		expect(pushTask.content.offlinePushInfo).toEqual(info);

		const del = expectCode(await S('delete_sched_task', { TaskID: id, Type: 'All' }), 90107);
		expect(del).toMatchObject({ ErrorInfo: 'delete failed: task dispatching', TaskID: 0 });
		expect(
			expectCode(await S('modify_sched_task', { TaskID: id, Type: 'All', SchedAt: at(MIN) }), 90107)
				.ErrorInfo,
		).toBe('modify failed: task dispatching');

		emu.clock.advance(600);
		expect((await get(id)).Status).toBe('dispatched');
		// Dispatched: 90106 for delete (intl 1047/78841); modify keeps 90107.
		expect(
			expectCode(await S('delete_sched_task', { TaskID: id, Type: 'All' }), 90106).ErrorInfo,
		).toBe('delete failed: task dispatched');
		expect(
			expectCode(await S('modify_sched_task', { TaskID: id, Type: 'All', SchedAt: at(MIN) }), 90107)
				.ErrorInfo,
		).toBe('modify failed: task dispatched');
		expect(emu.state.counters).toMatchObject({
			pushesAccepted: 0,
			schedTasks: { added: 1, dispatched: 1, failed: 0 },
			stateErrors: 4,
		});
		// A dispatch neither waits for nor restarts the push interval; it does use the daily quota.
		expectCode(await call(emu, 'timpush/push', { MsgRandom: nextRandom() }), 0);
		expect(emu.state.getApp(SDK).limits.quotaUsed).toBe(2);
		// Statistics report the dispatched push like any other.
		emu.configure({ statisticsRatePerSecond: 0 });
		const nowSec = Math.floor(emu.clock.now() / 1000);
		const stats = expectCode(
			await call(emu, 'timpush/all_member_push_statistics', {
				TaskID: [info1.PushTaskID],
				StartTime: nowSec - 3600,
				EndTime: nowSec,
			}),
			0,
		);
		expect(stats.Results[0]).toMatchObject({ TotalCount: 7, SentCount: 7, DeliveredCount: 7 });
	});

	test('several tasks passed in one advance dispatch in SchedAt order; Tag and User audiences', async () => {
		emu.configure({ deliveryDelayMs: 0 });
		const later = await add({
			Type: 'User',
			SchedAt: at(20 * MIN),
			Content: {
				From_Account: 'ops',
				To_Account: ['mi-off', 'ghost'],
				OfflinePushInfo: info,
				DataId: 'campaign-7',
			},
		});
		const sooner = await add({
			Type: 'Tag',
			SchedAt: at(10 * MIN),
			Content: { Condition: { TagsOr: ['news'] }, OfflinePushInfo: info },
		});
		emu.clock.advance(30 * MIN);
		const a = await get(sooner);
		const b = await get(later);
		expect([a.Status, b.Status]).toEqual(['dispatched', 'dispatched']);
		const tagTask = emu.state.tasks.get(a.PushTaskID);
		const userTask = emu.state.tasks.get(b.PushTaskID);
		expect(tagTask.deliveries.map((d) => d.userId)).toEqual(['hw-off', 'mi-off']);
		expect(userTask).toMatchObject({
			command: 'batch',
			endpoint: 'timpush/batch',
			fromAccount: 'ops',
			content: { dataId: 'campaign-7' },
		});
		expect(b.PushTaskID).toMatch(/^batch_/);
		expect(userTask.deliveries.map((d) => d.userId)).toEqual(['mi-off']);
		expect([...emu.state.tasks.keys()].indexOf(a.PushTaskID)).toBeLessThan(
			[...emu.state.tasks.keys()].indexOf(b.PushTaskID),
		);
	});

	test('a dispatch the push core refuses fails with DispatchErr: quota, unknown accounts, vanished attribute', async () => {
		emu.configure({ dailyPushQuota: 1, deliveryDelayMs: 0 });
		const quota = await add(allTask({ SchedAt: at(10 * MIN) }));
		const users = await add({
			Type: 'User',
			SchedAt: at(10 * MIN),
			Content: { From_Account: 'admin', To_Account: ['ghost'], OfflinePushInfo: info },
		});
		const attr = await add({
			Type: 'Tag',
			SchedAt: at(10 * MIN),
			Content: { Condition: { AttrsOr: { city: 'Shenzhen' } } },
		});
		expectCode(await call(emu, 'timpush/push', { MsgRandom: nextRandom() }), 0); // uses today's only push
		delete emu.state.getApp(SDK).attrSlots['0']; // the attribute slot disappears before dispatch
		emu.clock.advance(11 * MIN);
		expect(await get(quota)).toMatchObject({
			Status: 'failed',
			DispatchSuccess: 0,
			PushTaskID: '',
			DispatchErr: expect.stringMatching(/^90047: /),
		});
		expect(await get(users)).toMatchObject({
			Status: 'failed',
			DispatchErr: expect.stringMatching(/^70107: /),
		});
		expect(await get(attr)).toMatchObject({
			Status: 'failed',
			DispatchErr: expect.stringMatching(/^90033: /),
		});
		expect(
			expectCode(await S('delete_sched_task', { TaskID: quota, Type: 'All' }), 90106).ErrorInfo,
		).toBe('delete failed: task failed');
		expect(emu.state.counters.schedTasks).toMatchObject({ dispatched: 0, failed: 3 });
	});

	test('introspection lists scheduled tasks with their TaskInfo', async () => {
		const id = await add(allTask());
		const list = await introspect(emu, `sched-tasks?sdkappid=${SDK}&status=pending`);
		expect(list.json.schedTasks).toHaveLength(1);
		expect(list.json.schedTasks[0]).toMatchObject({
			taskId: id,
			status: 'pending',
			type: 'All',
			taskInfo: { TaskID: id },
		});
		expect((await introspect(emu, `sched-tasks/${id}`)).json.taskInfo.TaskID).toBe(id);
		expect((await introspect(emu, 'sched-tasks/1')).status).toBe(404);
		expect((await introspect(emu, 'health')).json.schedTasks).toBe(1);
	});
});

describe('list_sched_task', () => {
	const window = () => ({
		BeginTime: utcText(emu.clock.now() - 24 * 60 * MIN),
		EndTime: utcText(emu.clock.now() + 24 * 60 * MIN),
	});

	test('250 tasks: paging with Offset/Want, ordering by createAt and schedAt, Keyword, window filter', async () => {
		const t0 = emu.clock.now();
		const created = [];
		for (let i = 0; i < 250; i += 1) {
			// Creation order and SchedAt order differ: SchedAt cycles through 7 slots.
			const schedOffset = (10 + ((i * 3) % 7)) * MIN + i * 1000;
			const title = i % 10 === 0 ? `Flash SALE ${i}` : `Notice ${i}`;
			created.push({
				id: await add({
					Type: 'All',
					SchedAt: at(schedOffset),
					Content: { OfflinePushInfo: { Title: title, Desc: 'd' } },
				}),
				createdAt: emu.clock.now(),
				schedAt: emu.clock.now() + schedOffset - ((emu.clock.now() + schedOffset) % 1000),
			});
			emu.clock.advance(1000);
		}
		const w = { BeginTime: utcText(t0 - MIN), EndTime: utcText(t0 + 24 * 60 * MIN) };
		const list = async (body) =>
			expectCode(
				await S('list_sched_task', {
					Offset: 0,
					Want: 100,
					OrderBy: 'createAt',
					Asc: true,
					...w,
					...body,
				}),
				0,
			);

		const pages = [
			await list({}),
			await list({ Offset: 100 }),
			await list({ Offset: 200 }),
			await list({ Offset: 300 }),
		];
		expect(pages.map((p) => p.Total)).toEqual([250, 250, 250, 250]);
		expect(pages.map((p) => p.Tasks.length)).toEqual([100, 100, 50, 0]);
		const ids = pages.flatMap((p) => p.Tasks.map((t) => t.TaskID));
		expect(ids).toEqual(created.map((c) => c.id));
		expect(pages[0].Tasks[0]).toEqual(await get(created[0].id));

		const desc = await list({ Asc: false, Want: 5 });
		expect(desc.Tasks.map((t) => t.TaskID)).toEqual(
			created
				.slice(-5)
				.reverse()
				.map((c) => c.id),
		);

		const bySched = [];
		for (let offset = 0; offset < 250; offset += 30)
			bySched.push(...(await list({ OrderBy: 'schedAt', Offset: offset, Want: 30 })).Tasks);
		const expectedSched = [...created]
			.sort((x, y) => x.schedAt - y.schedAt || x.id - y.id)
			.map((c) => c.id);
		expect(bySched.map((t) => t.TaskID)).toEqual(expectedSched);
		const schedTimes = bySched.map((t) => t.SchedAt);
		expect([...schedTimes].sort()).toEqual(schedTimes);
		expect((await list({ OrderBy: 'schedat', Asc: false, Want: 1 })).Tasks[0].TaskID).toBe(
			expectedSched[249],
		);

		const sale = await list({ Keyword: 'sale' });
		expect(sale.Total).toBe(25);
		expect(sale.Tasks.every((t) => t.Title.startsWith('Flash SALE'))).toBe(true);

		// The window applies to the OrderBy time: creation times of the first 10 tasks only.
		const first10 = await list({ BeginTime: utcText(t0), EndTime: utcText(t0 + 9000) });
		expect(first10.Tasks.map((t) => t.TaskID)).toEqual(created.slice(0, 10).map((c) => c.id));
		expect(
			(await list({ OrderBy: 'schedAt', BeginTime: utcText(t0), EndTime: utcText(t0 + 9000) }))
				.Total,
		).toBe(0);
	});

	test('window and paging validation → 90104', async () => {
		await add(allTask());
		const ok = { Offset: 0, Want: 10, OrderBy: 'createAt', Asc: true, ...window() };
		expectCode(await S('list_sched_task', ok), 0);
		const now = emu.clock.now();
		const cases = [
			{ BeginTime: undefined },
			{ EndTime: undefined },
			{ BeginTime: utcText(now + MIN), EndTime: utcText(now) },
			{ BeginTime: utcText(now - 32 * 24 * 60 * MIN), EndTime: utcText(now) },
			{ BeginTime: '2025-06-01' },
			{ Offset: -1 },
			{ Offset: undefined },
			{ Want: 0 },
			{ Want: 101 },
			{ Want: 1.5 },
			{ OrderBy: 'priority' },
			{ OrderBy: undefined },
			{ Asc: 'true' },
			{ Asc: undefined },
			{ Keyword: 5 },
			{ Sdkappid: 1 },
		];
		for (const c of cases) expectCode(await S('list_sched_task', { ...ok, ...c }), 90104);
		expectCode(
			await S('list_sched_task', {
				...ok,
				BeginTime: utcText(now - 31 * 24 * 60 * MIN),
				EndTime: utcText(now),
			}),
			0,
		);
		expectCode(await S('list_sched_task', { ...ok, Want: 100 }), 0);
	});
});

describe('time sources', () => {
	test('with the real clock, a timer dispatches a due task without any request', async () => {
		const real = await start({
			fixture: STATS_FIXTURE,
			clock: 'real',
			config: { deliveryDelayMs: 0 },
		});
		try {
			const now = real.clock.now();
			const schedAt = utcText(now + 2000 - (now % 1000)); // the next-but-one full second
			const res = expectCode(
				await call(real, 'timpush/add_sched_task', {
					Sdkappid: SDK,
					Type: 'All',
					SchedAt: schedAt,
					Content: { OfflinePushInfo: info },
				}),
				0,
			);
			const st = real.state.schedTasks.get(res.TaskID);
			for (let i = 0; i < 100 && st.status === 'pending'; i += 1)
				await new Promise((r) => setTimeout(r, 50));
			expect(st.status).toBe('dispatched');
			expect(real.state.tasks.get(st.pushTaskId).createdAt).toBe(
				Date.parse(`${schedAt.replace(' ', 'T')}Z`),
			);
		} finally {
			await real.stop();
		}
	});

	test('scheduled tasks persist; one that fell due while stopped dispatches on start', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-sched-'));
		const file = path.join(dir, 'state.json');
		try {
			const first = await start({
				fixture: STATS_FIXTURE,
				persistPath: file,
				config: { deliveryDelayMs: 0 },
			});
			let id;
			try {
				id = expectCode(
					await call(first, 'timpush/add_sched_task', {
						Sdkappid: SDK,
						Type: 'All',
						SchedAt: utcText(START_MS + 5 * MIN),
						Content: { OfflinePushInfo: info },
					}),
					0,
				).TaskID;
			} finally {
				await first.stop();
			}
			const second = await start({
				fixture: STATS_FIXTURE,
				persistPath: file,
				clock: { mode: 'manual', start: START_MS + 10 * MIN },
				config: { deliveryDelayMs: 0 },
			});
			try {
				const st = second.state.schedTasks.get(id);
				expect(st).toMatchObject({ status: 'dispatched', dispatchSuccess: 1 });
				expect(second.state.tasks.get(st.pushTaskId).createdAt).toBe(
					Date.parse(`${utcText(START_MS + 5 * MIN).replace(' ', 'T')}Z`),
				);
				const next = expectCode(
					await call(second, 'timpush/add_sched_task', {
						Sdkappid: SDK,
						Type: 'All',
						SchedAt: utcText(START_MS + 20 * MIN),
						Content: {},
					}),
					0,
				).TaskID;
				expect(next).toBe(id + 1);
			} finally {
				await second.stop();
			}
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
