/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * Issue 16: the adaptive lane's arithmetic on a fake clock (cut on "too frequent", never above the
 * share Tencent admitted, slow start back to the threshold, additive then accelerating increase,
 * ceiling and floor), its window rule at the current rate, and what a user sees when a tag
 * operation is throttled: it waits without using Max Attempts and says so in a `pacing` object.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	AdaptiveRateLane,
	RateLane,
	clock,
	managementLane,
	resetLanes,
} from '../../nodes/TencentChatPush/helpers/pacing';
import { INTERVAL_RETRY_BUDGET_MS } from '../../nodes/TencentChatPush/transport';
import { runNode } from '../harness/engine';

const mockSleep: { impl: (ms: number) => Promise<void> } = { impl: async () => undefined };
jest.mock('n8n-workflow', () => ({
	...jest.requireActual<object>('n8n-workflow'),
	sleep: async (ms: number) => await mockSleep.impl(ms),
}));
const realSleep = jest.requireActual<{ sleep: (ms: number) => Promise<void> }>(
	'n8n-workflow',
).sleep;

describe('AdaptiveRateLane arithmetic (fake clock)', () => {
	const originalNow = clock.now;
	let now = 0;
	let sleeps: number[] = [];
	beforeEach(() => {
		now = 1_000_000;
		sleeps = [];
		clock.now = () => now;
		mockSleep.impl = async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		};
	});
	afterAll(() => {
		clock.now = originalNow;
	});

	/** `count` successes spread evenly over `ms`. */
	const succeed = (lane: AdaptiveRateLane, count: number, ms: number) => {
		for (let i = 0; i < count; i++) {
			now += ms / count;
			lane.succeeded();
		}
	};

	test('starts at the ceiling and never exceeds it while calls succeed', () => {
		const lane = new AdaptiveRateLane(100, 1);
		expect(lane.ratePerSecond).toBe(100);
		succeed(lane, 1000, 10_000);
		expect(lane.ratePerSecond).toBe(100);
	});

	test('a "too frequent" answer cuts the rate to 0.7x, once per window', () => {
		const lane = new AdaptiveRateLane(100, 1);
		succeed(lane, 100, 1000); // Tencent admitted 100 in the last second: the share does not bind
		lane.rateLimited();
		expect(lane.ratePerSecond).toBe(70);
		// The other answers to the same overshooting second say nothing new.
		now += 500;
		lane.rateLimited();
		lane.rateLimited();
		expect(lane.ratePerSecond).toBe(70);
		expect(lane.rateLimitedAnswers).toBe(3);
		// A window later (70 successes meanwhile, +1 request/s), another one cuts again: 71 × 0.7.
		succeed(lane, 70, 600);
		lane.rateLimited();
		expect(lane.ratePerSecond).toBe(49.7);
	});

	test('the cut goes to the share Tencent admitted from the lane in the last window, but no deeper than a quarter', () => {
		const lane = new AdaptiveRateLane(100, 1);
		succeed(lane, 40, 1000);
		lane.rateLimited();
		expect(lane.ratePerSecond).toBe(40); // below 0.7 × 100: the measured share binds
		const other = new AdaptiveRateLane(100, 1);
		succeed(other, 30, 3000); // one every 100 ms: 11 of them in the last 1,005 ms
		other.rateLimited();
		expect(other.ratePerSecond).toBe(25); // a quarter of 100, not 11
	});

	test('a lane that gets nothing admitted is cut to a quarter per window, down to the floor, and doubles per second back to half its old rate', () => {
		const lane = new AdaptiveRateLane(100, 1);
		lane.rateLimited();
		expect(lane.ratePerSecond).toBe(25);
		now += 1_010;
		lane.rateLimited();
		expect(lane.ratePerSecond).toBe(6.3);
		now += 1_010;
		lane.rateLimited();
		now += 1_010;
		lane.rateLimited();
		expect(lane.ratePerSecond).toBe(1);
		// Slow start: one request/s more per success; a lane at rate r succeeds r times a second.
		const fresh = new AdaptiveRateLane(100, 1);
		fresh.rateLimited(); // 25, threshold 50
		succeed(fresh, 25, 1000);
		expect(fresh.ratePerSecond).toBe(50);
		succeed(fresh, 50, 1000); // above the threshold the increase is additive again
		expect(fresh.ratePerSecond).toBeLessThan(52);
	});

	test('above the threshold: +1 request/s per second for two seconds after a cut, then faster each second', () => {
		const lane = new AdaptiveRateLane(100, 1);
		succeed(lane, 100, 1000);
		lane.rateLimited(); // 70, threshold 70
		const perSecond: number[] = [];
		for (let second = 0; second < 6; second++) {
			const before = lane.ratePerSecond;
			succeed(lane, Math.floor(before), 1000);
			perSecond.push(Math.round(lane.ratePerSecond - before));
		}
		expect(perSecond).toEqual([1, 1, 2, 4, 8, 15]); // the last one reaches the ceiling
		expect(lane.ratePerSecond).toBe(100);
	});

	test('never below the floor, however many cuts', () => {
		const lane = new AdaptiveRateLane(100, 2);
		for (let i = 0; i < 50; i++) {
			now += 1_100;
			lane.rateLimited();
		}
		expect(lane.ratePerSecond).toBe(2);
	});

	test('the window rule follows the current rate: after a cut to 10, the 11th request waits for the window', async () => {
		const lane = new AdaptiveRateLane(40, 1);
		succeed(lane, 10, 1000);
		lane.rateLimited(); // min(0.7 × 40, max(10 admitted, 40 / 4)) = 10
		expect(lane.ratePerSecond).toBe(10);
		const starts: number[] = [];
		const t0 = now;
		await Promise.all(
			Array.from(
				{ length: 11 },
				async (_, id) => await lane.run(async () => void (starts[id] = now)),
			),
		);
		// The cut paused the lane for the refused part of a window: 1 of 11 → 1,005 / 11 ms.
		expect(starts[0] - t0).toBeCloseTo(1005 / 11, 0);
		// Then spread: three at once (a couple of ms apart), the others 1 / rate = 100 ms apart (a
		// lane cut lately shares the app), so that the ten start within the window...
		expect(starts[3] - starts[0]).toBeLessThan(10);
		expect(starts[9] - starts[0]).toBeCloseTo(6 * 100, 0);
		// ...and the eleventh waits for the window, not for the spread.
		expect(starts[10] - starts[0]).toBeGreaterThanOrEqual(1000);
	});

	test('a lane whose requests were all refused (it joined while others held the window) pauses for a window', async () => {
		const lane = new AdaptiveRateLane(100, 1);
		const t0 = now;
		lane.rateLimited();
		lane.rateLimited(); // same window: no second cut, no longer pause
		let startedAt = 0;
		await lane.run(async () => void (startedAt = now));
		expect(startedAt - t0).toBe(1005);
		expect(lane.ratePerSecond).toBe(25);
	});

	/** Requests whose answers the test gives; the caller classifies each answer, as the transport does. */
	const controlled = (lane: AdaptiveRateLane, count: number) => {
		const started: number[] = [];
		const answer: Array<(outcome: 'admitted' | 'refused') => void> = [];
		const runs = Array.from(
			{ length: count },
			async (_, id) =>
				await lane.run(
					async () =>
						await new Promise<void>((resolve) => {
							started[id] = now;
							answer[id] = (outcome) => {
								resolve();
								if (outcome === 'admitted') lane.succeeded();
								else lane.rateLimited();
							};
						}),
				),
		);
		return { started, answer, runs };
	};
	const settle = async () => await realSleep(5);

	test('a new lane sends one request (a probe) until one is admitted, then many at once', async () => {
		const lane = new AdaptiveRateLane(100, 1);
		const { started, answer, runs } = controlled(lane, 4);
		await settle();
		expect(Object.keys(started)).toEqual(['0']);
		answer[0]('admitted');
		await settle();
		expect(Object.keys(started)).toEqual(['0', '1', '2', '3']);
		for (const id of [1, 2, 3]) answer[id]('admitted');
		await Promise.all(runs);
		expect(lane.rateLimitedAnswers).toBe(0);
	});

	test('after a refusal the lane probes again; refused probes wait 100, 200, 400 ms; answers already on their way do not lengthen the wait', async () => {
		const lane = new AdaptiveRateLane(100, 1);
		succeed(lane, 100, 1000);
		const first = controlled(lane, 3);
		await settle();
		expect(Object.keys(first.started)).toHaveLength(3); // admitted before: all three go
		const refusedAt = now;
		for (const id of [0, 1, 2]) first.answer[id]('refused'); // one overshooting moment
		// Cut once, at the first answer (70); paused for the refused part of a window then: 1 of 101.
		const pause = 1005 / 101;
		const probes = controlled(lane, 4);
		await settle();
		expect(Object.keys(probes.started)).toEqual(['0']); // one at a time
		expect(probes.started[0] - refusedAt).toBeCloseTo(pause, 5);
		const gaps: number[] = [];
		for (const id of [0, 1, 2]) {
			const at = now;
			probes.answer[id]('refused');
			await settle();
			gaps.push(probes.started[id + 1] - at);
		}
		expect(gaps).toEqual([100, 200, 400]);
		probes.answer[3]('admitted');
		await Promise.all([...first.runs, ...probes.runs]);
		expect(lane.ratePerSecond).toBe(70);
	});

	test('management lanes adapt by default; the fixed mode is the old RateLane, kept apart', () => {
		resetLanes();
		expect(managementLane('app-1', 'timpush/add_tag')).toBeInstanceOf(AdaptiveRateLane);
		expect(managementLane('app-1', 'timpush/add_tag', 'fixed')).toBeInstanceOf(RateLane);
		expect(managementLane('app-1', 'timpush/add_tag', 'fixed')).not.toBe(
			managementLane('app-1', 'timpush/add_tag'),
		);
		expect((managementLane('app-1', 'timpush/add_tag') as AdaptiveRateLane).ceiling).toBe(100);
	});
});

describe('a throttled tag operation (engine, scripted server)', () => {
	let server: http.Server;
	let url = '';
	let script: number[] = [];
	const bodies: string[] = [];
	beforeAll(async () => {
		mockSleep.impl = realSleep;
		server = http.createServer((req, res) => {
			let text = '';
			req.on('data', (c: Buffer) => (text += c.toString('utf8')));
			req.on('end', () => {
				bodies.push(text);
				const code = script.shift() ?? 0;
				res.setHeader('content-type', 'application/json');
				res.end(
					JSON.stringify(
						code === 0
							? { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }
							: { ActionStatus: 'FAIL', ErrorCode: code, ErrorInfo: 'too frequent' },
					),
				);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => await new Promise<void>((resolve) => server.close(() => resolve())));
	beforeEach(() => {
		resetLanes();
		bodies.length = 0;
	});

	const credentials = () => ({
		sdkAppId: 1400000016,
		region: 'custom',
		baseUrl: url,
		adminAccount: 'administrator',
		secretKey: 'adaptive-unit-not-a-secret',
		userSigValidity: 86400,
	});
	const addTag = async (options: Record<string, unknown>) =>
		await runNode({
			parameters: {
				resource: 'userTag',
				operation: 'add',
				api: 'timpush',
				tags: 'vip',
				accounts: 'alice, bob',
				options,
			},
			credentials: credentials(),
		});

	test('60007 answers are waited out without using Max Attempts, and the item says how', async () => {
		script = [60007, 60007, 60007, 0];
		const { items, error } = await addTag({ maxAttempts: 2 });
		expect(error).toBeUndefined();
		expect(bodies).toHaveLength(4);
		expect(new Set(bodies).size).toBe(1); // the same request each time
		expect(items[0].json).toMatchObject({ accounts: ['alice', 'bob'], tags: ['vip'] });
		expect(items[0].json.pacing).toMatchObject({
			rateLimitedAnswers: 3,
			budgetMs: INTERVAL_RETRY_BUDGET_MS,
		});
		expect((items[0].json.pacing as { ratePerSecond: number }).ratePerSecond).toBeLessThan(100); // cut
		expect(items[0].json.pacing).toHaveProperty('waitedMs', expect.any(Number));
	});

	test('an item that was never throttled has no pacing object', async () => {
		script = [0];
		const { items, error } = await addTag({});
		expect(error).toBeUndefined();
		expect(items[0].json).not.toHaveProperty('pacing');
	});

	test('Pacing "fixed" backs off between 60007 answers (the earlier behaviour), and reports no lane rate', async () => {
		script = [60007, 0];
		const started = Date.now();
		const { items, error } = await addTag({ pacing: 'fixed' });
		expect(error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(200); // backoffDelay(1) is 200–400 ms
		expect(items[0].json.pacing).toMatchObject({ rateLimitedAnswers: 1 });
		expect(items[0].json.pacing).not.toHaveProperty('ratePerSecond');
	});

	test('an unknown Pacing value stops the run before anything is sent', async () => {
		script = [0];
		const { error } = await addTag({ pacing: 'turbo' });
		expect(error?.message).toMatch(/Pacing is 'turbo'/);
		expect(bodies).toHaveLength(0);
	});
});
