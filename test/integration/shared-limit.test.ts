/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * Issue 16: three workers share one app's limit. Each "worker" is a separate copy of the node and
 * n8n's engine (jest.isolateModules), so each has its own pacing lanes, as queue-mode workers in
 * separate processes do; none knows of the others. They tag 3 × 3,000 users at once against one
 * emulator app. The app's limit is set to 20 requests/s here (Tencent's is 100) so that three lanes
 * starting at 100 requests/s overshoot it fifteenfold and the test stays short (90 requests). Every
 * item must succeed and every user must carry exactly the tags asked; the figures the test asserts
 * do not depend on how fast the machine is (a slow machine only sends fewer requests per second).
 */
import type { IDataObject } from 'n8n-workflow';

import type { runNode as RunNode } from '../harness/engine';
import { bulkIds, useEmulator } from './setup';

const WORKERS = 3;
const USERS_PER_WORKER = 3_000;
const LIMIT = 20;

const ctx = useEmulator({
	fixture: 'integration-audience.json',
	bulkUsers: { prefix: 'w', count: WORKERS * USERS_PER_WORKER },
	config: { managementRatePerSecond: LIMIT },
});

/** A fresh copy of the engine harness, the node and its pacing module: one worker. */
function isolatedWorker(): typeof RunNode {
	let runNode: typeof RunNode | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		runNode = (require('../harness/engine') as { runNode: typeof RunNode }).runNode;
	});
	return runNode!;
}

test('3 workers with their own lanes tag 3 × 3,000 users against one app limit: 0 failed items, every user tagged as asked', async () => {
	const ids = bulkIds('w', WORKERS * USERS_PER_WORKER);
	const workers = Array.from({ length: WORKERS }, isolatedWorker);
	expect(new Set(workers).size).toBe(WORKERS); // three copies, three sets of lanes
	const runs = await Promise.all(
		workers.map(async (runNode, k) => {
			const items: IDataObject[] = ids
				.slice(k * USERS_PER_WORKER, (k + 1) * USERS_PER_WORKER)
				.map((userId) => ({ userId }));
			return await runNode({
				parameters: {
					resource: 'userTag',
					operation: 'add',
					api: 'timpush',
					tags: `worker${k}, shared`,
					accountsFrom: 'field',
					accountsField: 'userId',
					options: { maxAttempts: 2 },
				},
				items,
				credentials: ctx.credentials(),
				continueOnFail: true,
			});
		}),
	);

	const requests = await ctx.requests('timpush/add_tag');
	const rejected = requests.filter((r) => r.errorCode === 60007).length;
	const admitted = requests.filter((r) => r.errorCode === 0).length;
	// The test means something only if the lanes did overshoot the app's limit.
	expect(rejected).toBeGreaterThan(0);
	expect(requests.every((r) => r.errorCode === 0 || r.errorCode === 60007)).toBe(true);
	expect(admitted).toBe((WORKERS * USERS_PER_WORKER) / 100); // each user in exactly one admitted request

	for (const [k, run] of runs.entries()) {
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(USERS_PER_WORKER);
		const failed = run.items.filter((item) => item.json.error !== undefined);
		expect(failed).toEqual([]);
		expect(
			run.items.every((item) => (item.json.tags as string[]).join() === `worker${k},shared`),
		).toBe(true);
	}
	// Items whose request was refused say so: how often, the budget, the lane's rate.
	const paced = runs
		.flatMap((run) => run.items.map((item) => item.json.pacing as IDataObject | undefined))
		.filter((p) => p !== undefined);
	expect(paced.length).toBeGreaterThan(0);
	for (const pacing of paced) {
		expect(pacing).toMatchObject({ budgetMs: 60_000 });
		expect(pacing.rateLimitedAnswers).toBeGreaterThan(0);
		expect(pacing.ratePerSecond).toBeGreaterThanOrEqual(1);
		expect(pacing.ratePerSecond).toBeLessThanOrEqual(100);
	}

	const users = new Map((await ctx.users()).map((u) => [u.id, u]));
	for (const [index, id] of ids.entries()) {
		expect([id, users.get(id)?.tags]).toEqual([
			id,
			[`worker${Math.floor(index / USERS_PER_WORKER)}`, 'shared'],
		]);
	}
	process.stdout.write(
		`[shared-limit] ${requests.length} requests, ${admitted} admitted, ${rejected} answered 60007 (${((100 * rejected) / requests.length).toFixed(1)} %)\n`,
	);
}, 120_000);
