#!/usr/bin/env node
'use strict';
/**
 * Runs this package inside a real n8n (installed by n8n-install.js), the way users get it:
 * `npm pack` → extracted into `<N8N_USER_FOLDER>/.n8n/nodes/node_modules/<package>` → n8n's own CLI
 * (`import:credentials`, `import:workflow`, `execute --rawOutput`) or server (`n8n start`).
 * Used by the e2e tests, the demo and the editor script.
 *
 * CLI: node scripts/n8n-run.js --workflow <file.json> [--emulator-url http://127.0.0.1:8787]
 *      [--n8n 2.41.1] [--no-build]    prints the output items of every node (secrets redacted).
 */
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const installer = require('./n8n-install');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PACKAGE = require(path.join(ROOT, 'package.json')).name;
const NODE_TYPE = `${PACKAGE}.tencentChatPush`;
const TOOL_NODE_TYPE = `${PACKAGE}.tencentChatPushTool`;
/** Fixed, test-only encryption key: the throwaway database never holds real secrets. */
const ENCRYPTION_KEY = 'e2e-only-not-a-secret-7d1c0a9b';
/** The demo fixture's app (emulator/fixtures/demo.json). */
const DEMO_APP = { sdkAppId: 1400000000, adminAccount: 'administrator' };
const DEMO_CREDENTIAL = { id: 'tcDemoCred00001', name: 'Tencent Chat (demo emulator)' };

/** Every child process we start, so that they can all be stopped on failure, exit or Ctrl-C. */
const children = new Set();

/** Removes what may never be printed: usersigs travel in query strings, secret keys in credentials. */
function redact(text, secrets = []) {
	let out = String(text).replace(/(usersig=)[^&\s"'\\]+/gi, '$1[redacted]');
	for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
	return out;
}

/**
 * A child process started by the harness, with what it printed so far and a promise of its end.
 * @typedef {import('child_process').ChildProcessByStdio<null, import('stream').Readable, import('stream').Readable> & {
 *   port?: number, stdoutText?: string, stderrText?: string,
 *   done?: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
 * }} HarnessProcess
 */

/** @returns {Promise<number>} */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('net').AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

/** Kills a child's whole process group (n8n starts a task runner of its own). */
function killGroup(child, signal = 'SIGTERM') {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {}
	}
}

function killAll(signal = 'SIGKILL') {
	for (const child of children) killGroup(child, signal);
}
// Last line of defence: a process that exits never leaves an n8n behind.
process.on('exit', () => killAll());

/** `npm run build` (unless build=false), then `npm pack`; checks the package needs no `npm install`. */
/** @param {{ build?: boolean, destination?: string }} [options] */
function packPackage({ build = true, destination } = {}) {
	const dest = destination || fs.mkdtempSync(path.join(os.tmpdir(), 'tcpush-pack-'));
	if (build) {
		const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
		if (b.status !== 0) throw new Error(`npm run build failed:\n${b.stdout}\n${b.stderr}`);
	}
	const p = spawnSync('npm', ['pack', '--json', '--pack-destination', dest], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	if (p.status !== 0) throw new Error(`npm pack failed:\n${p.stderr}`);
	const tarball = path.join(dest, JSON.parse(p.stdout)[0].filename);
	// n8n's community-package installer runs `npm install` for dependencies; we only extract, so
	// make sure there is nothing to install (n8n's lint also bans runtime dependencies).
	const manifest = JSON.parse(
		spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }).stdout,
	);
	if (Object.keys(manifest.dependencies || {}).length > 0) {
		throw new Error(
			`${PACKAGE} has runtime dependencies; extracting the tarball would not be enough`,
		);
	}
	return tarball;
}

/**
 * A throwaway n8n home with the package installed as a community package.
 * Returns a context used by the other functions.
 */
/** @param {{ version?: string, tarball?: string, dir?: string, install?: boolean }} [options] */
async function createHome({ version = installer.LATEST, tarball, dir, install } = {}) {
	const n8n = install || installer.ensureN8n(version);
	const home = dir || fs.mkdtempSync(path.join(os.tmpdir(), `n8n-${n8n.version}-home-`));
	const nodesDir = path.join(home, '.n8n', 'nodes');
	const pkgDir = path.join(nodesDir, 'node_modules', PACKAGE);
	fs.mkdirSync(pkgDir, { recursive: true });
	const t = spawnSync('tar', ['-xzf', tarball, '--strip-components=1', '-C', pkgDir]);
	if (t.status !== 0) throw new Error(`could not extract ${tarball}: ${t.stderr}`);
	const version_ = require(path.join(pkgDir, 'package.json')).version;
	// What n8n's own installer leaves behind: a package.json that lists the installed package.
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [PACKAGE]: version_ } },
			null,
			2,
		),
	);
	// n8n settings of the caller's shell (a database, queue mode, auth…) must not reach the
	// throwaway instance; neither may jest's JEST_WORKER_ID.
	const env = Object.fromEntries(
		Object.entries(n8n.env).filter(([k]) => !/^(N8N_|DB_|QUEUE_|EXECUTIONS_|JEST_)/.test(k)),
	);
	return {
		n8n,
		home,
		env: {
			...env,
			NODE_ENV: 'production', // jest sets NODE_ENV=test, which silences n8n's logger (and its output)
			N8N_USER_FOLDER: home,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_LOG_LEVEL: 'info', // `execute` prints its result through the logger
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_SECURE_COOKIE: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
		},
		secrets: [],
		remove() {
			fs.rmSync(home, { recursive: true, force: true });
		},
	};
}

/** Starts n8n with `args` in its own process group; `ports` are chosen fresh for every process. */
async function spawnN8n(ctx, args, extraEnv = {}) {
	const env = {
		...ctx.env,
		N8N_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...extraEnv,
	};
	const child = /** @type {HarnessProcess} */ (
		spawn(ctx.n8n.nodeBin, [ctx.n8n.n8nBin, ...args], {
			cwd: ctx.home,
			env,
			detached: true, // own process group, so the task runner dies with it
			stdio: ['ignore', 'pipe', 'pipe'],
		})
	);
	children.add(child);
	child.port = Number(env.N8N_PORT);
	child.stdoutText = '';
	child.stderrText = '';
	child.stdout.on('data', (d) => (child.stdoutText += d));
	child.stderr.on('data', (d) => (child.stderrText += d));
	child.done = new Promise((resolve) =>
		child.on('close', (code, signal) => {
			children.delete(child);
			resolve({ code, signal });
		}),
	);
	return child;
}

/** Runs an n8n CLI command to completion (killed after timeoutMs). */
async function n8nCommand(ctx, args, { timeoutMs = 120_000 } = {}) {
	const t0 = Date.now();
	const child = await spawnN8n(ctx, args);
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
	const { code, signal } = await child.done;
	clearTimeout(timer);
	killGroup(child, 'SIGKILL'); // a leftover task runner, if any
	return { code, signal, stdout: child.stdoutText, stderr: child.stderrText, ms: Date.now() - t0 };
}

/**
 * @param {string} emulatorUrl
 * @param {{ secretKey?: string, id?: string, name?: string, [field: string]: unknown }} [options]
 */
function credentialFor(
	emulatorUrl,
	{ secretKey, id = DEMO_CREDENTIAL.id, name = DEMO_CREDENTIAL.name, ...rest } = {},
) {
	return {
		id,
		name,
		type: 'tencentChatApi',
		data: {
			sdkAppId: DEMO_APP.sdkAppId,
			region: 'custom',
			baseUrl: emulatorUrl,
			adminAccount: DEMO_APP.adminAccount,
			secretKey,
			userSigValidity: 86400,
			...rest,
		},
	};
}

/** The demo credential for a running emulator, signed with its first app's secret key. */
function emulatorCredential(emu) {
	return credentialFor(emu.url, { secretKey: emu.fixture.apps[0].secretKey });
}

async function importJson(ctx, kind, list) {
	const file = path.join(ctx.home, `import-${kind}-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(list, null, 2));
	const r = await n8nCommand(ctx, [`import:${kind}`, `--input=${file}`]);
	fs.rmSync(file, { force: true }); // credentials are in plain text in it
	if (r.code !== 0) {
		throw new Error(
			`n8n import:${kind} failed (exit ${r.code}):\n${redact(r.stdout + r.stderr, ctx.secrets)}`,
		);
	}
	return r;
}

async function importCredentials(ctx, credentials) {
	for (const c of credentials) ctx.secrets.push(c.data.secretKey);
	return importJson(ctx, 'credentials', credentials);
}

async function importWorkflows(ctx, workflows) {
	return importJson(ctx, 'workflow', workflows);
}

/**
 * `n8n execute --id <id> --rawOutput`. Resolves with { ok, code, run, error, output, ms }:
 * `run` is n8n's IRun (null when n8n printed none), `error` the workflow error's message,
 * `output` everything n8n printed, redacted.
 */
async function executeWorkflow(ctx, id, { timeoutMs = 120_000 } = {}) {
	const r = await n8nCommand(ctx, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
	const output = redact(r.stdout + r.stderr, ctx.secrets);
	// Log lines come first; the run data is the first JSON object that starts a line. It is
	// pretty-printed, so it ends at the first "}" alone on a line; on failure an error report follows.
	const start = r.stdout.startsWith('{') ? 0 : r.stdout.indexOf('\n{') + 1;
	let run = null;
	if (start > 0 || r.stdout.startsWith('{')) {
		const end = r.stdout.indexOf('\n}', start);
		try {
			run = JSON.parse(r.stdout.slice(start, end < 0 ? undefined : end + 2));
		} catch {
			run = null;
		}
	}
	const error = run?.data?.resultData?.error;
	// n8n 2.41's `execute` sometimes dies of SIGSEGV while shutting down (its isolated-vm expression
	// engine), after the run finished and its result was printed: a complete, error-free result then
	// counts as the run it reports. A crash before the result was printed still fails.
	const crashedAfterResult = run !== null && (r.signal === 'SIGSEGV' || r.code === 139);
	return {
		ok: (r.code === 0 || crashedAfterResult) && !error,
		crashedAfterResult,
		code: r.code,
		run,
		error: error
			? { message: error.message, description: error.description, node: error.node?.name }
			: null,
		lastNode: run?.data?.resultData?.lastNodeExecuted,
		output,
		// Unredacted, for leak checks only: never print it.
		rawOutput: r.stdout + r.stderr,
		ms: r.ms,
	};
}

/** Output items (their `json`) of a node in a run, from its first (or `runIndex`) run. */
function itemsOf(run, nodeName, runIndex = 0) {
	const task = run?.data?.resultData?.runData?.[nodeName]?.[runIndex];
	if (!task) return undefined;
	return (task.data?.main?.[0] ?? []).map((item) => item.json);
}

/** The error a node ended with, if any. */
function errorOf(run, nodeName) {
	const task = run?.data?.resultData?.runData?.[nodeName]?.[0];
	return task?.error
		? { message: task.error.message, description: task.error.description }
		: undefined;
}

/** `n8n start` on a loopback port; resolves once the editor and REST API answer. */
/**
 * @param {any} ctx
 * @param {{ timeoutMs?: number, port?: number, env?: Record<string, string> }} [options]
 */
async function startServer(ctx, { timeoutMs = 90_000, port, env = {} } = {}) {
	const child = await spawnN8n(ctx, ['start'], {
		...env,
		...(port ? { N8N_PORT: String(port) } : {}),
	});
	const url = `http://127.0.0.1:${child.port}`;
	const deadline = Date.now() + timeoutMs;
	let exited = false;
	child.done.then(() => (exited = true));
	for (;;) {
		if (exited)
			throw new Error(
				`n8n start exited early:\n${redact(child.stdoutText + child.stderrText, ctx.secrets)}`,
			);
		// 2.8 answers readiness seconds before its REST routes exist; the banner comes after them.
		if (/Editor is now accessible via/.test(child.stdoutText)) {
			try {
				const res = await fetch(`${url}/healthz/readiness`);
				if (res.status === 200) break;
			} catch {}
		}
		if (Date.now() > deadline) {
			killGroup(child, 'SIGKILL');
			throw new Error(
				`n8n start not ready after ${timeoutMs} ms:\n${redact(child.stdoutText, ctx.secrets)}`,
			);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		url,
		child,
		output: () => redact(child.stdoutText + child.stderrText, ctx.secrets),
		async stop() {
			killGroup(child, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
			await child.done;
			clearTimeout(timer);
			killGroup(child, 'SIGKILL');
		},
	};
}

/** Loads every workflow of examples/ (sorted by file name). */
function loadExamples() {
	const dir = path.join(ROOT, 'examples');
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({ file: f, workflow: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
}

/**
 * A workflow whose trigger node is followed by `nodes` in a chain. Nodes without a `type` are ours
 * and get the credential, and with `executeOnce` they run once however many items arrive (unless
 * the node says `executeOnce: false`); `continueOnFail` becomes n8n's "continue" error setting.
 */
function workflowChain(
	id,
	trigger,
	nodes,
	{ credential = DEMO_CREDENTIAL, executeOnce = false } = {},
) {
	const all = [{ id: `${id}-trigger`, position: [0, 0], ...trigger }];
	const connections = {};
	let prev = trigger.name;
	nodes.forEach((n, i) => {
		const node = {
			id: `${id}-${i}`,
			name: n.name,
			type: n.type || NODE_TYPE,
			typeVersion: n.typeVersion || 1,
			position: [220 * (i + 1), 0],
			parameters: n.parameters,
		};
		if (!n.type) {
			node.credentials = { tencentChatApi: { id: credential.id, name: credential.name } };
			if (executeOnce && n.executeOnce !== false) node.executeOnce = true;
		}
		if (n.continueOnFail) node.onError = 'continueRegularOutput';
		all.push(node);
		connections[prev] = { main: [[{ node: n.name, type: 'main', index: 0 }]] };
		prev = n.name;
	});
	return {
		id,
		name: `e2e ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: all,
		connections,
	};
}

module.exports = {
	cli,
	ROOT,
	PACKAGE,
	NODE_TYPE,
	TOOL_NODE_TYPE,
	DEMO_APP,
	DEMO_CREDENTIAL,
	redact,
	freePort,
	killGroup,
	killAll,
	packPackage,
	createHome,
	spawnN8n,
	n8nCommand,
	credentialFor,
	emulatorCredential,
	importCredentials,
	importWorkflows,
	executeWorkflow,
	itemsOf,
	errorOf,
	startServer,
	loadExamples,
	workflowChain,
};

// ---------------------------------------------------------------------------------------------
async function cli() {
	const args = process.argv.slice(2);
	const opt = (name, dflt) => {
		const i = args.indexOf(`--${name}`);
		return i >= 0 ? args[i + 1] : dflt;
	};
	const wfFile = opt('workflow');
	if (!wfFile) {
		console.error(
			'usage: node scripts/n8n-run.js --workflow <file.json> [--emulator-url URL] [--n8n VERSION] [--no-build]',
		);
		process.exit(2);
	}
	const { startEmulator } = require(path.join(ROOT, 'emulator'));
	let emu = null;
	let emulatorUrl = opt('emulator-url');
	if (!emulatorUrl) {
		emu = await startEmulator({ host: '127.0.0.1', port: 0 });
		emulatorUrl = emu.url;
	}
	const fixture = emu ? emu.fixture : require(path.join(ROOT, 'emulator', 'fixtures', 'demo.json'));
	const secretKey = process.env.TENCENT_SECRET_KEY || fixture.apps[0].secretKey;
	const tarball = packPackage({ build: !args.includes('--no-build') });
	const ctx = await createHome({ version: opt('n8n', installer.LATEST), tarball });
	try {
		await importCredentials(ctx, [credentialFor(emulatorUrl, { secretKey })]);
		const workflow = JSON.parse(fs.readFileSync(wfFile, 'utf8'));
		await importWorkflows(ctx, [workflow]);
		const result = await executeWorkflow(ctx, workflow.id);
		for (const name of Object.keys(result.run?.data?.resultData?.runData ?? {})) {
			console.log(`--- ${name}`);
			console.log(
				redact(
					JSON.stringify(itemsOf(result.run, name) ?? errorOf(result.run, name), null, 2),
					ctx.secrets,
				),
			);
		}
		if (!result.ok) {
			console.error(result.error ? `Workflow failed: ${result.error.message}` : result.output);
			process.exitCode = 1;
		}
	} finally {
		ctx.remove();
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
		if (emu) await emu.stop();
	}
}

if (require.main === module) {
	cli().catch((err) => {
		console.error(redact(err.stack || err.message));
		process.exit(1);
	});
}
