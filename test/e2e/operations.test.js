'use strict';
/**
 * Every operation of every resource, run by a real n8n (`n8n execute`) against the emulator, for
 * each supported n8n version. Operations are grouped into a few chained workflows because each
 * `n8n execute` costs a process start (~3 s, ~400 MB); the emulator is reset before each workflow.
 */
const {
	VERSIONS,
	INSTALL_TIMEOUT_MS,
	sharedTarball,
	chainWorkflow,
	missingWorkflowExports,
	installer,
	runner,
} = require('./helpers');
const { startEmulator } = require('../../emulator');

jest.setTimeout(180_000);

const WRONG_KEY_CREDENTIAL = { id: 'tcWrongKey00001', name: 'Tencent Chat (wrong key)' };
const WRONG_SECRET = 'wrong0secret0key0for0e2e0tests00000000000000000000000000000000000';
const USERSIG_WITH_VALUE = /usersig=(?!\[redacted\])[^&\s"'\\]+/i;

const push = (name, parameters) => ({
	name,
	parameters: { resource: 'push', operation: 'send', ...parameters },
});
const op = (name, resource, operation, parameters = {}) => ({
	name,
	parameters: { resource, operation, ...parameters },
});
const notification = { notificationTitle: 'E2E title', notificationText: 'E2E text' };

const WORKFLOWS = {
	timpushPush: chainWorkflow('e2ePushTimpush01', [
		push('Push All', {
			api: 'timpush',
			audience: 'all',
			...notification,
			message: 'text',
			messageText: 'hello all',
		}),
		push('Push Tags', {
			api: 'timpush',
			audience: 'tags',
			tagsAnd: 'vip',
			tagsOr: 'ios, android',
			...notification,
			message: 'none',
		}),
		push('Push Attrs', {
			api: 'timpush',
			audience: 'attributes',
			attributesAnd: { attribute: [{ name: 'city', value: 'Shenzhen' }] },
			...notification,
			message: 'none',
		}),
		op('Send To Users', 'push', 'sendToUsers', {
			toAccounts: 'alice, bob, ghost-user',
			...notification,
		}),
		op('Recall', 'push', 'recall', {
			taskId: "={{ $('Push All').first().json.taskId }}",
			overwriteTitle: 'Withdrawn',
			overwriteText: 'Sorry',
		}),
		op('Delivery Losses', 'push', 'getDeliveryLosses', {
			statisticsFilter: 'taskIds',
			taskIds: "={{ $('Push All').first().json.taskId }}, {{ $('Push Tags').first().json.taskId }}",
		}),
		push('Dry Run Push', {
			api: 'timpush',
			audience: 'tags',
			tagsOr: 'beta',
			...notification,
			message: 'text',
			messageText: 'dry',
			options: { dryRun: true },
		}),
		op('Dry Run Tag', 'userTag', 'add', {
			api: 'timpush',
			accounts: 'alice',
			tags: 'dry-run-tag',
			options: { dryRun: true },
		}),
	]),
	timpushManagement: chainWorkflow('e2eMgmtTimpush01', [
		{
			name: 'Users',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				jsCode:
					"return [{ json: { userId: 'grace', tags: ['t-one'] } }, { json: { userId: 'heidi', tags: ['t-one', 't-two'] } }, { json: { userId: 'mallory', tags: ['t-two'] } }];",
			},
		},
		{
			...op('Tag Add', 'userTag', 'add', {
				api: 'timpush',
				accounts: '={{ $json.userId }}',
				tags: '={{ $json.tags }}',
			}),
			executeOnce: false,
		},
		op('Tag Get', 'userTag', 'get', { api: 'timpush', accounts: 'grace, heidi, mallory' }),
		op('Tag Remove', 'userTag', 'remove', { api: 'timpush', accounts: 'heidi', tags: 't-one' }),
		op('Tag Get After Remove', 'userTag', 'get', { api: 'timpush', accounts: 'heidi' }),
		op('Tag Remove All', 'userTag', 'removeAll', { api: 'timpush', accounts: 'grace, mallory' }),
		op('Attr Names Get', 'appAttributeName', 'get', { api: 'timpush' }),
		op('Attr Names Set', 'appAttributeName', 'set', {
			api: 'timpush',
			attributeNames: { attribute: [{ slot: '4', name: 'plan', accountType: 0 }] },
		}),
		op('User Attr Set', 'userAttribute', 'set', {
			api: 'timpush',
			accounts: 'heidi, mallory',
			attributes: {
				attribute: [
					{ name: 'level', value: 'gold' },
					{ name: 'plan', value: 'pro' },
				],
			},
		}),
		op('User Attr Get', 'userAttribute', 'get', { api: 'timpush', accounts: 'heidi, mallory' }),
		op('User Attr Remove', 'userAttribute', 'remove', {
			api: 'timpush',
			accounts: 'heidi',
			attributeNames: ['plan'],
		}),
		op('User Attr Get After Remove', 'userAttribute', 'get', { api: 'timpush', accounts: 'heidi' }),
	]),
	legacy: chainWorkflow('e2eLegacy0000001', [
		push('Push All', {
			api: 'legacy',
			audience: 'all',
			...notification,
			message: 'text',
			messageText: 'legacy hello',
			additionalFields: { msgLifeTime: 3600 },
		}),
		push('Push Tags', {
			api: 'legacy',
			audience: 'tags',
			tagsOr: 'newsletter',
			...notification,
			message: 'text',
			messageText: 'legacy tags',
		}),
		push('Push Attrs', {
			api: 'legacy',
			audience: 'attributes',
			attributesAnd: { attribute: [{ name: 'language', value: 'zh' }] },
			...notification,
			message: 'text',
			messageText: 'legacy attrs',
		}),
		op('Tag Add', 'userTag', 'add', {
			api: 'legacy',
			accounts: 'ivan',
			tags: 'legacy-a, legacy-b',
		}),
		op('Tag Get', 'userTag', 'get', { api: 'legacy', accounts: 'ivan' }),
		op('Tag Remove', 'userTag', 'remove', { api: 'legacy', accounts: 'ivan', tags: 'legacy-a' }),
		op('Tag Remove All', 'userTag', 'removeAll', { api: 'legacy', accounts: 'carol' }),
		op('Attr Names Get', 'appAttributeName', 'get', { api: 'legacy' }),
		op('Attr Names Set', 'appAttributeName', 'set', {
			api: 'legacy',
			attributeNames: { attribute: [{ slot: '5', name: 'segment' }] },
		}),
		op('User Attr Set', 'userAttribute', 'set', {
			api: 'legacy',
			accounts: 'ivan',
			attributes: { attribute: [{ name: 'segment', value: 'b2b' }] },
		}),
		op('User Attr Get', 'userAttribute', 'get', { api: 'legacy', accounts: 'ivan' }),
		op('User Attr Remove', 'userAttribute', 'remove', {
			api: 'legacy',
			accounts: 'ivan',
			attributeNames: ['level'],
		}),
	]),
	wrongKey: chainWorkflow(
		'e2eWrongKey00001',
		[push('Push All', { api: 'timpush', audience: 'all', ...notification, message: 'none' })],
		WRONG_KEY_CREDENTIAL,
	),
};

describe.each(VERSIONS)('real n8n %s', (version) => {
	let emu;
	let ctx;
	let secretKey;
	const results = {};

	/** Runs a workflow once (on a freshly reset emulator) and remembers the result for the tests. */
	async function run(key) {
		if (!results[key]) {
			await emu.reset();
			results[key] = await runner.executeWorkflow(ctx, WORKFLOWS[key].id);
			results[key].state = snapshot();
			results[key].tasks = emu.state.taskList();
			results[key].requests = [...emu.state.requestLog];
		}
		return results[key];
	}
	const snapshot = () =>
		Object.fromEntries(
			[...emu.state.getApp(runner.DEMO_APP.sdkAppId).users.keys()].map((id) => [
				id,
				emu.state.userView(runner.DEMO_APP.sdkAppId, id),
			]),
		);
	const items = (r, node) => {
		const out = runner.itemsOf(r.run, node);
		if (!out)
			throw new Error(`node "${node}" did not run: ${r.error?.message ?? r.output.slice(-3000)}`);
		return out;
	};
	const okRun = async (key) => {
		const r = await run(key);
		if (!r.ok)
			throw new Error(
				`workflow ${key} failed at ${r.lastNode}: ${r.error?.message}\n${r.output.slice(-3000)}`,
			);
		return r;
	};
	const recipients = (r, taskId) =>
		r.tasks
			.find((t) => t.taskId === taskId)
			.deliveries.map((d) => d.userId)
			.sort();

	beforeAll(async () => {
		const install = installer.ensureN8n(version);
		const tarball = sharedTarball();
		emu = await startEmulator({ host: '127.0.0.1', port: 0 });
		secretKey = emu.fixture.apps[0].secretKey;
		ctx = await runner.createHome({ install, tarball });
		await runner.importCredentials(ctx, [
			runner.credentialFor(emu.url, { secretKey }),
			runner.credentialFor(emu.url, { ...WRONG_KEY_CREDENTIAL, secretKey: WRONG_SECRET }),
		]);
		await runner.importWorkflows(ctx, Object.values(WORKFLOWS));
	}, INSTALL_TIMEOUT_MS);

	afterAll(async () => {
		runner.killAll('SIGKILL');
		if (emu) await emu.stop();
		if (ctx && !process.env.E2E_KEEP_HOME) ctx.remove();
	});

	test('the n8n-workflow of this n8n has every export the node uses', () => {
		const { missing, used } = missingWorkflowExports(installer.describe(version));
		expect(used).toEqual(
			expect.arrayContaining(['NodeApiError', 'NodeOperationError', 'updateDisplayOptions']),
		);
		expect(missing).toEqual([]);
	});

	describe('push (Push service, v4/timpush)', () => {
		test('send to all users', async () => {
			const r = await okRun('timpushPush');
			const [out] = items(r, 'Push All');
			expect(out).toMatchObject({
				api: 'v4/timpush/push',
				taskId: expect.any(String),
				msgRandom: expect.any(Number),
			});
			// With a message, the Push service reaches UserIDs only.
			const userIds = [...emu.fixture.apps[0].users]
				.filter((u) => !u.accountType || u.accountType === 'UserID')
				.map((u) => u.id)
				.sort();
			expect(recipients(r, out.taskId)).toEqual(userIds);
		});

		test('send by tags (all of + any of)', async () => {
			const r = await okRun('timpushPush');
			const [out] = items(r, 'Push Tags');
			expect(recipients(r, out.taskId)).toEqual(['erin', 'judy']);
			expect(r.tasks.find((t) => t.taskId === out.taskId).audience.condition).toEqual({
				TagsAnd: ['vip'],
				TagsOr: ['ios', 'android'],
			});
		});

		test('send by attributes', async () => {
			const r = await okRun('timpushPush');
			const [out] = items(r, 'Push Attrs');
			expect(recipients(r, out.taskId)).toEqual(['alice', 'dave', 'judy']);
		});

		test('send to users: delivered and unknown accounts per item', async () => {
			const r = await okRun('timpushPush');
			const [out] = items(r, 'Send To Users');
			expect(out).toMatchObject({
				api: 'v4/timpush/batch',
				accounts: ['alice', 'bob', 'ghost-user'],
				accountCount: 3,
				msgRandoms: [expect.any(Number)],
				delivered: ['alice', 'bob'],
			});
			expect(out.failed).toEqual([
				expect.objectContaining({ account: 'ghost-user', errorCode: 70107 }),
			]);
			expect(recipients(r, out.taskIds[0])).toEqual(['alice', 'bob']);
		});

		test('recall the TaskId of an earlier push', async () => {
			const r = await okRun('timpushPush');
			const [sent] = items(r, 'Push All');
			expect(items(r, 'Recall')).toEqual([
				expect.objectContaining({ taskId: sent.taskId, recalled: true, overwritten: true }),
			]);
			const task = r.tasks.find((t) => t.taskId === sent.taskId);
			expect(task.status).toBe('revoked');
			expect(task.revokeOfflinePushInfo).toMatchObject({ Title: 'Withdrawn', Desc: 'Sorry' });
		});

		test('get delivery losses: one item per task, with the reasons the emulator recorded', async () => {
			const r = await okRun('timpushPush');
			const [all, tags] = [items(r, 'Push All')[0], items(r, 'Push Tags')[0]];
			const losses = items(r, 'Delivery Losses');
			expect(losses.map((l) => l.taskId)).toEqual([all.taskId, tags.taskId]);
			// The demo app: heidi never uploaded a token, mallory's Meizu has no certificate.
			expect(losses[0]).toMatchObject({
				found: true,
				lostBeforeSending: 2,
				lostAfterSending: 0,
				reasons:
					'1 × token not uploaded (-2, before sending); 1 × certificate id not set (-1, before sending)',
				api: 'v4/timpush/all_member_push_loss',
			});
			expect(losses[0].platforms.map((p) => `${p.platform}:${p.errorCode}`).sort()).toEqual([
				'Honor:-2',
				'Meizu:-1',
			]);
			expect(losses[1]).toMatchObject({ lost: 0, reasons: 'no losses reported' });
			const [request] = r.requests.filter((e) => e.command === 'all_member_push_loss');
			const body = JSON.parse(request.body);
			expect(Object.keys(body).sort()).toEqual(['EndTime', 'StartTime', 'TaskID']);
			expect(body.EndTime - body.StartTime).toBeLessThanOrEqual(7 * 86400);
		});

		test('dry run returns the request and sends nothing', async () => {
			const r = await okRun('timpushPush');
			const [dry] = items(r, 'Dry Run Push');
			expect(dry).toMatchObject({ dryRun: true, valid: true, problems: [] });
			expect(dry.request.url).toContain('/v4/timpush/push?');
			expect(dry.request.url).toContain('usersig=[redacted]');
			expect(dry.request.body.Condition).toEqual({ TagsOr: ['beta'] });
			expect(items(r, 'Dry Run Tag')[0]).toMatchObject({
				dryRun: true,
				request: { command: 'add_tag' },
			});
			// Three real pushes and one batch: the dry runs created no task and tagged nobody.
			expect(r.tasks).toHaveLength(4);
			expect(r.state.alice.tags).not.toContain('dry-run-tag');
			expect(r.output).not.toContain(secretKey);
		});
	});

	describe('management (Push service)', () => {
		test('userTag add from several items (Code node), get, remove, removeAll', async () => {
			const r = await okRun('timpushManagement');
			expect(items(r, 'Tag Add')).toEqual([
				expect.objectContaining({ accounts: ['grace'], tags: ['t-one'] }),
				expect.objectContaining({ accounts: ['heidi'], tags: ['t-one', 't-two'] }),
				expect.objectContaining({ accounts: ['mallory'], tags: ['t-two'] }),
			]);
			const got = Object.fromEntries(items(r, 'Tag Get').map((i) => [i.account, i.tags]));
			expect(got.grace).toEqual(expect.arrayContaining(['newsletter', 't-one']));
			expect(got.heidi).toEqual(['t-one', 't-two']);
			expect(got.mallory).toEqual(['t-two']);
			expect(items(r, 'Tag Remove')[0]).toMatchObject({
				accounts: ['heidi'],
				removedTags: ['t-one'],
			});
			expect(items(r, 'Tag Get After Remove')).toEqual([
				expect.objectContaining({ account: 'heidi', tags: ['t-two'] }),
			]);
			expect(items(r, 'Tag Remove All')[0]).toMatchObject({
				accounts: ['grace', 'mallory'],
				removedAllTags: true,
			});
			expect(r.state.grace.tags).toEqual([]);
			expect(r.state.mallory.tags).toEqual([]);
			expect(r.state.heidi.tags).toEqual(['t-two']);
		});

		test('appAttributeName get and set', async () => {
			const r = await okRun('timpushManagement');
			const [names] = items(r, 'Attr Names Get');
			expect(names.attributes.map((a) => a.name)).toEqual(['gender', 'city', 'level', 'language']);
			expect(items(r, 'Attr Names Set')[0]).toMatchObject({
				attributeNames: { 4: 'plan' },
				accountTypes: { 4: 0 },
			});
		});

		test('userAttribute set, get, remove', async () => {
			const r = await okRun('timpushManagement');
			expect(items(r, 'User Attr Set')[0]).toMatchObject({
				accounts: ['heidi', 'mallory'],
				attributes: { level: 'gold', plan: 'pro' },
			});
			const got = Object.fromEntries(
				items(r, 'User Attr Get').map((i) => [i.account, i.attributes]),
			);
			expect(got.heidi).toMatchObject({ level: 'gold', plan: 'pro', city: 'Frankfurt' });
			expect(got.mallory).toEqual({ level: 'gold', plan: 'pro' });
			expect(items(r, 'User Attr Remove')[0]).toMatchObject({
				accounts: ['heidi'],
				removedAttributes: ['plan'],
			});
			expect(items(r, 'User Attr Get After Remove')[0].attributes).not.toHaveProperty('plan');
			expect(r.state.heidi.attrs).toEqual({ city: 'Frankfurt', language: 'de', level: 'gold' });
			expect(r.state.mallory.attrs).toEqual({ level: 'gold', plan: 'pro' });
		});
	});

	describe('legacy API family (v4/all_member_push)', () => {
		test('send to all, by tags, by attributes', async () => {
			const r = await okRun('legacy');
			const [all] = items(r, 'Push All');
			expect(all).toMatchObject({ api: 'v4/all_member_push/im_push', taskId: expect.any(String) });
			expect(recipients(r, all.taskId)).toHaveLength(12); // every UserID; RegistrationIDs do not exist for legacy
			expect(recipients(r, items(r, 'Push Tags')[0].taskId)).toEqual(['erin', 'frank', 'grace']);
			expect(recipients(r, items(r, 'Push Attrs')[0].taskId)).toEqual([
				'bob',
				'carol',
				'frank',
				'judy',
			]);
		});

		test('tags and attributes', async () => {
			const r = await okRun('legacy');
			expect(items(r, 'Tag Get')[0]).toMatchObject({
				account: 'ivan',
				tags: ['beta', 'legacy-a', 'legacy-b'],
			});
			expect(items(r, 'Tag Remove All')[0]).toMatchObject({
				removedAllTags: true,
				api: 'v4/all_member_push/im_remove_all_tags',
			});
			expect(r.state.ivan.tags).toEqual(['beta', 'legacy-b']);
			expect(r.state.carol.tags).toEqual([]);
			expect(items(r, 'Attr Names Get')[0].attributeNames).toMatchObject({
				0: 'gender',
				1: 'city',
			});
			expect(items(r, 'Attr Names Set')[0]).toMatchObject({ attributeNames: { 5: 'segment' } });
			expect(items(r, 'User Attr Get')[0].attributes).toMatchObject({
				segment: 'b2b',
				level: 'bronze',
			});
			expect(r.state.ivan.attrs).toEqual({
				gender: 'male',
				city: 'Tokyo',
				language: 'ja',
				segment: 'b2b',
			});
		});
	});

	test('a wrong secret key fails with the mapped Tencent error and leaks no secret', async () => {
		const r = await run('wrongKey');
		expect(r.ok).toBe(false);
		expect(r.code).not.toBe(0);
		const message = r.error?.message ?? runner.errorOf(r.run, 'Push All')?.message;
		expect(message).toMatch(/^Tencent error 70009: /);
		expect(r.tasks).toHaveLength(0);
		// Everything n8n printed, unredacted: run data, error details, logs.
		expect(r.rawOutput).not.toContain(WRONG_SECRET);
		expect(r.rawOutput).not.toContain(secretKey);
		expect(r.rawOutput).not.toMatch(USERSIG_WITH_VALUE);
	});
});
