#!/usr/bin/env node
'use strict';
/**
 * `npm run n8n`: the real n8n editor with this package installed, the Tencent Chat emulator running
 * and the example workflows and recipes plus a credential for the emulator already imported (the
 * recipes unpublished; the AI-agent recipe's model is the local OpenAI stand-in). Ctrl-C stops all.
 *
 * Env: N8N_EDITOR_PORT (default 5678), TENCENT_EMULATOR_PORT (default: any free port),
 *      N8N_EDITOR_EMAIL / N8N_EDITOR_PASSWORD (the local owner login), DEMO_N8N_VERSION
 *      (default the latest supported), N8N_E2E_CACHE.
 * The n8n home is throwaway (a temp folder): nothing you do in this editor is kept.
 */
const fs = require('fs');
const path = require('path');

const installer = require('../test/e2e/harness/n8n-install');
const runner = require('../test/e2e/harness/n8n-run');
const { startOpenAiStandin } = require('../test/e2e/harness/openai-standin');
const recipes = require('../test/e2e/harness/recipes');
const { startEmulator } = require('../emulator');

// Local-only login of the throwaway instance (loopback, deleted on exit): not a secret.
const OWNER = {
	email: process.env.N8N_EDITOR_EMAIL || 'demo@example.com',
	password: process.env.N8N_EDITOR_PASSWORD || 'Demo-password-1',
};

async function main() {
	const port = Number(process.env.N8N_EDITOR_PORT || 5678);
	const install = installer.ensureN8n(process.env.DEMO_N8N_VERSION || installer.LATEST);
	if (!fs.existsSync(path.join(runner.ROOT, 'dist', 'nodes')))
		throw new Error('dist/ is missing: run `npm run build` first');
	const tarball = runner.packPackage({ build: false });

	const emu = await startEmulator({
		host: '127.0.0.1',
		port: Number(process.env.TENCENT_EMULATOR_PORT || 0),
	});
	const standin = await startOpenAiStandin();
	const ctx = await runner.createHome({ install, tarball });
	let server;
	let stopping = false;
	const stop = async () => {
		stopping = true;
		if (server) await server.stop().catch(() => {});
		await emu.stop().catch(() => {});
		await standin.stop().catch(() => {});
		ctx.remove();
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	};
	for (const sig of ['SIGINT', 'SIGTERM']) {
		process.once(sig, () => {
			console.log('\nstopping n8n and the emulator…');
			stop().finally(() => process.exit(0));
		});
	}
	try {
		await runner.importCredentials(ctx, [
			runner.emulatorCredential(emu),
			recipes.openAiStandinCredential(standin.url),
		]);
		await runner.importWorkflows(ctx, [
			...runner.loadExamples().map((e) => e.workflow),
			...recipes.loadRecipes().map((r) => r.workflow),
		]);
		server = await runner.startServer(ctx, { port });
		// A throwaway local owner, so the editor opens straight on the imported workflows.
		const setup = await fetch(`${server.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				email: OWNER.email,
				firstName: 'Demo',
				lastName: 'Owner',
				password: OWNER.password,
			}),
		});
		if (!setup.ok) throw new Error(`owner setup failed: HTTP ${setup.status}`);
		server.child.on('exit', () => {
			if (stopping) return;
			console.error('n8n exited');
			stop().finally(() => process.exit(1));
		});
	} catch (err) {
		await stop();
		throw err;
	}
	console.log(`
n8n ${install.version} editor:  ${server.url}
  Sign in as ${OWNER.email} / ${OWNER.password} (a local, throwaway account); the examples are under "Overview".
  Credential "${runner.DEMO_CREDENTIAL.name}" points at the emulator.
Tencent Chat emulator:  ${emu.url}   (state: ${emu.url}/_emulator/apps/${runner.DEMO_APP.sdkAppId}/users, pushes: ${emu.url}/_emulator/tasks)
Ctrl-C stops everything.`);
}

main().catch((err) => {
	console.error(`n8n editor failed: ${runner.redact(err.message)}`);
	runner.killAll('SIGKILL');
	process.exit(1);
});
