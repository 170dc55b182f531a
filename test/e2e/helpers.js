'use strict';
/**
 * Shared setup of the real-n8n end-to-end tests: which n8n versions to run (E2E_N8N_VERSIONS,
 * comma-separated, default every supported one), a build + `npm pack` shared by the test files
 * of one run, and a workflow builder so that tests stay short.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const installer = require('./harness/n8n-install');
const runner = require('./harness/n8n-run');

const VERSIONS = (process.env.E2E_N8N_VERSIONS || Object.keys(installer.VERSIONS).join(','))
	.split(',')
	.map((v) => v.trim())
	.filter(Boolean);

/** First install of n8n takes minutes (npm install + compiling sqlite3). */
const INSTALL_TIMEOUT_MS = 30 * 60 * 1000;

const SOURCES = ['nodes', 'credentials', 'icons', 'package.json'];

function newestMtime(p) {
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	return fs.readdirSync(p).reduce((m, f) => Math.max(m, newestMtime(path.join(p, f))), st.mtimeMs);
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

function sleepSync(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds (when dist/ is older than the sources) and packs the package once per test run: test
 * files may run in parallel workers, so a lock keeps them from running tsc into dist/ together and
 * the tarball is shared through a folder named after the jest process of the run.
 */
function sharedTarball() {
	// The jest process of this run: the parent of a forked worker, or this process when in band.
	const runPid = typeof process.send === 'function' ? process.ppid : process.pid;
	// Tarballs of earlier runs (their jest process is gone) are removed first.
	for (const f of fs.readdirSync(os.tmpdir())) {
		const m = /^tcpush-e2e-pack-(\d+)$/.exec(f);
		if (m && Number(m[1]) !== runPid && !isAlive(Number(m[1]))) {
			fs.rmSync(path.join(os.tmpdir(), f), { recursive: true, force: true });
		}
	}
	const dir = path.join(os.tmpdir(), `tcpush-e2e-pack-${runPid}`);
	const lock = `${dir}.lock`;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			break;
		} catch {
			sleepSync(500);
		}
	}
	try {
		const done = path.join(dir, 'tarball.txt');
		if (fs.existsSync(done)) return fs.readFileSync(done, 'utf8');
		const dist = path.join(runner.ROOT, 'dist');
		const stale =
			!fs.existsSync(dist) ||
			Math.max(...SOURCES.map((s) => newestMtime(path.join(runner.ROOT, s)))) > newestMtime(dist);
		fs.mkdirSync(dir, { recursive: true });
		const tarball = runner.packPackage({
			build: stale || process.env.E2E_BUILD === '1',
			destination: dir,
		});
		fs.writeFileSync(done, tarball);
		return tarball;
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/** A test workflow: Manual Trigger → nodes in a chain. Nodes of ours run once each (executeOnce). */
function chainWorkflow(id, nodes, credential = runner.DEMO_CREDENTIAL) {
	const trigger = {
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		parameters: {},
	};
	return runner.workflowChain(id, trigger, nodes, { credential, executeOnce: true });
}

/**
 * Which n8n-workflow exports the built node uses that the n8n-workflow inside an installed n8n
 * lacks (community packages get the host's copy at runtime, not the devDependency).
 */
function missingWorkflowExports(install) {
	const used = new Set();
	const walk = (dir) => {
		for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
			const p = path.join(dir, f.name);
			if (f.isDirectory()) walk(p);
			else if (f.name.endsWith('.js')) {
				for (const m of fs.readFileSync(p, 'utf8').matchAll(/n8n_workflow_\d+\.(\w+)/g))
					used.add(m[1]);
			}
		}
	};
	walk(path.join(runner.ROOT, 'dist'));
	const n8nDir = path.join(install.dir, 'node_modules', 'n8n');
	const script = `const p = require.resolve('n8n-workflow', { paths: [${JSON.stringify(n8nDir)}] });
		const w = require(p);
		console.log(JSON.stringify({ file: p, names: Object.keys(w) }));`;
	const r = spawnSync(install.nodeBin, ['-e', script], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(r.stderr);
	const { file, names } = JSON.parse(r.stdout);
	const pkg = JSON.parse(
		fs.readFileSync(path.join(file.slice(0, file.lastIndexOf('/dist/')), 'package.json'), 'utf8'),
	);
	return {
		version: pkg.version,
		used: [...used].sort(),
		missing: [...used].filter((n) => !names.includes(n)),
	};
}

module.exports = {
	VERSIONS,
	INSTALL_TIMEOUT_MS,
	sharedTarball,
	chainWorkflow,
	missingWorkflowExports,
	installer,
	runner,
};
