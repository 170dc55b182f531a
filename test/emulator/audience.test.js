'use strict';

const { AUDIENCE_FIXTURE, start, call, expectCode, nextRandom, text } = require('./helpers');

const app = { sdkAppId: 1400000010, key: 'audience-test-key', identifier: 'admin' };
let emu;
beforeAll(async () => {
	emu = await start({
		fixture: AUDIENCE_FIXTURE,
		config: { pushIntervalMs: 0, dailyPushQuota: 1000 },
	});
});
afterAll(() => emu.stop());

async function recipients(endpoint, body) {
	const res = expectCode(
		await call(emu, endpoint, { MsgRandom: nextRandom(), ...body }, { app }),
		0,
	);
	return emu.state.tasks
		.get(res.TaskId)
		.deliveries.map((d) => d.userId)
		.sort();
}

// Audience fixture: u1..u6 are UserIDs, r1/r2 RegistrationIDs.
//   u1 tags a,b  city sz plan pro   | u2 tags a     city bj plan pro  | u3 tags b,c city sz plan free
//   u4 tags c    city sh            | u5 (nothing)                    | u6 tags a,b,c city sz plan free
//   r1 tags dev-a model pixel       | r2 tags dev-a,dev-b model iphone
/** @type {Array<[string, object | undefined, string[]]>} */
const CASES = [
	['all', undefined, ['u1', 'u2', 'u3', 'u4', 'u5', 'u6']],
	['TagsAnd', { TagsAnd: ['a', 'b'] }, ['u1', 'u6']],
	['TagsOr', { TagsOr: ['a', 'c'] }, ['u1', 'u2', 'u3', 'u4', 'u6']],
	['TagsOr+TagsAnd', { TagsOr: ['b'], TagsAnd: ['c'] }, ['u3', 'u6']],
	['AttrsAnd', { AttrsAnd: { city: 'sz', plan: 'pro' } }, ['u1']],
	['AttrsOr', { AttrsOr: { city: 'bj', plan: 'free' } }, ['u2', 'u3', 'u6']],
	['unknown tag', { TagsOr: ['nobody-has-this'] }, []],
];

describe.each([
	['timpush/push (IM message variant)', 'timpush/push', { MsgBody: text('hi') }],
	['all_member_push/im_push', 'all_member_push/im_push', { MsgBody: text('hi') }],
])('%s delivers to exactly the matching UserIDs', (_name, endpoint, extra) => {
	test.each(CASES)('%s', async (_label, Condition, expected) => {
		expect(await recipients(endpoint, { ...extra, ...(Condition && { Condition }) })).toEqual(
			expected,
		);
	});
});

describe('timpush/push notification variant also reaches RegistrationIDs', () => {
	test.each([
		['all', undefined, ['r1', 'r2', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6']],
		['TagsOr', { TagsOr: ['dev-a'] }, ['r1', 'r2']],
		['TagsAnd', { TagsAnd: ['dev-a', 'dev-b'] }, ['r2']],
		['AttrsAnd', { AttrsAnd: { model: 'pixel' } }, ['r1']],
		['AttrsOr', { AttrsOr: { model: 'iphone', city: 'sh' } }, ['r2', 'u4']],
	])('%s', async (_label, Condition, expected) => {
		expect(await recipients('timpush/push', Condition ? { Condition } : {})).toEqual(expected);
	});

	test('the legacy family does not see RegistrationIDs at all', async () => {
		expect(
			await recipients('all_member_push/im_push', {
				MsgBody: text('x'),
				Condition: { TagsOr: ['dev-a'] },
			}),
		).toEqual([]);
	});
});

describe('audience is resolved at push time and only existing users receive', () => {
	test('tag changes after a push do not alter its deliveries; new tags count for the next push', async () => {
		const first = await recipients('timpush/push', { Condition: { TagsOr: ['late'] } });
		expect(first).toEqual([]);
		expectCode(
			await call(
				emu,
				'timpush/add_tag',
				{
					UserTags: [
						{ To_Account: 'u5', Tags: ['late'] },
						{ To_Account: 'ghost', Tags: ['late'] },
					],
				},
				{ app },
			),
			0,
		);
		expect(await recipients('timpush/push', { Condition: { TagsOr: ['late'] } })).toEqual(['u5']);
		expect(
			await recipients('timpush/batch', {
				From_Account: 'admin',
				To_Account: ['u5', 'ghost', 'r1'],
				OfflinePushInfo: {},
			}),
		).toEqual(['r1', 'u5']);
	});

	test('delivery flags follow online state and the family rules', async () => {
		const res = expectCode(
			await call(
				emu,
				'all_member_push/im_push',
				{ MsgRandom: nextRandom(), MsgBody: text('x'), Condition: { TagsOr: ['a'] } },
				{ app },
			),
			0,
		);
		const byUser = Object.fromEntries(
			emu.state.tasks
				.get(res.TaskId)
				.deliveries.map((d) => [d.userId, [d.online, d.onlineDelivered, d.offlinePush]]),
		);
		expect(byUser).toEqual({
			u1: [true, true, false],
			u2: [false, false, false],
			u6: [false, false, false],
		});
	});
});
