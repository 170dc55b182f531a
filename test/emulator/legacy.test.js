'use strict';

const { start, call, expectCode, nextRandom, text } = require('./helpers');

let emu;
beforeAll(async () => {
	emu = await start();
});
afterAll(() => emu.stop());
beforeEach(async () => {
	await emu.reset({ config: true });
	emu.clock.advance(60 * 60 * 1000);
});

const L = (cmd, body) => call(emu, `all_member_push/${cmd}`, body);
const user = (id) => emu.state.userView(1400000001, id);

describe('legacy attribute endpoints', () => {
	test('im_get_attr_name has no AttrTypes; im_set_attr_name ignores AttrTypes (flagged)', async () => {
		expect(expectCode(await L('im_get_attr_name', {}), 0)).toEqual({
			ActionStatus: 'OK',
			ErrorInfo: '',
			ErrorCode: 0,
			AttrNames: { 0: 'sex', 1: 'city', 2: 'device' },
		});
		expectCode(await L('im_set_attr_name', { AttrNames: { 3: 'level' }, AttrTypes: { 3: 1 } }), 0);
		expect(emu.state.getApp(1400000001).attrSlots[3]).toEqual({
			name: 'level',
			type: 0,
			typeLocked: false,
		});
		expect(emu.state.requestLog.at(-1).warnings).toEqual(['unknown field AttrTypes']);
		expect(
			expectCode(await L('im_set_attr_name', { AttrNames: { 4: 'sex' } }), 90033).ErrorInfo,
		).toBe('attrName:sex already exists at index:0');
	});

	test('im_set_attr / im_get_attr / im_remove_attr', async () => {
		expectCode(
			await L('im_set_attr', {
				UserAttrs: [{ To_Account: 'bob', Attrs: { sex: 'male', city: "Xi'an" } }],
			}),
			0,
		);
		const got = expectCode(await L('im_get_attr', { To_Account: ['bob', 'alice', 'reg1'] }), 0);
		expect(got.UserAttrs).toEqual([
			{ To_Account: 'bob', Attrs: { sex: 'male', city: "Xi'an" } },
			{ To_Account: 'alice', Attrs: { sex: 'female', city: 'Shenzhen' } },
		]);
		// RegistrationIDs do not exist for the legacy family.
		expect(got.ErrorList).toEqual([{ To_Account: 'reg1', ErrorCode: 70107 }]);
		expectCode(
			await L('im_remove_attr', { UserAttrs: [{ To_Account: 'bob', Attrs: ['sex', 'city'] }] }),
			0,
		);
		expect(user('bob').attrs).toEqual({});
		expectCode(
			await L('im_set_attr', { UserAttrs: [{ To_Account: 'bob', Attrs: { age: '1' } }] }),
			90033,
		);
		expectCode(
			await L('im_remove_attr', { UserAttrs: [{ To_Account: 'bob', Attrs: ['age'] }] }),
			90033,
		);
		expectCode(
			await L('im_get_attr', { To_Account: Array.from({ length: 101 }, (_, i) => `u${i}`) }),
			90018,
		);
	});

	test('no account-type check in the legacy family (UserIDs only)', async () => {
		// Slot "device" is typed RegistrationID for the new family; the legacy API has no such notion.
		expectCode(
			await L('im_set_attr', { UserAttrs: [{ To_Account: 'bob', Attrs: { device: 'x' } }] }),
			0,
		);
		expect(user('bob').attrs).toEqual({ device: 'x' });
	});
});

describe('legacy tag endpoints', () => {
	test('im_add_tag appends (no Replace), im_get_tag, im_remove_tag, im_remove_all_tags', async () => {
		expectCode(await L('im_add_tag', { UserTags: [{ To_Account: 'alice', Tags: ['a', 'b'] }] }), 0);
		expectCode(
			await L('im_add_tag', { Replace: 1, UserTags: [{ To_Account: 'alice', Tags: ['c'] }] }),
			0,
		);
		expect(user('alice').tags).toEqual(['gold', 'a', 'b', 'c']);
		expect(emu.state.requestLog.at(-1).warnings).toEqual(['unknown field Replace']);
		const got = expectCode(await L('im_get_tag', { To_Account: ['alice', 'ghost'] }), 0);
		expect(got).toMatchObject({
			UserTags: [{ To_Account: 'alice', Tags: ['gold', 'a', 'b', 'c'] }],
			ErrorList: [{ To_Account: 'ghost', ErrorCode: 70107 }],
		});
		expectCode(await L('im_remove_tag', { UserTags: [{ To_Account: 'alice', Tags: ['a'] }] }), 0);
		expect(user('alice').tags).toEqual(['gold', 'b', 'c']);
		const cleared = expectCode(await L('im_remove_all_tags', { To_Account: ['alice', 'reg1'] }), 0);
		expect(cleared.ErrorList).toEqual([{ To_Account: 'reg1', ErrorCode: 70107 }]);
		expect(user('alice').tags).toEqual([]);
		expect(user('reg1').tags).toEqual(['device-tag']);
	});

	test('tag limits: 10 per add (90032), 50 bytes (90020), empty (90040), 100 per user, 100 users (90018)', async () => {
		const tags = (n, p = 't') => Array.from({ length: n }, (_, i) => `${p}${i}`);
		expectCode(await L('im_add_tag', { UserTags: [{ To_Account: 'bob', Tags: tags(11) }] }), 90032);
		expectCode(
			await L('im_add_tag', { UserTags: [{ To_Account: 'bob', Tags: ['x'.repeat(51)] }] }),
			90020,
		);
		expectCode(await L('im_add_tag', { UserTags: [{ To_Account: 'bob', Tags: [''] }] }), 90040);
		expectCode(
			await L('im_add_tag', {
				UserTags: Array.from({ length: 101 }, (_, i) => ({ To_Account: `u${i}`, Tags: ['a'] })),
			}),
			90018,
		);
		for (let i = 0; i < 10; i += 1)
			expectCode(
				await L('im_add_tag', { UserTags: [{ To_Account: 'bob', Tags: tags(10, `g${i}-`) }] }),
				0,
			);
		const full = expectCode(
			await L('im_add_tag', { UserTags: [{ To_Account: 'bob', Tags: ['one-more'] }] }),
			0,
		);
		expect(full.ErrorList).toEqual([
			expect.objectContaining({ To_Account: 'bob', ErrorCode: 90032 }),
		]);
		// No 1,000-distinct-tags cap and no tag account-type rule in the legacy family.
		emu.configure({ maxDistinctTagsPerApp: 1 });
		expectCode(
			await L('im_add_tag', { UserTags: [{ To_Account: 'carol', Tags: ['device-tag', 'fresh'] }] }),
			0,
		);
		expect(user('carol').tags).toEqual(['silver', 'device-tag', 'fresh']);
	});
});

describe('legacy im_push', () => {
	test('happy path: TaskId, MsgLifeTime 0 = online users only', async () => {
		const res = expectCode(
			await L('im_push', {
				From_Account: 'alice',
				MsgRandom: nextRandom(),
				MsgBody: text('hello'),
			}),
			0,
		);
		expect(res.TaskId).toMatch(/^1400000001_\d+_\d+_\d+$/);
		const task = emu.state.tasks.get(res.TaskId);
		expect(task).toMatchObject({
			family: 'legacy',
			command: 'im_push',
			stored: false,
			fromAccount: 'alice',
			offlinePushEnabled: false,
		});
		expect(task.deliveries.map((d) => d.userId)).toEqual(['alice', 'bob', 'carol', 'dave']);
		expect(task.summary).toEqual({
			recipients: 4,
			online: 2,
			offline: 2,
			stored: 0,
			offlinePush: 0,
			unreached: 2,
		});
	});

	test('MsgLifeTime > 0 stores for offline users and sends offline push (unless PushFlag 1)', async () => {
		emu.configure({ pushIntervalMs: 0 });
		const a = emu.state.tasks.get(
			expectCode(
				await L('im_push', {
					MsgRandom: nextRandom(),
					MsgLifeTime: 120,
					MsgBody: text('x'),
					OfflinePushInfo: { Desc: 'd' },
				}),
				0,
			).TaskId,
		);
		expect(a.summary).toMatchObject({ stored: 4, offlinePush: 2, unreached: 0 });
		const b = emu.state.tasks.get(
			expectCode(
				await L('im_push', {
					MsgRandom: nextRandom(),
					MsgLifeTime: 120,
					MsgBody: text('x'),
					OfflinePushInfo: { PushFlag: 1 },
				}),
				0,
			).TaskId,
		);
		expect(b.summary).toMatchObject({ stored: 4, offlinePush: 0 });
	});

	test('validation: MsgBody required (90002), MsgLifeTime 0..604800 (90026), MsgRandom (90005)', async () => {
		emu.configure({ pushIntervalMs: 0 });
		expectCode(await L('im_push', { MsgRandom: nextRandom() }), 90002);
		expectCode(await L('im_push', { MsgRandom: nextRandom(), MsgBody: 'hi' }), 90007);
		expectCode(
			await L('im_push', {
				MsgRandom: nextRandom(),
				MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: {} }],
			}),
			90010,
		);
		expectCode(
			await L('im_push', { MsgRandom: nextRandom(), MsgLifeTime: 604801, MsgBody: text('x') }),
			90026,
		);
		expectCode(
			await L('im_push', { MsgRandom: nextRandom(), MsgLifeTime: -1, MsgBody: text('x') }),
			90026,
		);
		expectCode(
			await L('im_push', { MsgRandom: nextRandom(), MsgLifeTime: 1.5, MsgBody: text('x') }),
			90026,
		);
		expectCode(await L('im_push', { MsgBody: text('x') }), 90005);
		expectCode(
			await L('im_push', { MsgRandom: nextRandom(), MsgLifeTime: 604800, MsgBody: text('x') }),
			0,
		);
	});

	test('legacy coexistence: TagsOr+TagsAnd and AttrsOr+AttrsAnd allowed, tags+attrs → 90039', async () => {
		emu.configure({ pushIntervalMs: 0 });
		const push = (Condition) =>
			L('im_push', { MsgRandom: nextRandom(), MsgBody: text('x'), Condition });
		expectCode(await push({ TagsOr: ['gold', 'silver'], TagsAnd: ['silver'] }), 90022);
		expectCode(await push({ TagsOr: ['gold'], TagsAnd: ['silver'] }), 0);
		expectCode(await push({ AttrsOr: { city: 'Beijing' }, AttrsAnd: { sex: 'female' } }), 0);
		expectCode(await push({ TagsOr: ['gold'], AttrsAnd: { sex: 'female' } }), 90039);
		expectCode(await push({ TagsOr: Array.from({ length: 11 }, (_, i) => `t${i}`) }), 90032);
		expectCode(await push({ TagsAnd: [''] }), 90040);
		expectCode(await push({ TagsAnd: ['x'.repeat(51)] }), 90020);
		expectCode(await push({ AttrsOr: { level: 'x' } }), 90033);
	});
});
