/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * P3: UserSig signings per 10,000 requests, and the node's client-side cost per request
 * as a fraction of a plain undici request to the same emulator (own process, rate limit off).
 * The node's 100 requests/s management lane is replaced by a direct one (test/reliability/
 * pacing-mock.ts) so that pacing, which is not overhead, is left out; both sides use 8 concurrent
 * requests. Each item names 100 users, so each item is one request of the same body as the
 * baseline's. Two operations: userTag get (100 output items per request) and userTag removeAll
 * (one output item per request). Rounds alternate node and baseline; the median is reported.
 * BENCH_REQUESTS (default 2,000) and BENCH_ROUNDS (default 5) override the sizes.
 */
import axios from 'axios';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

import { userSigCache } from '../credentials/userSig';
import { resetLanes } from '../nodes/TencentChatPush/helpers/pacing';
import { runNode } from '../test/harness/engine';
import { pacingSettings } from '../test/reliability/pacing-mock';
import { recordBenchmark } from './results';

jest.mock('../nodes/TencentChatPush/helpers/pacing', () =>
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../test/reliability/pacing-mock').pacingWithSettings(
		jest.requireActual('../nodes/TencentChatPush/helpers/pacing'),
	),
);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { signUserSig } = require('../emulator');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulatorProcess } = require('./emulator-process');

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SDK_APP_ID = 1400000780;
const KEY = 'bench-overhead-key-not-a-secret';
const USERS = Array.from({ length: 100 }, (_, i) => `user${i}`);

interface Emulator {
	url: string;
	counters(): Promise<{ requests: Record<string, number>; limitRejections: number }>;
	reset(): Promise<void>;
	stop(): Promise<void>;
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function undiciRun(emu: Emulator, command: string): Promise<number> {
	const pool = new Pool(emu.url, { connections: 8 });
	const usersig = signUserSig({ sdkAppId: SDK_APP_ID, key: KEY, identifier: 'administrator' });
	const body = JSON.stringify({ To_Account: USERS });
	let next = 0;
	const started = performance.now();
	const worker = async () => {
		while (next < REQUESTS) {
			const index = next++;
			const response = await pool.request({
				method: 'POST',
				path: `/v4/timpush/${command}?sdkappid=${SDK_APP_ID}&identifier=administrator&usersig=${usersig}&random=${index}&contenttype=json`,
				headers: { 'content-type': 'application/json' },
				body,
			});
			const json = (await response.body.json()) as { ActionStatus: string };
			if (json.ActionStatus !== 'OK')
				throw new Error(`baseline request failed: ${JSON.stringify(json)}`);
		}
	};
	await Promise.all(Array.from({ length: 8 }, worker));
	const ms = performance.now() - started;
	await pool.close();
	return ms;
}

/** The same requests through axios (the client under n8n's HTTP helper), 8 in flight, keep-alive. */
async function axiosRun(emu: Emulator, command: string): Promise<number> {
	const agent = new Agent({ keepAlive: true, maxSockets: 8 });
	const usersig = signUserSig({ sdkAppId: SDK_APP_ID, key: KEY, identifier: 'administrator' });
	const body = { To_Account: USERS };
	let next = 0;
	const started = performance.now();
	const worker = async () => {
		while (next < REQUESTS) {
			const index = next++;
			const { data } = await axios.post(`${emu.url}/v4/timpush/${command}`, body, {
				params: {
					sdkappid: SDK_APP_ID,
					identifier: 'administrator',
					usersig,
					random: index,
					contenttype: 'json',
				},
				httpAgent: agent,
			});
			if (data.ActionStatus !== 'OK')
				throw new Error(`axios request failed: ${JSON.stringify(data)}`);
		}
	};
	await Promise.all(Array.from({ length: 8 }, worker));
	const ms = performance.now() - started;
	agent.destroy();
	return ms;
}

async function nodeRun(
	emu: Emulator,
	operation: string,
): Promise<{ ms: number; requests: number }> {
	await emu.reset();
	resetLanes();
	const started = performance.now();
	const result = await runNode({
		parameters: {
			resource: 'userTag',
			operation,
			api: 'timpush',
			accountsFrom: 'field',
			accountsField: 'users',
			options: {},
		},
		items: Array.from({ length: REQUESTS }, () => ({ users: USERS })),
		credentials: {
			sdkAppId: SDK_APP_ID,
			region: 'custom',
			baseUrl: emu.url,
			adminAccount: 'administrator',
			secretKey: KEY,
			userSigValidity: 86400,
		},
	});
	const ms = performance.now() - started;
	if (result.error) throw result.error;
	const counters = await emu.counters();
	return { ms, requests: Object.values(counters.requests).reduce((a, b) => a + b, 0) };
}

test(
	'P3: UserSig signings and client overhead per request, node vs plain undici',
	async () => {
		const fixture = {
			apps: [
				{
					sdkAppId: SDK_APP_ID,
					secretKey: KEY,
					admins: ['administrator'],
					pushEnabled: true,
					users: USERS.map((id) => ({ id, tags: ['t'] })),
				},
			],
		};
		const emu: Emulator = await startEmulatorProcess(fixture, {
			managementRatePerSecond: 0,
			requestLogLimit: 0,
		});
		pacingSettings.managementDirect = true;
		const signingsBefore = userSigCache.signings;
		let nodeRequests = 0;
		const rows: string[][] = [];
		const recorded: Record<string, number> = {};
		try {
			// Warm-up: module loading, JIT, sockets.
			nodeRequests += (await nodeRun(emu, 'get')).requests;
			await undiciRun(emu, 'get_tag');
			await axiosRun(emu, 'get_tag');
			for (const [operation, command] of [
				['get', 'get_tag'],
				['removeAll', 'clear_all_tags'],
			]) {
				const node: number[] = [];
				const plain: number[] = [];
				const viaAxios: number[] = [];
				for (let round = 0; round < ROUNDS; round++) {
					const run = await nodeRun(emu, operation);
					node.push(run.ms);
					nodeRequests += run.requests;
					plain.push(await undiciRun(emu, command));
					viaAxios.push(await axiosRun(emu, command));
				}
				const axiosMs = median(viaAxios) / REQUESTS;
				const nodeMs = median(node) / REQUESTS;
				const plainMs = median(plain) / REQUESTS;
				const overhead = (nodeMs - plainMs) / plainMs;
				rows.push([
					`userTag ${operation}`,
					nodeMs.toFixed(3),
					plainMs.toFixed(3),
					axiosMs.toFixed(3),
					`${(nodeMs / plainMs).toFixed(2)}x`,
					`${(overhead * 100).toFixed(0)} %`,
					`${(((nodeMs - axiosMs) / axiosMs) * 100).toFixed(0)} %`,
				]);
				recorded[`${operation}AxiosMsPerRequest`] = Number(axiosMs.toFixed(4));
				recorded[`${operation}NodeMsPerRequest`] = Number(nodeMs.toFixed(4));
				recorded[`${operation}UndiciMsPerRequest`] = Number(plainMs.toFixed(4));
				recorded[`${operation}Overhead`] = Number(overhead.toFixed(3));
			}
		} finally {
			pacingSettings.managementDirect = false;
			await emu.stop();
		}
		const signings = userSigCache.signings - signingsBefore;
		const perTenThousand = (signings / nodeRequests) * 10_000;
		const table = [
			['', 'node ms/req', 'undici ms/req', 'axios ms/req', 'node/undici', 'overhead', 'vs axios'],
			...rows,
		].map((r) => r.map((c, i) => String(c).padEnd(i === 0 ? 20 : 14)).join(''));
		table.push(
			`UserSig signings: ${signings} for ${nodeRequests.toLocaleString('en-US')} node requests = ${perTenThousand.toFixed(2)} per 10,000 (goal <= 1)`,
		);
		table.push(
			`overhead goal <= 5 %: ${
				Object.entries(recorded)
					.filter(([k]) => k.endsWith('Overhead'))
					.every(([, v]) => v <= 0.05)
					? 'met'
					: 'not met'
			} (medians of ${ROUNDS} rounds of ${REQUESTS.toLocaleString('en-US')} requests, 8 in flight, management lane bypassed)`,
		);
		process.stdout.write(`\nP3 client overhead per request\n${table.join('\n')}\n`);
		recordBenchmark(join(__dirname, 'results.json'), 'P3', {
			requestsPerRound: REQUESTS,
			rounds: ROUNDS,
			...recorded,
			userSigSignings: signings,
			nodeRequests,
			signingsPer10000Requests: Number(perTenThousand.toFixed(3)),
		});
	},
	15 * 60_000,
);
