'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { request } = require('undici');

const CLI = path.join(__dirname, '..', '..', 'emulator', 'cli.js');

function run(args, env = {}) {
	const child = spawn(process.execPath, [CLI, ...args], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	let err = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (err += d));
	const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
	const ready = new Promise((resolve, reject) => {
		child.stdout.on('data', () => {
			const m = /listening on (http:\/\/\S+)/.exec(out);
			if (m) resolve(m[1]);
		});
		exited.then((code) => reject(new Error(`exited with ${code}: ${err}`)));
	});
	ready.catch(() => {}); // awaited only by tests that expect a start
	return { child, ready, exited, output: () => ({ out, err }) };
}

test('prints its URL, serves the demo fixture, persists and stops cleanly on SIGTERM', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-cli-'));
	const file = path.join(dir, 'demo-state.json');
	try {
		const proc = run(['--port', '0', '--config', '{"pushIntervalMs":0}'], {
			TENCENT_EMULATOR_PERSIST: file,
		});
		const url = await proc.ready;
		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(proc.output().out.trim().split('\n')).toHaveLength(1);
		const health = /** @type {any} */ (
			await (await request(`${url}/_emulator/health`)).body.json()
		);
		expect(health.apps).toEqual([1400000000]);
		const users = /** @type {any} */ (
			await (await request(`${url}/_emulator/apps/1400000000/users`)).body.json()
		);
		expect(users.users.length).toBeGreaterThanOrEqual(12);
		const cfg = /** @type {any} */ (await (await request(`${url}/_emulator/config`)).body.json());
		expect(cfg.config.pushIntervalMs).toBe(0);
		await request(`${url}/_emulator/apps/1400000000/users/bob`, {
			method: 'POST',
			body: '{"online":true}',
		}).then((r) => r.body.text());
		proc.child.kill('SIGTERM');
		expect(await proc.exited).toBe(0);
		const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
		expect(saved.apps[0].users.find((u) => u.id === 'bob').online).toBe(true);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

test('MsgRandom de-duplication: 1 s by default, longer only with --dedup-window-ms or its env variable', async () => {
	const windowOf = async (args, env) => {
		const proc = run(['--port', '0', ...args], env);
		try {
			const url = await proc.ready;
			return /** @type {any} */ (await (await request(`${url}/_emulator/config`)).body.json())
				.config.dedupWindowMs;
		} finally {
			proc.child.kill('SIGTERM');
			await proc.exited;
		}
	};
	expect(await windowOf([])).toBe(1000);
	expect(await windowOf(['--dedup-window-ms', '604800000'])).toBe(604800000);
	expect(await windowOf([], { TENCENT_EMULATOR_DEDUP_WINDOW_MS: '5000' })).toBe(5000);
	const bad = run(['--port', '0', '--dedup-window-ms', 'week']);
	expect(await bad.exited).toBe(1);
	expect(bad.output().err).toMatch(/dedup window must be a whole number/);
});

test('--help exits 0; bad arguments exit 1', async () => {
	const help = run(['--help']);
	expect(await help.exited).toBe(0);
	expect(help.output().out).toMatch(/Usage: node emulator\/cli\.js/);
	const bad = run(['--bogus']);
	expect(await bad.exited).toBe(1);
	expect(bad.output().err).toMatch(/unknown argument: --bogus/);
	const badFixture = run(['--port', '0', '--fixture', '/nonexistent/fixture.json']);
	expect(await badFixture.exited).toBe(1);
	await expect(badFixture.ready).rejects.toThrow();
});
