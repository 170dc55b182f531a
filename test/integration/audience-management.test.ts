/**
 * Audience management (User Tag, User Attribute, App Attribute Name) in both API families: after
 * each call the emulator's state is what the items asked for; items are packed 100 users per
 * request; a partial ErrorList fails only the items it concerns.
 */
import type { IDataObject } from 'n8n-workflow';

import { attributeRows, bulkIds, errorText, managementParams, useEmulator } from './setup';
import { LIMITS } from '../../nodes/TencentChatPush/validation/limits';

const ctx = useEmulator({
	fixture: 'integration-audience.json',
	bulkUsers: { prefix: 'm', count: 250 },
});

type Family = 'timpush' | 'legacy';

const COMMANDS: Record<Family, Record<string, string>> = {
	timpush: {
		addTag: 'timpush/add_tag',
		removeTag: 'timpush/remove_tag',
		getTag: 'timpush/get_tag',
		clearTags: 'timpush/clear_all_tags',
		setAttr: 'timpush/set_attr',
		getAttr: 'timpush/get_attr',
		removeAttr: 'timpush/remove_attr',
		setAttrName: 'timpush/set_attr_name',
		getAttrName: 'timpush/get_attr_name',
	},
	legacy: {
		addTag: 'all_member_push/im_add_tag',
		removeTag: 'all_member_push/im_remove_tag',
		getTag: 'all_member_push/im_get_tag',
		clearTags: 'all_member_push/im_remove_all_tags',
		setAttr: 'all_member_push/im_set_attr',
		getAttr: 'all_member_push/im_get_attr',
		removeAttr: 'all_member_push/im_remove_attr',
		setAttrName: 'all_member_push/im_set_attr_name',
		getAttrName: 'all_member_push/im_get_attr_name',
	},
};

const tagsOf = async (id: string) => (await ctx.user(id)).tags;
const attrsOf = async (id: string) => (await ctx.user(id)).attrs;

describe.each<Family>(['timpush', 'legacy'])('%s family', (api) => {
	const params = (resource: string, operation: string, overrides: IDataObject = {}) =>
		managementParams(resource, operation, { api, ...overrides });
	const endpoint = COMMANDS[api];

	describe('User Tag', () => {
		test('Add: multi-byte tags and accounts, appended to existing tags', async () => {
			const result = await ctx.run({
				parameters: params('userTag', 'add', {
					accounts: 'alice, 用户甲',
					tags: '新标签, promo',
					...(api === 'timpush' ? { replace: false } : {}),
				}),
			});
			expect(result.error).toBeUndefined();

			const requests = await ctx.requests(endpoint.addTag);
			expect(requests).toHaveLength(1);
			expect(requests[0].errorCode).toBe(0);
			const userTags = [
				{ To_Account: 'alice', Tags: ['新标签', 'promo'] },
				{ To_Account: '用户甲', Tags: ['新标签', 'promo'] },
			];
			expect(requests[0].json).toEqual(
				api === 'timpush' ? { Replace: 0, UserTags: userTags } : { UserTags: userTags },
			);

			expect(await tagsOf('alice')).toEqual(['vip', 'beta', '新标签', 'promo']);
			expect(await tagsOf('用户甲')).toEqual(['会员', '新标签', 'promo']);
			expect(result.items).toEqual([
				{
					json: {
						accounts: ['alice', '用户甲'],
						tags: ['新标签', 'promo'],
						api: `v4/${endpoint.addTag}`,
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		test('Remove: only the named tags go', async () => {
			const result = await ctx.run({
				parameters: params('userTag', 'remove', { accounts: 'alice, carol', tags: 'beta' }),
			});
			expect(result.error).toBeUndefined();
			const [request] = await ctx.requests(endpoint.removeTag);
			expect(request.json).toEqual({
				UserTags: [
					{ To_Account: 'alice', Tags: ['beta'] },
					{ To_Account: 'carol', Tags: ['beta'] },
				],
			});
			expect(await tagsOf('alice')).toEqual(['vip']);
			expect(await tagsOf('carol')).toEqual(['android']);
			expect(result.items[0].json).toEqual({
				accounts: ['alice', 'carol'],
				removedTags: ['beta'],
				api: `v4/${endpoint.removeTag}`,
			});
		});

		test('Get: one output item per user, all paired with the input item', async () => {
			const result = await ctx.run({
				parameters: params('userTag', 'get', { accounts: 'alice, dave, 用户甲' }),
			});
			expect(result.error).toBeUndefined();
			const [request] = await ctx.requests(endpoint.getTag);
			expect(request.json).toEqual({ To_Account: ['alice', 'dave', '用户甲'] });
			expect(result.items).toEqual([
				{ json: { account: 'alice', tags: ['vip', 'beta'] }, pairedItem: { item: 0 } },
				{ json: { account: 'dave', tags: [] }, pairedItem: { item: 0 } },
				{ json: { account: '用户甲', tags: ['会员'] }, pairedItem: { item: 0 } },
			]);
		});

		test('Remove All: the users have no tags left, others untouched', async () => {
			const result = await ctx.run({
				parameters: params('userTag', 'removeAll', { accounts: 'alice, carol' }),
			});
			expect(result.error).toBeUndefined();
			const [request] = await ctx.requests(endpoint.clearTags);
			expect(request.json).toEqual({ To_Account: ['alice', 'carol'] });
			expect(await tagsOf('alice')).toEqual([]);
			expect(await tagsOf('carol')).toEqual([]);
			expect(await tagsOf('bob')).toEqual(['vip']);
			expect(result.items[0].json).toEqual({
				accounts: ['alice', 'carol'],
				removedAllTags: true,
				api: `v4/${endpoint.clearTags}`,
			});
		});

		test('250 input items with one user each make exactly 3 requests (100/100/50)', async () => {
			const ids = bulkIds('m', 250);
			const result = await ctx.run({
				parameters: params('userTag', 'add', {
					accounts: '={{ $json.userId }}',
					tags: 'bulk-标签',
					...(api === 'timpush' ? { replace: false } : {}),
				}),
				items: ids.map((userId) => ({ userId })),
			});
			expect(result.error).toBeUndefined();

			const requests = await ctx.requests(endpoint.addTag);
			expect(requests.map((r) => (r.json!.UserTags as IDataObject[]).length)).toEqual([
				100, 100, 50,
			]);
			expect(
				requests
					.flatMap((r) => (r.json!.UserTags as IDataObject[]).map((u) => u.To_Account))
					.sort(),
			).toEqual(ids);
			expect(await ctx.apiRequestCount()).toBe(3);

			const users = new Map((await ctx.users()).map((u) => [u.id, u]));
			for (const id of ids) expect(users.get(id)!.tags).toEqual(['bulk-标签']);
			expect(users.get('alice')!.tags).toEqual(['vip', 'beta']);

			expect(result.items).toHaveLength(250);
			result.items.forEach((item, i) => {
				expect(item.pairedItem).toEqual({ item: i });
				expect(item.json.accounts).toEqual([ids[i]]);
			});
		});

		describe('one bad one-user item among 250 (one-user items are checked with their request)', () => {
			const ids = bulkIds('m', 250);
			const BAD = 130;
			const longTag = 'x'.repeat(LIMITS.tagBytes + 1);
			const run = (continueOnFail: boolean) =>
				ctx.run({
					parameters: params('userTag', 'add', {
						accounts: '={{ $json.userId }}',
						tags: '={{ $json.tag }}',
						...(api === 'timpush' ? { replace: false } : {}),
					}),
					items: ids.map((userId, i) => ({ userId, tag: i === BAD ? longTag : 'ok' })),
					continueOnFail,
				});
			const aloneMessage = async () =>
				(
					await ctx.run({
						parameters: params('userTag', 'add', {
							accounts: ids[BAD],
							tags: longTag,
							...(api === 'timpush' ? { replace: false } : {}),
						}),
					})
				).error?.message;
			const taggedIds = async () =>
				(await ctx.requests(endpoint.addTag)).flatMap((r) =>
					(r.json!.UserTags as IDataObject[]).map((u) => u.To_Account),
				);

			test('Continue On Fail: only that item fails, with the message it gets alone; the others are tagged', async () => {
				const result = await run(true);
				expect(result.error).toBeUndefined();
				expect(result.items).toHaveLength(250);
				result.items.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
				expect((await taggedIds()).sort()).toEqual(ids.filter((_, i) => i !== BAD));
				const message = await aloneMessage();
				expect(message).toMatch(/^Tags: .*\(error \d+\)/);
				expect(result.items[BAD].json.error).toBe(message);
				expect(result.items[BAD + 1].json.accounts).toEqual([ids[BAD + 1]]);
			});

			test('without Continue On Fail: the run stops at that item; the items before it are tagged, it and the later ones are not', async () => {
				const result = await run(false);
				expect(result.items).toHaveLength(0);
				expect(result.error?.context?.itemIndex).toBe(BAD);
				expect(result.error?.message).toBe(await aloneMessage());
				expect((await taggedIds()).sort()).toEqual(ids.slice(0, BAD).sort());
			});
		});

		test('a partial ErrorList (unknown user) fails only its own item under Continue On Fail', async () => {
			const result = await ctx.run({
				parameters: params('userTag', 'add', {
					accounts: '={{ $json.userId }}',
					tags: 'x',
					...(api === 'timpush' ? { replace: false } : {}),
				}),
				items: [{ userId: 'alice' }, { userId: 'ghost' }, { userId: 'bob' }],
				continueOnFail: true,
			});
			expect(result.error).toBeUndefined();
			const requests = await ctx.requests(endpoint.addTag);
			expect(requests).toHaveLength(1);

			expect(result.items.map((i) => i.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
			]);
			expect(result.items[0].json).toEqual({
				accounts: ['alice'],
				tags: ['x'],
				api: `v4/${endpoint.addTag}`,
			});
			expect(result.items[1].json).toMatchObject({
				errorCode: 70107,
				error: expect.stringContaining("'ghost'"),
			});
			expect(result.items[2].json).toEqual({
				accounts: ['bob'],
				tags: ['x'],
				api: `v4/${endpoint.addTag}`,
			});
			expect(await tagsOf('alice')).toContain('x');
			expect(await tagsOf('bob')).toContain('x');
		});

		test('without Continue On Fail the same ErrorList fails the node, naming the user and the item', async () => {
			const result = await ctx.run({
				parameters: params('userTag', 'add', {
					accounts: '={{ $json.userId }}',
					tags: 'x',
					...(api === 'timpush' ? { replace: false } : {}),
				}),
				items: [{ userId: 'alice' }, { userId: 'ghost' }, { userId: 'bob' }],
			});
			expect(result.items).toHaveLength(0);
			expect(result.error?.message).toBe(
				"Tencent error 70107 for 'ghost': The account does not exist in Chat (not imported)",
			);
			expect(result.error?.context?.itemIndex).toBe(1);
			expect(await ctx.requests(endpoint.addTag)).toHaveLength(1);
		});

		test('more than 10 tags per user without Replace: refused before sending (90032)', async () => {
			const tags = Array.from({ length: 11 }, (_, i) => `t${i}`).join(',');
			const result = await ctx.run({
				parameters: params('userTag', 'add', {
					accounts: 'alice',
					tags,
					...(api === 'timpush' ? { replace: false } : {}),
				}),
			});
			expect(result.items).toHaveLength(0);
			expect(result.error?.message).toMatch(
				/^Tags: At most 10 tags per user per request.*\(error 90032\)$/,
			);
			expect(await ctx.apiRequestCount()).toBe(0);
		});
	});

	describe('User Attribute', () => {
		test('Set: multi-byte names and values; the names are checked with one read first', async () => {
			const result = await ctx.run({
				parameters: params('userAttribute', 'set', {
					accounts: 'bob, 用户甲',
					attributes: attributeRows({ city: '广州', 地区: '华南' }),
				}),
			});
			expect(result.error).toBeUndefined();

			expect((await ctx.requests()).map((r) => `${r.service}/${r.command}`)).toEqual([
				endpoint.getAttrName,
				endpoint.setAttr,
			]);
			const [request] = await ctx.requests(endpoint.setAttr);
			expect(request.errorCode).toBe(0);
			expect(request.json).toEqual({
				UserAttrs: [
					{ To_Account: 'bob', Attrs: { city: '广州', 地区: '华南' } },
					{ To_Account: '用户甲', Attrs: { city: '广州', 地区: '华南' } },
				],
			});
			expect(await attrsOf('bob')).toEqual({ city: '广州', 地区: '华南' });
			expect(await attrsOf('用户甲')).toEqual({ city: '广州', 地区: '华南' });
			expect(result.items[0].json).toEqual({
				accounts: ['bob', '用户甲'],
				attributes: { city: '广州', 地区: '华南' },
				api: `v4/${endpoint.setAttr}`,
			});
		});

		test('Get: one output item per user', async () => {
			const result = await ctx.run({
				parameters: params('userAttribute', 'get', { accounts: 'alice, dave, carol' }),
			});
			expect(result.error).toBeUndefined();
			const [request] = await ctx.requests(endpoint.getAttr);
			expect(request.json).toEqual({ To_Account: ['alice', 'dave', 'carol'] });
			expect(result.items).toEqual([
				{
					json: { account: 'alice', attributes: { city: 'Shenzhen', level: 'gold' } },
					pairedItem: { item: 0 },
				},
				{ json: { account: 'dave', attributes: {} }, pairedItem: { item: 0 } },
				{
					json: { account: 'carol', attributes: { city: 'Shanghai', level: 'gold', 地区: '华南' } },
					pairedItem: { item: 0 },
				},
			]);
		});

		test('Remove: the named attributes go, the others stay', async () => {
			const result = await ctx.run({
				parameters: params('userAttribute', 'remove', {
					accounts: 'alice, carol',
					attributeNames: ['level', '地区'],
				}),
			});
			expect(result.error).toBeUndefined();
			const [request] = await ctx.requests(endpoint.removeAttr);
			expect(request.json).toEqual({
				UserAttrs: [
					{ To_Account: 'alice', Attrs: ['level', '地区'] },
					{ To_Account: 'carol', Attrs: ['level', '地区'] },
				],
			});
			expect(await attrsOf('alice')).toEqual({ city: 'Shenzhen' });
			expect(await attrsOf('carol')).toEqual({ city: 'Shanghai' });
			expect(result.items[0].json).toEqual({
				accounts: ['alice', 'carol'],
				removedAttributes: ['level', '地区'],
				api: `v4/${endpoint.removeAttr}`,
			});
		});

		test('an unknown attribute name is refused before any write (90033)', async () => {
			const result = await ctx.run({
				parameters: params('userAttribute', 'set', {
					accounts: 'alice',
					attributes: attributeRows({ nickname: 'Al' }),
				}),
			});
			expect(result.items).toHaveLength(0);
			expect(result.error?.message).toBe(
				"Attributes: 'nickname' is not an attribute name of this app (error 90033)",
			);
			expect((await ctx.requests()).map((r) => `${r.service}/${r.command}`)).toEqual([
				endpoint.getAttrName,
			]);
		});

		test("a partial ErrorList on Set fails only the unknown user's item (Continue On Fail)", async () => {
			const result = await ctx.run({
				parameters: params('userAttribute', 'set', {
					accounts: '={{ $json.userId }}',
					attributes: attributeRows({ level: '={{ $json.level }}' }),
				}),
				items: [
					{ userId: 'ghost', level: 'gold' },
					{ userId: 'dave', level: '白金' },
				],
				continueOnFail: true,
			});
			expect(result.error).toBeUndefined();
			expect(await ctx.requests(endpoint.setAttr)).toHaveLength(1);
			expect(result.items[0]).toMatchObject({
				json: { errorCode: 70107 },
				pairedItem: { item: 0 },
			});
			expect(result.items[1]).toEqual({
				json: { accounts: ['dave'], attributes: { level: '白金' }, api: `v4/${endpoint.setAttr}` },
				pairedItem: { item: 1 },
			});
			expect(await attrsOf('dave')).toEqual({ level: '白金' });
		});
	});

	describe('App Attribute Name', () => {
		test('Set, then Get: the app has the names the items asked for', async () => {
			const attributeNames = {
				attribute: [
					{ slot: '3', name: '会员等级', accountType: 0 },
					{ slot: '4', name: 'device', accountType: api === 'timpush' ? 1 : 0 },
				],
			};
			const set = await ctx.run({
				parameters: params('appAttributeName', 'set', { attributeNames }),
			});
			expect(set.error).toBeUndefined();

			const [request] = await ctx.requests(endpoint.setAttrName);
			expect(request.errorCode).toBe(0);
			const names = { '3': '会员等级', '4': 'device' };
			expect(request.json).toEqual(
				api === 'timpush'
					? { AttrNames: names, AttrTypes: { '3': 0, '4': 1 } }
					: { AttrNames: names },
			);

			const slots = (await ctx.app()).attrSlots;
			expect(Object.fromEntries(Object.entries(slots).map(([slot, s]) => [slot, s.name]))).toEqual({
				'0': 'city',
				'1': 'level',
				'2': '地区',
				...names,
			});
			if (api === 'timpush') expect(slots['4']).toMatchObject({ type: 1, typeLocked: true });
			expect(set.items[0].json).toEqual({
				attributeNames: names,
				...(api === 'timpush' ? { accountTypes: { '3': 0, '4': 1 } } : {}),
				api: `v4/${endpoint.setAttrName}`,
				attempts: 1,
			});

			const get = await ctx.run({ parameters: params('appAttributeName', 'get') });
			expect(get.error).toBeUndefined();
			const [read] = await ctx.requests(endpoint.getAttrName);
			expect(read.body).toBe('{}');
			expect(get.items).toEqual([
				{
					json: {
						attributeNames: { '0': 'city', '1': 'level', '2': '地区', ...names },
						attributes: [
							{ slot: 0, name: 'city', accountType: 'UserID' },
							{ slot: 1, name: 'level', accountType: 'UserID' },
							{ slot: 2, name: '地区', accountType: 'UserID' },
							{ slot: 3, name: '会员等级', accountType: 'UserID' },
							{
								slot: 4,
								name: 'device',
								accountType: api === 'timpush' ? 'RegistrationID' : 'UserID',
							},
						],
						api: `v4/${endpoint.getAttrName}`,
					},
					pairedItem: { item: 0 },
				},
			]);
		});
	});
});

describe('Replace (push service only)', () => {
	/** User, tags and Replace from each item. */
	const perItem = (tags = '={{ $json.tags }}') =>
		managementParams('userTag', 'add', {
			accounts: '={{ $json.userId }}',
			tags,
			replace: '={{ $json.replace }}',
		});

	test("Replace on overwrites all of the user's tags; items with and without Replace never share a request", async () => {
		const result = await ctx.run({
			parameters: perItem(),
			items: [
				{ userId: 'alice', tags: '金卡, x', replace: true },
				{ userId: 'bob', tags: 'x', replace: false },
				{ userId: 'carol', tags: 'only', replace: true },
			],
		});
		expect(errorText(result).trim()).toBe('');

		const requests = await ctx.requests('timpush/add_tag');
		expect(requests.map((r) => r.json)).toEqual([
			{
				Replace: 1,
				UserTags: [
					{ To_Account: 'alice', Tags: ['金卡', 'x'] },
					{ To_Account: 'carol', Tags: ['only'] },
				],
			},
			{ Replace: 0, UserTags: [{ To_Account: 'bob', Tags: ['x'] }] },
		]);
		expect(await tagsOf('alice')).toEqual(['金卡', 'x']);
		expect(await tagsOf('bob')).toEqual(['vip', 'x']);
		expect(await tagsOf('carol')).toEqual(['only']);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('a bad Replace from an expression fails only its one-user item; every item keeps its place', async () => {
		const result = await ctx.run({
			parameters: perItem('x'),
			items: [
				{ userId: 'alice', replace: false },
				{ userId: 'bob', replace: { not: 'a flag' } },
				{ userId: 'alice', replace: false },
			],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(result.items[0].json.accounts).toEqual(['alice']);
		expect(result.items[1].json.error).toMatch(/^Replace/);
		expect(result.items[2].json.accounts).toEqual(['alice']);
		expect((await ctx.user('bob')).tags).not.toContain('x');
	});

	test('On Error: Stop with items of both kinds (Replace off, then on): a bad item early stops the run before any later item is sent', async () => {
		// Items 0-4 without Replace (item 2 with a tag too long), then 150 with Replace: the Replace
		// requests would fill and leave long before the first kind's request closes.
		const ids = bulkIds('m', 155);
		const items = ids.map((userId, i) => ({
			userId,
			tags: i === 2 ? 'x'.repeat(LIMITS.tagBytes + 1) : i < 5 ? 'first' : 'second',
			replace: i >= 5,
		}));
		const result = await ctx.run({
			parameters: perItem(),
			items,
		});
		expect(result.items).toHaveLength(0);
		expect(result.error?.context?.itemIndex).toBe(2);
		expect(result.error?.message).toMatch(/^Tags: /);
		const sent = (await ctx.requests('timpush/add_tag')).flatMap((r) =>
			(r.json!.UserTags as IDataObject[]).map((u) => u.To_Account),
		);
		expect(sent.sort()).toEqual(ids.slice(0, 2));
	});

	test('with Replace, up to 100 tags per user are allowed in one request', async () => {
		const tags = Array.from({ length: 40 }, (_, i) => `标签${i}`);
		const result = await ctx.run({
			parameters: managementParams('userTag', 'add', {
				accounts: 'dave',
				tags: JSON.stringify(tags),
				replace: true,
			}),
		});
		expect(result.error).toBeUndefined();
		expect(await tagsOf('dave')).toEqual(tags);
	});
});
