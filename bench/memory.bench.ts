/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * P4: peak memory growth while 100,000 one-user items go through the node (userTag add,
 * accounts from an input field), against the emulator in its own process enforcing 100
 * requests/s. RSS and heap are sampled every 50 ms; growth = peak during the run − before it.
 * Baseline in the same run: the same items through the engine to a node run that fails at once
 * (an unsupported operation), i.e. what n8n itself holds for 100,000 items. Prints and records;
 * asserts nothing. BENCH_ITEMS overrides the count.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { IDataObject } from 'n8n-workflow';

import { resetLanes } from '../nodes/TencentChatPush/helpers/pacing';
import { runNode } from '../test/harness/engine';
import { recordBenchmark } from './results';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulatorProcess } = require('./emulator-process');

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const SDK_APP_ID = 1400000781;
const KEY = 'bench-memory-key-not-a-secret';
const MB = 2 ** 20;
const GOAL_MB = 100;

interface Emulator {
	url: string;
	counters(): Promise<{ requests: Record<string, number>; limitRejections: number }>;
	reset(): Promise<void>;
	stop(): Promise<void>;
}

interface Peak {
	seconds: number;
	rssGrowthMb: number;
	heapGrowthMb: number;
	rssBeforeMb: number;
	heapBeforeMb: number;
	outputItems: number;
	/** Heap still in use after a full GC with the output held: what the run retains, without garbage. */
	liveHeapMb?: number;
}

const settle = async () => {
	(globalThis as { gc?: () => void }).gc?.();
	await new Promise((resolve) => setTimeout(resolve, 200));
};

async function measure(run: () => Promise<{ items: unknown[] }>): Promise<Peak> {
	await settle();
	const before = process.memoryUsage();
	let peakRss = before.rss;
	let peakHeap = before.heapUsed;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peakRss = Math.max(peakRss, now.rss);
		peakHeap = Math.max(peakHeap, now.heapUsed);
	}, 50);
	const started = performance.now();
	let output: { items: unknown[] } = { items: [] };
	try {
		output = await run();
	} finally {
		clearInterval(sampler);
	}
	const after = process.memoryUsage();
	peakRss = Math.max(peakRss, after.rss);
	peakHeap = Math.max(peakHeap, after.heapUsed);
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const liveHeapMb = gc ? (process.memoryUsage().heapUsed - before.heapUsed) / MB : undefined;
	const outputItems = output.items.length;
	return {
		liveHeapMb,
		seconds: (performance.now() - started) / 1000,
		rssGrowthMb: (peakRss - before.rss) / MB,
		heapGrowthMb: (peakHeap - before.heapUsed) / MB,
		rssBeforeMb: before.rss / MB,
		heapBeforeMb: before.heapUsed / MB,
		outputItems,
	};
}

test(
	'P4: peak memory growth for 100,000 items through the node',
	async () => {
		const users = Array.from({ length: ITEMS }, (_, i) => `user${i}`);
		const fixture = {
			apps: [
				{
					sdkAppId: SDK_APP_ID,
					secretKey: KEY,
					admins: ['administrator'],
					pushEnabled: true,
					users: users.map((id) => ({ id })),
				},
			],
		};
		const emu: Emulator = await startEmulatorProcess(fixture, { requestLogLimit: 100 });
		const credentials = {
			sdkAppId: SDK_APP_ID,
			region: 'custom',
			baseUrl: emu.url,
			adminAccount: 'administrator',
			secretKey: KEY,
			userSigValidity: 86400,
		};
		const items: IDataObject[] = users.map((userId) => ({ userId }));
		try {
			const engineOnly = await measure(async () => {
				const result = await runNode({
					parameters: {
						resource: 'userTag',
						operation: 'unsupported',
						api: 'timpush',
						options: {},
					},
					items,
					credentials,
				});
				return { items: result.items };
			});
			await emu.reset();
			resetLanes();
			const node = await measure(async () => {
				const result = await runNode({
					parameters: {
						resource: 'userTag',
						operation: 'add',
						api: 'timpush',
						tags: 'p4',
						accountsFrom: 'field',
						accountsField: 'userId',
						options: {},
					},
					items,
					credentials,
				});
				if (result.error) throw result.error;
				return result;
			});
			const counters = await emu.counters();
			const rows = [
				[
					'',
					'seconds',
					'output items',
					'RSS growth MB',
					'heap growth MB',
					'live heap MB',
					'RSS vs goal',
				],
				...(
					[
						['node, userTag add', node],
						['engine only (node fails at once)', engineOnly],
					] as const
				).map(([label, m]) => [
					label,
					m.seconds.toFixed(1),
					m.outputItems,
					m.rssGrowthMb.toFixed(0),
					m.heapGrowthMb.toFixed(0),
					m.liveHeapMb === undefined ? 'n/a (no --expose-gc)' : m.liveHeapMb.toFixed(0),
					`${(m.rssGrowthMb / GOAL_MB).toFixed(2)}x`,
				]),
			];
			const lines = rows.map((r) => r.map((c, i) => String(c).padEnd(i === 0 ? 34 : 16)).join(''));
			lines.push(
				`goal: peak growth <= ${GOAL_MB} MB (node RSS: ${node.rssGrowthMb <= GOAL_MB ? 'met' : 'not met'}); node / engine-only RSS growth ${(node.rssGrowthMb / Math.max(1, engineOnly.rssGrowthMb)).toFixed(2)}x`,
			);
			lines.push(
				`before the node run: RSS ${node.rssBeforeMb.toFixed(0)} MB, heap ${node.heapBeforeMb.toFixed(0)} MB; requests ${counters.requests['timpush/add_tag'] ?? 0}, rate-limit rejections ${counters.limitRejections}`,
			);
			process.stdout.write(
				`\nP4 memory (${ITEMS.toLocaleString('en-US')} items, sampled every 50 ms)\n${lines.join('\n')}\n`,
			);
			recordBenchmark(join(__dirname, 'results.json'), 'P4', {
				items: ITEMS,
				seconds: Number(node.seconds.toFixed(2)),
				rssGrowthMb: Math.round(node.rssGrowthMb),
				heapGrowthMb: Math.round(node.heapGrowthMb),
				engineOnlyRssGrowthMb: Math.round(engineOnly.rssGrowthMb),
				engineOnlyHeapGrowthMb: Math.round(engineOnly.heapGrowthMb),
				...(node.liveHeapMb === undefined ? {} : { liveHeapMb: Math.round(node.liveHeapMb) }),
				goalMb: GOAL_MB,
			});
		} finally {
			await emu.stop();
		}
	},
	15 * 60_000,
);
