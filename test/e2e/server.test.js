'use strict';
/**
 * n8n in server mode (`n8n start`), driven through the REST API its editor uses: the credential
 * test button (POST /rest/credentials/test) and the node types the editor loads (/types/nodes.json),
 * which must include the AI-tool variant n8n derives from `usableAsTool`.
 */
const { VERSIONS, INSTALL_TIMEOUT_MS, sharedTarball, installer, runner } = require('./helpers');
const { startEmulator } = require('../../emulator');
const { ownerSession } = require('./harness/n8n-rest');

jest.setTimeout(120_000);

const GOOD = { id: 'tcCredTestGood1', name: 'Tencent Chat (good)' };
const WRONG = { id: 'tcCredTestWrong', name: 'Tencent Chat (wrong key)' };
const WRONG_SECRET = 'wrong0secret0key0for0e2e0tests00000000000000000000000000000000000';

describe.each(VERSIONS)('real n8n %s server mode', (version) => {
	let emu;
	let ctx;
	let server;
	let credentials;

	let session;
	const rest = (method, route, body) => session.rest(method, route, body);

	/** What the editor's "Retry"/"Test" button sends for a saved credential. */
	async function testCredential(cred) {
		const r = await rest('POST', '/rest/credentials/test', {
			credentials: { id: cred.id, name: cred.name, type: cred.type, data: cred.data },
		});
		expect(r.status).toBe(200);
		return r.json.data;
	}

	beforeAll(async () => {
		const install = installer.ensureN8n(version);
		const tarball = sharedTarball();
		emu = await startEmulator({ host: '127.0.0.1', port: 0 });
		ctx = await runner.createHome({ install, tarball });
		credentials = {
			good: runner.credentialFor(emu.url, { ...GOOD, secretKey: emu.fixture.apps[0].secretKey }),
			wrong: runner.credentialFor(emu.url, { ...WRONG, secretKey: WRONG_SECRET }),
		};
		await runner.importCredentials(ctx, [credentials.good, credentials.wrong]);
		server = await runner.startServer(ctx);
		session = await ownerSession(server.url);
	}, INSTALL_TIMEOUT_MS);

	afterAll(async () => {
		if (server) await server.stop();
		runner.killAll('SIGKILL');
		if (emu) await emu.stop();
		if (ctx && !process.env.E2E_KEEP_HOME) ctx.remove();
	});

	test('the credential test passes with the right secret key', async () => {
		await emu.reset();
		const result = await testCredential(credentials.good);
		expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
		// The test really reached the emulator, signed.
		expect(emu.state.requestLog.map((e) => `${e.service}/${e.command}`)).toContain(
			'timpush/get_attr_name',
		);
	});

	test('the credential test fails with a wrong secret key, without leaking it', async () => {
		await emu.reset();
		const result = await testCredential(credentials.wrong);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Tencent refused the credentials/);
		expect(JSON.stringify(result)).not.toContain(WRONG_SECRET);
		expect(JSON.stringify(result)).not.toMatch(/usersig=(?!\[redacted\])[^&\s"']+/i);
		expect(server.output()).not.toContain(WRONG_SECRET);
	});

	test('the credential test fails when the Base URL is not a Tencent API', async () => {
		const result = await testCredential({
			...credentials.good,
			data: { ...credentials.good.data, baseUrl: `${emu.url}/not-tencent` },
		});
		expect(result.status).toBe('Error');
	});

	test('the node and its AI-tool variant are registered', async () => {
		const r = await rest('GET', '/types/nodes.json');
		expect(r.status).toBe(200);
		const byName = new Map(r.json.map((n) => [n.name, n]));
		const node = byName.get(runner.NODE_TYPE);
		const tool = byName.get(runner.TOOL_NODE_TYPE);
		expect(node).toMatchObject({
			displayName: 'Tencent Chat Push',
			version: 1,
			credentials: [expect.objectContaining({ name: 'tencentChatApi' })],
		});
		expect(tool).toBeDefined();
		expect(tool.outputs).toEqual(['ai_tool']);
		expect(tool.displayName).toMatch(/Tencent Chat Push Tool/);
	});

	test('the attribute-name dropdown (loadOptions) is filled from the app', async () => {
		const r = await rest('POST', '/rest/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: runner.NODE_TYPE, version: 1 },
			methodName: 'getAttributeNames',
			path: 'parameters.attributes.attribute[0].name',
			currentNodeParameters: {
				resource: 'userAttribute',
				operation: 'set',
				api: 'timpush',
				accounts: 'alice',
			},
			credentials: { tencentChatApi: { id: GOOD.id, name: GOOD.name } },
		});
		expect(r.status).toBe(200);
		expect(r.json.data.map((o) => o.value)).toEqual(['gender', 'city', 'level', 'language']);
	});

	test('the slot dropdown of App Attribute Name → Set shows the name each slot holds (loadOptions)', async () => {
		const r = await rest('POST', '/rest/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: runner.NODE_TYPE, version: 1 },
			methodName: 'getAttributeSlots',
			path: 'parameters.attributeNames.attribute[0].slot',
			currentNodeParameters: { resource: 'appAttributeName', operation: 'set', api: 'timpush' },
			credentials: { tencentChatApi: { id: GOOD.id, name: GOOD.name } },
		});
		expect(r.status).toBe(200);
		expect(r.json.data.map((o) => o.name)).toEqual([
			'Slot 0 (gender)',
			'Slot 1 (city)',
			'Slot 2 (level)',
			'Slot 3 (language)',
			...[4, 5, 6, 7, 8, 9].map((n) => `Slot ${n} (Unused)`),
		]);
		expect(r.json.data.map((o) => o.value)).toEqual([
			'0',
			'1',
			'2',
			'3',
			'4',
			'5',
			'6',
			'7',
			'8',
			'9',
		]);
	});

	test('the credential type is registered with the Custom Endpoint region', async () => {
		const r = await rest('GET', '/types/credentials.json');
		expect(r.status).toBe(200);
		const cred = r.json.find((c) => c.name === 'tencentChatApi');
		expect(cred).toBeDefined();
		expect(cred.properties.find((p) => p.name === 'region').options.map((o) => o.value)).toContain(
			'custom',
		);
	});
});
