#!/usr/bin/env node
'use strict';
/**
 * Runs one command and says it is alive: every N seconds (N8N_INSTALL_PROGRESS_SECONDS, default 15)
 * it writes `[n8n-install] <phase>: 1m30s so far (3m05s since the install started), 412 packages in
 * node_modules` to stderr, or to the file descriptor N8N_PROGRESS_FD names
 * (the package count only when N8N_PROGRESS_COUNT_PACKAGES is set). The command's own output
 * goes to this process's stdout/stderr, so that a caller can keep it quiet and show it only on failure;
 * the exit code is the command's.
 *
 * Used by n8n-install.js, whose installs run for minutes inside a synchronous spawnSync: a timer in
 * that process could not fire, this one can.
 * Usage: node test/e2e/harness/with-progress.js <phase> <install start, ms since epoch> <command> [args...]
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const [phase, installStart, cmd, ...args] = process.argv.slice(2);
const every = Math.max(1, Number(process.env.N8N_INSTALL_PROGRESS_SECONDS) || 15) * 1000;
const started = Date.now();

function duration(ms) {
	const s = Math.floor(ms / 1000);
	return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Packages unpacked so far in the working folder's node_modules (scopes counted by their members). */
function packagesSoFar() {
	try {
		const dir = path.join(process.cwd(), 'node_modules');
		let count = 0;
		for (const entry of fs.readdirSync(dir)) {
			if (entry.startsWith('.')) continue;
			count += entry.startsWith('@') ? fs.readdirSync(path.join(dir, entry)).length : 1;
		}
		return count;
	} catch {
		return 0;
	}
}

// N8N_PROGRESS_FD=3 when the caller opened fd 3 for us (Node itself uses low descriptors otherwise).
const out = Number(process.env.N8N_PROGRESS_FD) || 2;

const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
child.stdout.pipe(process.stdout);
child.stderr.pipe(process.stderr);
const timer = setInterval(() => {
	const now = Date.now();
	const packages = process.env.N8N_PROGRESS_COUNT_PACKAGES ? packagesSoFar() : 0;
	const since =
		Number(installStart) && Number(installStart) < started - 1000
			? ` (${duration(now - Number(installStart))} since the install started)`
			: '';
	fs.writeSync(
		out,
		`[n8n-install] ${phase}: ${duration(now - started)} so far${since}${packages ? `, ${packages} packages in node_modules` : ''}\n`,
	);
}, every);
child.on('error', (err) => {
	clearInterval(timer);
	process.stderr.write(`${cmd}: ${err.message}\n`);
	process.exitCode = 127;
});
child.on('close', (code, signal) => {
	clearInterval(timer);
	if (signal) process.stderr.write(`${cmd} ended by ${signal}\n`);
	process.exitCode = code ?? 1;
});
