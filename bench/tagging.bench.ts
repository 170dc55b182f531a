/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * P1: tag many users through the node running in n8n's engine, against the emulator
 * enforcing Tencent's 100 requests/s, side by side with a baseline that sends one request per
 * user within the same limit. Prints figures and writes bench/results.json; asserts nothing.
 * Sizes: BENCH_USERS (default 100000), BENCH_BASELINE_USERS (default 1000; the baseline is a
 * sample, since one request per user at 100/s takes 1000 s for 100,000 users).
 */
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

import { userSigCache } from '../credentials/userSig';
import { resetLanes } from '../nodes/TencentChatPush/helpers/pacing';
import { runNode } from '../test/harness/engine';
import { recordBenchmark } from './results';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { signUserSig } = require('../emulator');

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const BASELINE_USERS = Number(process.env.BENCH_BASELINE_USERS ?? 1_000);
const SDK_APP_ID = 1400000777;
const KEY = 'bench-key-not-a-secret';

interface Emulator {
	url: string;
	counters(): Promise<{ requests: Record<string, number>; limitRejections: number }>;
	reset(): Promise<void>;
	stop(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulatorProcess } = require('./emulator-process');

const requestsTo = async (emu: Emulator, endpoint: string) =>
	(await emu.counters()).requests[endpoint] ?? 0;

/** One request per user, as a client without batching would do, kept under 100 requests/s. */
async function baseline(emu: Emulator, users: string[]): Promise<number> {
	const pool = new Pool(emu.url, { connections: 8 });
	const usersig = signUserSig({ sdkAppId: SDK_APP_ID, key: KEY, identifier: 'administrator' });
	const spacingMs = 1030 / 100;
	const started = performance.now();
	let next = 0;
	const worker = async () => {
		while (next < users.length) {
			const index = next++;
			const due = started + index * spacingMs;
			const wait = due - performance.now();
			if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
			const response = await pool.request({
				method: 'POST',
				path: `/v4/timpush/add_tag?sdkappid=${SDK_APP_ID}&identifier=administrator&usersig=${usersig}&random=${index}&contenttype=json`,
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ UserTags: [{ To_Account: users[index], Tags: ['baseline'] }] }),
			});
			await response.body.json();
		}
	};
	await Promise.all(Array.from({ length: 8 }, worker));
	const seconds = (performance.now() - started) / 1000;
	await pool.close();
	return seconds;
}

test(
	'P1: tagging users through the node vs one request per user',
	async () => {
		const users = Array.from({ length: Math.max(USERS, BASELINE_USERS) }, (_, i) => `user${i}`);
		const fixture = {
			apps: [
				{
					sdkAppId: SDK_APP_ID,
					secretKey: KEY,
					admins: ['administrator'],
					pushEnabled: true,
					users: users.map((id) => ({ id })),
				},
			],
		};
		// Its own process, as Tencent is: in-process it would take CPU time from the node it measures.
		const emu: Emulator = await startEmulatorProcess(fixture);
		try {
			const credentials = {
				sdkAppId: SDK_APP_ID,
				region: 'custom',
				baseUrl: emu.url,
				adminAccount: 'administrator',
				secretKey: KEY,
				userSigValidity: 86400,
			};
			const items = users.slice(0, USERS).map((userId) => ({ userId }));
			const tagThroughNode = async (accounts: Record<string, string>) => {
				await emu.reset();
				resetLanes();
				const memoryBefore = process.memoryUsage().rss;
				const started = performance.now();
				const result = await runNode({
					parameters: {
						resource: 'userTag',
						operation: 'add',
						api: 'timpush',
						tags: 'bench',
						...accounts,
					},
					items,
					credentials,
				});
				const seconds = (performance.now() - started) / 1000;
				if (result.error) throw result.error;
				const counters = await emu.counters();
				return {
					seconds,
					requests: counters.requests['timpush/add_tag'] ?? 0,
					rejections: counters.limitRejections,
					outputItems: result.items.length,
					memoryGrowthMb: (process.memoryUsage().rss - memoryBefore) / 2 ** 20,
				};
			};
			const signingsBefore = userSigCache.signings;
			const byField = await tagThroughNode({ accountsFrom: 'field', accountsField: 'userId' });
			const byExpression = await tagThroughNode({
				accountsFrom: 'value',
				accounts: '={{ $json.userId }}',
			});
			const signings = userSigCache.signings - signingsBefore;

			await emu.reset();
			const baselineSeconds = await baseline(emu, users.slice(0, BASELINE_USERS));
			const baselineRequests = await requestsTo(emu, 'timpush/add_tag');

			const nodeRate = USERS / byField.seconds;
			const expressionRate = USERS / byExpression.seconds;
			const baselineRate = BASELINE_USERS / baselineSeconds;
			const ratio = (rate: number) => `${(rate / baselineRate).toFixed(1)}x`;
			const rows = [
				['', 'users', 'requests', 'seconds', 'users/s', 'vs baseline'],
				[
					'node, accounts from field',
					USERS,
					byField.requests,
					byField.seconds.toFixed(2),
					nodeRate.toFixed(0),
					ratio(nodeRate),
				],
				[
					'node, accounts by expression',
					USERS,
					byExpression.requests,
					byExpression.seconds.toFixed(2),
					expressionRate.toFixed(0),
					ratio(expressionRate),
				],
				[
					'baseline, 1 user/request',
					BASELINE_USERS,
					baselineRequests,
					baselineSeconds.toFixed(2),
					baselineRate.toFixed(0),
					'1.0x',
				],
			];
			const lines = rows.map((r) => r.map((c, i) => String(c).padEnd(i === 0 ? 30 : 11)).join(''));
			lines.push(
				`goals: >= 9,500 users/s and >= 50x baseline (accounts from field: ${nodeRate >= 9500 && nodeRate / baselineRate >= 50 ? 'met' : 'not met'})`,
			);
			lines.push(
				`rate-limit rejections (60007) seen by the emulator: ${byField.rejections + byExpression.rejections}; UserSig signings for ${2 * USERS} users: ${signings}; output items: ${byField.outputItems}; RSS growth ${byField.memoryGrowthMb.toFixed(0)} MB`,
			);
			process.stdout.write(
				`\nP1 tagging (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'})\n${lines.join('\n')}\n`,
			);
			recordBenchmark(join(__dirname, 'results.json'), 'P1', {
				users: USERS,
				nodeUsersPerSecond: Math.round(nodeRate),
				nodeRequests: byField.requests,
				nodeExpressionUsersPerSecond: Math.round(expressionRate),
				baselineUsers: BASELINE_USERS,
				baselineUsersPerSecond: Math.round(baselineRate),
				ratio: Number((nodeRate / baselineRate).toFixed(1)),
				rateLimitRejections: byField.rejections + byExpression.rejections,
				userSigSignings: signings,
			});
		} finally {
			await emu.stop();
		}
	},
	30 * 60 * 1000,
);
