'use strict';
/**
 * One real n8n (with the packed tarball and the examples imported) and one Chromium, driven by
 * playwright-core, shared by the editor test and `npm run screenshots`: the README images come
 * from the same steps the test asserts.
 *
 * Chromium comes from the system (Debian's `chromium` package, installed by .ci/run); nothing is
 * downloaded. CHROMIUM_PATH overrides where it is looked for.
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const { runner } = require('../helpers');
const { startEmulator } = require('../../../emulator');

// Local-only login of a throwaway instance (loopback, deleted afterwards): not a secret.
const OWNER = { email: 'editor-test@example.com', password: 'Editor-test-password-1' };
const WRONG_CREDENTIAL = { id: 'tcWrongCred00001', name: 'Tencent Chat (wrong secret key)' };
const OPERATIONS_WORKFLOW_ID = 'tcEditorAllOps01';

/** The system Chromium, or an error that says how to install it (never a silent skip). */
function findChromium() {
	const candidates = [
		process.env.CHROMIUM_PATH,
		'/usr/bin/chromium',
		'/usr/bin/chromium-browser',
		'/usr/bin/google-chrome',
	].filter(Boolean);
	for (const c of candidates) if (fs.existsSync(c)) return c;
	const which = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
		encoding: 'utf8',
	});
	if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
	throw new Error(
		'Chromium not found (looked at CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser, $PATH). ' +
			'Install it with `apt-get install -y chromium` (.ci/run does) or set CHROMIUM_PATH.',
	);
}

/** Every resource/operation pair of the built node, with the action name n8n shows for it. */
function operationsOf(description) {
	const resources = description.properties.find((p) => p.name === 'resource').options;
	const out = [];
	for (const r of resources) {
		const op = description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(r.value),
		);
		for (const o of op.options)
			out.push({ resource: r.value, operation: o.value, action: o.action });
	}
	return out;
}

/**
 * Top-level fields that must render for a resource/operation with every other parameter at its
 * default: those shown by resource and operation alone (and by the default API family).
 */
function expectedFields(description, { resource, operation }) {
	const defaults = Object.fromEntries(
		description.properties.filter((p) => p.default !== undefined).map((p) => [p.name, p.default]),
	);
	const values = { ...defaults, resource, operation };
	return description.properties
		.filter((p) => {
			if (p.type === 'hidden' || p.type === 'notice') return false;
			const show = p.displayOptions?.show ?? {};
			const hide = p.displayOptions?.hide ?? {};
			const keys = Object.keys(show);
			if (!keys.includes('resource') && !keys.includes('operation') && p.name !== 'resource')
				return false;
			for (const [k, allowed] of Object.entries(show)) {
				if (!(k in values) || !allowed.includes(values[k])) return false;
			}
			for (const [k, denied] of Object.entries(hide)) {
				if (k in values && denied.includes(values[k])) return false;
			}
			return true;
		})
		.map((p) => p.displayName);
}

function loadDescription() {
	const file = path.join(runner.ROOT, 'dist/nodes/TencentChatPush/TencentChatPush.node.js');
	delete require.cache[require.resolve(file)];
	const { TencentChatPush } = require(file);
	return new TencentChatPush().description;
}

/** A workflow with one node per operation on a grid, so that all show at once on the canvas. */
function operationsWorkflow(ops) {
	const wf = runner.workflowChain(
		OPERATIONS_WORKFLOW_ID,
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		ops.map((o) => ({
			name: o.action,
			parameters: { resource: o.resource, operation: o.operation },
		})),
	);
	wf.nodes.forEach((n, i) => (n.position = [(i % 6) * 260, Math.floor(i / 6) * 260]));
	// Each node straight after the trigger, so that "Execute step" on one runs no other operation.
	wf.connections = {
		Start: { main: [wf.nodes.slice(1).map((n) => ({ node: n.name, type: 'main', index: 0 }))] },
	};
	return wf;
}

/** Loopback only: the editor's calls to n8n.io, fonts, telemetry etc. are cut off. */
function isLoopback(url) {
	const u = new URL(url);
	if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
	return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

async function startSession({ version }) {
	const { installer, sharedTarball } = require('../helpers');
	const executablePath = findChromium();
	const { chromium, selectors } = require('playwright-core');
	selectors.setTestIdAttribute('data-test-id');

	const install = installer.ensureN8n(version);
	const tarball = sharedTarball();
	const description = loadDescription();
	const ops = operationsOf(description);
	const emu = await startEmulator({ host: '127.0.0.1', port: 0 });
	const ctx = await runner.createHome({ install, tarball });
	const session = { emu, ctx, description, ops, blocked: [], consoleErrors: [] };
	try {
		const secretKey = emu.fixture.apps[0].secretKey;
		await runner.importCredentials(ctx, [
			runner.credentialFor(emu.url, { secretKey }),
			runner.credentialFor(emu.url, { secretKey: `${secretKey}-wrong`, ...WRONG_CREDENTIAL }),
		]);
		await runner.importWorkflows(ctx, [
			...runner.loadExamples().map((e) => e.workflow),
			operationsWorkflow(ops),
		]);
		session.server = await runner.startServer(ctx, { env: { N8N_DIAGNOSTICS_ENABLED: 'false' } });
		const url = session.server.url;
		session.url = url;
		const setup = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ ...OWNER, firstName: 'Editor', lastName: 'Test' }),
		});
		if (!setup.ok) throw new Error(`owner setup failed: HTTP ${setup.status}`);

		session.browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
		const context = await session.browser.newContext({ viewport: { width: 1400, height: 900 } });
		await context.route('**/*', (route) => {
			if (isLoopback(route.request().url())) return route.continue();
			session.blocked.push(route.request().url());
			return route.abort();
		});
		const page = await context.newPage();
		// "Leave without saving?": yes, every test starts from the saved workflows.
		page.on('dialog', (d) => d.accept().catch(() => {}));
		page.setDefaultTimeout(20_000);
		page.on('console', (m) => {
			if (m.type() === 'error') session.consoleErrors.push(m.text());
		});
		page.on('pageerror', (e) =>
			session.consoleErrors.push(`${e.name}: ${e.message}\n${e.stack ?? ''}`),
		);
		const login = await page.request.post(`${url}/rest/login`, {
			data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
		});
		if (!login.ok()) throw new Error(`login failed: HTTP ${login.status()}`);
		session.page = page;
	} catch (err) {
		await stopSession(session);
		throw err;
	}
	return session;
}

async function stopSession(session) {
	if (session.browser) await session.browser.close().catch(() => {});
	if (session.server) await session.server.stop().catch(() => {});
	if (session.emu) await session.emu.stop().catch(() => {});
	if (session.ctx && !process.env.E2E_KEEP_HOME) session.ctx.remove();
}

/** Opens a node's panel by URL and returns the NDV locator. */
async function openNode(session, workflowId, nodeId) {
	await session.page.goto(`${session.url}/workflow/${workflowId}/${nodeId}`);
	const ndv = session.page.getByTestId('ndv');
	await ndv.getByTestId('node-parameters').waitFor();
	return ndv;
}

/** Opens a node's panel by double-clicking it on the canvas (no page load). */
async function openOnCanvas(session, nodeName) {
	const { page } = session;
	const ndv = page.getByTestId('ndv');
	if (await ndv.isVisible()) {
		await page.keyboard.press('Escape');
		await ndv.waitFor({ state: 'hidden' });
	}
	await page
		.getByTestId('canvas-node')
		.filter({ has: page.getByText(nodeName, { exact: true }) })
		.first()
		.dblclick();
	await ndv.getByTestId('node-parameters').waitFor();
	return ndv;
}

/** Adds a field to the collection named `label` (e.g. "Additional Fields") in the open panel. */
async function addCollectionField(page, ndv, collectionLabel, fieldLabel) {
	const item = ndv
		.getByTestId('parameter-item')
		.filter({ has: page.getByText(collectionLabel, { exact: true }) })
		.last();
	await item.getByTestId('collection-parameter-add').last().click();
	await page
		.locator('[data-test-id="collection-parameter-option"]:visible')
		.filter({ hasText: new RegExp(`^${fieldLabel.replace(/[()]/g, '\\$&')}$`) })
		.click();
}

/** Labels of the top-level parameters shown in the panel. */
async function fieldLabels(ndv) {
	return (await ndv.getByTestId('node-parameters').innerText()).split('\n').map((l) => l.trim());
}

async function screenshot(session, name, locator) {
	const dir = process.env.EDITOR_SCREENSHOTS_DIR;
	if (!dir) return;
	fs.mkdirSync(dir, { recursive: true });
	await (locator ?? session.page).screenshot({ path: path.join(dir, `${name}.png`) });
}

module.exports = {
	OWNER,
	WRONG_CREDENTIAL,
	OPERATIONS_WORKFLOW_ID,
	findChromium,
	expectedFields,
	startSession,
	stopSession,
	openNode,
	openOnCanvas,
	addCollectionField,
	fieldLabels,
	screenshot,
};
