/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * Operations do what the user said, item by item, against the emulator through n8n's engine:
 * - Dry Run is read per item in every batched operation: an item in dry run never reaches the
 *   emulator while the other items are sent; a run of dry-run items sends nothing at all (not even
 *   the reads that used to come first: attribute names, the scheduled task);
 * - Stop (n8n's cancel signal) ends sending: fewer than 2 requests reach the emulator after it,
 *   whether the node was waiting for a pacing slot, a 90024 retry or a backoff;
 * - N identical all-user pushes in one execution are one push;
 * - legacy pushes that no offline device will see say so; Get Many's range is bounded;
 * - no item vanishes: statistics with no rows, two names for one attribute slot.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { type RunResult } from '../harness/engine';
import {
	attributeRows,
	errorText,
	managementParams,
	sendParams,
	sendToUsersParams,
	useEmulator,
} from './setup';

const ctx = useEmulator({ fixture: 'integration-push.json' });

const DRY = '={{ $json.test }}';
const json = (result: RunResult): IDataObject[] =>
	result.items.map((item: INodeExecutionData) => item.json);
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Requests made since `from` (an index into the request log), with their bodies. */
async function requestsSince(from: number) {
	return (await ctx.requests()).slice(from);
}

describe('Dry Run is read per item in every batched operation', () => {
	const byUser = (overrides: IDataObject) => ({
		accounts: '={{ $json.user }}',
		options: { dryRun: DRY },
		...overrides,
	});
	const CASES: Array<[string, IDataObject, string]> = [
		[
			'Push → Send to Users',
			sendToUsersParams({ toAccounts: '={{ $json.user }}', options: { dryRun: DRY } }),
			'timpush/batch',
		],
		[
			'User Tag → Add',
			managementParams('userTag', 'add', byUser({ tags: 'promo', replace: false })),
			'timpush/add_tag',
		],
		[
			'User Tag → Add (legacy)',
			managementParams('userTag', 'add', byUser({ api: 'legacy', tags: 'promo' })),
			'all_member_push/im_add_tag',
		],
		[
			'User Tag → Remove',
			managementParams('userTag', 'remove', byUser({ tags: 'vip' })),
			'timpush/remove_tag',
		],
		['User Tag → Get', managementParams('userTag', 'get', byUser({})), 'timpush/get_tag'],
		[
			'User Tag → Remove All',
			managementParams('userTag', 'removeAll', byUser({})),
			'timpush/clear_all_tags',
		],
		[
			'User Attribute → Set',
			managementParams(
				'userAttribute',
				'set',
				byUser({ attributes: attributeRows({ city: 'Paris' }) }),
			),
			'timpush/set_attr',
		],
		[
			'User Attribute → Get',
			managementParams('userAttribute', 'get', byUser({})),
			'timpush/get_attr',
		],
		[
			'User Attribute → Remove',
			managementParams('userAttribute', 'remove', byUser({ attributeNames: ['city'] })),
			'timpush/remove_attr',
		],
	];

	test.each(CASES)(
		'%s: item 1 in dry run never reaches the emulator; item 0 is sent',
		async (_name, parameters, endpoint) => {
			const result = await ctx.run({
				parameters,
				items: [
					{ user: 'alice', test: false },
					{ user: 'bob', test: true },
				],
			});
			expect(result.error).toBeUndefined();
			const out = json(result);
			expect(out).toHaveLength(2);
			expect(out[0].dryRun).toBeUndefined();
			expect(out[1]).toMatchObject({ dryRun: true, valid: true });
			expect(JSON.stringify((out[1].request as IDataObject).body)).toContain('bob');
			const requests = await ctx.requests();
			expect(
				requests.some((r) => `${r.service}/${r.command}` === endpoint && r.body.includes('alice')),
			).toBe(true);
			expect(requests.filter((r) => r.body.includes('bob'))).toEqual([]);
		},
	);

	test.each(CASES)('%s: items all in dry run send nothing at all', async (_name, parameters) => {
		// "true" from an expression counts as true.
		const result = await ctx.run({
			parameters,
			items: [
				{ user: 'alice', test: true },
				{ user: 'bob', test: 'true' },
			],
		});
		expect(result.error).toBeUndefined();
		expect(json(result).map((item) => item.dryRun)).toEqual([true, true]);
		expect(await ctx.apiRequestCount()).toBe(0);
	});

	test('App Attribute Name → Set: the dry-run item is neither read against the app nor sent', async () => {
		const parameters = managementParams('appAttributeName', 'set', {
			attributeNames: {
				attribute: [{ slot: '={{ $json.slot }}', name: '={{ $json.name }}', accountType: 'keep' }],
			},
			options: { dryRun: DRY },
		});
		const result = await ctx.run({
			parameters,
			items: [
				{ slot: '4', name: 'tier', test: false },
				{ slot: '5', name: 'segment', test: true },
			],
		});
		expect(result.error).toBeUndefined();
		const [sent, dry] = json(result);
		expect(sent).toMatchObject({ attributeNames: { 4: 'tier' } });
		expect(dry).toMatchObject({
			dryRun: true,
			request: { body: { AttrNames: { 5: 'segment' } } },
			notChecked: expect.stringMatching(/current names/),
		});
		const requests = await ctx.requests();
		expect(requests.map((r) => `${r.service}/${r.command}`)).toEqual([
			'timpush/get_attr_name',
			'timpush/set_attr_name',
		]);
		expect(requests.filter((r) => r.body.includes('segment'))).toEqual([]);

		await ctx.emu.reset();
		const allDry = await ctx.run({ parameters, items: [{ slot: '6', name: 'a', test: true }] });
		expect(json(allDry)[0]).toMatchObject({ dryRun: true });
		expect(await ctx.apiRequestCount()).toBe(0);
	});

	describe('Scheduled Push → Update and Delete: a dry run does not even read the task', () => {
		async function createTasks(): Promise<number[]> {
			const result = await ctx.run({
				parameters: {
					resource: 'scheduledPush',
					operation: 'create',
					sendAt: '={{ $now.plus({ days: 1 }).toISO() }}',
					audience: 'tags',
					tagsOr: 'vip',
					notificationTitle: '={{ $json.title }}',
					notificationText: 'Soon',
					message: 'none',
					additionalFields: {},
					options: {},
				},
				items: [{ title: 'first' }, { title: 'second' }],
			});
			expect(result.error).toBeUndefined();
			return json(result).map((item) => item.taskId as number);
		}
		const ref = (operation: string, overrides: IDataObject = {}) => ({
			resource: 'scheduledPush',
			operation,
			schedTaskId: '={{ $json.id }}',
			options: { dryRun: DRY },
			...overrides,
		});

		test.each([
			[
				'update',
				ref('update', { sendAt: '={{ $now.plus({ days: 2 }).toISO() }}', updateContent: false }),
				'timpush/modify_sched_task',
			],
			['delete', ref('delete'), 'timpush/delete_sched_task'],
		])('%s', async (_name, parameters, endpoint) => {
			const [a, b] = await createTasks();
			const from = (await ctx.requests()).length;
			const result = await ctx.run({
				parameters,
				items: [
					{ id: a, test: false },
					{ id: b, test: true },
				],
			});
			expect(result.error).toBeUndefined();
			const [sent, dry] = json(result);
			expect(sent.taskId).toBe(a);
			expect(dry).toMatchObject({
				dryRun: true,
				request: {
					// The wire's TaskID is Tencent's integer; the outputs give it as text.
					body: {
						TaskID: Number(b),
						Type: expect.stringMatching(/read with get_sched_task when sent/),
					},
				},
				notChecked: expect.stringMatching(/not read in a dry run/),
			});
			const requests = await requestsSince(from);
			expect(requests.map((r) => `${r.service}/${r.command}`)).toEqual([
				'timpush/get_sched_task',
				endpoint,
			]);
			expect(requests.every((r) => r.json?.TaskID === Number(a))).toBe(true);

			const before = await ctx.apiRequestCount();
			const allDry = await ctx.run({
				parameters,
				items: [
					{ id: a, test: true },
					{ id: b, test: true },
				],
			});
			expect(json(allDry).map((item) => item.dryRun)).toEqual([true, true]);
			expect(await ctx.apiRequestCount()).toBe(before);
		});
	});
});

describe.each([
	['n8n-core aborts requests on Stop', false],
	['the host does not abort requests on Stop', true],
])(
	'Stop ends sending: fewer than 2 requests reach the emulator after it (%s)',
	(_host, httpIgnoresStop) => {
		/** Total API requests so far, straight from the emulator's counters. */
		const count = async () => await ctx.apiRequestCount();

		/**
		 * Runs the node, presses Stop once `ready()` (polled) says so, then waits for the node to
		 * return and a further 1.5 s (longer than any pacing gap) before counting what arrived after.
		 */
		async function stopWhen(
			parameters: IDataObject,
			items: IDataObject[],
			ready: (n: number) => boolean,
		) {
			let stop: () => void = () => undefined;
			const running = ctx.run({ parameters, items, httpIgnoresStop, onStart: (s) => (stop = s) });
			let atStop = 0;
			for (const deadline = Date.now() + 30_000; ; ) {
				atStop = await count();
				if (ready(atStop)) break;
				if (Date.now() > deadline) throw new Error(`not ready after 30 s (${atStop} requests)`);
				await sleep(10);
			}
			stop();
			const result = await running;
			await sleep(1500);
			const after = (await count()) - atStop;
			process.stdout.write(
				`[stop] ${expect.getState().currentTestName}: ${atStop} requests before Stop, ${after} after\n`,
			);
			return { result, atStop, after };
		}

		test('Send: pushes queued for the push lane (one a second) stop at once', async () => {
			const parameters = sendParams({
				audience: 'tags',
				tagsOr: 'vip',
				notificationText: '={{ $json.n }}',
			});
			const items = Array.from({ length: 40 }, (_, n) => ({ n: `push ${n}` }));
			const { result, atStop, after } = await stopWhen(parameters, items, (n) => n >= 2);
			expect(after).toBeLessThan(2);
			expect(atStop).toBeLessThan(40);
			expect(result.error?.message).toBe(
				'The execution was stopped: nothing more was sent to Tencent',
			);
		});

		test('Send: a push waiting out 90024 ("too soon", another sender holds the slot) stops at once', async () => {
			ctx.emu.faults.set('timpush/push', { probability: 1, kinds: ['90024'] });
			const { atStop, after } = await stopWhen(
				sendParams({ audience: 'tags', tagsOr: 'vip' }),
				[{}],
				(n) => n >= 2,
			);
			expect(atStop).toBeGreaterThanOrEqual(2);
			expect(after).toBeLessThan(2);
		});

		test('Send to Users: requests waiting for their turn stop; a backoff after a 91000 ends at once', async () => {
			ctx.emu.faults.set('timpush/batch', { probability: 1, kinds: ['delay:150'] });
			const parameters = sendToUsersParams({
				toAccounts: 'alice',
				notificationText: '={{ $json.n }}',
			});
			const items = Array.from({ length: 40 }, (_, n) => ({ n: `text ${n}` }));
			const first = await stopWhen(parameters, items, (n) => n >= 3);
			expect(first.after).toBeLessThan(2);

			await ctx.emu.reset();
			// 91000 proves the push did not happen, so it is retried with backoff (a 502 is an unknown outcome: not re-sent).
			ctx.emu.faults.set('timpush/batch', { probability: 1, kinds: ['91000'] });
			const backoff = await stopWhen(
				{ ...parameters, options: { maxAttempts: 10 } },
				[{ n: 'x' }],
				(n) => n >= 2,
			);
			expect(backoff.after).toBeLessThan(2);
		});

		test('User Tag → Add: eight requests in flight at a time, none of the queued ones leaves after Stop', async () => {
			ctx.emu.faults.set('timpush/add_tag', { probability: 1, kinds: ['delay:200'] });
			// One account that repeats: every item needs a request of its own.
			const items = Array.from({ length: 60 }, () => ({ user: 'alice' }));
			const { atStop, after } = await stopWhen(
				managementParams('userTag', 'add', {
					accounts: '={{ $json.user }}',
					tags: 'promo',
					replace: false,
				}),
				items,
				(n) => n >= 8,
			);
			expect(atStop).toBeLessThan(60);
			expect(after).toBeLessThan(2);
		});
	},
);

describe('No accidental floods to everyone', () => {
	test('five identical all-user items are one push; the others output its TaskId with duplicateOf', async () => {
		const result = await ctx.run({ parameters: sendParams(), items: [{}, {}, {}, {}, {}] });
		expect(result.error).toBeUndefined();
		expect(await ctx.requests('timpush/push')).toHaveLength(1);
		const [first, ...rest] = json(result);
		expect(first).toMatchObject({ taskId: expect.any(String), audience: 'all users' });
		expect(first.duplicateOf).toBeUndefined();
		for (const item of rest) {
			expect(item).toMatchObject({
				taskId: first.taskId,
				duplicateOf: { item: 0, run: 0 },
				sent: false,
				attempts: 0,
				audience: 'all users',
			});
		}
	});

	test('different content, other audiences, and Allow Repeated All-User Pushes are each pushed', async () => {
		const different = await ctx.run({
			parameters: sendParams({ notificationText: '={{ $json.text }}' }),
			items: [{ text: 'a' }, { text: 'b' }],
		});
		expect(json(different).map((item) => item.duplicateOf)).toEqual([undefined, undefined]);
		const tagged = await ctx.run({
			parameters: sendParams({ audience: 'tags', tagsOr: 'vip' }),
			items: [{}, {}],
		});
		expect(json(tagged).map((item) => item.duplicateOf)).toEqual([undefined, undefined]);
		const repeated = await ctx.run({
			parameters: sendParams({ options: { allowRepeats: true } }),
			items: [{}, {}],
		});
		expect(json(repeated).map((item) => item.duplicateOf)).toEqual([undefined, undefined]);
		expect(await ctx.requests('timpush/push')).toHaveLength(6);
	});

	test('Dry Run shows which items would be duplicates, and sends nothing', async () => {
		const result = await ctx.run({
			parameters: sendParams({ options: { dryRun: true } }),
			items: [{}, {}],
		});
		expect(json(result)[0].duplicateOf).toBeUndefined();
		expect(json(result)[1]).toMatchObject({ dryRun: true, duplicateOf: { item: 0, run: 0 } });
		expect(await ctx.apiRequestCount()).toBe(0);
	});

	test('when the first fails, the identical others are not tried: one request, every item an error', async () => {
		ctx.emu.faults.set('timpush/push', { sequence: ['91000'] });
		const result = await ctx.run({
			parameters: sendParams({ options: { maxAttempts: 1 } }),
			items: [{}, {}, {}],
			continueOnFail: true,
		});
		expect(await ctx.requests('timpush/push')).toHaveLength(1);
		const [first, ...rest] = json(result);
		expect(first).toMatchObject({ errorCode: 91000 });
		for (const item of rest)
			expect(String(item.error)).toMatch(
				/Not sent: the same push to all users, by item 0, failed: Tencent error 91000/,
			);
	});
});

describe('Legacy push with Message Lifetime 0: no offline device is notified, and the node says so', () => {
	const legacy = (additionalFields: IDataObject = {}, options: IDataObject = {}) =>
		sendParams({
			api: 'legacy',
			audience: 'tags',
			tagsOr: 'vip',
			message: 'text',
			messageText: 'Hi',
			additionalFields,
			options,
		});

	test('in Dry Run and in the output', async () => {
		const dry = await ctx.run({ parameters: legacy({}, { dryRun: true }) });
		expect(json(dry)[0]).toMatchObject({
			dryRun: true,
			request: { body: { MsgLifeTime: 0 } },
			warnings: [
				expect.stringMatching(/online users only, so no offline device gets a notification/),
			],
		});
		const sent = await ctx.run({ parameters: legacy() });
		expect(json(sent)[0]).toMatchObject({
			taskId: expect.any(String),
			warnings: [expect.stringMatching(/Message Lifetime is 0/)],
		});
	});

	test('not with a lifetime, nor when offline push is off', async () => {
		expect(
			json(await ctx.run({ parameters: legacy({ msgLifeTime: 3600 }, { dryRun: true }) }))[0]
				.warnings,
		).toBeUndefined();
		expect(
			json(await ctx.run({ parameters: legacy({ offlinePush: false }, { dryRun: true }) }))[0]
				.warnings,
		).toBeUndefined();
		expect(
			json(
				await ctx.run({
					parameters: sendParams({ audience: 'tags', tagsOr: 'vip', options: { dryRun: true } }),
				}),
			)[0].warnings,
		).toBeUndefined();
	});
});

describe('Scheduled Push → Get Many reads a bounded range', () => {
	const getMany = (startTime: string, endTime: string) => ({
		resource: 'scheduledPush',
		operation: 'getAll',
		returnAll: true,
		filters: { startTime, endTime },
		sort: {},
		options: {},
	});

	test('1970 to 9999 is refused, naming the field and the cap, before any request', async () => {
		const result = await ctx.run({
			parameters: getMany('1970-01-01T00:00:00Z', '9999-12-31T00:00:00Z'),
		});
		expect(result.error?.message).toMatch(
			/^Filters: Start Time to End Time spans \d+ days; Get Many reads at most 372 days$/,
		);
		expect(result.error?.description).toMatch(/Nothing was sent to Tencent/);
		expect(await ctx.apiRequestCount()).toBe(0);
	});

	test('just under the cap is read in twelve 31-day windows; just over is refused', async () => {
		const start = Date.UTC(2026, 0, 1);
		const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
		const day = 86_400_000;
		const under = await ctx.run({ parameters: getMany(iso(start), iso(start + 372 * day - 1000)) });
		expect(under.error).toBeUndefined();
		expect(await ctx.requests('timpush/list_sched_task')).toHaveLength(12);
		const over = await ctx.run({ parameters: getMany(iso(start), iso(start + 372 * day)) });
		expect(over.error?.message).toMatch(/spans 373 days; Get Many reads at most 372 days/);
		expect(await ctx.requests('timpush/list_sched_task')).toHaveLength(12);
	});
});

describe('No silent drops', () => {
	test('Get Statistics, one item per task, with no rows from Tencent: one item says so', async () => {
		const result = await ctx.run({
			parameters: {
				resource: 'push',
				operation: 'getStatistics',
				statisticsFilter: 'taskIds',
				taskIds: 'unknown-task-1, unknown-task-2',
				statisticsOutput: 'tasks',
				options: {},
			},
			items: [{}, {}],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1]);
		expect(json(result)[0]).toMatchObject({
			noData: true,
			taskIds: ['unknown-task-1', 'unknown-task-2'],
			message: expect.stringMatching(/no per-task figures for unknown-task-1, unknown-task-2/),
		});
	});

	test('App Attribute Name → Set: two rows for one slot are refused, naming the slot', async () => {
		const result = await ctx.run({
			parameters: managementParams('appAttributeName', 'set', {
				attributeNames: {
					attribute: [
						{ slot: '4', name: 'tier', accountType: 'keep' },
						{ slot: '4', name: 'segment', accountType: 'keep' },
					],
				},
			}),
		});
		expect(result.error?.message).toBe(
			"Attribute Names: slot 4 appears twice ('tier' and 'segment'); each slot takes one name",
		);
		expect(await ctx.requests('timpush/set_attr_name')).toHaveLength(0);

		const dry = await ctx.run({
			parameters: managementParams('appAttributeName', 'set', {
				attributeNames: {
					attribute: [
						{ slot: '4', name: 'tier' },
						{ slot: '4', name: 'segment' },
					],
				},
				options: { dryRun: true },
			}),
		});
		expect(dry.error?.message).toMatch(/slot 4 appears twice/);
	});
});

describe('The UserSig never crosses a network in clear', () => {
	test('a Custom Endpoint with plain http:// to a public host fails the node, saying why, before anything is sent', async () => {
		const result = await ctx.run({
			parameters: sendParams({ audience: 'tags', tagsOr: 'vip' }),
			credentials: ctx.credentials({ baseUrl: 'http://tencent-proxy.example.com' }),
		});
		expect(errorText(result)).toMatch(
			/plain http:\/\/ to a host that is not on a loopback or private network/,
		);
		expect(await ctx.apiRequestCount()).toBe(0);
	});
});
