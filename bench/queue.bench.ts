/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @typescript-eslint/no-require-imports */
/**
 * P5 (issue 16): scale-out. A real n8n (2.41.1 unless E2E_N8N_VERSIONS names another) in queue mode
 * with Redis and 4 workers (concurrency 1, so each execution has a worker, and so its own pacing
 * lanes, to itself); 4 executions started at once through a production webhook, each tagging
 * BENCH_P5_USERS users (default 25,000: 100,000 in all) against the emulator, in its own process,
 * enforcing 100 requests/s for the app. Workflow: Webhook (the execution's users in its body) →
 * Split Out (one item per user) → Tencent Chat Push userTag add (accounts from a field, On Error:
 * continue), whose items are the webhook's answer.
 * Measured twice, with Pacing "adaptive" (default) and "fixed" (the pacing before issue 16),
 * side by side: aggregate users/s (from the 4 webhook calls to the last answer), items failed, 60007
 * answers as a share of requests. Prints and writes bench/results.json; asserts nothing.
 */
import os from 'node:os';
import { join } from 'node:path';

import { recordBenchmark } from './results';

const { startEmulatorProcess } = require('./emulator-process');
const installer = require('../scripts/n8n-install');
const runner = require('../scripts/n8n-run');
const queue = require('../scripts/n8n-queue');
const { httpJson } = require('../scripts/http-json');
const { sharedTarball } = require('../test/e2e/helpers');

const WORKERS = 4;
const USERS_PER_EXECUTION = Number(process.env.BENCH_P5_USERS ?? 25_000);
const VERSION = process.env.E2E_N8N_VERSIONS?.split(',')[0]?.trim() || '2.41.1';
const SDK_APP_ID = 1400000000; // the app of scripts/n8n-run.js's credentialFor
const KEY = 'bench-key-not-a-secret';
const MODES = (process.env.BENCH_P5_MODES ?? 'adaptive,fixed').split(',') as Array<'adaptive' | 'fixed'>;

interface Summary {
	items: number;
	failed: number;
	paced: number;
	maxWaitedMs: number;
	minRate: number | null;
	firstError: string | null;
}

/**
 * No Code node: under load on 2 shared cores its task runner rejected tasks ("Offer expired"), which
 * failed whole executions for reasons that are not ours. The webhook body carries the execution's
 * users, Split Out turns them into items, and the Tencent node's items are the answer ('allEntries').
 */
const workflowFor = (mode: string) => {
	const workflow = queue.webhookWorkflow(`benchP5${mode}00001`.slice(0, 16), `tcpush-p5-${mode}`, [
		{
			name: 'Users',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			parameters: { fieldToSplitOut: 'body.users', include: 'noOtherFields', options: {} },
		},
		{
			name: 'Tag',
			continueOnFail: true,
			parameters: { resource: 'userTag', operation: 'add', api: 'timpush', tags: 'p5', accountsFrom: 'field', accountsField: 'userId', options: { pacing: mode } },
		},
	]);
	workflow.nodes[0].parameters.responseData = 'allEntries';
	return workflow;
};

/** What one execution's output items say. */
function summarise(items: Array<{ error?: unknown; pacing?: { waitedMs: number; ratePerSecond?: number } }>): Summary {
	const paced = items.filter((i) => i.pacing);
	const failed = items.filter((i) => i.error !== undefined);
	return {
		items: items.length,
		failed: failed.length,
		paced: paced.length,
		maxWaitedMs: paced.reduce((m, i) => Math.max(m, i.pacing!.waitedMs), 0),
		minRate: paced.length ? paced.reduce((m, i) => Math.min(m, i.pacing!.ratePerSecond ?? 100), 100) : null,
		firstError: failed.length ? JSON.stringify(failed[0].error).slice(0, 300) : null,
	};
}

test(
	'P5: 4 queue-mode workers tag 4 × 25,000 users against one app limit, adaptive vs fixed pacing',
	async () => {
		const total = WORKERS * USERS_PER_EXECUTION;
		const fixture = {
			apps: [{ sdkAppId: SDK_APP_ID, secretKey: KEY, admins: ['administrator'], pushEnabled: true, users: Array.from({ length: total }, (_, i) => ({ id: `user${i}` })) }],
		};
		const emu = await startEmulatorProcess(fixture, { requestLogLimit: 100, managementRatePerSecond: 100 });
		const install = installer.ensureN8n(VERSION);
		const ctx = queue.guard(await runner.createHome({ install, tarball: sharedTarball() }));
		let redis: { stop(): Promise<void> } | undefined;
		let cluster: { url: string; stop(): Promise<void>; workers: Array<{ executionIds(): string[]; output(): string }> } | undefined;
		const results: Record<string, Record<string, number | string | null>> = {};
		try {
			await runner.importCredentials(ctx, [runner.credentialFor(emu.url, { secretKey: KEY })]);
			await runner.importWorkflows(ctx, MODES.map(workflowFor));
			for (const mode of MODES) await queue.publishWorkflow(ctx, workflowFor(mode).id);
			redis = await queue.startRedis();
			cluster = await queue.startQueueCluster(ctx, redis, { workers: WORKERS, concurrency: 1 });
			for (const mode of MODES) {
				await emu.reset();
				const started = Date.now();
				const answers = await Promise.all(
					Array.from({ length: WORKERS }, async (_, k) => {
						const { status, json } = await httpJson('POST', `${cluster!.url}/webhook/tcpush-p5-${mode}`, {
							body: { users: Array.from({ length: USERS_PER_EXECUTION }, (_, i) => ({ userId: `user${k * USERS_PER_EXECUTION + i}` })) },
						});
						if (status === 200 && Array.isArray(json)) {
							const summary = summarise(json);
							// Items that never came out count as failed.
							return { ...summary, failed: summary.failed + USERS_PER_EXECUTION - summary.items };
						}
						// A whole execution failed: every one of its items counts as failed, and the workers' logs say why.
						const logs = cluster!.workers.map((w, i) => `--- worker ${i}\n${w.output().slice(-3000)}`).join('\n');
						process.stdout.write(`\nP5 execution ${k} (${mode}) answered HTTP ${status}: ${JSON.stringify(json)}\n${logs}\n`);
						const summary: Summary = { items: 0, failed: USERS_PER_EXECUTION, paced: 0, maxWaitedMs: 0, minRate: null, firstError: `execution failed: HTTP ${status}` };
						return summary;
					}),
				);
				const seconds = (Date.now() - started) / 1000;
				const counters = await emu.counters();
				const requests = counters.requests['timpush/add_tag'] ?? 0;
				const failed = answers.reduce((sum, a) => sum + a.failed, 0);
				results[mode] = {
					users: total,
					seconds: Number(seconds.toFixed(1)),
					usersPerSecond: Math.round(total / seconds),
					itemsFailed: failed,
					requests,
					answers60007: counters.limitRejections,
					share60007Percent: Number(((100 * counters.limitRejections) / Math.max(1, requests)).toFixed(1)),
					itemsPaced: answers.reduce((sum, a) => sum + a.paced, 0),
					maxWaitedMs: Math.max(...answers.map((a) => a.maxWaitedMs)),
					firstError: answers.find((a) => a.firstError)?.firstError ?? null,
				};
			}
			const perWorker = cluster!.workers.map((w) => w.executionIds().length);
			const rows = [
				['pacing', 'users', 'seconds', 'users/s', 'failed', 'requests', '60007', '60007 %', 'items paced'],
				...MODES.map((mode) => {
					const r = results[mode];
					return [mode, r.users, r.seconds, r.usersPerSecond, r.itemsFailed, r.requests, r.answers60007, r.share60007Percent, r.itemsPaced];
				}),
			];
			const lines = rows.map((r) => r.map((c, i) => String(c).padEnd(i === 0 ? 10 : 11)).join(''));
			const a = results.adaptive;
			if (a) {
				const met = (ok: boolean) => (ok ? 'met' : 'not met');
				lines.push(
					`goals (adaptive): >= 9,000 users/s ${met(Number(a.usersPerSecond) >= 9000)}; 0 failed ${met(a.itemsFailed === 0)}; <= 5 % 60007 ${met(Number(a.share60007Percent) <= 5)}`,
				);
			}
			lines.push(`executions per worker: ${perWorker.join(', ')}; first error: ${MODES.map((m) => results[m].firstError ?? 'none').join(' / ')}`);
			process.stdout.write(`\nP5 queue mode (n8n ${VERSION}, ${WORKERS} workers, ${WORKERS} × ${USERS_PER_EXECUTION.toLocaleString('en-US')} users, ${os.cpus().length} cores)\n${lines.join('\n')}\n`);
			recordBenchmark(join(__dirname, 'results.json'), 'P5', { n8n: VERSION, workers: WORKERS, usersPerExecution: USERS_PER_EXECUTION, ...results });
		} finally {
			try {
				if (cluster) await cluster.stop();
			} finally {
				runner.killAll('SIGKILL');
				if (redis) await redis.stop();
				queue.killAll('SIGKILL');
				await emu.stop();
				ctx.remove();
			}
		}
	},
	60 * 60 * 1000,
);
