import type { IDataObject } from 'n8n-workflow';

import {
	buildCondition,
	conditionAttributeNames,
	describeAudience,
	type AudienceInput,
} from '../../nodes/TencentChatPush/shared/pushContent/audience';
import {
	chunk,
	describeType,
	parseJson,
	toStringList,
	unique,
} from '../../nodes/TencentChatPush/helpers/lists';
import { deriveMsgRandom } from '../../nodes/TencentChatPush/helpers/msgRandom';
import {
	AdaptiveRateLane,
	PUSH_GAP_MS,
	RateLane,
	RecipientLane,
	SpacedLane,
	batchPushLane,
	clock,
	managementLane,
	pushLane,
	resetLanes,
	revokeLane,
} from '../../nodes/TencentChatPush/helpers/pacing';
import { LIMITS } from '../../nodes/TencentChatPush/validation/limits';
import { timpushPushSchema } from '../../nodes/TencentChatPush/validation/pushContent';
import { findProblems } from '../../nodes/TencentChatPush/validation/validate';

/**
 * The lanes wait with n8n-workflow's `sleep`. Here it is replaced by one that records the wait and
 * moves the fake clock forward by it, so lane timing is exact and instant; one test switches back
 * to the real `sleep` with a real clock.
 */
const mockSleep: { impl: (ms: number) => Promise<void> } = {
	impl: async () => undefined,
};
jest.mock('n8n-workflow', () => ({
	...jest.requireActual<object>('n8n-workflow'),
	sleep: async (ms: number) => await mockSleep.impl(ms),
}));
const realSleep = jest.requireActual<{ sleep: (ms: number) => Promise<void> }>(
	'n8n-workflow',
).sleep;

describe('toStringList', () => {
	test('empty values give an empty list', () => {
		expect(toStringList(undefined, 'Tags')).toEqual([]);
		expect(toStringList(null, 'Tags')).toEqual([]);
		expect(toStringList('', 'Tags')).toEqual([]);
		expect(toStringList('  ,  , ', 'Tags')).toEqual([]);
		expect(toStringList('[]', 'Tags')).toEqual([]);
		expect(toStringList([], 'Tags')).toEqual([]);
	});

	test('comma- and newline-separated text, trimmed, empty entries dropped', () => {
		expect(toStringList('a, b ,,c', 'Tags')).toEqual(['a', 'b', 'c']);
		expect(toStringList('a\nb\n\n c ', 'Tags')).toEqual(['a', 'b', 'c']);
		expect(toStringList('标签, vip', 'Tags')).toEqual(['标签', 'vip']);
	});

	test('a JSON array string', () => {
		expect(toStringList('["a","b"]', 'Tags')).toEqual(['a', 'b']);
		expect(toStringList('  ["a", "b"]  ', 'Tags')).toEqual(['a', 'b']);
	});

	test('nested arrays are flattened (real and JSON)', () => {
		expect(toStringList([['a', ['b']], 'c'], 'Tags')).toEqual(['a', 'b', 'c']);
		expect(toStringList('[["a"], ["b", ["c"]]]', 'Tags')).toEqual(['a', 'b', 'c']);
	});

	test('numbers become text (account IDs from a CRM)', () => {
		expect(toStringList(12345, 'Accounts')).toEqual(['12345']);
		expect(toStringList([1, '2', 3], 'Accounts')).toEqual(['1', '2', '3']);
		expect(toStringList('[1, 2]', 'Accounts')).toEqual(['1', '2']);
		expect(toStringList(BigInt('9007199254740993'), 'Accounts')).toEqual(['9007199254740993']);
	});

	test('objects are rejected with the field name', () => {
		expect(() => toStringList({ a: 1 }, 'Tags (All Of)')).toThrow(
			'Tags (All Of) must be text, a list of text or a JSON array, not an object',
		);
		expect(() => toStringList(['a', { b: 1 }], 'Accounts')).toThrow(
			/^Accounts must be .* not a list holding an object$/,
		);
		expect(() => toStringList('[{"a":1}]', 'Tags (Any Of)')).toThrow(
			/^Tags \(Any Of\) must be .* not a list holding an object$/,
		);
		expect(() => toStringList(true, 'Tags')).toThrow(/not a boolean$/);
		expect(() => toStringList(['a', false], 'Tags')).toThrow(TypeError);
	});

	test('invalid JSON starting with [ is rejected with the field name', () => {
		expect(() => toStringList('["a", "b"', 'Tags (All Of)')).toThrow(
			"Tags (All Of) starts with '[' but is not a valid JSON array",
		);
		expect(() => toStringList('[a, b]', 'Accounts')).toThrow(/^Accounts starts with '\['/);
	});

	// BUG: entries of an array (a real one, or a parsed JSON array) are run through the text parser
	// again, so an entry is split at commas and an entry starting with '[' is parsed as JSON.
	test('an array entry containing a comma stays one entry', () => {
		expect(toStringList('["Shenzhen, CN", "vip"]', 'Tags')).toEqual(['Shenzhen, CN', 'vip']);
	});

	test('an array entry starting with [ is a value, not JSON', () => {
		expect(toStringList(['[VIP] members'], 'Tags')).toEqual(['[VIP] members']);
	});
});

describe('lists: chunk, unique, describeType, parseJson', () => {
	test('chunk splits in order without losing entries', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(chunk([], 100)).toEqual([]);
		const big = Array.from({ length: 250 }, (_, i) => i);
		const parts = chunk(big, 100);
		expect(parts.map((p) => p.length)).toEqual([100, 100, 50]);
		expect(parts.flat()).toEqual(big);
	});

	test('unique keeps the first occurrence order', () => {
		expect(unique(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
	});

	test('describeType', () => {
		expect(describeType(null)).toBe('null');
		expect(describeType([])).toBe('a list');
		expect(describeType({})).toBe('an object');
		expect(describeType(true)).toBe('a boolean');
	});

	test('parseJson reports failures instead of throwing', () => {
		expect(parseJson('[1]')).toEqual({ ok: true, value: [1] });
		const bad = parseJson('[1');
		expect(bad.ok).toBe(false);
	});
});

describe('deriveMsgRandom', () => {
	const parts = {
		workflowId: 'wf-1',
		executionId: '1001',
		nodeName: 'Tencent Chat Push',
		itemIndex: 0,
		body: {
			Condition: { TagsAnd: ['vip'] },
			OfflinePushInfo: { Title: 'Hi', Desc: 'There' },
		} as IDataObject,
	};

	const isUint32 = (n: number) => Number.isInteger(n) && n >= 0 && n <= LIMITS.uint32Max;

	test('is deterministic for the same inputs', () => {
		expect(deriveMsgRandom(parts)).toBe(
			deriveMsgRandom({ ...parts, body: JSON.parse(JSON.stringify(parts.body)) as IDataObject }),
		);
	});

	test('differs when workflow, execution, node, item or body differs', () => {
		const base = deriveMsgRandom(parts);
		const variants = [
			deriveMsgRandom({ ...parts, workflowId: 'wf-2' }),
			deriveMsgRandom({ ...parts, executionId: '1002' }),
			deriveMsgRandom({ ...parts, nodeName: 'Push 2' }),
			deriveMsgRandom({ ...parts, itemIndex: 1 }),
			deriveMsgRandom({
				...parts,
				body: { ...parts.body, OfflinePushInfo: { Title: 'Hi', Desc: 'There!' } },
			}),
			deriveMsgRandom({ ...parts, body: { ...parts.body, Condition: { TagsAnd: ['vip2'] } } }),
		];
		for (const value of variants) expect(value).not.toBe(base);
		expect(new Set(variants).size).toBe(variants.length);
	});

	test('ignores an existing MsgRandom in the body and does not modify the body', () => {
		const body = { ...parts.body, MsgRandom: 42 };
		expect(deriveMsgRandom({ ...parts, body })).toBe(deriveMsgRandom(parts));
		expect(body.MsgRandom).toBe(42);
	});

	test('missing workflow/execution IDs are allowed', () => {
		expect(
			isUint32(deriveMsgRandom({ ...parts, workflowId: undefined, executionId: undefined })),
		).toBe(true);
	});

	test('is always a uint32 that passes the MsgRandom rule', () => {
		const seen = new Set<number>();
		for (let i = 0; i < 2000; i++) {
			const value = deriveMsgRandom({ ...parts, executionId: String(i), itemIndex: i % 7 });
			expect(isUint32(value)).toBe(true);
			seen.add(value);
		}
		expect(seen.size).toBeGreaterThan(1990);
		const body = { ...parts.body, MsgRandom: deriveMsgRandom(parts) };
		expect(findProblems(timpushPushSchema, body)).toEqual([]);
	});
});

describe('buildCondition / describeAudience', () => {
	const input = (overrides: Partial<AudienceInput>): AudienceInput => ({
		kind: 'all',
		tagsAnd: [],
		tagsOr: [],
		attrsAnd: {},
		attrsOr: {},
		...overrides,
	});

	test('all users: no Condition', () => {
		const condition = buildCondition(input({ kind: 'all', tagsAnd: ['ignored'] }));
		expect(condition).toBeUndefined();
		expect(describeAudience(condition)).toBe('all users');
	});

	test('tags', () => {
		const condition = buildCondition(
			input({ kind: 'tags', tagsAnd: ['a', 'b'], tagsOr: ['c'], attrsAnd: { x: '1' } }),
		);
		expect(condition).toEqual({ TagsAnd: ['a', 'b'], TagsOr: ['c'] });
		expect(describeAudience(condition)).toBe(
			'users tagged with all of "a", "b", and tagged with any of "c"',
		);
		expect(describeAudience(buildCondition(input({ kind: 'tags', tagsOr: ['gold'] })))).toBe(
			'users tagged with any of "gold"',
		);
	});

	test('attributes', () => {
		const condition = buildCondition(
			input({ kind: 'attributes', attrsAnd: { city: 'sz', level: '3' }, tagsAnd: ['ignored'] }),
		);
		expect(condition).toEqual({ AttrsAnd: { city: 'sz', level: '3' } });
		expect(describeAudience(condition)).toBe('users whose city is "sz" and level is "3"');
		expect(describeAudience({ AttrsOr: { a: '1', b: '2' } })).toBe(
			'users whose a is "1" or b is "2"',
		);
		expect(conditionAttributeNames({ AttrsAnd: { city: 'x' }, AttrsOr: { level: 'y' } })).toEqual([
			'city',
			'level',
		]);
		expect(conditionAttributeNames(undefined)).toEqual([]);
		expect(conditionAttributeNames({ TagsAnd: ['a'] })).toEqual([]);
	});

	test('a tags audience with no tags does NOT become "all users": it yields an empty TagsAnd that validation rejects', () => {
		const condition = buildCondition(input({ kind: 'tags' }));
		expect(condition).toEqual({ TagsAnd: [] });
		expect(describeAudience(condition)).not.toBe('all users');
		const problems = findProblems(timpushPushSchema, {
			MsgRandom: 1,
			Condition: condition,
			OfflinePushInfo: { Title: 'x' },
		});
		expect(problems).toHaveLength(1);
		expect(problems[0].field).toBe('Tags (All Of)');
		expect(problems[0].message).toContain('(error 90040)');
	});

	test('an attributes audience with no attributes is rejected as well', () => {
		const condition = buildCondition(input({ kind: 'attributes' }));
		expect(condition).toEqual({ AttrsAnd: {} });
		expect(describeAudience(condition)).not.toBe('all users');
		const problems = findProblems(timpushPushSchema, {
			MsgRandom: 1,
			Condition: condition,
			OfflinePushInfo: { Title: 'x' },
		});
		expect(problems.map((p) => p.field)).toEqual(['Attributes (All Of)']);
		expect(problems[0].message).toContain('(error 90033)');
	});
});

describe('pacing lanes (fake clock, recorded sleeps)', () => {
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

	interface Deferred {
		promise: Promise<void>;
		resolve: () => void;
	}
	const deferred = (): Deferred => {
		let resolve = () => {};
		const promise = new Promise<void>((r) => (resolve = r));
		return { promise, resolve };
	};
	/** Lets every pending promise callback run. */
	const flush = async () => {
		for (let i = 0; i < 20; i++) await Promise.resolve();
	};

	describe('SpacedLane', () => {
		test('serialises requests in order, each starting a full gap after the previous one ended', async () => {
			const lane = new SpacedLane(1000);
			const log: string[] = [];
			const starts: number[] = [];
			const ends: number[] = [];
			const job = (id: number, duration: number) => async () => {
				starts[id] = now;
				log.push(`start ${id}`);
				await Promise.resolve();
				now += duration;
				ends[id] = now;
				log.push(`end ${id}`);
				return id;
			};
			const results = await Promise.all([
				lane.run(job(0, 50)),
				lane.run(job(1, 200)),
				lane.run(job(2, 10)),
			]);
			expect(results).toEqual([0, 1, 2]);
			expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
			expect(starts[0]).toBe(1_000_000);
			expect(starts[1] - ends[0]).toBe(1000);
			expect(starts[2] - ends[1]).toBe(1000);
			expect(sleeps).toEqual([1000, 1000]);
		});

		test('does not wait when the gap has already passed, and waits only the rest otherwise', async () => {
			const lane = new SpacedLane(1000);
			await lane.run(async () => undefined);
			now += 5000;
			await lane.run(async () => undefined);
			expect(sleeps).toEqual([]);
			now += 400;
			await lane.run(async () => undefined);
			expect(sleeps).toEqual([600]);
		});

		test('the next request does not start while one is in flight', async () => {
			const lane = new SpacedLane(1000);
			const gate = deferred();
			const log: string[] = [];
			const first = lane.run(async () => {
				log.push('start 0');
				await gate.promise;
				log.push('end 0');
			});
			const second = lane.run(async () => {
				log.push('start 1');
			});
			await flush();
			expect(log).toEqual(['start 0']);
			now += 300; // the first response takes 300 ms
			gate.resolve();
			await Promise.all([first, second]);
			expect(log).toEqual(['start 0', 'end 0', 'start 1']);
			expect(sleeps).toEqual([1000]); // measured from the end of the first, not its start
		});

		test('a failed request rejects its caller, counts for spacing and does not block the lane', async () => {
			const lane = new SpacedLane(1000);
			const failing = lane.run(async () => {
				now += 20;
				throw new Error('boom');
			});
			let startedAt = 0;
			const next = lane.run(async () => {
				startedAt = now;
				return 'ok';
			});
			await expect(failing).rejects.toThrow('boom');
			await expect(next).resolves.toBe('ok');
			expect(startedAt).toBe(1_000_000 + 20 + 1000);
		});

		test('pushes on the push lane are more than one second apart', async () => {
			resetLanes();
			const lane = pushLane('app-1');
			const starts: number[] = [];
			await Promise.all(
				[0, 1, 2].map(async () => await lane.run(async () => void starts.push(now))),
			);
			expect(PUSH_GAP_MS).toBeGreaterThan(LIMITS.pushIntervalMs);
			expect(starts[1] - starts[0]).toBeGreaterThan(1000);
			expect(starts[2] - starts[1]).toBeGreaterThan(1000);
		});
	});

	describe('RateLane', () => {
		/** Start-to-start spacings of consecutive requests. */
		const gaps = (starts: number[]) => starts.slice(1).map((start, i) => start - starts[i]);

		test('lets a burst of `perSecond` out (a couple of ms apart), then waits for the window to pass', async () => {
			const lane = new RateLane(10);
			const starts: number[] = [];
			await Promise.all(
				Array.from(
					{ length: 12 },
					async (_, id) => await lane.run(async () => void (starts[id] = now)),
				),
			);
			expect(starts[0]).toBe(1_000_000);
			for (const gap of gaps(starts.slice(0, 10))) {
				expect(gap).toBeGreaterThanOrEqual(2); // a stream, not a single burst
				expect(gap).toBeLessThan(10);
			}
			// A second (plus clock rounding) after the first one finished, never less.
			expect(starts[10] - starts[0]).toBeGreaterThanOrEqual(1000);
			expect(starts[10] - starts[0]).toBeLessThanOrEqual(1060);
			expect(starts[11] - starts[1]).toBeGreaterThanOrEqual(1000);
		});

		test('requests may overlap: a slow response does not hold back the next start', async () => {
			const lane = new RateLane(10);
			const gate = deferred();
			const starts: number[] = [];
			let slowDone = false;
			const slow = lane.run(async () => {
				starts.push(now);
				await gate.promise;
				slowDone = true;
			});
			await Promise.all([1, 2].map(async () => await lane.run(async () => void starts.push(now))));
			expect(slowDone).toBe(false);
			expect(starts).toHaveLength(3);
			gate.resolve();
			await slow;
		});

		test('after an idle period the first request goes at once, and a burst is still spaced', async () => {
			const lane = new RateLane(10);
			await lane.run(async () => undefined);
			now += 10_000;
			sleeps = [];
			const starts: number[] = [];
			await Promise.all(
				[0, 1, 2].map(async () => await lane.run(async () => void starts.push(now))),
			);
			expect(starts[0]).toBe(1_010_000);
			for (const gap of gaps(starts)) expect(gap).toBeGreaterThanOrEqual(2);
		});

		test('never more than `perSecond` starts in any second, whatever the arrival pattern', async () => {
			const perSecond = 5;
			const lane = new RateLane(perSecond);
			let seed = 12345;
			const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
			const starts: number[] = [];
			const pending: Array<Promise<void>> = [];
			for (let i = 0; i < 60; i++) {
				now += Math.floor(random() * 300);
				pending.push(lane.run(async () => void starts.push(now)));
				if (random() < 0.5) await flush();
			}
			await Promise.all(pending);
			expect(starts).toHaveLength(60);
			for (let i = 1; i < starts.length; i++)
				expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1]);
			for (let i = 0; i + perSecond < starts.length; i++) {
				expect(starts[i + perSecond] - starts[i]).toBeGreaterThanOrEqual(1000);
			}
		});

		test('the window opens a second after request n − perSecond *finished*: late responses cannot crowd the server', async () => {
			const lane = new RateLane(2);
			const starts: number[] = [];
			const slow = deferred();
			const first = lane.run(async () => {
				starts.push(now);
				await slow.promise;
			});
			const second = lane.run(async () => void starts.push(now));
			const third = lane.run(async () => void starts.push(now));
			await flush();
			now += 700; // the first response arrives 700 ms after its request left
			slow.resolve();
			await Promise.all([first, second, third]);
			expect(starts[2] - starts[0]).toBeGreaterThanOrEqual(1700);
		});

		test('a failing request rejects only its caller', async () => {
			const lane = new RateLane(10);
			const failing = lane.run(async () => {
				throw new Error('boom');
			});
			const next = lane.run(async () => 'ok');
			await expect(failing).rejects.toThrow('boom');
			await expect(next).resolves.toBe('ok');
		});

		test('management lanes: 101 requests take at least a second (100 per second)', async () => {
			resetLanes();
			const lane = managementLane('app-1', 'add_tag');
			const starts: number[] = [];
			await Promise.all(
				Array.from({ length: 101 }, async () => await lane.run(async () => void starts.push(now))),
			);
			expect(starts[LIMITS.managementRequestsPerSecond] - starts[0]).toBeGreaterThanOrEqual(1000);
		});

		test('batch push lanes: 10 per second', async () => {
			resetLanes();
			const lane = batchPushLane('app-1');
			const starts: number[] = [];
			await Promise.all(
				Array.from({ length: 11 }, async () => await lane.run(async () => void starts.push(now))),
			);
			expect(starts[10] - starts[0]).toBeGreaterThanOrEqual(1000);
		});
	});

	describe('RecipientLane', () => {
		interface Sent {
			start: number;
			end: number;
			weight: number;
		}
		/** Runs requests of these weights through the lane, each taking `duration(i)` ms. */
		async function send(
			lane: RecipientLane,
			weights: number[],
			budget: number,
			duration: (i: number) => number = () => 30,
		): Promise<Sent[]> {
			const sent: Sent[] = [];
			await Promise.all(
				weights.map(
					async (weight, i) =>
						await lane.for(weight, budget).run(async () => {
							const record = { start: now, end: now, weight };
							sent.push(record);
							await Promise.resolve();
							now += duration(i);
							record.end = now;
						}),
				),
			);
			return sent.sort((a, b) => a.start - b.start);
		}
		/** The most recipients that started within any 1,000 ms (what a server counting arrivals sees). */
		const busiestSecond = (sent: Sent[]) =>
			Math.max(
				...sent.map((r) =>
					sent
						.filter((o) => o.start >= r.start && o.start < r.start + 1000)
						.reduce((n, o) => n + o.weight, 0),
				),
			);

		test('the standard edition: 5,000 recipients in requests of 500 arrive over at least 9 s, never more than 500 in a second', async () => {
			const sent = await send(
				new RecipientLane(10),
				Array.from({ length: 10 }, () => 500),
				500,
			);
			expect(busiestSecond(sent)).toBe(500);
			for (let i = 1; i < sent.length; i++)
				expect(sent[i].start - sent[i - 1].end).toBeGreaterThanOrEqual(1000);
			// 5,000 users at 500/s: the last request's second ends 10 s after the first began.
			expect(sent[9].start + 1000 - sent[0].start).toBeGreaterThanOrEqual(10_000);
		});

		test('the free edition: 30 users per second, requests of 30 a second after the previous one finished', async () => {
			const sent = await send(new RecipientLane(10), [30, 30, 30, 30], 30, () => 200);
			expect(busiestSecond(sent)).toBe(30);
			for (let i = 1; i < sent.length; i++)
				expect(sent[i].start - sent[i - 1].end).toBeGreaterThanOrEqual(1000);
		});

		test('small requests share a second up to the budget, and the request rate still applies', async () => {
			const sent = await send(
				new RecipientLane(10),
				Array.from({ length: 25 }, () => 7),
				30,
			);
			expect(busiestSecond(sent)).toBeLessThanOrEqual(28); // 4 × 7 fit in 30, a fifth does not
			expect(sent.filter((r) => r.start < sent[0].start + 1000)).toHaveLength(4);
			const tiny = await send(
				new RecipientLane(10),
				Array.from({ length: 12 }, () => 1),
				800,
			);
			expect(tiny[10].start - tiny[0].end).toBeGreaterThanOrEqual(1000); // the 11th waits: 10 requests/s
		});

		test('never over budget in any second, whatever the weights, durations and arrival pattern', async () => {
			let seed = 4242;
			const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
			const budget = 500;
			const lane = new RecipientLane(10);
			const sent: Sent[] = [];
			const pending: Array<Promise<void>> = [];
			for (let i = 0; i < 80; i++) {
				now += Math.floor(random() * 400);
				const weight = 1 + Math.floor(random() * budget);
				const duration = Math.floor(random() * 900);
				pending.push(
					lane.for(weight, budget).run(async () => {
						const record = { start: now, end: now, weight };
						sent.push(record);
						await Promise.resolve();
						now += duration;
						record.end = now;
					}),
				);
				if (random() < 0.5) await flush();
			}
			await Promise.all(pending);
			expect(sent).toHaveLength(80);
			expect(busiestSecond(sent)).toBeLessThanOrEqual(budget);
			// Stronger: counted from the *finish* of earlier requests (the latest they can have arrived).
			for (const r of sent) {
				const sharing = sent.filter((o) => o !== r && o.start <= r.start && o.end + 1000 > r.start);
				expect(sharing.reduce((n, o) => n + o.weight, 0) + r.weight).toBeLessThanOrEqual(budget);
			}
		});

		test('a request heavier than the budget waits for an empty window and goes alone; a failure rejects only its caller', async () => {
			const lane = new RecipientLane(10);
			const first = await send(lane, [10], 30);
			const heavy = await send(lane, [40], 30);
			expect(heavy[0].start - first[0].end).toBeGreaterThanOrEqual(1000);
			const failing = lane.for(5, 30).run(async () => {
				throw new Error('boom');
			});
			await expect(failing).rejects.toThrow('boom');
			await expect(lane.for(5, 30).run(async () => 'ok')).resolves.toBe('ok');
		});
	});

	describe('lane registry', () => {
		test('one lane per app and endpoint, forgotten by resetLanes', () => {
			resetLanes();
			const push = pushLane('app-1');
			expect(pushLane('app-1')).toBe(push);
			expect(pushLane('app-2')).not.toBe(push);
			expect(push).toBeInstanceOf(SpacedLane);
			expect(revokeLane('app-1')).toBeInstanceOf(SpacedLane);
			expect(revokeLane('app-1')).not.toBe(push);
			expect(managementLane('app-1', 'add_tag')).toBe(managementLane('app-1', 'add_tag'));
			expect(managementLane('app-1', 'add_tag')).not.toBe(managementLane('app-1', 'get_tag'));
			expect(managementLane('app-1', 'add_tag')).toBeInstanceOf(AdaptiveRateLane);
			expect(managementLane('app-1', 'add_tag', 'fixed')).toBeInstanceOf(RateLane);
			expect(batchPushLane('app-1')).toBeInstanceOf(RecipientLane);
			expect(batchPushLane('app-1')).toBe(batchPushLane('app-1'));
			resetLanes();
			expect(pushLane('app-1')).not.toBe(push);
		});
	});
});

describe('pacing lanes (real sleep, real clock)', () => {
	test('SpacedLane(40 ms): serialised, and each start at least the gap after the previous end', async () => {
		const originalNow = clock.now;
		clock.now = () => Date.now();
		mockSleep.impl = realSleep;
		try {
			const lane = new SpacedLane(40);
			const starts: number[] = [];
			const ends: number[] = [];
			const order: number[] = [];
			await Promise.all(
				[0, 1, 2].map(
					async (id) =>
						await lane.run(async () => {
							starts[id] = Date.now();
							order.push(id);
							await realSleep(5);
							ends[id] = Date.now();
						}),
				),
			);
			expect(order).toEqual([0, 1, 2]);
			// Timers may fire a few ms "early" against Date.now (loop time is cached): allow 5 ms.
			expect(starts[1] - ends[0]).toBeGreaterThanOrEqual(40 - 5);
			expect(starts[2] - ends[1]).toBeGreaterThanOrEqual(40 - 5);
		} finally {
			clock.now = originalNow;
		}
	});
});
