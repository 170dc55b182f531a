'use strict';
/**
 * The recipes of examples/recipes/ (event-driven workflows) in a real n8n in server mode, from the
 * packed tarball, against the emulator: each is published and driven from outside as in
 * `npm run demo` (test/e2e/harness/recipes.js), and the outcome is checked on the emulator: who received
 * what, which tags and attributes changed, one push for a webhook delivered twice, the scheduled task
 * and the delivery report built from the trigger's callbacks, the AI agent's tag lookup and push.
 */
const { VERSIONS, INSTALL_TIMEOUT_MS, sharedTarball, installer, runner } = require('./helpers');
const recipes = require('./harness/recipes');
const { startEmulator } = require('../../emulator');

jest.setTimeout(180_000);

const APP = runner.DEMO_APP.sdkAppId;
const all = recipes.loadRecipes();
const recipients = (task) => task.deliveries.map((d) => d.userId).sort();
const commands = (emu, command) => emu.state.requestLog.filter((e) => e.command === command);

test('every recipe has a sticky note, a trigger from outside (no Manual Trigger) and the demo credential', () => {
	expect(all.map((r) => r.file).sort()).toEqual([
		'ai-agent-push-tool.json',
		'crm-segment-sync.json',
		'order-event-push.json',
		'scheduled-campaign-report.json',
	]);
	for (const { workflow } of all) {
		expect(workflow.id.length).toBeLessThanOrEqual(21);
		expect(
			workflow.nodes.some(
				(n) => n.type === 'n8n-nodes-base.stickyNote' && n.parameters.content.length > 200,
			),
		).toBe(true);
		expect(workflow.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger')).toBe(false);
		const ours = workflow.nodes.filter((n) => n.type.startsWith(`${runner.PACKAGE}.`));
		expect(ours.length).toBeGreaterThan(0);
		for (const node of ours)
			expect(node.credentials).toEqual({ tencentChatApi: runner.DEMO_CREDENTIAL });
	}
});

describe.each(VERSIONS)('recipes on real n8n %s (server mode, driven from outside)', (version) => {
	let emu;
	let ctx;
	let env;

	beforeAll(async () => {
		const install = installer.ensureN8n(version);
		const tarball = sharedTarball();
		emu = await startEmulator({ host: '127.0.0.1', port: 0 });
		ctx = await runner.createHome({ install, tarball });
		await runner.importCredentials(ctx, [runner.emulatorCredential(emu)]);
		env = await recipes.startRecipes({ ctx, emu });
	}, INSTALL_TIMEOUT_MS);

	afterAll(async () => {
		if (env) await env.stop();
		runner.killAll('SIGKILL');
		if (emu) await emu.stop();
		if (ctx && !process.env.E2E_KEEP_HOME) ctx.remove();
	});

	test('CRM segment sync: HubSpot contact events become tags and attributes in batched requests; the daily push reaches the segment', async () => {
		await emu.reset();
		const r = await recipes.driveCrm(env);
		expect(r.response.status).toBe(200);
		expect(r.execution.status).toBe('success');
		const user = (id) => emu.state.userView(APP, id);
		expect(user('heidi').tags).toEqual(['vip', 'stage-customer']);
		expect(user('heidi').attrs).toEqual({ city: 'Berlin', language: 'de' });
		expect(user('ivan').tags).toEqual(['beta', 'vip']);
		expect(user('ivan').attrs.language).toBe('en');
		expect(user('grace').attrs.level).toBe('gold');
		// Nobody else changed (contact 4242 has no app account and is skipped).
		const changed = [...r.after.keys()].filter(
			(id) => JSON.stringify(r.after.get(id)) !== JSON.stringify(r.before.get(id)),
		);
		expect(changed.sort()).toEqual(['grace', 'heidi', 'ivan']);
		// Three users' attributes in one request; tags in at most one request per distinct tag set.
		expect(commands(emu, 'set_attr')).toHaveLength(1);
		expect(commands(emu, 'add_tag').length).toBeLessThanOrEqual(2);

		expect(r.dailyExecution.status).toBe('success');
		expect(r.dailyTasks).toHaveLength(1);
		expect(recipients(r.dailyTasks[0])).toEqual(['alice', 'bob', 'erin', 'heidi', 'ivan', 'judy']);
		expect(r.dailyTasks[0].audience.condition).toEqual({ TagsOr: ['vip'] });
		expect(r.dailyPush[0]).toMatchObject({
			taskId: r.dailyTasks[0].taskId,
			idempotencyKey: expect.stringMatching(/^vip-daily-\d{4}-\d\d-\d\d$/),
		});
	});

	test('order webhook: delivered twice, pushed once to that customer; a refused push answers 502 from the error branch', async () => {
		await emu.reset();
		const r = await recipes.driveOrder(env);
		expect(r.tasks).toHaveLength(1);
		const [task] = r.tasks;
		expect(recipients(task)).toEqual(['carol']);
		expect(task.content.offlinePushInfo).toEqual({
			Title: 'Your order is on its way',
			Desc: 'Order #1042 has shipped.',
		});
		expect(task.content.dataId).toBe(String(r.event.data.order_id));
		expect(r.deliveries.map((d) => d.status)).toEqual([200, 200]);
		expect(r.deliveries[0].body).toEqual({
			eventId: r.event.id,
			pushed: true,
			duplicate: false,
			taskId: task.taskId,
		});
		expect(r.deliveries[1].body).toEqual({
			eventId: r.event.id,
			pushed: false,
			duplicate: true,
			taskId: task.taskId,
		});
		expect(commands(emu, 'batch')).toHaveLength(2); // the order, and the refused one below

		expect(r.failed.status).toBe(502);
		expect(r.failed.body).toEqual({
			eventId: r.failedEvent.id,
			pushed: false,
			error: expect.stringContaining('Tencent error 70107'),
			advice: expect.stringContaining('Import the account'),
		});
		expect(r.failed.errorOutput).toHaveLength(1);
		expect(r.tasksAfterFailure).toHaveLength(1);
	});

	test('AI agent: the model calls Get User Tags, then Send Push to User; the push reaches that user, worded by the tags', async () => {
		await emu.reset();
		const r = await recipes.driveAgent(env);
		expect(r.status).toBe(200);
		expect(r.modelRequests.map((q) => q.step.toolCall?.name ?? 'answer')).toEqual([
			'Get_User_Tags',
			'Send_Push_to_User',
			'answer',
		]);
		// What n8n offered the model: our node as two tools, with the $fromAI fields as parameters.
		const offered = Object.fromEntries(
			r.modelRequests[0].body.tools.map((t) => [
				t.function.name,
				Object.keys(t.function.parameters.properties).sort(),
			]),
		);
		expect(offered).toEqual({
			Get_User_Tags: ['userId'],
			Send_Push_to_User: ['text', 'title', 'userId'],
		});
		// The tool's real output (from the emulator) went back to the model.
		const toolMessage = r.modelRequests[1].body.messages.find((m) => m.role === 'tool');
		expect(String(toolMessage.content)).toMatch(/"vip"/);
		expect(r.tagLookups).toEqual([
			expect.objectContaining({ output: [{ account: 'alice', tags: ['vip', 'beta'] }] }),
		]);
		expect(r.tasks).toHaveLength(1);
		expect(recipients(r.tasks[0])).toEqual(['alice']);
		expect(r.tasks[0].content.offlinePushInfo.Title).toBe('VIP: your order update');
		expect(r.answer.output).toContain(r.tasks[0].taskId);
	});

	// Last: it moves the emulator's clock by up to a day.
	test('scheduled campaign: a scheduled push for the next 10:00 in Asia/Shanghai; its delivery callbacks build the report', async () => {
		await emu.reset();
		const startedAt = Date.now();
		const r = await recipes.driveCampaign(env);
		// The next 10:00 in Shanghai (UTC+8, no daylight saving) at least 15 minutes ahead, computed here.
		const earliest = startedAt + 15 * 60_000;
		const day = new Date(earliest + 8 * 3_600_000);
		let expected = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 2, 0, 0);
		if (expected < earliest) expected += 24 * 3_600_000;
		expect(Date.parse(r.created.sendAt)).toBe(expected);
		expect(r.created).toMatchObject({
			type: 'Tag',
			status: 'pending',
			audience: 'users tagged with any of "newsletter"',
		});
		expect(r.pendingStatus).toBe('pending');
		expect(r.schedTask.status).toBe('dispatched');

		const delivered = r.pushTask.deliveries;
		expect(delivered.map((d) => d.userId).sort()).toEqual(['erin', 'frank', 'grace']);
		expect(r.callbackBatches.length).toBeGreaterThan(0);
		expect(r.callbackBatches.every((b) => b.status === 'delivered')).toBe(true);
		expect(r.report).toMatchObject({
			taskId: r.pushTask.taskId,
			online: delivered.filter((d) => d.channel === 'online').length,
			offline: delivered.filter((d) => d.channel !== 'online').length,
			failed: 0,
		});
		expect([...(r.report?.recipients ?? [])].sort()).toEqual(['erin', 'frank', 'grace']);
		expect(r.reportOutputs.at(-1)).toMatchObject({ taskId: r.pushTask.taskId, reached: 3 });
	});
});
