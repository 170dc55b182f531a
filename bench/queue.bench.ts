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
 * answers as a share of requests; and users/s while sending (first request to last admitted one at the
 * emulator). Prints and writes bench/results.json; asserts nothing.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { recordBenchmark } from './results';

const { startEmulatorProcess } = require('./emulator-process');
const installer = require('../test/e2e/harness/n8n-install');
const runner = require('../test/e2e/harness/n8n-run');
const queue = require('../test/e2e/harness/n8n-queue');
const { httpJson } = require('../test/e2e/harness/http-json');
const { sharedTarball } = require('../test/e2e/helpers');

const WORKERS = 4;
const USERS_PER_EXECUTION = Number(process.env.BENCH_P5_USERS ?? 25_000);
const VERSION = process.env.E2E_N8N_VERSIONS?.split(',')[0]?.trim() || '2.41.1';
const SDK_APP_ID = 1400000000; // the app of scripts/n8n-run.js's credentialFor
const KEY = 'bench-key-not-a-secret';
const MODES = (process.env.BENCH_P5_MODES ?? 'adaptive,fixed').split(',') as Array<
	'adaptive' | 'fixed'
>;

/**
 * No Code node: under load on 2 shared cores its task runner rejected tasks ("Offer expired"), which
 * failed whole executions for reasons that are not ours. The webhook body carries the execution's
 * users, Split Out turns them into items, and the Tencent node's first item is the answer. Whether
 * every user was tagged is read from the emulator, not from n8n's answer: returning 25,000 items
 * through the main process failed executions' webhook answers (HTTP 500) on this machine.
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
			parameters: {
				resource: 'userTag',
				operation: 'add',
				api: 'timpush',
				tags: 'p5',
				accountsFrom: 'field',
				accountsField: 'userId',
				options: { pacing: mode },
			},
		},
	]);
	return workflow;
};

/** Which execution a request came from, read from the first user it carries (NaN if none). */
const executionOf = (body: string) =>
	Math.floor(Number(/"To_Account":"user(\d+)"/.exec(body)?.[1]) / USERS_PER_EXECUTION);

test(
	'P5: 4 queue-mode workers tag 4 × 25,000 users against one app limit, adaptive vs fixed pacing',
	async () => {
		const total = WORKERS * USERS_PER_EXECUTION;
		const fixture = {
			apps: [
				{
					sdkAppId: SDK_APP_ID,
					secretKey: KEY,
					admins: ['administrator'],
					pushEnabled: true,
					users: Array.from({ length: total }, (_, i) => ({ id: `user${i}` })),
				},
			],
		};
		const emu = await startEmulatorProcess(fixture, {
			requestLogLimit: 5_000,
			managementRatePerSecond: 100,
		});
		const install = installer.ensureN8n(VERSION);
		const ctx = queue.guard(await runner.createHome({ install, tarball: sharedTarball() }));
		let redis: { stop(): Promise<void> } | undefined;
		let cluster:
			| {
					url: string;
					stop(): Promise<void>;
					workers: Array<{ executionIds(): string[]; output(): string }>;
			  }
			| undefined;
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
						const { status, json } = await httpJson(
							'POST',
							`${cluster!.url}/webhook/tcpush-p5-${mode}`,
							{
								body: {
									users: Array.from({ length: USERS_PER_EXECUTION }, (_, i) => ({
										userId: `user${k * USERS_PER_EXECUTION + i}`,
									})),
								},
							},
						);
						if (status === 200) return { ok: true, first: json as IDataObject };
						const main = (cluster as unknown as { main: { output(): string } }).main
							.output()
							.slice(-3000);
						process.stdout.write(
							`\nP5 execution ${k} (${mode}) answered HTTP ${status}: ${JSON.stringify(json)}\n--- main\n${main}\n`,
						);
						return { ok: false, first: null };
					}),
				);
				const seconds = (Date.now() - started) / 1000;
				const counters = await emu.counters();
				const requests = counters.requests['timpush/add_tag'] ?? 0;
				// The emulator's view: users not carrying the tag are the failed items.
				const { users } = (await (
					await fetch(`${emu.url}/_emulator/apps/${SDK_APP_ID}/users`)
				).json()) as { users: Array<{ tags: string[] }> };
				const failed = total - users.filter((u) => u.tags.includes('p5')).length;
				const answered = answers.filter((a) => a.ok).length;
				// While sending: from the first request's arrival to the last admitted one's, at the emulator.
				// On a machine whose cores are busy with n8n itself (4 workers reading, saving and answering
				// 25,000 items each) this shows the pacing apart from the rest of the execution.
				const { requests: log } = (await (
					await fetch(`${emu.url}/_emulator/requests?endpoint=timpush/add_tag`)
				).json()) as { requests: Array<{ time: number; errorCode: number | null; body: string }> };
				// BENCH_P5_LOG=<file>: every request's arrival, execution and answer, for tuning the pacing.
				if (process.env.BENCH_P5_LOG)
					writeFileSync(
						`${process.env.BENCH_P5_LOG}.${mode}.json`,
						JSON.stringify(
							log.map((e) => ({
								time: e.time,
								errorCode: e.errorCode,
								execution: executionOf(e.body),
							})),
						),
					);
				const times = log.map((e) => e.time).sort((x, y) => x - y);
				const admittedTimes = log
					.filter((e) => e.errorCode === 0)
					.map((e) => e.time)
					.sort((x, y) => x - y);
				const sendingSeconds = (admittedTimes[admittedTimes.length - 1] - times[0]) / 1000;
				// When the 60007s came: per second from the first request (where to look when tuning).
				const perSecond: number[] = [];
				for (const e of log)
					if (e.errorCode === 60007)
						perSecond[Math.floor((e.time - times[0]) / 1000)] =
							(perSecond[Math.floor((e.time - times[0]) / 1000)] ?? 0) + 1;
				// Per execution (read from the users a request carries): when it first sent, and its 60007s
				// per second from the first request.
				const byExecution = Array.from({ length: WORKERS }, () => ({
					first: Infinity,
					refused: [] as number[],
				}));
				for (const e of log) {
					const execution = byExecution[executionOf(e.body)];
					if (!execution) continue;
					execution.first = Math.min(execution.first, e.time);
					const second = Math.floor((e.time - times[0]) / 1000);
					if (e.errorCode === 60007)
						execution.refused[second] = (execution.refused[second] ?? 0) + 1;
				}
				process.stdout.write(
					`\nP5 ${mode}: 60007 per second from the first request: ${Array.from(perSecond, (n) => n ?? 0).join(' ')}\n${byExecution
						.map(
							(x, k) =>
								`  execution ${k}: first request at +${x.first - times[0]} ms, 60007 per second: ${Array.from(x.refused, (n) => n ?? 0).join(' ')}`,
						)
						.join('\n')}\n`,
				);
				results[mode] = {
					users: total,
					seconds: Number(seconds.toFixed(1)),
					usersPerSecond: Math.round(total / seconds),
					sendingSeconds: Number(sendingSeconds.toFixed(1)),
					sendingUsersPerSecond: Math.round(total / sendingSeconds),
					itemsFailed: failed,
					requests,
					answers60007: counters.limitRejections,
					share60007Percent: Number(
						((100 * counters.limitRejections) / Math.max(1, requests)).toFixed(1),
					),
					executionsAnswered: answered,
					firstItemPacing: JSON.stringify(
						answers.find((a) => a.first?.pacing)?.first?.pacing ?? null,
					),
					firstError:
						answers.find((a) => a.first?.error)?.first?.error !== undefined
							? String(answers.find((a) => a.first?.error)!.first!.error)
							: null,
				};
			}
			const perWorker = cluster!.workers.map((w) => w.executionIds().length);
			const rows = [
				[
					'pacing',
					'users',
					'seconds',
					'users/s',
					'sending s',
					'sending u/s',
					'failed',
					'requests',
					'60007',
					'60007 %',
					'answered',
				],
				...MODES.map((mode) => {
					const r = results[mode];
					return [
						mode,
						r.users,
						r.seconds,
						r.usersPerSecond,
						r.sendingSeconds,
						r.sendingUsersPerSecond,
						r.itemsFailed,
						r.requests,
						r.answers60007,
						r.share60007Percent,
						`${r.executionsAnswered}/${WORKERS}`,
					];
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
			lines.push(
				`executions per worker: ${perWorker.join(', ')}; first error: ${MODES.map((m) => results[m].firstError ?? 'none').join(' / ')}`,
			);
			process.stdout.write(
				`\nP5 queue mode (n8n ${VERSION}, ${WORKERS} workers, ${WORKERS} × ${USERS_PER_EXECUTION.toLocaleString('en-US')} users, ${os.cpus().length} cores)\n${lines.join('\n')}\n`,
			);
			recordBenchmark(join(__dirname, 'results.json'), 'P5', {
				n8n: VERSION,
				workers: WORKERS,
				usersPerExecution: USERS_PER_EXECUTION,
				...results,
			});
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
