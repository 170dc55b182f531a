'use strict';
// Starts emulator/cli.js in a child process with a fixture, on a free port: benchmarks keep the
// emulator out of the measured process, as Tencent is, so it takes no CPU time from the node.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

async function startEmulatorProcess(fixture, config = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcp-bench-'));
	const fixturePath = path.join(dir, 'fixture.json');
	fs.writeFileSync(fixturePath, JSON.stringify(fixture));
	const cli = path.join(__dirname, '..', 'emulator', 'cli.js');
	const child = spawn(
		process.execPath,
		[cli, '--port', '0', '--fixture', fixturePath, '--config', JSON.stringify(config)],
		{
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	const url = await new Promise((resolve, reject) => {
		let output = '';
		child.stdout.on('data', (chunk) => {
			output += chunk.toString();
			const match = output.match(/http:\/\/127\.0\.0\.1:\d+/);
			if (match) resolve(match[0]);
		});
		child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
	});
	const call = async (method, route) =>
		(await fetch(`${url}/_emulator/${route}`, { method })).json();
	return {
		url,
		counters: () => call('GET', 'counters'),
		reset: async () => {
			await call('POST', 'reset');
		},
		stop: async () => {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { startEmulatorProcess };
