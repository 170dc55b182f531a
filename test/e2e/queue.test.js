'use strict';
/**
 * R4 "Scale-out": real n8n in queue mode — a throwaway Redis, a main process that takes
 * production webhooks and enqueues them, and two `n8n worker` processes that run them (one shared
 * N8N_USER_FOLDER: SQLite database, encryption key, community package). A webhook-triggered
 * workflow (Webhook → Push → Send to a tag audience, message from the request) is called 20 times
 * at once: every execution must succeed, and the pushes must have *arrived* at the emulator more
 * than 1 s apart (Tencent's 90024 rule). Each worker paces its own pushes (pacing.ts); across the
 * two workers only the emulator's 90024 answers keep them apart, and the node retries those.
 *
 * Two workers' push lanes can phase-lock so that one keeps losing the slot while the other has a
 * backlog; that is why the transport waits out 90024 for up to 60 s without counting attempts.
 *
 * Needs redis-server (Debian package; CI installs it, otherwise it is installed here with apt-get
 * when running as root). Without apt-get the suite is skipped with a message, not failed.
 */
const helpers = require('./helpers');

const { httpJson } = require('./harness/http-json');
const { EXECUTION_SCOPES, listExecutions, ownerSession } = require('./harness/n8n-rest');
const queue = require('./harness/n8n-queue');
const { startEmulator } = require('../../emulator');

const { INSTALL_TIMEOUT_MS, sharedTarball, installer, runner } = helpers;
/** n8n 2.41.1 by default; E2E_N8N_VERSIONS=2.41.1,2.8.4 (both work) selects others. */
const VERSIONS = process.env.E2E_N8N_VERSIONS ? helpers.VERSIONS : [installer.LATEST];

jest.setTimeout(180_000);

const EXECUTIONS = 20;
const WORKERS = 2;
const WEBHOOK_PATH = 'tcpush-queue-e2e';
const WORKFLOW_ID = 'e2eQueuePush0001';
const TAG = 'newsletter'; // erin, frank, grace in the demo fixture
const messageFor = (i) => `scale-out push #${String(i).padStart(2, '0')}`;

const redisCheck = queue.redisAvailability();
if (redisCheck.skip && process.env.E2E_REQUIRE_REDIS) {
	// Set E2E_REQUIRE_REDIS=1 where a missing Redis is a broken set-up, not a reason to skip.
	throw new Error(`[queue.test] E2E_REQUIRE_REDIS is set but ${redisCheck.skip}`);
}
if (redisCheck.skip) {
	console.warn(
		`[queue.test] SKIPPED: ${redisCheck.skip}. Install it (apt-get install -y redis-server) to run the queue-mode test.`,
	);
}
const describeQueue = redisCheck.skip ? describe.skip : describe;

const workflow = queue.webhookWorkflow(WORKFLOW_ID, WEBHOOK_PATH, [
	{
		name: 'Push',
		parameters: {
			resource: 'push',
			operation: 'send',
			api: 'timpush',
			audience: 'tags',
			tagsOr: TAG,
			notificationTitle: 'Scale-out',
			notificationText: '={{ $json.body.text }}',
			message: 'none',
		},
	},
]);

describeQueue.each(VERSIONS)('real n8n %s queue mode, two workers', (version) => {
	let emu;
	let ctx;
	let redis;
	let cluster;
	let session;
	/** Seconds spent in each setup step, printed with the results. */
	const setup = {};
	const timed = async (name, step) => {
		const t0 = Date.now();
		try {
			return await step();
		} finally {
			setup[name] = Number(((Date.now() - t0) / 1000).toFixed(1));
		}
	};

	beforeAll(async () => {
		const install = await timed('n8n', () => installer.ensureN8n(version));
		const tarball = await timed('pack', () => sharedTarball());
		const redisBin = await timed('redisInstall', () =>
			queue.ensureRedisServer({ log: (m) => console.log(`[queue.test] ${m}`) }),
		);
		emu = await startEmulator({ host: '127.0.0.1', port: 0 }); // pushIntervalMs: 1000 (Tencent's)
		// Marks every process of this home for the reaper that stops them if jest is interrupted.
		ctx = queue.guard(await runner.createHome({ install, tarball }));
		await timed('import', async () => {
			await runner.importCredentials(ctx, [runner.emulatorCredential(emu)]);
			await runner.importWorkflows(ctx, [workflow]);
			await queue.publishWorkflow(ctx, WORKFLOW_ID);
		});
		redis = await timed('redis', () => queue.startRedis({ bin: redisBin }));
		cluster = await timed('cluster', () =>
			queue.startQueueCluster(ctx, redis, { workers: WORKERS, concurrency: 10 }),
		);
		session = await ownerSession(cluster.url, { apiKeyScopes: EXECUTION_SCOPES });
	}, INSTALL_TIMEOUT_MS);

	afterAll(async () => {
		// Everything started here is stopped even when a step failed; SIGKILL as the last resort.
		try {
			if (cluster) await cluster.stop();
		} finally {
			runner.killAll('SIGKILL');
			if (redis) await redis.stop();
			queue.killAll('SIGKILL');
			if (emu) await emu.stop();
			if (ctx && !process.env.E2E_KEEP_HOME) ctx.remove();
		}
	}, 60_000);

	test(`${EXECUTIONS} concurrent webhook executions all succeed, pushes arrive > 1 s apart`, async () => {
		await emu.reset();
		const t0 = Date.now();
		const responses = await Promise.all(
			Array.from({ length: EXECUTIONS }, async (_, i) => {
				const { status, json } = await httpJson('POST', `${cluster.url}/webhook/${WEBHOOK_PATH}`, {
					body: { seq: i, text: messageFor(i) },
				});
				return { i, status, json };
			}),
		);
		const wallMs = Date.now() - t0;

		// What the emulator saw: every timpush/push request, in arrival order (emulator clock).
		const pushRequests = emu.state.requestLog
			.filter((e) => e.service === 'timpush' && e.command === 'push')
			.sort((a, b) => a.time - b.time || a.seq - b.seq);
		const accepted = pushRequests.filter((e) => e.errorCode === 0);
		const rejected90024 = pushRequests.filter((e) => e.errorCode === 90024);
		const tasks = emu.state.taskList().sort((a, b) => a.createdAt - b.createdAt);
		const gaps = tasks.slice(1).map((t, k) => t.createdAt - tasks[k].createdAt);
		const acceptedGaps = accepted.slice(1).map((e, k) => e.time - accepted[k].time);
		const perWorker = cluster.workers.map((w) => w.executionIds().length);
		const attempts = responses.map((r) => r.json?.attempts);
		const summary = {
			version,
			executions: EXECUTIONS,
			succeeded: responses.filter((r) => r.status === 200 && r.json?.taskId).length,
			executionsPerWorker: perWorker,
			pushRequests: pushRequests.length,
			accepted: accepted.length,
			answers90024: rejected90024.length,
			otherErrors: pushRequests
				.filter((e) => e.errorCode !== 0 && e.errorCode !== 90024)
				.map((e) => e.errorCode ?? `HTTP ${e.httpStatus}`),
			minGapMs: gaps.length ? Math.min(...gaps) : null,
			maxGapMs: gaps.length ? Math.max(...gaps) : null,
			firstToLastPushMs: tasks.length
				? tasks[tasks.length - 1].createdAt - tasks[0].createdAt
				: null,
			attemptsHistogram: attempts.reduce((h, a) => ((h[a] = (h[a] || 0) + 1), h), {}),
			wallMs,
			setupSeconds: { ...setup, processes: cluster.timings },
		};
		console.log(`[queue.test] ${JSON.stringify(summary)}`);

		// Every webhook call answered with its push's result.
		for (const r of responses) {
			if (r.status !== 200 || !r.json?.taskId) {
				throw new Error(
					`execution ${r.i} failed: HTTP ${r.status} ${JSON.stringify(r.json)}\n` +
						`summary: ${JSON.stringify(summary)}\n` +
						cluster.workers.map((w, k) => `--- worker ${k}\n${w.output().slice(-4000)}`).join('\n'),
				);
			}
		}
		expect(new Set(responses.map((r) => r.json.taskId)).size).toBe(EXECUTIONS);

		// Both workers ran executions; the main ran none (it only enqueues in queue mode).
		expect(perWorker.every((n) => n > 0)).toBe(true);
		expect(perWorker.reduce((a, b) => a + b, 0)).toBe(EXECUTIONS);
		expect(cluster.main.output()).not.toMatch(/Worker started execution/);

		// Exactly one push per execution reached the app, each with its own message.
		expect(accepted).toHaveLength(EXECUTIONS);
		expect(tasks).toHaveLength(EXECUTIONS);
		expect(emu.state.counters.pushesAccepted).toBe(EXECUTIONS);
		expect(tasks.map((t) => t.content.offlinePushInfo?.Desc).sort()).toEqual(
			Array.from({ length: EXECUTIONS }, (_, i) => messageFor(i)),
		);
		expect(tasks.every((t) => t.audience.type === 'tags')).toBe(true);
		expect(new Set(tasks.map((t) => t.taskId))).toEqual(
			new Set(responses.map((r) => r.json.taskId)),
		);

		// Arrival times recorded by the emulator: more than 1 s apart, by task and by request log.
		for (const gap of [...gaps, ...acceptedGaps]) expect(gap).toBeGreaterThan(1000);

		// Nothing but 90024 went wrong, and every 90024 was retried by the node: the extra attempts
		// the executions report are exactly the 90024 answers.
		expect(summary.otherErrors).toEqual([]);
		expect(attempts.reduce((a, b) => a + b, 0) - EXECUTIONS).toBe(rejected90024.length);
		expect(emu.state.counters.invalidRequests).toBe(0);

		// n8n's own record: 20 successful executions of the workflow.
		const executions = await listExecutions(session.api, WORKFLOW_ID);
		expect(executions).toHaveLength(EXECUTIONS);
		expect(executions.map((e) => e.status)).toEqual(Array(EXECUTIONS).fill('success'));
		expect(executions.every((e) => e.mode === 'webhook')).toBe(true);
	});
});
