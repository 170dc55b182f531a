'use strict';

const { request } = require('undici');
const { APP, start, call, expectCode, introspect, nextRandom, text } = require('./helpers');

let emu;
beforeAll(async () => {
	emu = await start({ config: { pushIntervalMs: 0 } });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

describe('routing and HTTP level', () => {
	test('non-POST → HTTP 405 with Allow: POST and a 60002 envelope', async () => {
		const res = await call(emu, 'timpush/get_tag', undefined, { method: 'GET' });
		expect(res.status).toBe(405);
		expect(res.headers.allow).toBe('POST');
		expect(res.json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 60002 });
	});

	test('unknown command and unknown paths → 60009 (HTTP 200), before auth', async () => {
		expectCode(await call(emu, 'timpush/remove_all_tags', {}), 60009);
		expectCode(await call(emu, 'timpush/nope', {}, { usersig: '' }), 60009);
		const stats = expectCode(await call(emu, 'timpush/normal_push_statistics', {}), 60009);
		expect(stats.ErrorInfo).toMatch(/does not implement/);
		const res = await request(`${emu.url}/v3/openim/sendmsg`, { method: 'POST', body: '{}' });
		expect(res.statusCode).toBe(200);
		expect(/** @type {any} */ (await res.body.json()).ErrorCode).toBe(60009);
	});

	test('body not JSON, empty, or not an object → 90001', async () => {
		expectCode(await call(emu, 'timpush/get_tag', undefined, { raw: '{"To_Account": [' }), 90001);
		expectCode(await call(emu, 'timpush/push', undefined, { raw: '' }), 90001);
		expectCode(await call(emu, 'all_member_push/im_get_tag', undefined, { raw: '[]' }), 90001);
		expectCode(await call(emu, 'timpush/get_attr_name', undefined, { raw: 'null' }), 90001);
		expectCode(await call(emu, 'timpush/get_attr_name', {}), 0);
	});

	test('timpush/push body > 10 KB (raw bytes) → 90056; exactly 10240 bytes is accepted', async () => {
		const build = (size) => {
			const base = {
				MsgRandom: nextRandom(),
				OfflinePushInfo: { PushFlag: 0, Title: 't', Desc: 'd', Ext: '' },
			};
			const pad = size - Buffer.byteLength(JSON.stringify(base));
			base.OfflinePushInfo.Ext = '中'.repeat(Math.floor(pad / 3)) + 'x'.repeat(pad % 3);
			const raw = JSON.stringify(base);
			expect(Buffer.byteLength(raw)).toBe(size);
			return raw;
		};
		expectCode(await call(emu, 'timpush/push', undefined, { raw: build(10241) }), 90056);
		expect(emu.state.tasks.size).toBe(0);
		expectCode(await call(emu, 'timpush/push', undefined, { raw: build(10240) }), 0);
		// The legacy family documents no 90056.
		const big = { MsgRandom: nextRandom(), MsgBody: text('x'.repeat(12000)) };
		expectCode(await call(emu, 'all_member_push/im_push', big), 0);
	});

	test('bodies beyond maxBodyBytes are refused at HTTP level (413)', async () => {
		emu.configure({ maxBodyBytes: 2048 });
		try {
			const res = await call(emu, 'timpush/get_tag', undefined, {
				raw: JSON.stringify({ To_Account: ['a'.repeat(3000)] }),
			});
			expect(res.status).toBe(413);
			expect(emu.state.counters.invalidByCode.HTTP413).toBe(1);
		} finally {
			emu.configure({ maxBodyBytes: 1024 * 1024 });
		}
	});

	test('unknown body fields are accepted but flagged in the request log and counters', async () => {
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['alice'], Replace: 1 }), 0);
		expect(emu.state.requestLog.at(-1).warnings).toEqual(['unknown field Replace']);
		expect(emu.state.counters.requestsWithUnknownFields).toBe(1);
	});
});

describe('counters', () => {
	test('invalidRequests counts validation errors only; auth, limits and faults are separate', async () => {
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['alice'] }), 0);
		expect(emu.state.counters.invalidRequests).toBe(0);
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: 'alice' }), 90001);
		expectCode(await call(emu, 'timpush/push', { MsgRandom: 'x' }), 90005);
		expectCode(await call(emu, 'timpush/get_tag', {}, { usersig: '' }), 70002);
		emu.faults.set('timpush/get_tag', { sequence: ['91000'] });
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['alice'] }), 91000);
		const c = emu.state.counters;
		expect(c.invalidRequests).toBe(2);
		expect(c.invalidByCode).toEqual({ 90001: 1, 90005: 1 });
		expect(c.authFailures).toBe(1);
		expect(c.faultsInjected).toEqual({ 91000: 1 });
		expect(c.requests).toEqual({ 'timpush/get_tag': 4, 'timpush/push': 1 });
		expect(c.responsesByCode).toEqual({ 0: 1, 90001: 1, 90005: 1, 70002: 1 });
	});
});

describe('introspection API (/_emulator)', () => {
	test('health, config, counters, clock', async () => {
		const health = await introspect(emu, 'health');
		expect(health.json).toMatchObject({
			ok: true,
			url: emu.url,
			apps: [1400000001, 1400000002],
			clock: { mode: 'manual' },
		});
		const cfg = await introspect(emu, 'config', { pushIntervalMs: 5 });
		expect(cfg.json.config.pushIntervalMs).toBe(5);
		expect(emu.config.pushIntervalMs).toBe(5);
		expect((await introspect(emu, 'config', { noSuchKey: 1 })).status).toBe(400);
		emu.configure({ pushIntervalMs: 0 });
		const before = emu.clock.now();
		const adv = await introspect(emu, 'clock/advance', { ms: 1500 });
		expect(adv.json.now).toBe(before + 1500);
		expect((await introspect(emu, 'counters')).json).toHaveProperty('invalidRequests', 0);
	});

	test('apps and users (no secret key), user online toggle', async () => {
		const apps = await introspect(emu, 'apps');
		expect(apps.json.apps).toHaveLength(2);
		expect(JSON.stringify(apps.json)).not.toContain(APP.key);
		const users = await introspect(emu, 'apps/1400000001/users');
		expect(users.json.users.map((u) => u.id)).toEqual(['alice', 'bob', 'carol', 'dave', 'reg1']);
		const alice = await introspect(emu, 'apps/1400000001/users/alice');
		expect(alice.json).toEqual({
			id: 'alice',
			accountType: 'UserID',
			online: true,
			platform: expect.any(String),
			pushToken: 'ok',
			tags: ['gold'],
			attrs: { sex: 'female', city: 'Shenzhen' },
		});
		const off = await introspect(emu, 'apps/1400000001/users/alice', { online: false });
		expect(off.json.online).toBe(false);
		expect(emu.state.getUser(1400000001, 'alice').online).toBe(false);
		expect((await introspect(emu, 'apps/1400000001/users/nobody')).status).toBe(404);
		expect((await introspect(emu, 'apps/999/users')).status).toBe(404);
	});

	test('tasks, tasks/:id and requests with filters', async () => {
		const r = expectCode(
			await call(emu, 'timpush/push', { MsgRandom: nextRandom(), Condition: { TagsOr: ['gold'] } }),
			0,
		);
		const list = await introspect(emu, 'tasks');
		expect(list.json.tasks).toHaveLength(1);
		expect(list.json.tasks[0].deliveries.map((d) => d.userId).sort()).toEqual(['alice', 'dave']);
		const one = await introspect(emu, `tasks/${encodeURIComponent(r.TaskId)}`);
		expect(one.json.taskId).toBe(r.TaskId);
		expect((await introspect(emu, 'tasks/nope')).status).toBe(404);
		expect((await introspect(emu, 'tasks?family=legacy')).json.tasks).toHaveLength(0);
		expect((await introspect(emu, 'tasks?deliveries=0')).json.tasks[0].deliveries).toBeUndefined();
		const reqs = await introspect(emu, 'requests?endpoint=timpush/push&limit=5');
		expect(reqs.json.requests).toHaveLength(1);
		expect(reqs.json.requests[0]).toMatchObject({
			method: 'POST',
			service: 'timpush',
			command: 'push',
			httpStatus: 200,
			errorCode: 0,
			taskId: r.TaskId,
			fault: null,
		});
		expect(JSON.parse(reqs.json.requests[0].body).Condition).toEqual({ TagsOr: ['gold'] });
	});

	test('faults and reset over HTTP; unknown routes are 404', async () => {
		const set = await introspect(emu, 'faults', { endpoint: 'timpush/get_tag', sequence: ['502'] });
		expect(set.json.faults).toEqual({ 'timpush/get_tag': { sequence: ['502'] } });
		expect(
			(await introspect(emu, 'faults', { endpoint: 'timpush/nope', sequence: ['502'] })).status,
		).toBe(400);
		expect((await introspect(emu, 'faults', { clear: true })).json.faults).toEqual({});
		await call(emu, 'timpush/add_tag', { UserTags: [{ To_Account: 'bob', Tags: ['t'] }] });
		expect((await introspect(emu, 'reset', {})).json).toEqual({ ok: true });
		expect(emu.state.getUser(1400000001, 'bob').tags).toEqual([]);
		expect(emu.state.requestLog).toHaveLength(0);
		expect((await introspect(emu, 'nothing/here')).status).toBe(404);
	});

	test('the request log is bounded by requestLogLimit', async () => {
		emu.configure({ requestLogLimit: 3 });
		try {
			for (let i = 0; i < 5; i += 1) await call(emu, 'timpush/get_attr_name', {});
			expect(emu.state.requestLog.map((e) => e.seq)).toEqual(
				[3, 4, 5].map((n) => emu.state.seq.request - 5 + n),
			);
		} finally {
			emu.configure({ requestLogLimit: 10000 });
		}
	});
});
