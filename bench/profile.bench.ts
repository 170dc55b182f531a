/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
// Not a benchmark of its own: one field-mode tagging run for `node --cpu-prof` (PROFILE=1 npm run bench).
import { performance } from 'node:perf_hooks';

import { runNode } from '../test/harness/engine';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulatorProcess } = require('./emulator-process');

(process.env.PROFILE ? test : test.skip)(
	'profile: tag users from an input field',
	async () => {
		const users = Array.from(
			{ length: Number(process.env.BENCH_USERS ?? 50_000) },
			(_, i) => `user${i}`,
		);
		const emu = await startEmulatorProcess({
			apps: [
				{
					sdkAppId: 1400000778,
					secretKey: 'k',
					admins: ['administrator'],
					pushEnabled: true,
					users: users.map((id) => ({ id })),
				},
			],
		});
		const started = performance.now();
		const result = await runNode({
			parameters: {
				resource: 'userTag',
				operation: 'add',
				api: 'timpush',
				tags: 'bench',
				accountsFrom: 'field',
				accountsField: 'userId',
			},
			items: users.map((userId) => ({ userId })),
			credentials: {
				sdkAppId: 1400000778,
				region: 'custom',
				baseUrl: emu.url,
				adminAccount: 'administrator',
				secretKey: 'k',
				userSigValidity: 86400,
			},
		});
		const ended = performance.now();
		const log = (await (await fetch(`${emu.url}/_emulator/requests?limit=10000`)).json()) as
			| { requests?: Array<{ time: number }> }
			| Array<{ time: number }>;
		const entries = Array.isArray(log) ? log : (log.requests ?? []);
		const times = entries.map((e) => Number(e.time)).sort((a, b) => a - b);
		const wallStart = Date.now() - (ended - started);
		process.stdout.write(
			`\nprofile run: ${users.length} users in ${((ended - started) / 1000).toFixed(2)} s, ${result.items.length} items; ` +
				`first request +${((times[0] - wallStart) / 1000).toFixed(2)} s, last +${((times[times.length - 1] - wallStart) / 1000).toFixed(2)} s, ${times.length} requests\n`,
		);
		const spans = times
			.slice(100)
			.map((t, i) => t - times[i])
			.sort((a, b) => a - b);
		const gaps = times.slice(1).map((t, i) => t - times[i]);
		const big = gaps.map((g, i) => [g, i] as const).filter(([g]) => g > 100);
		process.stdout.write(
			`span of 100 requests (ms): p0 ${spans[0]} p50 ${spans[spans.length >> 1]} p90 ${spans[Math.floor(spans.length * 0.9)]} max ${spans[spans.length - 1]}; gaps > 100 ms: ${big.map(([g, i]) => `${g}@${i}`).join(' ')}\n`,
		);
		await emu.stop();
	},
	600_000,
);
