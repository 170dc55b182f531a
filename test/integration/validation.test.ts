/**
 * One test per validation rule: the node refuses the input with a message that names the field
 * and Tencent's error code, and the emulator proves that no push (or no request at all) was sent.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	type IntegrationContext,
	attributeRows,
	errorText,
	sendParams,
	sendToUsersParams,
	useEmulator,
} from './setup';
import type { RunResult } from '../harness/engine';

const ctx = useEmulator({ fixture: 'integration-push.json' });

/** Runs the node and checks that it failed before sending anything (or only the reads in `allowed`). */
async function expectRefused(parameters: IDataObject, allowed: string[] = []): Promise<RunResult> {
	const result = await ctx.run({ parameters });
	expect(result.items).toHaveLength(0);
	expect(result.error).toBeDefined();
	expect(result.error?.description ?? '').toContain('Nothing was sent to Tencent');
	await expectNothingPushed(ctx, allowed);
	return result;
}

async function expectNothingPushed(context: IntegrationContext, allowed: string[]) {
	const requests = await context.requests();
	expect(requests.map((r) => `${r.service}/${r.command}`)).toEqual(allowed);
	const counters = await context.counters();
	expect(counters.pushesAccepted).toBe(0);
	expect(counters.invalidRequests).toBe(0);
	expect(await context.tasks()).toEqual([]);
}

const tags = (count: number) => Array.from({ length: count }, (_, i) => `t${i}`).join(', ');

describe('audience tags', () => {
	test('a tag over 50 bytes (multi-byte characters count 3 bytes each): 90020', async () => {
		const tag = '会'.repeat(17); // 17 characters, 51 bytes
		const result = await expectRefused(sendParams({ audience: 'tags', tagsAnd: tag, tagsOr: '' }));
		expect(result.error?.message).toBe(
			`Tags (All Of): Tag '${tag}' is 51 bytes; Tencent allows 50 (error 90020)`,
		);
	});

	test('a 50-byte multi-byte tag is accepted (dry run)', async () => {
		const tag = `${'会'.repeat(16)}ab`; // 50 bytes
		const result = await ctx.run({
			parameters: sendParams({
				audience: 'tags',
				tagsAnd: tag,
				tagsOr: '',
				options: { dryRun: true },
			}),
		});
		expect(result.items[0].json).toMatchObject({ dryRun: true, valid: true, problems: [] });
		expect(await ctx.apiRequestCount()).toBe(0);
	});

	test('an empty tag in a list: 90040', async () => {
		const result = await expectRefused(
			sendParams({ audience: 'tags', tagsAnd: '', tagsOr: '["vip", ""]' }),
		);
		expect(result.error?.message).toBe(
			'Tags (Any Of): A tag is empty; Tencent rejects empty tags (error 90040)',
		);
	});

	test('more than 10 tags in a list: 90032', async () => {
		const result = await expectRefused(
			sendParams({ audience: 'tags', tagsAnd: tags(11), tagsOr: '' }),
		);
		expect(result.error?.message).toBe('Tags (All Of): At most 10 tags per list (error 90032)');
	});

	test('a tag twice in one list: 90022', async () => {
		const result = await expectRefused(
			sendParams({ audience: 'tags', tagsAnd: 'vip, beta, vip', tagsOr: '' }),
		);
		expect(result.error?.message).toBe("Tags (All Of): Tag 'vip' appears twice (error 90022)");
	});

	test('a tag in both the all-of and the any-of list: 90022', async () => {
		const result = await expectRefused(
			sendParams({
				api: 'legacy',
				message: 'text',
				messageText: 'x',
				audience: 'tags',
				tagsAnd: 'vip',
				tagsOr: 'ios, vip',
			}),
		);
		expect(result.error?.message).toBe(
			"Audience: Tag 'vip' is in both the all-of and the any-of list (error 90022)",
		);
	});

	test('a tags audience with empty lists does not become "all users": 90040', async () => {
		const result = await expectRefused(
			sendParams({ audience: 'tags', tagsAnd: '', tagsOr: ' , ' }),
		);
		expect(result.error?.message).toBe(
			'Tags (All Of) and Tags (Any Of) are both empty: give at least one tag in either (error 90040)',
		);
	});
});

describe('audience attributes', () => {
	test('an attributes audience without attributes does not become "all users": 90033', async () => {
		const result = await expectRefused(
			sendParams({ audience: 'attributes', attributesAnd: {}, attributesOr: {} }),
		);
		expect(result.error?.message).toBe(
			'Attributes (All Of) and Attributes (Any Of) are both empty: give at least one attribute in either (error 90033)',
		);
	});

	test('an unknown attribute name: only the get_attr_name read is sent, no push (90033)', async () => {
		const parameters = sendParams({
			audience: 'attributes',
			attributesAnd: attributeRows({ city: 'Shenzhen', nickname: 'x' }),
			attributesOr: {},
		});
		const result = await ctx.run({ parameters });
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe(
			"Attributes: 'nickname' is not an attribute name of this app (error 90033)",
		);
		expect(result.error?.description).toContain('Nothing was sent to Tencent');
		expect(result.error?.description).toContain('city, level, language, 地区');
		await expectNothingPushed(ctx, ['timpush/get_attr_name']);
	});

	test('all-of and any-of attributes together on the push service: refused (docs/tencent-api.md#disagreements)', async () => {
		const result = await expectRefused(
			sendParams({
				audience: 'attributes',
				attributesAnd: attributeRows({ city: 'Shenzhen' }),
				attributesOr: attributeRows({ level: 'gold' }),
			}),
		);
		expect(result.error?.message).toMatch(
			/^Audience: .*either all-of or any-of attributes.*\(error 90039\)/,
		);
	});

	test('an attribute value over 50 bytes: 90033', async () => {
		const value = '华'.repeat(17); // 51 bytes
		const result = await expectRefused(
			sendParams({
				audience: 'attributes',
				attributesAnd: attributeRows({ city: value }),
				attributesOr: {},
			}),
		);
		expect(result.error?.message).toBe(
			`Attributes (All Of): Attribute value '${value}' is 51 bytes; Tencent allows 50 (error 90033)`,
		);
	});

	test('tags and attributes together (90039) cannot be built: the audience is one kind, hidden fields are not sent', async () => {
		const result = await ctx.run({
			parameters: sendParams({
				audience: 'tags',
				tagsAnd: 'vip',
				tagsOr: '',
				attributesAnd: attributeRows({ city: 'Shenzhen' }),
				options: { dryRun: true },
			}),
		});
		expect((result.items[0].json.request as IDataObject).body).toMatchObject({
			Condition: { TagsAnd: ['vip'] },
		});
		expect(
			Object.keys(
				((result.items[0].json.request as IDataObject).body as IDataObject)
					.Condition as IDataObject,
			),
		).toEqual(['TagsAnd']);
		expect(await ctx.apiRequestCount()).toBe(0);
	});
});

describe('message and body', () => {
	test('Message Lifetime over 7 days (legacy): 90026', async () => {
		const result = await expectRefused(
			sendParams({
				api: 'legacy',
				message: 'text',
				messageText: 'x',
				additionalFields: { msgLifeTime: 604801 },
			}),
		);
		expect(result.error?.message).toBe(
			'Message Lifetime (Seconds): Message Lifetime is at most 604800 seconds (7 days) (error 90026)',
		);
	});

	test('a body over 10 KB counted in bytes (3,400 Chinese characters): 90056', async () => {
		const result = await expectRefused(sendParams({ notificationText: '推'.repeat(3400) }));
		expect(result.error?.message).toMatch(
			/^The request body is 10,?\d{3} bytes; Tencent allows 10,000 \(error 90056\)$/,
		);
	});

	test('invalid MsgBody JSON: 90001', async () => {
		const result = await expectRefused(
			sendParams({ message: 'json', messageJson: '[{"MsgType": "TIMTextElem", ' }),
		);
		expect(result.error?.message).toMatch(
			/^MsgBody \(JSON\) is not valid JSON: .*\(error 90001\)$/,
		);
	});

	test('MsgBody JSON that is not an array: 90007', async () => {
		const result = await expectRefused(
			sendParams({
				message: 'json',
				messageJson: '{"MsgType": "TIMTextElem", "MsgContent": {"Text": "x"}}',
			}),
		);
		expect(result.error?.message).toBe(
			'MsgBody (JSON) must be an array of elements, not an object (error 90007)',
		);
	});

	test('an element missing a documented field: 90010', async () => {
		const result = await expectRefused(
			sendParams({
				message: 'json',
				messageJson: '[{"MsgType": "TIMLocationElem", "MsgContent": {"Desc": "here"}}]',
			}),
		);
		expect(result.error?.message).toMatch(/^Message: TIMLocationElem: .*\(error 90010\)$/);
		expect(result.error?.description).toMatch(/^Nothing was sent to Tencent./);
		expect(result.error?.description).not.toContain('[at ');
	});
});

describe('Send to Users', () => {
	test('a Data ID over 64 bytes: 90057', async () => {
		const dataId = '标'.repeat(22); // 66 bytes
		const result = await expectRefused(
			sendToUsersParams({ toAccounts: 'alice', additionalFields: { dataId } }),
		);
		expect(result.error?.message).toBe(
			`Data ID: Data ID '${dataId}' is 66 bytes; Tencent allows 64 (error 90057)`,
		);
	});

	test('an empty account in a list: 70107', async () => {
		const result = await expectRefused(sendToUsersParams({ toAccounts: '["alice", ""]' }));
		expect(result.error?.message).toBe('Accounts: An account ID is empty (error 70107)');
	});
});

describe('Dry Run', () => {
	test('returns the request with usersig=[redacted] and sends nothing: no task, quota unchanged', async () => {
		const before = await ctx.app();
		const result = await ctx.run({
			parameters: sendParams({
				audience: 'attributes',
				attributesAnd: attributeRows({ city: 'Shenzhen' }),
				attributesOr: {},
				options: { dryRun: true },
			}),
		});
		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		const request = json.request as IDataObject;
		expect(json).toMatchObject({ dryRun: true, valid: true, problems: [] });
		expect(request.method).toBe('POST');
		expect(request.url).toBe(
			`${ctx.emu.url}/v4/timpush/push?sdkappid=${ctx.sdkAppId}&identifier=administrator&usersig=[redacted]&random=[new for each request]&contenttype=json`,
		);
		expect(request.body).toEqual({
			Condition: { AttrsAnd: { city: 'Shenzhen' } },
			OfflinePushInfo: { Title: 'Hello', Desc: 'World' },
			MsgRandom: expect.any(Number),
		});
		expect(JSON.stringify(result.items)).not.toContain(ctx.secretKey);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });

		expect(await ctx.apiRequestCount()).toBe(0);
		expect(await ctx.tasks()).toEqual([]);
		const after = await ctx.app();
		expect(after.pushesToday).toBe(before.pushesToday);
		expect(after.lastPushAt).toBeNull();
	});

	test('an invalid request under Dry Run lists every problem instead of failing', async () => {
		const result = await ctx.run({
			parameters: sendParams({
				audience: 'tags',
				tagsAnd: tags(11),
				tagsOr: 'vip, vip',
				options: { dryRun: true },
			}),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			dryRun: true,
			valid: false,
			problems: [
				'Tags (All Of): At most 10 tags per list (error 90032)',
				"Tags (Any Of): Tag 'vip' appears twice (error 90022)",
			],
		});
		expect(await ctx.apiRequestCount()).toBe(0);
	});

	test('Send to Users under Dry Run sends nothing', async () => {
		const result = await ctx.run({
			parameters: sendToUsersParams({ toAccounts: 'alice, bob', options: { dryRun: true } }),
		});
		expect(errorText(result).trim()).toBe('');
		expect((result.items[0].json.request as IDataObject).url).toContain('/v4/timpush/batch?');
		expect((result.items[0].json.request as IDataObject).url).toContain('usersig=[redacted]');
		expect(await ctx.apiRequestCount()).toBe(0);
	});
});
