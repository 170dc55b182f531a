/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/** Merges one benchmark's figures into results.json, with the machine they were measured on. */
export function recordBenchmark(
	file: string,
	name: string,
	figures: Record<string, unknown>,
): void {
	const results = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
	results.machine = {
		cores: os.cpus().length,
		cpu: os.cpus()[0]?.model,
		memoryGb: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
	};
	results[name] = { ...figures, measuredAt: new Date().toISOString() };
	writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
