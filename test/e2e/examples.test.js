'use strict';
/**
 * The workflows of examples/ (what users import, and what `npm run demo` runs) work as shipped
 * on every supported n8n version, each on a freshly reset emulator.
 */
const { VERSIONS, INSTALL_TIMEOUT_MS, sharedTarball, installer, runner } = require('./helpers');
const { startEmulator } = require('../../emulator');

jest.setTimeout(120_000);

const examples = runner.loadExamples();

/** What each example must have done on the emulator. */
const EXPECT = {
	'01-push-to-all-users.json': (emu) => expect(emu.state.taskList()[0].deliveries).toHaveLength(12),
	'02-push-by-tags.json': (emu) => expect(recipients(emu)).toEqual(['erin', 'judy']),
	'03-push-by-attributes.json': (emu) => expect(recipients(emu)).toEqual(['alice', 'dave']),
	'04-push-to-named-users.json': (emu) =>
		expect(recipients(emu)).toEqual(['alice', 'bob', 'carol']),
	'05-tag-users-from-list.json': (emu) =>
		expect(user(emu, 'heidi').tags).toEqual(['spring-sale', 'germany']),
	'06-set-user-attributes.json': (emu) =>
		expect(user(emu, 'mallory').attrs).toEqual({ level: 'bronze', city: 'Paris' }),
	'07-dry-run.json': (emu) => expect(emu.state.taskList()).toHaveLength(0),
	'08-push-then-recall.json': (emu) => expect(emu.state.taskList()[0].status).toBe('revoked'),
	'09-delivery-losses.json': (emu, r) => {
		const [task] = emu.state.taskList();
		expect(runner.itemsOf(r.run, 'Get Delivery Losses')).toEqual([
			expect.objectContaining({
				taskId: task.taskId,
				found: true,
				lostBeforeSending: 2,
				lostAfterSending: 1,
				reasons:
					'1 × token not uploaded (-2, before sending); 1 × certificate id not set (-1, before sending); 1 × regid_invalid (1, after sending)',
			}),
		]);
	},
};
const recipients = (emu) =>
	emu.state
		.taskList()[0]
		.deliveries.map((d) => d.userId)
		.sort();
const user = (emu, id) => emu.state.userView(runner.DEMO_APP.sdkAppId, id);

test('every example has a sticky note, a Manual Trigger, the demo credential and an expectation here', () => {
	for (const { file, workflow } of examples) {
		expect(workflow.id.length).toBeLessThanOrEqual(21);
		expect(
			workflow.nodes.some(
				(n) => n.type === 'n8n-nodes-base.stickyNote' && n.parameters.content.length > 80,
			),
		).toBe(true);
		expect(workflow.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger')).toBe(true);
		for (const node of workflow.nodes.filter((n) => n.type === runner.NODE_TYPE)) {
			expect(node.credentials).toEqual({ tencentChatApi: runner.DEMO_CREDENTIAL });
		}
		expect(EXPECT[file]).toBeDefined();
	}
});

describe.each(VERSIONS)('examples on real n8n %s', (version) => {
	let emu;
	let ctx;

	beforeAll(async () => {
		const install = installer.ensureN8n(version);
		const tarball = sharedTarball();
		emu = await startEmulator({ host: '127.0.0.1', port: 0 });
		ctx = await runner.createHome({ install, tarball });
		await runner.importCredentials(ctx, [runner.emulatorCredential(emu)]);
		await runner.importWorkflows(
			ctx,
			examples.map((e) => e.workflow),
		);
	}, INSTALL_TIMEOUT_MS);

	afterAll(async () => {
		runner.killAll('SIGKILL');
		if (emu) await emu.stop();
		if (ctx && !process.env.E2E_KEEP_HOME) ctx.remove();
	});

	test.each(examples.map((e) => [e.file, e.workflow]))('%s', async (file, workflow) => {
		await emu.reset();
		const r = await runner.executeWorkflow(ctx, workflow.id);
		if (!r.ok)
			throw new Error(
				`${file} failed at ${r.lastNode}: ${r.error?.message}\n${r.output.slice(-3000)}`,
			);
		for (const node of workflow.nodes.filter((n) => n.type === runner.NODE_TYPE)) {
			expect(runner.itemsOf(r.run, node.name).length).toBeGreaterThan(0);
		}
		EXPECT[file](emu, r);
	});
});
