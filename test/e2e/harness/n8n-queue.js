'use strict';
/**
 * Real n8n in queue mode ("scale-out"): a throwaway Redis, one main process (`n8n start` with
 * EXECUTIONS_MODE=queue: editor, REST API, production webhooks, enqueues executions) and N workers
 * (`n8n worker`, which run the executions), all sharing one N8N_USER_FOLDER — hence one SQLite
 * database, one encryption key and one community-package folder. n8n 2.x only warns that scaling
 * mode is "not officially supported with sqlite"; it works for a test of this size.
 *
 * Plain CommonJS library on top of n8n-run.js (imported, not modified): every n8n process goes
 * through runner.spawnN8n (own process group; runner.killAll() stops them), Redis is tracked here
 * (killAll() below), and a reaper process stops both if the test run itself is killed (guard()).
 */
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const runner = require('./n8n-run');

/** Processes started here (Redis), killed on exit like n8n-run's children. */
const children = new Set();
function kill(child, signal) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		child.kill(signal);
	} catch {}
}
function killAll(signal = 'SIGKILL') {
	for (const child of children) kill(child, signal);
}
process.on('exit', () => killAll());

/**
 * Under jest, `process.on('exit' | 'SIGINT' …)` registers on a sandbox copy of `process` that the
 * real process never fires, so neither n8n-run's exit hook nor one of ours would run when a test run
 * is interrupted (Ctrl-C, a CI timeout's SIGTERM, SIGKILL) — and the n8n processes, each in a
 * process group of its own, would outlive it. Hence a reaper: a small detached process that polls
 * its parent and, once the parent is gone, SIGKILLs every process (and its group) whose environment
 * carries this run's token, and removes their throwaway working folders (n8n homes, Redis dirs).
 * Nothing to unregister: processes stopped normally are simply no longer there to be found.
 */
const REAPER_ENV = 'TCPUSH_E2E_REAPER';
const REAPER_SOURCE = `
const fs = require('fs');
const path = require('path');
const [ppid, token, tmp] = process.argv.slice(-3);
const marker = '${REAPER_ENV}=' + token;
const redisPrefix = 'tcpush-redis-' + token + '-';
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
function reap() {
  const dirs = new Set();
  for (const pid of fs.readdirSync('/proc').filter((f) => /^\\d+$/.test(f)).map(Number)) {
    let env = '';
    let cwd = '';
    try { env = fs.readFileSync('/proc/' + pid + '/environ', 'utf8'); } catch { continue; }
    try { cwd = fs.readlinkSync('/proc/' + pid + '/cwd'); } catch {}
    // Redis rewrites its process title over its environment: it is known by its folder instead.
    const marked = env.split('\\0').includes(marker) || path.basename(cwd).startsWith(redisPrefix);
    if (!marked) continue;
    if (cwd) dirs.add(cwd);
    try { process.kill(-pid, 'SIGKILL'); } catch {}
    try { process.kill(pid, 'SIGKILL'); } catch {}
  }
  for (const dir of dirs) {
    if (path.dirname(dir) === tmp && /^(n8n-[0-9.]+-home-|tcpush-redis-)/.test(path.basename(dir)))
      fs.rmSync(dir, { recursive: true, force: true });
  }
}
setInterval(() => { if (!alive(Number(ppid))) { reap(); process.exit(0); } }, 1000);
`;
let reaperToken = null;

/**
 * Starts this process's reaper (once) and returns the environment entry that marks a child for
 * it. `guard(ctx)` marks every n8n process of an n8n-run context (imports included).
 */
function reaperEnv() {
	if (!reaperToken) {
		const token = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
		const env = { ...process.env };
		delete env[REAPER_ENV];
		const reaper = spawn(
			process.execPath,
			['-e', REAPER_SOURCE, String(process.pid), token, os.tmpdir()],
			{ detached: true, stdio: 'ignore', env },
		);
		reaper.unref();
		reaperToken = token;
	}
	return { [REAPER_ENV]: reaperToken };
}

function guard(ctx) {
	Object.assign(ctx.env, reaperEnv());
	return ctx;
}

/** The first executable `bin` on PATH, or null. */
function which(bin) {
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		if (!dir) continue;
		const file = path.join(dir, bin);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			if (fs.statSync(file).isFile()) return file;
		} catch {}
	}
	return null;
}

/**
 * Whether Redis can be had on this machine, without installing anything (cheap, synchronous: tests
 * call it when they are collected). `{ bin }` when installed, `{ installable: true }` when apt-get
 * can install it (root + apt-get present), `{ skip: reason }` otherwise.
 */
function redisAvailability() {
	const bin = which('redis-server');
	if (bin) return { bin };
	if (!which('apt-get')) {
		return { skip: 'redis-server is not installed and apt-get is not available to install it' };
	}
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		return { skip: 'redis-server is not installed and apt-get needs root to install it' };
	}
	return { installable: true };
}

/**
 * The path of redis-server, installing Debian's package with apt-get when it is missing (CI
 * installs it up front: `apt-get install -y redis-server`). Throws, with apt's output, when the
 * install fails although apt-get is there.
 */
/** @param {{ log?: (message: string) => void }} [options] */
function ensureRedisServer({ log = () => {} } = {}) {
	const a = redisAvailability();
	if (a.bin) return a.bin;
	if (a.skip) throw new Error(a.skip);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const apt = (args) =>
		spawnSync('apt-get', args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
	const install = ['install', '-y', '-q', '--no-install-recommends', 'redis-server'];
	log('redis-server missing: apt-get install -y redis-server');
	let r = apt(install);
	if (r.status !== 0) {
		log('apt-get install failed; apt-get update, then again');
		apt(['update', '-q']);
		r = apt(install);
	}
	const bin = which('redis-server');
	if (r.status !== 0 || !bin) {
		throw new Error(
			`apt-get install redis-server failed (exit ${r.status}):\n${`${r.stdout}\n${r.stderr}`.slice(-3000)}`,
		);
	}
	return bin;
}

/** Sends one inline Redis command, resolves with the first reply line (e.g. "+PONG"). */
function redisCommand(port, command, { timeoutMs = 2_000 } = {}) {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let data = '';
		const done = (err, value) => {
			socket.destroy();
			clearTimeout(timer);
			if (err) reject(err);
			else resolve(value);
		};
		const timer = setTimeout(() => done(new Error(`redis ${command}: no answer`)), timeoutMs);
		socket.on('error', (err) => done(err));
		socket.on('connect', () => socket.write(`${command}\r\n`));
		socket.on('data', (d) => {
			data += d;
			const eol = data.indexOf('\r\n');
			if (eol >= 0) done(null, data.slice(0, eol));
		});
	});
}

/**
 * A throwaway Redis on a free loopback port: no persistence (no RDB snapshots, no AOF), its
 * working directory a temp folder removed by stop(). Resolves once it answers PING.
 */
async function startRedis({ bin = ensureRedisServer(), timeoutMs = 15_000 } = {}) {
	// A free port can be taken between the check and Redis binding it: try another one then.
	for (let attempt = 1; ; attempt++) {
		try {
			return await startRedisOnce(bin, await runner.freePort(), timeoutMs);
		} catch (err) {
			if (attempt >= 3 || !/Address already in use/i.test(err.message)) throw err;
		}
	}
}

async function startRedisOnce(bin, port, timeoutMs) {
	const token = reaperEnv()[REAPER_ENV];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tcpush-redis-${token}-`));
	const child = /** @type {import('./n8n-run').HarnessProcess} */ (
		spawn(
			bin,
			[
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--protected-mode',
				'yes',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				dir,
				'--daemonize',
				'no',
				'--logfile',
				'',
				'--loglevel',
				'warning',
				'--databases',
				'1',
			],
			// Not detached: Redis forks nothing, and staying in our process group means a Ctrl-C of
			// the test run reaches it too.
			{ cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
		)
	);
	children.add(child);
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	child.done = new Promise((resolve) =>
		child.on('close', (code, signal) => {
			children.delete(child);
			resolve({ code, signal });
		}),
	);
	let exited = false;
	child.done.then(() => (exited = true));
	const stop = async () => {
		kill(child, 'SIGTERM');
		const timer = setTimeout(() => kill(child, 'SIGKILL'), 5_000);
		await child.done;
		clearTimeout(timer);
		fs.rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exited) {
			await stop();
			throw new Error(`redis-server exited at start:\n${output}`);
		}
		try {
			if ((await redisCommand(port, 'PING', { timeoutMs: 500 })) === '+PONG') break;
		} catch {}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server not answering PING after ${timeoutMs} ms:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return { port, host: '127.0.0.1', child, dir, output: () => output, stop };
}

/** Environment of every process of one queue-mode cluster. */
function queueEnv(redis, prefix = `tcpush${process.pid}`) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_PREFIX: prefix,
		// Our own Redis, nobody else's queue: fail fast instead of waiting for a lost Redis forever.
		QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD: '10000',
	};
}

/** `n8n worker --concurrency=N`; resolves once it logs that it is ready. */
async function startWorker(ctx, env, { concurrency = 10, timeoutMs = 90_000 } = {}) {
	const child = await runner.spawnN8n(ctx, ['worker', `--concurrency=${concurrency}`], env);
	const output = () => runner.redact(child.stdoutText + child.stderrText, ctx.secrets);
	let exited = false;
	child.done.then(() => (exited = true));
	const deadline = Date.now() + timeoutMs;
	while (!/n8n worker is now ready/.test(child.stdoutText)) {
		if (exited) {
			try {
				process.kill(-child.pid, 'SIGKILL'); // its task runner, if one was left behind
			} catch {}
			throw new Error(`n8n worker exited at start:\n${output()}`);
		}
		if (Date.now() > deadline) {
			runner.killGroup(child, 'SIGKILL');
			throw new Error(`n8n worker not ready after ${timeoutMs} ms:\n${output()}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return {
		child,
		output,
		/** Execution ids this worker ran, from its "Worker started execution N" log lines. */
		executionIds: () =>
			[...child.stdoutText.matchAll(/Worker started execution (\S+)/g)].map((m) => m[1]),
		async stop() {
			runner.killGroup(child, 'SIGTERM');
			const timer = setTimeout(() => runner.killGroup(child, 'SIGKILL'), 15_000);
			await child.done;
			clearTimeout(timer);
			runner.killGroup(child, 'SIGKILL'); // a leftover task runner, if any
		},
	};
}

/**
 * Main process (first: it runs the migrations) then `workers` workers, all in queue mode on
 * `redis`. stop() stops the workers and the main (not Redis: the caller owns it).
 */
async function startQueueCluster(ctx, redis, { workers = 2, concurrency = 10, env = {} } = {}) {
	const qEnv = { ...queueEnv(redis), ...env };
	const started = { main: null, workers: [] };
	/** Start-up seconds of each process, for reports. */
	const timings = { main: null, workers: [] };
	const secondsSince = (t0) => Number(((Date.now() - t0) / 1000).toFixed(1));
	const stop = async () => {
		await Promise.all([
			...started.workers.map((w) => w.stop()),
			started.main ? started.main.stop() : undefined,
		]);
	};
	try {
		let t0 = Date.now();
		started.main = await runner.startServer(ctx, { env: qEnv });
		timings.main = secondsSince(t0);
		// Workers start together (the main has run the migrations already). All starts settle
		// before a failure is thrown, so that stop() reaches every worker that did start.
		t0 = Date.now();
		const results = await Promise.allSettled(
			Array.from({ length: workers }, async () => {
				const worker = await startWorker(ctx, qEnv, { concurrency });
				started.workers.push(worker);
				timings.workers.push(secondsSince(t0));
			}),
		);
		const failed = results.find((r) => r.status === 'rejected');
		if (failed) throw failed.reason;
	} catch (err) {
		await stop();
		throw err;
	}
	return { main: started.main, workers: started.workers, url: started.main.url, timings, stop };
}

// --- REST / public API ----------------------------------------------------------------------

/**
 * A workflow started by a production webhook (POST /webhook/<path>) that answers with the first
 * item of its last node: Webhook → nodes in a chain. Nodes of ours get the credential.
 */
function webhookWorkflow(id, webhookPath, nodes, credential = runner.DEMO_CREDENTIAL) {
	const trigger = {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: `${id}-hook`,
		parameters: {
			httpMethod: 'POST',
			path: webhookPath,
			responseMode: 'lastNode',
			responseData: 'firstEntryJson',
			options: {},
		},
	};
	return runner.workflowChain(id, trigger, nodes, { credential });
}

/** `n8n publish:workflow --id` (2.x's activation): production webhooks register at the next start. */
async function publishWorkflow(ctx, id) {
	const r = await runner.n8nCommand(ctx, ['publish:workflow', `--id=${id}`]);
	if (r.code !== 0) {
		throw new Error(
			`n8n publish:workflow failed (exit ${r.code}):\n${runner.redact(r.stdout + r.stderr, ctx.secrets)}`,
		);
	}
	return r;
}

module.exports = {
	redisAvailability,
	ensureRedisServer,
	redisCommand,
	startRedis,
	queueEnv,
	startWorker,
	startQueueCluster,
	webhookWorkflow,
	publishWorkflow,
	killAll,
	reaperEnv,
	guard,
};
