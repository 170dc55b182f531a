'use strict';
/**
 * Reports, schedules and callbacks end to end in real n8n, for each supported n8n version: push
 * statistics, traces, Wait for Report, scheduled pushes (CRUD, their errors, and dispatch when the emulator's clock passes
 * their time), and the Tencent Chat Push Trigger receiving the emulator's push callbacks in server
 * mode. The emulator runs in this process with deliveries settling over a few hundred ms.
 *
 * One n8n home per version: `n8n execute` runs first, then the same database is served by
 * `n8n start` (execute never runs while the server holds the database).
 */
const crypto = require('crypto');
const {
	VERSIONS,
	INSTALL_TIMEOUT_MS,
	sharedTarball,
	chainWorkflow,
	installer,
	runner,
} = require('./helpers');
const {
	http,
	introspection,
	figuresFromDeliveries,
	sumFigures,
	waitFor,
	publishWorkflows,
	executionItems,
	triggerWorkflow,
	webhookWorkflow,
	waitForTriggerWebhook,
} = require('./observe');
const { EXECUTION_SCOPES, listExecutions, ownerSession } = require('./harness/n8n-rest');
const { startEmulator } = require('../../emulator');
const { pushPlatformOf } = require('../../emulator/platforms');

jest.setTimeout(180_000);

const SDK_APP_ID = runner.DEMO_APP.sdkAppId;
const DELIVERY_DELAY_MS = 300;
const notification = (title) => ({
	notificationTitle: title,
	notificationText: 'E2E statistics and schedules',
});
const op = (name, resource, operation, parameters = {}, extra = {}) => ({
	name,
	parameters: { resource, operation, ...parameters },
	...extra,
});
const inMinutes = (minutes) => `={{ $now.plus({ minutes: ${minutes} }).toISO() }}`;

const SCHED_TITLE = 'E2E i8 scheduled';
const DISPATCH_TITLE = 'E2E i8 dispatch';
const DISPATCH_IN_MINUTES = 2;

/** Workflows of one version; the emulator's URL is known only once it listens. */
function buildWorkflows(emulatorUrl) {
	// Unsigned on purpose: the emulator's clock is advanced by the scheduled-push tests before server
	// mode, and a signed callback's RequestTime follows that clock (callback-auth.test.js proves signed ones).
	const trigger = triggerWorkflow('i8Trigger0000001', 'e2e i8 push callbacks', {
		events: ['Push.AllMemberPush'],
		callbackAuthentication: 'none',
	});
	const pusherPath = `i8-push-${crypto.randomUUID().slice(0, 8)}`;
	const pusher = webhookWorkflow(
		'i8Pusher00000001',
		'e2e i8 pusher',
		pusherPath,
		'lastNode',
		[
			{
				name: 'Push',
				parameters: {
					resource: 'push',
					operation: 'send',
					api: 'timpush',
					audience: 'all',
					...notification('E2E i8 server push'),
					message: 'none',
				},
			},
		],
		{ executeOnce: true },
	);
	const clicksUrl = `=${emulatorUrl}/_emulator/apps/${SDK_APP_ID}/tasks/{{ $('Push').first().json.taskId }}/clicks`;
	return {
		trigger,
		pusher,
		pusherPath,
		// Push (by tag) → Push (all, Wait for Report) → clicks (emulator hook) → statistics → traces.
		stats: chainWorkflow('i8Stats000000001', [
			op('Push', 'push', 'send', {
				api: 'timpush',
				audience: 'tags',
				tagsOr: 'vip',
				...notification('E2E i8 vip'),
				message: 'none',
			}),
			op('Push And Wait', 'push', 'send', {
				api: 'timpush',
				audience: 'all',
				...notification('E2E i8 all'),
				message: 'text',
				messageText: 'hello from the statistics test',
				options: { waitForReport: true, reportQuietPeriod: 5, reportTimeout: 30 },
			}),
			{
				name: 'Clicks',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url: clicksUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '{"users": ["alice", "bob"]}',
					options: {},
				},
			},
			op('Statistics', 'push', 'getStatistics', {
				statisticsFilter: 'taskIds',
				taskIds: "={{ [$('Push').first().json.taskId, $('Push And Wait').first().json.taskId] }}",
				statisticsOutput: 'summary',
			}),
			op('Statistics Per Task', 'push', 'getStatistics', {
				statisticsFilter: 'taskIds',
				taskIds:
					"={{ $('Push').first().json.taskId }}, {{ $('Push And Wait').first().json.taskId }}",
				statisticsOutput: 'tasks',
			}),
			op('Trace Bob', 'push', 'traceUser', {
				traceTaskId: "={{ $('Push').first().json.taskId }}",
				traceUserId: 'bob',
			}),
			op('Trace Grace', 'push', 'traceUser', {
				traceTaskId: "={{ $('Push').first().json.taskId }}",
				traceUserId: 'grace',
			}),
		]),
		// Scheduled Push: Create → Get → Get Many → Update → Get → Delete → errors → Get Many.
		sched: chainWorkflow('i8Sched000000001', [
			op('Create', 'scheduledPush', 'create', {
				sendAt: inMinutes(30),
				audience: 'tags',
				tagsOr: 'vip',
				...notification(SCHED_TITLE),
				message: 'none',
			}),
			op('Get', 'scheduledPush', 'get', { schedTaskId: "={{ $('Create').first().json.taskId }}" }),
			op('Get Many', 'scheduledPush', 'getAll', { limit: 10, filters: { keyword: SCHED_TITLE } }),
			op('Update', 'scheduledPush', 'update', {
				schedTaskId: "={{ $('Create').first().json.taskId }}",
				sendAt: inMinutes(45),
				updateContent: true,
				audience: 'tags',
				tagsOr: 'vip, beta',
				...notification(`${SCHED_TITLE} (updated)`),
				message: 'none',
			}),
			op('Get After Update', 'scheduledPush', 'get', {
				schedTaskId: "={{ $('Create').first().json.taskId }}",
			}),
			op('Delete', 'scheduledPush', 'delete', {
				schedTaskId: "={{ $('Create').first().json.taskId }}",
			}),
			op(
				'Get Deleted',
				'scheduledPush',
				'get',
				{ schedTaskId: "={{ $('Create').first().json.taskId }}" },
				{ continueOnFail: true },
			),
			op(
				'Create In The Past',
				'scheduledPush',
				'create',
				{
					sendAt: inMinutes(-60),
					audience: 'all',
					...notification(`${SCHED_TITLE} past`),
					message: 'none',
				},
				{ continueOnFail: true },
			),
			// Last: it outputs no item, which would stop the chain.
			op('Get Many After Delete', 'scheduledPush', 'getAll', {
				limit: 10,
				filters: { keyword: SCHED_TITLE },
			}),
		]),
		dispatchCreate: chainWorkflow('i8DispatchCreate', [
			op('Create', 'scheduledPush', 'create', {
				sendAt: inMinutes(DISPATCH_IN_MINUTES),
				audience: 'tags',
				tagsOr: 'vip',
				...notification(DISPATCH_TITLE),
				message: 'none',
			}),
		]),
		// Run after the emulator's clock passed the task's time (n8n's own clock did not move).
		dispatchCheck: chainWorkflow('i8DispatchCheck1', [
			op('Get Many', 'scheduledPush', 'getAll', { limit: 1, filters: { keyword: DISPATCH_TITLE } }),
			op('Get', 'scheduledPush', 'get', { schedTaskId: '={{ $json.taskId }}' }),
			op(
				'Update',
				'scheduledPush',
				'update',
				{ schedTaskId: "={{ $('Get').first().json.taskId }}", sendAt: inMinutes(60) },
				{ continueOnFail: true },
			),
			op(
				'Delete',
				'scheduledPush',
				'delete',
				{ schedTaskId: "={{ $('Get').first().json.taskId }}" },
				{ continueOnFail: true },
			),
			// The emulator's clock runs ahead of n8n's here, so the window is given, reaching past it.
			op('Statistics', 'push', 'getStatistics', {
				statisticsFilter: 'both',
				taskIds: "={{ $('Get').first().json.pushTaskId }}",
				startTime: inMinutes(-60),
				endTime: inMinutes(DISPATCH_IN_MINUTES + 10),
				statisticsOutput: 'summary',
			}),
			// n8n's clock says in 1 minute; the emulator's (Tencent's) clock is past that already.
			op(
				'Create Behind Tencent Clock',
				'scheduledPush',
				'create',
				{
					sendAt: inMinutes(1),
					audience: 'all',
					...notification(`${DISPATCH_TITLE} late`),
					message: 'none',
				},
				{ continueOnFail: true },
			),
		]),
	};
}

describe.each(VERSIONS)('statistics, schedules and callbacks in real n8n %s', (version) => {
	let emu;
	let emuApi;
	let ctx;
	let wf;
	let server;
	let session;
	const results = {};

	async function run(key, { reset = true } = {}) {
		if (reset) await emu.reset();
		const r = await runner.executeWorkflow(ctx, wf[key].id);
		r.counters = await emuApi.get('/counters');
		return r;
	}
	async function okRun(key, opts) {
		const r = await run(key, opts);
		if (!r.ok)
			throw new Error(
				`workflow ${key} failed at ${r.lastNode}: ${r.error?.message}\n${r.output.slice(-3000)}`,
			);
		return r;
	}
	const once = (key, fn) => (results[key] ??= fn());
	const items = (r, node) => {
		const out = runner.itemsOf(r.run, node);
		if (!out)
			throw new Error(`node "${node}" did not run: ${r.error?.message ?? r.output.slice(-3000)}`);
		return out;
	};

	beforeAll(async () => {
		const install = installer.ensureN8n(version);
		const tarball = sharedTarball();
		emu = await startEmulator({
			host: '127.0.0.1',
			port: 0,
			config: { deliveryDelayMs: DELIVERY_DELAY_MS },
		});
		emuApi = introspection(emu.url);
		ctx = await runner.createHome({ install, tarball });
		wf = buildWorkflows(emu.url);
		await runner.importCredentials(ctx, [runner.emulatorCredential(emu)]);
		await runner.importWorkflows(ctx, [
			wf.stats,
			wf.sched,
			wf.dispatchCreate,
			wf.dispatchCheck,
			wf.trigger,
			wf.pusher,
		]);
		// Activation is stored in the database; `n8n start` (the last tests) picks it up.
		await publishWorkflows(ctx, [wf.trigger.id, wf.pusher.id]);
	}, INSTALL_TIMEOUT_MS);

	afterAll(async () => {
		if (server) await server.stop().catch(() => {});
		runner.killAll('SIGKILL');
		if (emu) await emu.stop();
		if (ctx && !process.env.E2E_KEEP_HOME) ctx.remove();
	});

	describe('n8n execute', () => {
		const stats = () =>
			once('stats', async () => {
				const r = await okRun('stats');
				const [push] = items(r, 'Push');
				const [pushAndWait] = items(r, 'Push And Wait');
				r.records = {
					push: await emuApi.task(push.taskId),
					pushAndWait: await emuApi.task(pushAndWait.taskId),
				};
				r.now = emu.clock.now();
				return r;
			});

		test('Send with Wait for Report settles and reports the delivery records', async () => {
			const r = await stats();
			const [out] = items(r, 'Push And Wait');
			expect(out).toMatchObject({ api: 'v4/timpush/push', taskId: r.records.pushAndWait.taskId });
			const expected = figuresFromDeliveries(r.records.pushAndWait.deliveries, r.now);
			// Every delivery that went out settled (DELIVERY_DELAY_MS), so the wait ended on "delivered".
			expect(expected.deliveredCount).toBe(expected.sentCount);
			expect(expected.sentCount).toBeGreaterThan(0);
			expect(out.report).toMatchObject({ settled: true, settledBy: 'delivered', ...expected });
			expect(out.report.polls).toBeGreaterThanOrEqual(2);
			expect(out.report.waitedSeconds).toBeLessThan(30);
		});

		test('Get Statistics equals the delivery records of pushes made in the same workflow', async () => {
			const r = await stats();
			const perTask = {
				push: figuresFromDeliveries(r.records.push.deliveries, r.now),
				pushAndWait: figuresFromDeliveries(r.records.pushAndWait.deliveries, r.now),
			};
			// The clicks hook (HTTP Request node) ran: alice and bob clicked the vip push.
			expect(items(r, 'Clicks')[0]).toMatchObject({ clicked: ['alice', 'bob'], clickCount: 2 });
			expect(perTask.push).toMatchObject({ totalCount: 4, clickCount: 2 });
			expect(r.records.push.deliveries.map((d) => d.userId).sort()).toEqual([
				'alice',
				'bob',
				'erin',
				'judy',
			]);

			const [summary] = items(r, 'Statistics');
			expect(summary).toMatchObject({
				api: 'v4/timpush/all_member_push_statistics',
				requests: 1,
				...sumFigures([perTask.push, perTask.pushAndWait]),
			});
			const byId = (a, b) => (a.taskId < b.taskId ? -1 : 1);
			expect([...summary.tasks].sort(byId)).toEqual(
				[
					{ taskId: r.records.push.taskId, ...perTask.push },
					{ taskId: r.records.pushAndWait.taskId, ...perTask.pushAndWait },
				].sort(byId),
			);

			const byTask = Object.fromEntries(items(r, 'Statistics Per Task').map((t) => [t.taskId, t]));
			expect(Object.keys(byTask).sort()).toEqual(
				[r.records.push.taskId, r.records.pushAndWait.taskId].sort(),
			);
			expect(byTask[r.records.push.taskId]).toMatchObject(perTask.push);
			expect(byTask[r.records.pushAndWait.taskId]).toMatchObject(perTask.pushAndWait);
		});

		test("Trace User: the recipient's delivery, and an empty trace for a non-recipient", async () => {
			const r = await stats();
			const bob = r.records.push.deliveries.find((d) => d.userId === 'bob');
			const [trace] = items(r, 'Trace Bob');
			expect(trace).toMatchObject({
				api: 'v4/timpush/all_member_push_trace',
				taskId: r.records.push.taskId,
				userId: 'bob',
				found: true,
			});
			expect(trace.instances).toHaveLength(1);
			expect(trace.instances[0]).toMatchObject({
				EventType: bob.channel === 'online' ? 2 : 1, // bob is offline in the fixture
				PushPlatform: pushPlatformOf(bob),
				channel: bob.channel === 'online' ? 'online' : 'offline',
				platform: expect.any(String),
			});
			expect(items(r, 'Trace Grace')).toEqual([
				expect.objectContaining({ userId: 'grace', found: false, instances: [] }),
			]);
			expect(r.counters.requests['timpush/all_member_push_trace']).toBe(2);
			expect(r.counters.limitRejections ?? 0).toBe(0);
		});

		const sched = () => once('sched', () => okRun('sched'));

		test('Scheduled Push Create, Get, Get Many, Update, Delete', async () => {
			const r = await sched();
			const [created] = items(r, 'Create');
			expect(created).toMatchObject({
				taskId: expect.stringMatching(/^\d+$/),
				type: 'Tag',
				status: 'pending',
				sendAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
				api: 'v4/timpush/add_sched_task',
			});
			// One send time per result: sendAt (ISO 8601, UTC); Tencent's SchedAt text is not repeated.
			expect(created).not.toHaveProperty('schedAt');
			const minutesAhead = (sendAt) => (Date.parse(sendAt) - Date.now()) / 60_000;
			expect(minutesAhead(created.sendAt)).toBeGreaterThan(25);
			expect(minutesAhead(created.sendAt)).toBeLessThanOrEqual(30);

			expect(items(r, 'Get')).toEqual([
				expect.objectContaining({
					taskId: created.taskId,
					type: 'Tag',
					status: 'pending',
					title: SCHED_TITLE,
					pushTaskId: '',
					content: expect.objectContaining({ Condition: { TagsOr: ['vip'] } }),
				}),
			]);
			// The push goes out at SchedAt, to the second (Create reports Send At with its milliseconds).
			expect(Math.floor(Date.parse(created.sendAt) / 1000) * 1000).toBe(
				Date.parse(items(r, 'Get')[0].sendAt),
			);
			expect(items(r, 'Get Many').map((t) => t.taskId)).toEqual([created.taskId]);

			const [updated] = items(r, 'Update');
			expect(updated).toMatchObject({
				taskId: created.taskId,
				updated: true,
				contentUpdated: true,
			});
			expect(minutesAhead(updated.sendAt)).toBeGreaterThan(40);
			expect(items(r, 'Get After Update')[0]).toMatchObject({
				taskId: created.taskId,
				status: 'pending',
				sendAt: updated.sendAt,
				title: `${SCHED_TITLE} (updated)`,
				content: expect.objectContaining({ Condition: { TagsOr: ['vip', 'beta'] } }),
			});

			expect(items(r, 'Delete')).toEqual([
				expect.objectContaining({ taskId: created.taskId, deleted: true, type: 'Tag' }),
			]);
			// Gone from Tencent (the emulator) too: get answers 90104, listed nowhere.
			expect(items(r, 'Get Deleted')[0].error).toMatch(/^Tencent error 90104: /);
			expect(items(r, 'Get Many After Delete')).toEqual([]);
			expect(r.counters.schedTasks).toMatchObject({
				added: 1,
				modified: 1,
				deleted: 1,
				dispatched: 0,
			});
		});

		test("a past Send At is refused with the node's 90104 message, before reaching Tencent", async () => {
			const r = await sched();
			const [failed] = items(r, 'Create In The Past');
			expect(failed.error).toMatch(
				/^Send At \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC is not in the future \(error 90104\)$/,
			);
			expect(failed.description).toMatch(/Nothing was sent to Tencent/);
			expect(r.counters.requests['timpush/add_sched_task']).toBe(1); // the valid Create only
		});
	});

	describe('a scheduled push fires when the emulator clock passes its time', () => {
		const dispatch = () =>
			once('dispatch', async () => {
				const created = await okRun('dispatchCreate');
				const [task] = items(created, 'Create');
				const before = await emuApi.schedTask(task.taskId);
				// Past SchedAt (whole minutes ahead, truncated to the second) plus the settling time.
				await emuApi.advanceClock((DISPATCH_IN_MINUTES + 1) * 60_000);
				const after = await emuApi.schedTask(task.taskId);
				const check = await run('dispatchCheck', { reset: false });
				return { created, task, before, after, check };
			});

		test('the emulator dispatches it: status dispatched, with a PushTaskID', async () => {
			const { task, before, after } = await dispatch();
			// The node gives taskId as text; Tencent's (and the emulator's) scheduled TaskID is an integer.
			expect(before.taskInfo).toMatchObject({
				TaskID: Number(task.taskId),
				Status: 'pending',
				PushTaskID: '',
			});
			expect(after.taskInfo).toMatchObject({
				TaskID: Number(task.taskId),
				Status: 'dispatched',
				DispatchSuccess: 1,
				PushTaskID: expect.stringMatching(/\S/),
			});
			const push = await emuApi.task(after.taskInfo.PushTaskID);
			expect(push).toMatchObject({ schedTaskId: Number(task.taskId), command: 'push' });
			expect(push.deliveries.map((d) => d.userId).sort()).toEqual(['alice', 'bob', 'erin', 'judy']);
		});

		test('Get in n8n reports it dispatched; Update fails with 90107, Delete with 90106', async () => {
			const { task, after, check } = await dispatch();
			expect(check.ok).toBe(true);
			expect(items(check, 'Get Many').map((t) => t.taskId)).toEqual([task.taskId]);
			expect(items(check, 'Get')).toEqual([
				expect.objectContaining({
					taskId: task.taskId,
					status: 'dispatched',
					dispatchSuccess: 1,
					pushTaskId: after.taskInfo.PushTaskID,
				}),
			]);
			const [update] = items(check, 'Update');
			expect(update.error).toBe(
				`Scheduled task ${task.taskId} cannot be updated: it is dispatched, not pending (error 90107)`,
			);
			expect(update.description).toContain(after.taskInfo.PushTaskID);
			expect(items(check, 'Delete')[0].error).toBe(
				`Scheduled task ${task.taskId} cannot be deleted: it is dispatched, not pending (error 90106)`,
			);
			// The dispatched push is an ordinary task in the statistics.
			expect(items(check, 'Statistics')[0]).toMatchObject({
				totalCount: 4,
				sentCount: 4,
				deliveredCount: 4,
				tasks: [expect.objectContaining({ taskId: after.taskInfo.PushTaskID })],
			});
			// Tencent's clock is ahead of n8n's: the node lets the time through, Tencent refuses it.
			expect(items(check, 'Create Behind Tencent Clock')[0]).toMatchObject({
				error: expect.stringMatching(/^Tencent error 90104: /),
				errorCode: 90104,
			});
			expect(check.counters.requests['timpush/modify_sched_task'] ?? 0).toBe(0);
			expect(check.counters.requests['timpush/delete_sched_task'] ?? 0).toBe(0);
		});
	});

	describe('server mode: the trigger receives the callbacks of a push made by another workflow', () => {
		const serve = () =>
			once('server', async () => {
				await emu.reset();
				server = await runner.startServer(ctx);
				session = await ownerSession(server.url, { apiKeyScopes: EXECUTION_SCOPES });
				const triggerNode = wf.trigger.nodes[0];
				const triggerUrl = `${server.url}/webhook/${triggerNode.webhookId}/tencent-chat-push`;
				await waitForTriggerWebhook(triggerUrl, server);
				await emuApi.configure({ callbackUrl: triggerUrl });
				// The pushing workflow runs through its production webhook (activated with the trigger).
				let last;
				const pushed = await waitFor(
					async () => {
						last = await http('POST', `${server.url}/webhook/${wf.pusherPath}`, { body: {} });
						return last.status === 200 ? last : null;
					},
					{ timeoutMs: 30_000, intervalMs: 500, what: "the pushing workflow's webhook" },
				).catch((err) => {
					err.message += `: last answer HTTP ${last?.status} ${last?.text}\n${server.output().slice(-3000)}`;
					throw err;
				});
				const taskId = pushed.json.taskId;
				const record = await emuApi.task(taskId);
				// One event per recipient whose device the push reached (a refused token gets none).
				const sent = record.deliveries
					.filter((d) => d.deliveredAt !== null)
					.map((d) => d.userId)
					.sort();
				// Every callback batch delivered, then every trigger execution saved.
				const callbacks = await waitFor(
					async () => {
						const c = await emuApi.callbacks(taskId);
						const events = c.callbacks.reduce((n, b) => n + b.events.length, 0);
						return events === sent.length && c.callbacks.every((b) => b.status === 'delivered')
							? c
							: null;
					},
					{ what: 'the emulator to deliver every callback' },
				);
				const executions = await waitFor(
					async () => {
						const list = await listExecutions(session.api, wf.trigger.id, { includeData: true });
						const n = list.flatMap((e) => executionItems(e, triggerNode.name)).length;
						return n >= sent.length && list.every((e) => e.finished || e.status === 'success')
							? list
							: null;
					},
					{ what: "the trigger workflow's executions" },
				);
				return { triggerUrl, pushed, taskId, record, sent, callbacks, executions };
			});

		test("one trigger output item per delivered recipient, with the push's TaskId", async () => {
			const { pushed, taskId, sent, callbacks, executions } = await serve();
			expect(pushed.json).toMatchObject({
				api: 'v4/timpush/push',
				taskId: expect.stringMatching(/\S/),
			});
			// All 13 accounts of the demo app but the 3 whose devices lose the push (no token, no certificate, token refused).
			expect(sent.length).toBe(10);
			const out = executions.flatMap((e) => executionItems(e, 'Push Callbacks'));
			expect(out.map((i) => i.userId).sort()).toEqual(sent);
			for (const item of out) {
				// Readable fields, times as ISO 8601 with their zone, Tencent's event under raw.
				expect(item).toMatchObject({
					event: 'All-member push result',
					taskId,
					stage: 'reached',
					succeeded: true,
					channel: expect.stringMatching(/^(offline|online)$/),
					platform: expect.any(String),
					eventTime: expect.stringMatching(
						/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[-+]\d\d:\d\d)$/,
					),
					raw: expect.objectContaining({
						CallbackCommand: 'Push.AllMemberPush',
						TaskId: taskId,
						PushStage: 2,
						ErrCode: 0,
						EventType: expect.any(Number),
					}),
				});
				expect(Date.parse(item.eventTime)).toBe(item.raw.EventTime * 1000);
			}
			// One execution per callback request.
			expect(executions).toHaveLength(callbacks.callbacks.length);
		});

		// n8n answers an "onReceived" webhook call that starts an execution with the webhook
		// description's responseData (default: the text "firstEntryJson"), not with the node's
		// webhookResponse; the trigger must set responseData for Tencent to get its envelope.
		test("each callback that starts an execution is answered with Tencent's OK envelope", async () => {
			const { callbacks } = await serve();
			for (const batch of callbacks.callbacks) {
				expect(batch.attempts).toHaveLength(1);
				expect(batch.attempts[0]).toMatchObject({
					httpStatus: 200,
					response: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' },
				});
			}
		});

		test('a callback for another SdkAppid gets a failure envelope (HTTP 403) and starts no execution', async () => {
			const { triggerUrl, taskId, executions } = await serve();
			const res = await http(
				'POST',
				`${triggerUrl}?SdkAppid=1400000999&CallbackCommand=Push.AllMemberPush&contenttype=json`,
				{
					body: {
						Events: [
							{
								CallbackCommand: 'Push.AllMemberPush',
								EventType: 2,
								TaskId: taskId,
								TaskTime: 1750000000,
								EventTime: 1750000001,
								To_Account: 'alice',
								PushPlatform: 0,
								PushStage: 1,
								ErrCode: 0,
								ErrInfo: 'OK',
							},
						],
					},
				},
			);
			expect(res.status).toBe(403);
			expect(res.json).toEqual({
				ActionStatus: 'FAIL',
				ErrorCode: 1,
				ErrorInfo: expect.stringContaining('1400000999'),
			});
			// Give a wrongly started execution time to be saved before counting.
			await new Promise((r) => setTimeout(r, 1500));
			expect(await listExecutions(session.api, wf.trigger.id, { includeData: true })).toHaveLength(
				executions.length,
			);
		});
	});
});
