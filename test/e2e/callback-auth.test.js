'use strict';
/**
 * Real n8n in server mode (`n8n start`), for each supported version:
 * - the Tencent Chat Push Trigger, signed (its default), with the credential's Callback Token: a
 *   forged call (unsigned, or signed with another token), a replayed one and a stale one start no
 *   execution; a correctly signed one starts one; the emulator, configured with the same token,
 *   signs its callbacks and each starts an execution;
 * - Stop through n8n's REST API (what the editor's Stop button calls) on a running execution that
 *   is sending pushes: fewer than 2 requests reach the emulator after it;
 * - the credential test refuses a plain-http Custom Endpoint on a public host, saying why.
 */
const crypto = require('crypto');
const { VERSIONS, INSTALL_TIMEOUT_MS, sharedTarball, installer, runner } = require('./helpers');
const {
	http,
	introspection,
	waitFor,
	publishWorkflows,
	executionItems,
	triggerWorkflow,
	webhookWorkflow,
	waitForTriggerWebhook,
} = require('./observe');
const { EXECUTION_SCOPES, listExecutions, ownerSession } = require('./harness/n8n-rest');
const { startEmulator } = require('../../emulator');

jest.setTimeout(180_000);

const TOKEN = 'e2e-callback-token-7f3a';
const SDK_APP_ID = runner.DEMO_APP.sdkAppId;
const sign = (token, requestTime) =>
	crypto.createHash('sha256').update(`${token}${requestTime}`).digest('hex');

/** A Push.AllMemberPush body with one event per account; `tag` makes each body unique. */
const callbackBody = (tag, accounts = ['alice']) => ({
	Events: accounts.map((account, i) => ({
		CallbackCommand: 'Push.AllMemberPush',
		EventType: 1,
		TaskId: `e2e-${tag}`,
		TaskTime: 1767000000,
		EventTime: 1767000001 + i,
		To_Account: account,
		PushPlatform: 1,
		PushStage: 1,
		ErrCode: 0,
		ErrInfo: 'OK',
	})),
});

/** A push by tag (one a second at most): `parameters` add to or replace these. */
const push = (parameters) => ({
	name: 'Push',
	parameters: {
		resource: 'push',
		operation: 'send',
		api: 'timpush',
		audience: 'tags',
		tagsOr: 'vip',
		notificationTitle: 'E2E callbacks',
		message: 'none',
		...parameters,
	},
});

function buildWorkflows() {
	// Authentication is left at its default: signed with the credential's Callback Token.
	const trigger = triggerWorkflow('cbAuthTrigger001', 'e2e signed push callbacks', {
		events: ['Push.AllMemberPush'],
	});
	const pusherPath = `cb-push-${crypto.randomUUID().slice(0, 8)}`;
	const pusher = webhookWorkflow(
		'cbAuthPusher0001',
		'e2e push for callbacks',
		pusherPath,
		'onReceived',
		[push({ notificationText: 'signed callbacks' })],
	);
	// Webhook → one item per entry of body.items → one push each.
	const stopperPath = `cb-stop-${crypto.randomUUID().slice(0, 8)}`;
	const stopper = webhookWorkflow(
		'cbAuthStopper001',
		'e2e pushes to stop',
		stopperPath,
		'onReceived',
		[
			{
				name: 'Items',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				parameters: { fieldToSplitOut: 'body.items', options: {} },
			},
			push({ notificationText: '={{ $json.n }}' }),
		],
	);
	return { trigger, pusher, pusherPath, stopper, stopperPath };
}

describe.each(VERSIONS)(
	'real n8n %s server mode: signed callbacks, Stop, plain http',
	(version) => {
		let emu;
		let emuApi;
		let ctx;
		let server;
		let session;
		let wf;
		let triggerUrl;

		const executions = async () =>
			await listExecutions(session.api, wf.trigger.id, { includeData: true });
		/** Waits long enough for a wrongly started execution to be saved, then counts. */
		const settledExecutions = async () => {
			await new Promise((r) => setTimeout(r, 1500));
			return await executions();
		};
		const callback = async (query, body) => {
			const search = new URLSearchParams({
				SdkAppid: String(SDK_APP_ID),
				CallbackCommand: 'Push.AllMemberPush',
				contenttype: 'json',
				...query,
			});
			return await http('POST', `${triggerUrl}?${search}`, { body });
		};
		const signed = (at = Math.floor(Date.now() / 1000), token = TOKEN) => ({
			Sign: sign(token, String(at)),
			RequestTime: String(at),
		});

		beforeAll(async () => {
			const install = installer.ensureN8n(version);
			const tarball = sharedTarball();
			emu = await startEmulator({ host: '127.0.0.1', port: 0, config: { deliveryDelayMs: 200 } });
			emuApi = introspection(emu.url);
			ctx = await runner.createHome({ install, tarball });
			wf = buildWorkflows();
			const credential = runner.credentialFor(emu.url, {
				secretKey: emu.fixture.apps[0].secretKey,
				callbackToken: TOKEN,
			});
			ctx.secrets.push(TOKEN);
			await runner.importCredentials(ctx, [credential]);
			await runner.importWorkflows(ctx, [wf.trigger, wf.pusher, wf.stopper]);
			await publishWorkflows(ctx, [wf.trigger.id, wf.pusher.id, wf.stopper.id]);
			server = await runner.startServer(ctx);
			session = await ownerSession(server.url, { apiKeyScopes: EXECUTION_SCOPES });
			triggerUrl = `${server.url}/webhook/${wf.trigger.nodes[0].webhookId}/tencent-chat-push`;
			await waitForTriggerWebhook(triggerUrl, server);
		}, INSTALL_TIMEOUT_MS);

		afterAll(async () => {
			if (server) await server.stop().catch(() => {});
			runner.killAll('SIGKILL');
			if (emu) await emu.stop();
			if (ctx && !process.env.E2E_KEEP_HOME) ctx.remove();
		});

		test('a forged callback (unsigned, wrongly signed, another token) starts no execution and is refused with 401', async () => {
			const before = (await executions()).length;
			const forged = [
				await callback({}, callbackBody('unsigned')),
				await callback({ ...signed(), Sign: 'f'.repeat(64) }, callbackBody('wrong-sign')),
				await callback(signed(undefined, 'a-guessed-token'), callbackBody('other-token')),
			];
			for (const res of forged) {
				expect(res.status).toBe(401);
				expect(res.json).toMatchObject({
					ActionStatus: 'FAIL',
					ErrorCode: 1,
					ErrorInfo: expect.stringMatching(/not signed|Sign does not match/),
				});
			}
			expect(await settledExecutions()).toHaveLength(before);
		});

		test('a correctly signed callback starts one execution; its replay starts none; a stale copy is refused', async () => {
			const before = (await executions()).length;
			const query = signed();
			const body = callbackBody('genuine', ['alice', 'bob']);
			const first = await callback(query, body);
			expect(first.status).toBe(200);
			expect(first.json).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 });
			const list = await waitFor(
				async () => {
					const l = await executions();
					return l.length === before + 1 && l.every((e) => e.finished || e.status === 'success')
						? l
						: null;
				},
				{ what: 'the execution of the signed callback' },
			);
			const started = list.find((e) =>
				executionItems(e, 'Push Callbacks').some((item) => item.taskId === 'e2e-genuine'),
			);
			expect(executionItems(started, 'Push Callbacks').map((item) => item.userId)).toEqual([
				'alice',
				'bob',
			]);

			// The same URL and body again, within the minute: acknowledged, nothing started.
			const replay = await callback(query, body);
			expect(replay.status).toBe(200);
			expect(replay.json).toMatchObject({
				ActionStatus: 'OK',
				ErrorCode: 0,
				ErrorInfo: expect.stringMatching(/Duplicate/),
			});
			// A copy signed two minutes ago (a replay from outside the window), whatever its body.
			const stale = await callback(
				signed(Math.floor(Date.now() / 1000) - 120),
				callbackBody('stale'),
			);
			expect(stale.status).toBe(401);
			expect(stale.json).toMatchObject({
				ActionStatus: 'FAIL',
				ErrorInfo: expect.stringMatching(/RequestTime is 1[2-9]\d s old/),
			});
			const malformed = await callback(signed(), { Events: 'not a list' });
			expect(malformed.status).toBe(400);
			expect(await settledExecutions()).toHaveLength(before + 1);
		});

		test("the emulator's signed callbacks of a real push each start an execution, answered OK", async () => {
			await emu.reset();
			await emuApi.configure({ callbackUrl: triggerUrl, callbackToken: TOKEN });
			const before = (await executions()).length;
			const pushed = await waitFor(
				async () => {
					const r = await http('POST', `${server.url}/webhook/${wf.pusherPath}`, { body: {} });
					return r.status === 200 ? r : null;
				},
				{ what: "the pushing workflow's webhook" },
			);
			expect(pushed.json).toMatchObject({ message: expect.any(String) });
			const task = await waitFor(async () => (await emuApi.get('/tasks')).tasks[0], {
				what: 'the push',
			});
			const recipients = task.deliveries
				.filter((d) => d.sentAt !== null)
				.map((d) => d.userId)
				.sort();
			expect(recipients.length).toBeGreaterThan(0);
			const log = await waitFor(
				async () => {
					const c = await emuApi.callbacks(task.taskId);
					const events = c.callbacks.reduce((n, b) => n + b.events.length, 0);
					return events === recipients.length && c.callbacks.every((b) => b.status === 'delivered')
						? c
						: null;
				},
				{ what: 'every callback delivered' },
			);
			for (const batch of log.callbacks) {
				expect(batch.attempts[0].url).toMatch(/[?&]Sign=[0-9a-f]{64}&RequestTime=\d+/);
				expect(batch.attempts[0]).toMatchObject({
					httpStatus: 200,
					response: { ActionStatus: 'OK', ErrorCode: 0 },
				});
			}
			const list = await waitFor(
				async () => {
					const l = await executions();
					return l.length >= before + log.callbacks.length ? l : null;
				},
				{ what: "the trigger's executions" },
			);
			const items = list
				.flatMap((e) => executionItems(e, 'Push Callbacks'))
				.filter((item) => item.taskId === task.taskId);
			expect(items.map((item) => item.userId).sort()).toEqual(recipients);
			await emuApi.configure({ callbackUrl: '', callbackToken: '' });
		});

		test('Stop through the REST API: fewer than 2 pushes reach the emulator after it', async () => {
			await emu.reset();
			const count = async () =>
				Object.values((await emuApi.get('/counters')).requests).reduce((n, v) => n + v, 0);
			const items = Array.from({ length: 30 }, (_, n) => ({ n: `stop test ${n}` }));
			const started = await waitFor(
				async () => {
					const r = await http('POST', `${server.url}/webhook/${wf.stopperPath}`, {
						body: { items },
					});
					return r.status === 200 ? r : null;
				},
				{ what: "the stopping workflow's webhook" },
			);
			expect(started.status).toBe(200);
			// Pushes go out one a second; stop once two have reached the emulator.
			await waitFor(async () => (await count()) >= 2, { intervalMs: 50, what: 'two pushes' });
			// The public API lists running executions only when asked for them.
			const running = await waitFor(
				async () =>
					(await session.api(`/executions?status=running&workflowId=${wf.stopper.id}`)).data[0],
				{ intervalMs: 100, what: 'the running execution' },
			);
			const atStop = await count();
			const stop = await session.rest('POST', `/rest/executions/${running.id}/stop`);
			expect(stop.status).toBe(200);
			await new Promise((r) => setTimeout(r, 2500)); // more than two pacing gaps
			const after = (await count()) - atStop;
			process.stdout.write(
				`[stop] n8n ${version} server mode: ${atStop} pushes before Stop, ${after} after\n`,
			);
			expect(after).toBeLessThan(2);
			expect(atStop).toBeLessThan(items.length);
		});

		test('the credential test refuses a plain-http Custom Endpoint on a public host, saying why', async () => {
			const r = await session.rest('POST', '/rest/credentials/test', {
				credentials: {
					id: runner.DEMO_CREDENTIAL.id,
					name: runner.DEMO_CREDENTIAL.name,
					type: 'tencentChatApi',
					data: {
						sdkAppId: SDK_APP_ID,
						region: 'custom',
						baseUrl: 'http://tencent-proxy.example.com',
						adminAccount: 'administrator',
						secretKey: emu.fixture.apps[0].secretKey,
						userSigValidity: 86400,
					},
				},
			});
			expect(r.status).toBe(200);
			expect(r.json.data.status).toBe('Error');
			expect(r.json.data.message).toMatch(
				/plain http:\/\/ to a host that is not on a loopback or private network/,
			);
		});
	},
);
