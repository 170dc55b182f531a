'use strict';
/**
 * The Idempotency Key in a real n8n (server mode, production webhooks), counted at the emulator:
 * - the same event delivered twice to a webhook (one after the other, and at the same time) pushes once;
 * - n8n's Retry of a failed execution (POST /rest/executions/:id/retry, as the editor's "Retry with
 *   original workflow") whose first four items were pushed does not push them again, also after
 *   n8n was restarted between the failure and the retry (then only n8n's deduplication store knows:
 *   the retry runs with the static data stored with the failed execution, not what it saved).
 */
const helpers = require('./helpers');

const { INSTALL_TIMEOUT_MS, sharedTarball, installer, runner } = helpers;
/** n8n 2.41.1 by default (restarts make this file long); E2E_N8N_VERSIONS selects others. */
const VERSIONS = process.env.E2E_N8N_VERSIONS ? helpers.VERSIONS : [installer.LATEST];
const { httpJson } = require('./harness/http-json');
const { ownerLogin, ownerSession } = require('./harness/n8n-rest');
const queue = require('./harness/n8n-queue');
const { startEmulator } = require('../../emulator');

jest.setTimeout(240_000);

const keyed = (extra = {}) => ({
	resource: 'push',
	operation: 'send',
	api: 'timpush',
	audience: 'tags',
	tagsOr: 'newsletter',
	notificationTitle: 'Order update',
	message: 'none',
	...extra,
});

/** Webhook → Code (one item per event) → Push with the event's key; nothing retried inside the node. */
const WORKFLOW = queue.webhookWorkflow('e2eIdemWebhook01', 'idem-events', [
	{
		name: 'Split',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: {
			jsCode: 'return $input.first().json.body.events.map((event) => ({ json: event }));',
		},
	},
	{
		name: 'Push',
		parameters: keyed({
			notificationText: '={{ $json.text }}',
			options: { idempotencyKey: '={{ $json.eventId }}', maxAttempts: 1 },
		}),
	},
]);
const PATH = 'idem-events';

describe.each(VERSIONS)('real n8n %s, production webhooks: Idempotency Key', (version) => {
	let emu;
	let ctx;
	let server;

	const post = async (path, body) =>
		await httpJson('POST', `${server.url}/webhook/${path}`, { body });

	/** n8n registers production webhooks of published workflows shortly after it starts: wait for them. */
	async function webhooksRegistered() {
		for (const path of [PATH]) {
			for (let tries = 0; ; tries++) {
				const r = await httpJson('GET', `${server.url}/webhook/${path}`);
				// A registered POST webhook answers a GET with 404 "…not registered for GET requests"
				// naming POST; an unregistered one does not know the path at all.
				if (/POST request/i.test(r.text) || r.status !== 404) break;
				if (tries > 120) throw new Error(`webhook ${path} not registered: ${r.status} ${r.text}`);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		}
	}
	const pushTexts = () => emu.state.taskList().map((t) => t.content.offlinePushInfo?.Desc);

	/** Runs the workflow with five events; the fifth push meets 91000 and the execution fails. */
	async function failAfterFourPushes(prefix) {
		emu.faults.set('timpush/push', { sequence: ['ok', 'ok', 'ok', 'ok', '91000'] });
		const events = Array.from({ length: 5 }, (_, i) => ({
			eventId: `${prefix}-${i}`,
			text: `${prefix} ${i}`,
		}));
		const failed = await post(PATH, { events });
		expect(failed.status).toBe(500);
		expect(pushTexts()).toEqual(events.slice(0, 4).map((e) => e.text));
		emu.faults.clear();
		return events;
	}

	/** The workflow's latest failed execution, as the editor lists it. */
	async function lastFailedExecution(session) {
		const list = await session.rest(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW.id }))}`,
		);
		expect(list.status).toBe(200);
		const failed = list.json.data.results
			.filter((e) => e.status === 'error')
			.sort((a, b) => Number(b.id) - Number(a.id));
		expect(failed.length).toBeGreaterThan(0);
		return failed[0].id;
	}

	async function retry(session, executionId) {
		const r = await session.rest('POST', `/rest/executions/${executionId}/retry`, {
			loadWorkflow: false,
		});
		expect(r.status).toBe(200);
		return r.json.data;
	}

	beforeAll(async () => {
		const install = installer.ensureN8n(version);
		const tarball = sharedTarball();
		emu = await startEmulator({ host: '127.0.0.1', port: 0, config: { pushIntervalMs: 0 } });
		ctx = await runner.createHome({ install, tarball });
		await runner.importCredentials(ctx, [runner.emulatorCredential(emu)]);
		await runner.importWorkflows(ctx, [WORKFLOW]);
		await queue.publishWorkflow(ctx, WORKFLOW.id);
		server = await runner.startServer(ctx);
		await ownerSession(server.url);
		await webhooksRegistered();
	}, INSTALL_TIMEOUT_MS);

	afterAll(async () => {
		if (server) await server.stop();
		runner.killAll('SIGKILL');
		if (emu) await emu.stop();
		if (ctx && !process.env.E2E_KEEP_HOME) ctx.remove();
	});

	beforeEach(async () => {
		await emu.reset();
	});

	test('the same event delivered twice pushes once; the second answer is the first push, duplicate: true', async () => {
		const event = { eventId: 'order-1001-shipped', text: 'Your order 1001 has shipped' };
		const first = await post(PATH, { events: [event] });
		const second = await post(PATH, { events: [event] });
		expect(first.status).toBe(200);
		expect(second.status).toBe(200);
		expect(first.json).toMatchObject({ idempotencyKey: event.eventId, duplicate: false });
		expect(second.json).toMatchObject({
			taskId: first.json.taskId,
			idempotencyKey: event.eventId,
			duplicate: true,
		});
		expect(pushTexts()).toEqual([event.text]);
		expect(emu.state.requestLog.filter((r) => r.command === 'push')).toHaveLength(1);
		// At the same time: one execution pushes, the other waits for it and returns its push.
		const twin = { eventId: 'order-1002-shipped', text: 'Your order 1002 has shipped' };
		const both = await Promise.all([
			post(PATH, { events: [twin] }),
			post(PATH, { events: [twin] }),
		]);
		expect(both.map((r) => r.status)).toEqual([200, 200]);
		expect(both.map((r) => r.json.duplicate).sort()).toEqual([false, true]);
		expect(pushTexts()).toEqual([event.text, twin.text]);
	});

	test("n8n's Retry of a failed execution does not push its first four items again", async () => {
		const events = await failAfterFourPushes('retry');
		const session = await ownerLogin(server.url);
		const retried = await retry(session, await lastFailedExecution(session));
		expect(retried.status).toBe('success');
		expect(pushTexts()).toEqual(events.map((e) => e.text));
		expect(
			emu.state.requestLog.filter((r) => r.command === 'push' && r.errorCode === 0),
		).toHaveLength(5);
	});

	test('… also when n8n restarted between the failure and the Retry', async () => {
		const events = await failAfterFourPushes('restart');
		await server.stop();
		server = await runner.startServer(ctx);
		await webhooksRegistered();
		const session = await ownerLogin(server.url);
		const retried = await retry(session, await lastFailedExecution(session));
		expect(retried.status).toBe('success');
		expect(pushTexts()).toEqual(events.map((e) => e.text));
		expect(emu.state.counters.pushesAccepted).toBe(5);
	});
});
