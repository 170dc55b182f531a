'use strict';

// A first `npm run demo` installs n8n for minutes: the installer must keep saying what it does and
// for how long (phase and elapsed time, every 15 s by default; every second here).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { root, run } = require('./helpers');

const env = { N8N_INSTALL_PROGRESS_SECONDS: '1' };

test('a long step reports its phase and elapsed time while it runs, and keeps its exit code and output', () => {
	const r = run(
		process.execPath,
		[
			path.join(root, 'test', 'e2e', 'harness', 'with-progress.js'),
			'n8n 9.9.9 [1/3]: npm install',
			'0',
			process.execPath,
			'-e',
			'console.log("step output"); setTimeout(() => process.exit(3), 3500)',
		],
		{ env },
	);
	expect(r.status).toBe(3);
	expect(r.stdout).toBe('step output\n');
	const beats = r.stderr
		.split('\n')
		.filter((l) => l.startsWith('[n8n-install] n8n 9.9.9 [1/3]: npm install: '));
	expect(beats.length).toBeGreaterThanOrEqual(2);
	expect(beats[0]).toMatch(/: \ds so far$/);
	// Elapsed time grows from one report to the next.
	const seconds = beats.map((l) => Number(/: (\d+)s so far/.exec(l)[1]));
	expect(seconds.at(-1)).toBeGreaterThan(seconds[0]);
}, 60_000);

test('an installer waiting for another process to finish the same install says so while it waits', async () => {
	const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'install-progress-'));
	try {
		// Another process holds the install lock of Node 24, finishes the install after 3.5 s and leaves.
		const other = spawn(
			process.execPath,
			[
				'-e',
				`setTimeout(() => { const fs = require('fs'); fs.mkdirSync(${JSON.stringify(path.join(cache, 'node-24'))}, { recursive: true }); fs.writeFileSync(${JSON.stringify(path.join(cache, 'node-24', '.install-complete.json'))}, '{"version":"v24.0.0"}'); }, 3500)`,
			],
			{ stdio: 'ignore' },
		);
		fs.mkdirSync(path.join(cache, 'node-24.lock'));
		fs.writeFileSync(path.join(cache, 'node-24.lock', 'pid'), String(other.pid));
		const exited = new Promise((resolve) => other.on('exit', resolve));

		// Asynchronously, so that this process reaps the other one when it exits (a zombie looks alive).
		const installer = spawn(
			process.execPath,
			[
				'-e',
				`require(${JSON.stringify(path.join(root, 'test', 'e2e', 'harness', 'n8n-install.js'))}).ensureNode('24')`,
			],
			{
				env: { ...process.env, ...env, N8N_E2E_CACHE: cache },
				stdio: ['ignore', 'ignore', 'pipe'],
			},
		);
		let stderr = '';
		installer.stderr.on('data', (d) => (stderr += d));
		const status = await new Promise((resolve) => installer.on('exit', resolve));
		await exited;
		const r = { status, stderr };
		expect(r.status).toBe(0);
		const waits = r.stderr
			.split('\n')
			.filter((l) =>
				l.includes(`waiting for another process (pid ${other.pid}) installing into node-24`),
			);
		expect(waits.length).toBeGreaterThanOrEqual(2);
		expect(waits[0]).toMatch(/: \ds so far$/);
		expect(r.stderr).not.toContain('downloading'); // the other process's install was used, not redone
	} finally {
		fs.rmSync(cache, { recursive: true, force: true });
	}
}, 60_000);
