/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * P2: 10 consecutive pushes through the node with the real push gap, against the
 * emulator (own process) enforcing Tencent's 1,000 ms interval, side by side with a baseline
 * client that starts a push every 1,000 ms exactly (plain undici). Seconds per push and 90024s are
 * read from the emulator's recorded arrival times. Prints and records; asserts nothing.
 * BENCH_PUSHES overrides the count.
 */
import { join } from 'node:path';
import { Pool } from 'undici';

import { resetLanes } from '../nodes/TencentChatPush/helpers/pacing';
import { runNode } from '../test/harness/engine';
import { recordBenchmark } from './results';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { signUserSig } = require('../emulator');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulatorProcess } = require('./emulator-process');

const PUSHES = Number(process.env.BENCH_PUSHES ?? 10);
const SDK_APP_ID = 1400000779;
const KEY = 'bench-push-key-not-a-secret';
const LIMIT_S = 1.0;

interface Emulator {
	url: string;
	counters(): Promise<{ responsesByCode: Record<string, number>; pushesAccepted: number }>;
	reset(): Promise<void>;
	stop(): Promise<void>;
}

interface Arrival {
	time: number;
	errorCode: number | null;
}

async function arrivals(emu: Emulator): Promise<Arrival[]> {
	const { requests } = (await (
		await fetch(`${emu.url}/_emulator/requests?endpoint=timpush/push`)
	).json()) as { requests: Arrival[] };
	return requests;
}

function figures(log: Arrival[], counters: { responsesByCode: Record<string, number> }) {
	const accepted = log.filter((r) => r.errorCode === 0).map((r) => r.time);
	const gaps = accepted.slice(1).map((t, i) => t - accepted[i]);
	return {
		accepted: accepted.length,
		secondsPerPush:
			accepted.length > 1
				? (accepted[accepted.length - 1] - accepted[0]) / (accepted.length - 1) / 1000
				: NaN,
		minGapMs: Math.min(...gaps),
		maxGapMs: Math.max(...gaps),
		rejected90024: counters.responsesByCode['90024'] ?? 0,
		requests: log.length,
	};
}

/** A client that starts one push every 1,000 ms (start to start), retrying nothing. */
async function baseline(emu: Emulator): Promise<void> {
	const pool = new Pool(emu.url, { connections: 1 });
	const usersig = signUserSig({ sdkAppId: SDK_APP_ID, key: KEY, identifier: 'administrator' });
	const started = Date.now();
	for (let i = 0; i < PUSHES; i++) {
		const wait = started + i * 1000 - Date.now();
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		const response = await pool.request({
			method: 'POST',
			path: `/v4/timpush/push?sdkappid=${SDK_APP_ID}&identifier=administrator&usersig=${usersig}&random=${i}&contenttype=json`,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				MsgRandom: 1_000_000 + i,
				OfflinePushInfo: { Title: 'P2', Desc: `baseline ${i}` },
			}),
		});
		await response.body.json();
	}
	await pool.close();
}

test(
	'P2: push spacing through the node vs a 1,000 ms client',
	async () => {
		const fixture = {
			apps: [
				{
					sdkAppId: SDK_APP_ID,
					secretKey: KEY,
					admins: ['administrator'],
					pushEnabled: true,
					users: [{ id: 'administrator' }, { id: 'alice' }],
				},
			],
		};
		const emu: Emulator = await startEmulatorProcess(fixture, { dailyPushQuota: 10_000 });
		try {
			resetLanes();
			const result = await runNode({
				parameters: {
					resource: 'push',
					operation: 'send',
					api: 'timpush',
					audience: 'all',
					notificationTitle: 'P2',
					notificationText: '={{ $json.text }}',
					message: 'none',
					additionalFields: {},
					options: {},
				},
				items: Array.from({ length: PUSHES }, (_, i) => ({ text: `node ${i}` })),
				credentials: {
					sdkAppId: SDK_APP_ID,
					region: 'custom',
					baseUrl: emu.url,
					adminAccount: 'administrator',
					secretKey: KEY,
					userSigValidity: 86400,
				},
			});
			if (result.error) throw result.error;
			const node = figures(await arrivals(emu), await emu.counters());

			await emu.reset();
			await baseline(emu);
			const base = figures(await arrivals(emu), await emu.counters());

			const rows = [
				['', 'accepted', 's/push', 'vs 1.0 s', 'min gap ms', 'max gap ms', '90024'],
				[
					'node (lane gap 1,020 ms)',
					node.accepted,
					node.secondsPerPush.toFixed(3),
					`${(node.secondsPerPush / LIMIT_S).toFixed(3)}x`,
					node.minGapMs,
					node.maxGapMs,
					node.rejected90024,
				],
				[
					'baseline (start every 1,000 ms)',
					base.accepted,
					base.secondsPerPush.toFixed(3),
					`${(base.secondsPerPush / LIMIT_S).toFixed(3)}x`,
					base.minGapMs,
					base.maxGapMs,
					base.rejected90024,
				],
			];
			const lines = rows.map((r) => r.map((c, i) => String(c).padEnd(i === 0 ? 34 : 12)).join(''));
			lines.push(
				`goals: <= 1.05 s per push and 0 × 90024 (node: ${node.secondsPerPush <= 1.05 && node.rejected90024 === 0 ? 'met' : 'not met'})`,
			);
			process.stdout.write(
				`\nP2 push interval (${PUSHES} pushes, emulator interval 1,000 ms, arrival times from the emulator)\n${lines.join('\n')}\n`,
			);
			recordBenchmark(join(__dirname, 'results.json'), 'P2', {
				pushes: PUSHES,
				nodeSecondsPerPush: Number(node.secondsPerPush.toFixed(4)),
				nodeRatioToLimit: Number((node.secondsPerPush / LIMIT_S).toFixed(4)),
				nodeMinGapMs: node.minGapMs,
				node90024: node.rejected90024,
				baselineSecondsPerPush: Number(base.secondsPerPush.toFixed(4)),
				baseline90024: base.rejected90024,
				baselineAccepted: base.accepted,
			});
		} finally {
			await emu.stop();
		}
	},
	5 * 60_000,
);
