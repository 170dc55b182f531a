#!/usr/bin/env node
'use strict';

/**
 * Load check for the emulator's hot path: signed `timpush/get_tag` calls for 100 users over
 * keep-alive connections, with the management rate limit disabled. Bounded in count and time,
 * loopback only.
 *
 *   node bench/emulator-load.js [--requests 20000] [--connections 8] [--max-seconds 30]
 *                               [--thread worker|same] [--url http://127.0.0.1:8787] [--min-rps 2000]
 *
 * Without --url the emulator is started in this process with a generated 100-user fixture: by
 * default in a worker thread, so that the load generator (which parses every JSON response) does
 * not steal the emulator's event loop; `--thread same` runs both on one thread.
 * With --url the demo fixture's app/key are assumed (override with --sdkappid/--key/--identifier)
 * and the rate limit is switched off through POST /_emulator/config.
 */

const { Worker, isMainThread, parentPort } = require('node:worker_threads');
const { Pool } = require('undici');
const { startEmulator, signUserSig } = require('../emulator');

const DEMO = {
	sdkAppId: 1400000000,
	key: '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e',
	identifier: 'administrator',
};

function parseArgs(argv) {
	const out = {
		requests: 20000,
		connections: 8,
		'max-seconds': 30,
		'min-rps': 0,
		thread: 'worker',
		url: null,
		sdkappid: DEMO.sdkAppId,
		key: DEMO.key,
		identifier: DEMO.identifier,
	};
	for (let i = 0; i < argv.length; i += 1) {
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
		if (!m || !(m[1] in out)) throw new Error(`unknown argument: ${argv[i]}`);
		const value = m[2] !== undefined ? m[2] : argv[++i];
		out[m[1]] = typeof out[m[1]] === 'number' ? Number(value) : value;
	}
	out.requests = Math.min(Math.max(1, out.requests), 200000);
	out['max-seconds'] = Math.min(Math.max(1, out['max-seconds']), 120);
	if (!['worker', 'same'].includes(out.thread)) throw new Error('--thread must be worker or same');
	return out;
}

function benchFixture() {
	const users = [];
	for (let i = 0; i < 100; i += 1)
		users.push({ id: `user${i}`, online: i % 2 === 0, tags: [`t${i % 7}`, `t${i % 11}`, 'all'] });
	return {
		apps: [{ sdkAppId: DEMO.sdkAppId, secretKey: DEMO.key, admins: [DEMO.identifier], users }],
	};
}

function percentile(sorted, p) {
	return sorted.length
		? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
		: 0;
}

const startBenchEmulator = () =>
	startEmulator({ port: 0, fixture: benchFixture(), config: { managementRatePerSecond: 0 } });

/** Emulator in a worker thread; resolves to { url, stop() }. */
function startInWorker() {
	const worker = new Worker(__filename);
	return new Promise((resolve, reject) => {
		worker.once('error', reject);
		worker.once('message', (msg) => {
			resolve({
				url: msg.url,
				stop: () =>
					new Promise((done) => {
						worker.once('exit', done);
						worker.postMessage('stop');
					}),
			});
		});
	});
}

async function workerMain() {
	const emu = await startBenchEmulator();
	parentPort.once('message', async () => {
		await emu.stop();
		process.exit(0);
	});
	parentPort.postMessage({ url: emu.url });
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	let emu = null;
	let base = args.url;
	if (base) {
		const host = new URL(base).hostname;
		if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host))
			throw new Error('--url must be a loopback address');
		const r = await fetch(`${base}/_emulator/config`, {
			method: 'POST',
			body: JSON.stringify({ managementRatePerSecond: 0 }),
		});
		if (!r.ok) throw new Error(`could not disable the rate limit: HTTP ${r.status}`);
	} else {
		emu = args.thread === 'worker' ? await startInWorker() : await startBenchEmulator();
		base = emu.url;
	}

	const usersig = signUserSig({
		sdkAppId: Number(args.sdkappid),
		key: args.key,
		identifier: args.identifier,
	});
	const ids = Array.from({ length: 100 }, (_, i) => `user${i}`);
	const body = JSON.stringify({ To_Account: ids });
	const pool = new Pool(base, {
		connections: args.connections,
		pipelining: 1,
		keepAliveTimeout: 10000,
	});
	const deadline = Date.now() + args['max-seconds'] * 1000;
	const latencies = [];
	let sent = 0;
	let failures = 0;

	async function worker() {
		while (sent < args.requests && Date.now() < deadline) {
			sent += 1;
			const random = Math.floor(Math.random() * 4294967295);
			const path = `/v4/timpush/get_tag?sdkappid=${args.sdkappid}&identifier=${args.identifier}&usersig=${usersig}&random=${random}&contenttype=json`;
			const t0 = process.hrtime.bigint();
			const res = await pool.request({
				method: 'POST',
				path,
				body,
				headers: { 'content-type': 'application/json' },
			});
			const json = /** @type {any} */ (await res.body.json());
			latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
			if (res.statusCode !== 200 || json.ErrorCode !== 0) failures += 1;
		}
	}

	const started = process.hrtime.bigint();
	await Promise.all(Array.from({ length: args.connections * 2 }, worker));
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	await pool.close();
	if (emu) await emu.stop();

	latencies.sort((a, b) => a - b);
	const rps = latencies.length / seconds;
	const result = {
		mode: args.url
			? 'external'
			: `in-process (${args.thread === 'worker' ? 'worker thread' : 'same thread'})`,
		endpoint: 'timpush/get_tag (100 users)',
		requests: latencies.length,
		failures,
		seconds: Number(seconds.toFixed(3)),
		requestsPerSecond: Math.round(rps),
		latencyMs: {
			p50: Number(percentile(latencies, 50).toFixed(2)),
			p99: Number(percentile(latencies, 99).toFixed(2)),
		},
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
	process.stdout.write(`${result.requestsPerSecond} requests/s\n`);
	if (failures > 0 || rps < args['min-rps']) process.exitCode = 1;
}

if (isMainThread) {
	main().catch((err) => {
		process.stderr.write(`emulator-load: ${err.message}\n`);
		process.exit(1);
	});
} else {
	workerMain();
}
