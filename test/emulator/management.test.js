'use strict';

const { APP, start, call, expectCode } = require('./helpers');

let emu;
beforeAll(async () => {
	emu = await start();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset({ config: true }));

const user = (id) => emu.state.userView(1400000001, id);

describe('timpush attribute names', () => {
	test('get_attr_name returns names and types; set_attr_name adds and renames slots', async () => {
		const got = expectCode(await call(emu, 'timpush/get_attr_name', {}), 0);
		expect(got.AttrNames).toEqual({ 0: 'sex', 1: 'city', 2: 'device' });
		expect(got.AttrTypes).toEqual({ 0: 0, 1: 0, 2: 1 });
		expectCode(
			await call(emu, 'timpush/set_attr_name', {
				AttrNames: { 1: 'town', 3: 'level' },
				AttrTypes: { 3: 0 },
			}),
			0,
		);
		const after = expectCode(await call(emu, 'timpush/get_attr_name', {}), 0);
		expect(after.AttrNames).toEqual({ 0: 'sex', 1: 'town', 2: 'device', 3: 'level' });
		// Renaming a slot keeps the users' values.
		expect(user('alice').attrs).toEqual({ sex: 'female', town: 'Shenzhen' });
	});

	test('duplicate names → 90033 with Tencent-shaped ErrorInfo', async () => {
		const res = expectCode(
			await call(emu, 'timpush/set_attr_name', { AttrNames: { 4: 'city' } }),
			90033,
		);
		expect(res.ErrorInfo).toBe('attrName:city already exists at index:1');
		const dupInRequest = expectCode(
			await call(emu, 'timpush/set_attr_name', { AttrNames: { 5: 'x', 6: 'x' } }),
			90033,
		);
		expect(dupInRequest.ErrorInfo).toBe('attrName:x already exists at index:6');
		// Moving a name within the same request is fine.
		expectCode(
			await call(emu, 'timpush/set_attr_name', { AttrNames: { 1: 'region', 4: 'city' } }),
			0,
		);
	});

	test('AttrTypes are immutable once set, must name a slot of AttrNames, and be 0/1', async () => {
		expectCode(
			await call(emu, 'timpush/set_attr_name', { AttrNames: { 2: 'device' }, AttrTypes: { 2: 0 } }),
			90033,
		);
		expectCode(
			await call(emu, 'timpush/set_attr_name', { AttrNames: { 2: 'device' }, AttrTypes: { 2: 1 } }),
			0,
		);
		expectCode(
			await call(emu, 'timpush/set_attr_name', { AttrNames: { 4: 'a' }, AttrTypes: { 5: 0 } }),
			90033,
		);
		expectCode(
			await call(emu, 'timpush/set_attr_name', { AttrNames: { 4: 'a' }, AttrTypes: { 4: 2 } }),
			90033,
		);
		// A slot named without AttrTypes has the default type 0 and can still be typed once.
		expectCode(await call(emu, 'timpush/set_attr_name', { AttrNames: { 7: 'b' } }), 0);
		expectCode(
			await call(emu, 'timpush/set_attr_name', { AttrNames: { 7: 'b' }, AttrTypes: { 7: 1 } }),
			0,
		);
		expectCode(
			await call(emu, 'timpush/set_attr_name', { AttrNames: { 7: 'b' }, AttrTypes: { 7: 0 } }),
			90033,
		);
	});

	test('bad slots and names → 90033; bad shapes → 90001', async () => {
		expectCode(await call(emu, 'timpush/set_attr_name', { AttrNames: { 10: 'x' } }), 90033);
		expectCode(await call(emu, 'timpush/set_attr_name', { AttrNames: { 4: '' } }), 90033);
		expectCode(
			await call(emu, 'timpush/set_attr_name', { AttrNames: { 4: 'n'.repeat(51) } }),
			90033,
		);
		expectCode(await call(emu, 'timpush/set_attr_name', { AttrNames: { 4: 'n'.repeat(50) } }), 0);
		expectCode(await call(emu, 'timpush/set_attr_name', { AttrNames: {} }), 90001);
		expectCode(
			await call(emu, 'timpush/set_attr_name', { AttrNames: { 4: 'y' }, AttrTypes: [0] }),
			90001,
		);
	});
});

describe('timpush user attributes', () => {
	test('set_attr / get_attr / remove_attr with partial success (70107)', async () => {
		const set = expectCode(
			await call(emu, 'timpush/set_attr', {
				UserAttrs: [
					{ To_Account: 'bob', Attrs: { sex: 'male', city: 'Shanghai' } },
					{ To_Account: 'ghost', Attrs: { sex: 'male' } },
				],
			}),
			0,
		);
		expect(set.ErrorList).toEqual([{ To_Account: 'ghost', ErrorCode: 70107 }]);
		const got = expectCode(
			await call(emu, 'timpush/get_attr', { To_Account: ['bob', 'carol', 'ghost'] }),
			0,
		);
		expect(got.UserAttrs).toEqual([
			{ To_Account: 'bob', Attrs: { sex: 'male', city: 'Shanghai' } },
			{ To_Account: 'carol', Attrs: {} },
		]);
		expect(got.ErrorList).toEqual([{ To_Account: 'ghost', ErrorCode: 70107 }]);
		const removed = expectCode(
			await call(emu, 'timpush/remove_attr', {
				UserAttrs: [
					{ To_Account: 'bob', Attrs: ['city'] },
					{ To_Account: 'nobody', Attrs: ['sex'] },
				],
			}),
			0,
		);
		expect(removed.ErrorList).toEqual([{ To_Account: 'nobody', ErrorCode: 70107 }]);
		expect(user('bob').attrs).toEqual({ sex: 'male' });
		expect(emu.state.counters.errorListEntries).toEqual({ 70107: 3 });
	});

	test('unknown attribute names and values over 50 bytes → 90033, nothing applied', async () => {
		expectCode(
			await call(emu, 'timpush/set_attr', {
				UserAttrs: [
					{ To_Account: 'bob', Attrs: { sex: 'm' } },
					{ To_Account: 'carol', Attrs: { age: '3' } },
				],
			}),
			90033,
		);
		expect(user('bob').attrs).toEqual({});
		expectCode(
			await call(emu, 'timpush/set_attr', {
				UserAttrs: [{ To_Account: 'bob', Attrs: { city: '深'.repeat(17) } }],
			}),
			90033,
		);
		expectCode(
			await call(emu, 'timpush/set_attr', {
				UserAttrs: [{ To_Account: 'bob', Attrs: { city: 'c'.repeat(50) } }],
			}),
			0,
		);
		expectCode(
			await call(emu, 'timpush/set_attr', {
				UserAttrs: [{ To_Account: 'bob', Attrs: { city: 5 } }],
			}),
			90033,
		);
		expectCode(
			await call(emu, 'timpush/remove_attr', {
				UserAttrs: [{ To_Account: 'bob', Attrs: ['age'] }],
			}),
			90033,
		);
		expectCode(
			await call(emu, 'timpush/remove_attr', {
				UserAttrs: [{ To_Account: 'bob', Attrs: { city: 'x' } }],
			}),
			90001,
		);
	});

	test('attribute bound to the other account type → 90035 in ErrorList', async () => {
		const res = expectCode(
			await call(emu, 'timpush/set_attr', {
				UserAttrs: [
					{ To_Account: 'bob', Attrs: { device: 'iphone' } },
					{ To_Account: 'reg1', Attrs: { device: 'iphone' } },
					{ To_Account: 'reg1', Attrs: { city: 'x' } },
				],
			}),
			0,
		);
		expect(res.ErrorList.map((e) => [e.To_Account, e.ErrorCode])).toEqual([
			['bob', 90035],
			['reg1', 90035],
		]);
		expect(user('reg1').attrs).toEqual({ device: 'iphone' });
	});

	test('more than 100 users per call → 90018; empty or malformed lists → 90001', async () => {
		const ids = Array.from({ length: 101 }, (_, i) => `u${i}`);
		expectCode(await call(emu, 'timpush/get_attr', { To_Account: ids }), 90018);
		expectCode(await call(emu, 'timpush/get_attr', { To_Account: ids.slice(0, 100) }), 0);
		expectCode(
			await call(emu, 'timpush/set_attr', {
				UserAttrs: ids.map((id) => ({ To_Account: id, Attrs: { sex: 'x' } })),
			}),
			90018,
		);
		expectCode(
			await call(emu, 'timpush/remove_attr', {
				UserAttrs: ids.map((id) => ({ To_Account: id, Attrs: ['sex'] })),
			}),
			90018,
		);
		expectCode(await call(emu, 'timpush/get_attr', { To_Account: [] }), 90001);
		expectCode(await call(emu, 'timpush/get_attr', { To_Account: [1] }), 90001);
		expectCode(
			await call(emu, 'timpush/set_attr', { UserAttrs: [{ Attrs: { sex: 'x' } }] }),
			90001,
		);
	});
});

describe('timpush tags', () => {
	const tagsOf = (id) => user(id).tags;

	test('add_tag appends, get_tag reads, remove_tag and clear_all_tags delete', async () => {
		const add = expectCode(
			await call(emu, 'timpush/add_tag', {
				UserTags: [
					{ To_Account: 'alice', Tags: ['a', 'gold'] },
					{ To_Account: 'ghost', Tags: ['a'] },
				],
			}),
			0,
		);
		expect(add.ErrorList).toEqual([{ To_Account: 'ghost', ErrorCode: 70107 }]);
		const got = expectCode(
			await call(emu, 'timpush/get_tag', { To_Account: ['alice', 'bob', 'ghost'] }),
			0,
		);
		expect(got.UserTags).toEqual([
			{ To_Account: 'alice', Tags: ['gold', 'a'] },
			{ To_Account: 'bob', Tags: [] },
		]);
		expect(got.ErrorList).toEqual([{ To_Account: 'ghost', ErrorCode: 70107 }]);
		expectCode(
			await call(emu, 'timpush/remove_tag', {
				UserTags: [{ To_Account: 'alice', Tags: ['gold', 'never-had'] }],
			}),
			0,
		);
		expect(tagsOf('alice')).toEqual(['a']);
		const cleared = expectCode(
			await call(emu, 'timpush/clear_all_tags', { To_Account: ['alice', 'dave', 'ghost'] }),
			0,
		);
		expect(cleared.ErrorList).toEqual([{ To_Account: 'ghost', ErrorCode: 70107 }]);
		expect([tagsOf('alice'), tagsOf('dave')]).toEqual([[], []]);
		expect(emu.state.getApp(1400000001).tagIndex.has('gold')).toBe(false);
	});

	test('Replace: 1 overwrites all tags of the user', async () => {
		expectCode(
			await call(emu, 'timpush/add_tag', {
				Replace: 1,
				UserTags: [{ To_Account: 'dave', Tags: ['x', 'y'] }],
			}),
			0,
		);
		expect(tagsOf('dave')).toEqual(['x', 'y']);
		expectCode(
			await call(emu, 'timpush/add_tag', {
				Replace: 2,
				UserTags: [{ To_Account: 'dave', Tags: ['x'] }],
			}),
			90001,
		);
	});

	test('≤ 10 tags per user per add, ≤ 100 with Replace (90032)', async () => {
		const tags = (n, p = 't') => Array.from({ length: n }, (_, i) => `${p}${i}`);
		expectCode(
			await call(emu, 'timpush/add_tag', { UserTags: [{ To_Account: 'bob', Tags: tags(11) }] }),
			90032,
		);
		expectCode(
			await call(emu, 'timpush/add_tag', { UserTags: [{ To_Account: 'bob', Tags: tags(10) }] }),
			0,
		);
		expectCode(
			await call(emu, 'timpush/add_tag', {
				Replace: 1,
				UserTags: [{ To_Account: 'bob', Tags: tags(101) }],
			}),
			90032,
		);
		expectCode(
			await call(emu, 'timpush/add_tag', {
				Replace: 1,
				UserTags: [{ To_Account: 'bob', Tags: tags(100) }],
			}),
			0,
		);
		expect(tagsOf('bob')).toHaveLength(100);
		// 100 tags per user in total: the next append fails for that user only.
		const res = expectCode(
			await call(emu, 'timpush/add_tag', {
				UserTags: [
					{ To_Account: 'bob', Tags: ['more'] },
					{ To_Account: 'carol', Tags: ['more'] },
				],
			}),
			0,
		);
		expect(res.ErrorList).toEqual([
			expect.objectContaining({ To_Account: 'bob', ErrorCode: 90032 }),
		]);
		expect(tagsOf('carol')).toEqual(['silver', 'more']);
	});

	test('tag ≤ 50 bytes UTF-8 (90020), empty tag (90040), malformed (90001)', async () => {
		expectCode(
			await call(emu, 'timpush/add_tag', {
				UserTags: [{ To_Account: 'bob', Tags: ['标'.repeat(17)] }],
			}),
			90020,
		);
		expectCode(
			await call(emu, 'timpush/add_tag', {
				UserTags: [{ To_Account: 'bob', Tags: ['标'.repeat(16) + 'xx'] }],
			}),
			0,
		);
		expectCode(
			await call(emu, 'timpush/add_tag', { UserTags: [{ To_Account: 'bob', Tags: [''] }] }),
			90040,
		);
		expectCode(
			await call(emu, 'timpush/add_tag', { UserTags: [{ To_Account: 'bob', Tags: [7] }] }),
			90001,
		);
		expectCode(
			await call(emu, 'timpush/add_tag', { UserTags: [{ To_Account: 'bob', Tags: [] }] }),
			90001,
		);
		expectCode(await call(emu, 'timpush/remove_tag', { UserTags: [{ To_Account: 'bob' }] }), 90001);
	});

	test('1,000 distinct tags per app (shortened to 6 here) → 90032 for that user', async () => {
		emu.configure({ maxDistinctTagsPerApp: 6 }); // fixture already has gold, silver, device-tag
		expectCode(
			await call(emu, 'timpush/add_tag', {
				UserTags: [{ To_Account: 'bob', Tags: ['n1', 'n2', 'n3'] }],
			}),
			0,
		);
		const res = expectCode(
			await call(emu, 'timpush/add_tag', {
				UserTags: [
					{ To_Account: 'carol', Tags: ['n4'] },
					{ To_Account: 'alice', Tags: ['n1'] },
				],
			}),
			0,
		);
		expect(res.ErrorList).toEqual([
			expect.objectContaining({ To_Account: 'carol', ErrorCode: 90032 }),
		]);
		// Replacing frees tags only this user held.
		expectCode(
			await call(emu, 'timpush/add_tag', {
				Replace: 1,
				UserTags: [{ To_Account: 'bob', Tags: ['n4'] }],
			}),
			0,
		);
		expect(emu.state.getApp(1400000001).tagIndex.size).toBe(5);
	});

	test('a tag applies to one account type only (90035)', async () => {
		const res = expectCode(
			await call(emu, 'timpush/add_tag', {
				UserTags: [
					{ To_Account: 'reg1', Tags: ['gold'] },
					{ To_Account: 'bob', Tags: ['device-tag'] },
					{ To_Account: 'carol', Tags: ['gold'] },
				],
			}),
			0,
		);
		expect(res.ErrorList.map((e) => [e.To_Account, e.ErrorCode])).toEqual([
			['reg1', 90035],
			['bob', 90035],
		]);
		expect(tagsOf('carol')).toEqual(['silver', 'gold']);
	});

	test('more than 100 users per call → 90018', async () => {
		const ids = Array.from({ length: 101 }, (_, i) => `u${i}`);
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: ids }), 90018);
		expectCode(await call(emu, 'timpush/clear_all_tags', { To_Account: ids }), 90018);
		expectCode(
			await call(emu, 'timpush/add_tag', {
				UserTags: ids.map((id) => ({ To_Account: id, Tags: ['a'] })),
			}),
			90018,
		);
		expectCode(
			await call(emu, 'timpush/remove_tag', {
				UserTags: ids.map((id) => ({ To_Account: id, Tags: ['a'] })),
			}),
			90018,
		);
	});
});

describe('management rate limit (per endpoint per app, sliding 1 s window)', () => {
	test('requests beyond managementRatePerSecond → 60007 until the window slides', async () => {
		emu.configure({ managementRatePerSecond: 3 });
		for (let i = 0; i < 3; i += 1)
			expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['bob'] }), 0);
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['bob'] }), 60007);
		// Other endpoints and the legacy family have their own windows.
		expectCode(await call(emu, 'timpush/get_attr', { To_Account: ['bob'] }), 0);
		expectCode(await call(emu, 'all_member_push/im_get_tag', { To_Account: ['bob'] }), 0);
		emu.clock.advance(999);
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['bob'] }), 60007);
		emu.clock.advance(1);
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['bob'] }), 0);
		expect(emu.state.counters.limitRejections).toBe(2);
		emu.configure({ managementRatePerSecond: 0 });
		for (let i = 0; i < 10; i += 1)
			expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['bob'] }), 0);
	});

	test("one app's limit is shared by all its clients (other admins, parallel connections); another app has its own", async () => {
		emu.configure({ managementRatePerSecond: 10 });
		const ops = { ...APP, identifier: 'ops' };
		// 3 clients × 6 requests at once, at one instant of the (manual) clock: exactly 10 admitted.
		const answers = await Promise.all(
			[APP, ops, APP].flatMap((app) =>
				Array.from({ length: 6 }, () =>
					call(emu, 'timpush/add_tag', { UserTags: [{ To_Account: 'bob', Tags: ['x'] }] }, { app }),
				),
			),
		);
		const codes = answers.map((r) => r.json.ErrorCode);
		expect(codes.filter((c) => c === 0)).toHaveLength(10);
		expect(codes.filter((c) => c === 60007)).toHaveLength(8);
		expect(emu.state.counters.limitRejections).toBe(8);
		// The second app is not affected by the first one's window.
		const other = {
			sdkAppId: 1400000002,
			key: emu.fixture.apps.find((a) => a.sdkAppId === 1400000002).secretKey,
			identifier: 'admin',
		};
		expectCode(
			await call(
				emu,
				'timpush/add_tag',
				{ UserTags: [{ To_Account: 'bob', Tags: ['x'] }] },
				{ app: other },
			),
			0,
		);
		// The window is exact to the millisecond and counts admitted requests only: the 8 refused
		// ones do not extend it.
		emu.clock.advance(999);
		expectCode(
			await call(
				emu,
				'timpush/add_tag',
				{ UserTags: [{ To_Account: 'bob', Tags: ['x'] }] },
				{ app: ops },
			),
			60007,
		);
		emu.clock.advance(1);
		for (let i = 0; i < 10; i += 1)
			expectCode(
				await call(
					emu,
					'timpush/add_tag',
					{ UserTags: [{ To_Account: 'bob', Tags: ['x'] }] },
					{ app: i % 2 ? ops : APP },
				),
				0,
			);
		expectCode(
			await call(emu, 'timpush/add_tag', { UserTags: [{ To_Account: 'bob', Tags: ['x'] }] }),
			60007,
		);
	});
});
