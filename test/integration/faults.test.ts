/**
 * Faults: what is retried (Tencent said it did not act), what is not (the push may have gone out),
 * and that a push is never counted twice. The emulator de-duplicates MsgRandom within 1 s only, as
 * Tencent documents it. Timing is read from the emulator's recorded arrival times.
 */
import { type LoggedRequest, errorText, sendParams, useEmulator } from './setup';

const ctx = useEmulator({ fixture: 'integration-faults.json' });

const PUSH = 'timpush/push';

/** Gaps between consecutive recorded arrivals, in ms. */
const gaps = (requests: LoggedRequest[]) =>
	requests.slice(1).map((r, i) => r.time - requests[i].time);

async function expectOneTaskFromRetries(
	result: Awaited<ReturnType<typeof ctx.run>>,
	attempts: number,
) {
	expect(errorText(result).trim()).toBe('');
	const requests = await ctx.requests(PUSH);
	expect(requests).toHaveLength(attempts);
	// A retry after Tencent said it did not act: identical body, same MsgRandom.
	expect(new Set(requests.map((r) => r.body)).size).toBe(1);

	const tasks = await ctx.tasks();
	expect(tasks).toHaveLength(1);
	expect(result.items).toEqual([
		{
			json: {
				taskId: tasks[0].taskId,
				api: 'v4/timpush/push',
				msgRandom: requests[0].json!.MsgRandom,
				audience: 'all users',
				attempts,
			},
			pairedItem: { item: 0 },
		},
	]);
	return { requests, task: tasks[0] };
}

describe('a push whose answer was lost is not sent again', () => {
	/** The push was sent once and the item says its outcome is unknown. */
	async function expectUnknown(result: Awaited<ReturnType<typeof ctx.run>>) {
		const requests = await ctx.requests(PUSH);
		expect(requests).toHaveLength(1);
		expect(result.items).toEqual([]);
		expect(result.error?.message).toMatch(
			new RegExp(
				`^Outcome unknown: the push may have gone out \\(MsgRandom ${String(requests[0].json!.MsgRandom)}, sent `,
			),
		);
		expect(result.error?.description).toContain('Audience: all users.');
		return requests[0];
	}

	test('502 after processing (response lost): one request, one task, the item says the push may have gone out', async () => {
		ctx.emu.faults.set(PUSH, { sequence: ['502-after', 'ok'] });
		const request = await expectUnknown(await ctx.run({ parameters: sendParams() }));
		expect([request.httpStatus, request.fault]).toEqual([502, '502-after']);
		expect(await ctx.tasks()).toHaveLength(1);
		expect((await ctx.counters()).pushesAccepted).toBe(1);
	});

	test('a response delayed past the timeout: one request, one task', async () => {
		ctx.emu.faults.set(PUSH, { sequence: ['delay:2500', 'ok'] });
		const request = await expectUnknown(
			await ctx.run({ parameters: sendParams({ options: { timeout: 1000 } }) }),
		);
		expect(request.fault).toBe('delay');
		expect(await ctx.tasks()).toHaveLength(1);
	});

	test('a reset before processing looks the same to the client: one request, no task, outcome unknown', async () => {
		ctx.emu.faults.set(PUSH, { sequence: ['reset', 'ok'] });
		await expectUnknown(await ctx.run({ parameters: sendParams() }));
		expect(await ctx.tasks()).toEqual([]);
	});

	test('Send Again re-sends after the 1 s de-duplication window: two tasks, as Tencent documents it', async () => {
		ctx.emu.faults.set(PUSH, { sequence: ['502-after', 'ok'] });
		const result = await ctx.run({
			parameters: sendParams({ options: { onUnknownOutcome: 'sendAgain' } }),
		});
		expect(errorText(result).trim()).toBe('');
		const requests = await ctx.requests(PUSH);
		expect(requests).toHaveLength(2);
		expect(requests[1].time - requests[0].time).toBeGreaterThan(1000);
		expect(await ctx.tasks()).toHaveLength(2);
		expect(result.items[0].json).toMatchObject({ attempts: 2, sentAgainAfterUnknown: true });
	});
});

describe('retried: Tencent said it did not act', () => {
	test('91000 (internal error, not processed): retried, one task, no duplicate', async () => {
		ctx.emu.faults.set(PUSH, { sequence: ['91000', 'ok'] });
		const result = await ctx.run({ parameters: sendParams() });
		const { requests } = await expectOneTaskFromRetries(result, 2);

		expect(requests.map((r) => r.errorCode)).toEqual([91000, 0]);
		expect((await ctx.counters()).duplicatePushes).toBe(0);
	});

	test('90024 (pushes too close): the node waits more than the push interval, then retries', async () => {
		ctx.emu.faults.set(PUSH, { sequence: ['90024', 'ok'] });
		const result = await ctx.run({ parameters: sendParams() });
		const { requests } = await expectOneTaskFromRetries(result, 2);

		expect(requests.map((r) => r.errorCode)).toEqual([90024, 0]);
		expect(gaps(requests)[0]).toBeGreaterThan(1000);
	});

	test("a real 90024 from the emulator (its interval longer than the node's) is waited out too", async () => {
		ctx.emu.configure({ pushIntervalMs: 1300 });
		const result = await ctx.run({
			parameters: sendParams({ audience: 'tags', tagsAnd: '={{ $json.tag }}', tagsOr: '' }),
			items: [{ tag: 'vip' }, { tag: 'ios' }],
		});
		expect(errorText(result).trim()).toBe('');
		const accepted = (await ctx.requests(PUSH)).filter((r) => r.errorCode === 0);
		expect(accepted).toHaveLength(2);
		expect(gaps(accepted)[0]).toBeGreaterThan(1300);
		expect(await ctx.tasks()).toHaveLength(2);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('not retried: exactly one request', () => {
	test('90047 (daily quota exhausted)', async () => {
		ctx.emu.configure({ dailyPushQuota: 0 });
		const result = await ctx.run({ parameters: sendParams() });
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe(
			'Tencent error 90047: Daily push quota exceeded (100 per day by default)',
		);
		const requests = await ctx.requests(PUSH);
		expect(requests).toHaveLength(1);
		expect(requests[0].errorCode).toBe(90047);
		expect(await ctx.tasks()).toEqual([]);
	});

	test('70009 (wrong secret key)', async () => {
		const result = await ctx.run({
			parameters: sendParams(),
			credentials: ctx.credentials({ secretKey: 'not-the-secret-key' }),
		});
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toMatch(/^Tencent error 70009: /);
		expect(result.error?.description).toContain('secret key');
		const requests = await ctx.requests();
		expect(requests).toHaveLength(1);
		expect(requests[0].errorCode).toBe(70009);
		const counters = await ctx.counters();
		expect(counters.authFailures).toBe(1);
		expect(counters.pushesAccepted).toBe(0);
		// The UserSig never appears in the error the user sees.
		expect(JSON.stringify(result.error)).not.toMatch(/usersig=(?!\[redacted\])[A-Za-z0-9*_-]{20,}/);
	});

	test("Continue On Fail: the quota error becomes the item's error, with the Tencent code", async () => {
		ctx.emu.configure({ dailyPushQuota: 0 });
		const result = await ctx.run({ parameters: sendParams(), continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[0].json).toMatchObject({
			errorCode: 90047,
			error: expect.stringContaining('90047'),
		});
		expect(await ctx.requests(PUSH)).toHaveLength(1);
	});
});

test('pacing: 3 pushes in one execution arrive more than 1 s apart', async () => {
	const result = await ctx.run({
		parameters: sendParams({ audience: 'tags', tagsAnd: '={{ $json.tag }}', tagsOr: '' }),
		items: [{ tag: 'vip' }, { tag: 'ios' }, { tag: 'android' }],
	});
	expect(errorText(result).trim()).toBe('');
	const requests = await ctx.requests(PUSH);
	expect(requests.map((r) => r.errorCode)).toEqual([0, 0, 0]);
	for (const gap of gaps(requests)) expect(gap).toBeGreaterThan(1000);
	expect(result.items.map((i) => [i.pairedItem, i.json.attempts])).toEqual([
		[{ item: 0 }, 1],
		[{ item: 1 }, 1],
		[{ item: 2 }, 1],
	]);
	expect((await ctx.counters()).limitRejections).toBe(0);
});
