#!/usr/bin/env node
'use strict';

const { startEmulator } = require('./index');

const USAGE = `Usage: node emulator/cli.js [options]

  --host <host>       listen address (env TENCENT_EMULATOR_HOST, default 127.0.0.1)
  --port <port>       listen port, 0 = any free port (env TENCENT_EMULATOR_PORT, default 8787)
  --fixture <path>    fixture JSON (env TENCENT_EMULATOR_FIXTURE, default emulator/fixtures/demo.json)
  --persist <path>    persist state to this JSON file and restore it on start (env TENCENT_EMULATOR_PERSIST)
  --config <json>     config overrides, e.g. '{"pushIntervalMs":100}'
  --dedup-window-ms <ms>
                      MsgRandom de-duplication window (env TENCENT_EMULATOR_DEDUP_WINDOW_MS,
                      default 1000: "within the same second", as Tencent documents it)
  --verbose           print one line per API request (never the usersig)
  --help              show this help
`;

function parseArgs(argv) {
	const args = {};
	for (let i = 0; i < argv.length; i += 1) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') args.help = true;
		else if (arg === '--verbose') args.verbose = true;
		else if (/^--(host|port|fixture|persist|config|dedup-window-ms)(=.*)?$/.test(arg)) {
			const eq = arg.indexOf('=');
			const name = arg.slice(2, eq < 0 ? undefined : eq);
			const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
			if (value === undefined)
				throw Object.assign(new Error(`${arg} needs a value`), { usage: true });
			args[name] = value;
		} else throw Object.assign(new Error(`unknown argument: ${arg}`), { usage: true });
	}
	return args;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(USAGE);
		return;
	}
	const env = process.env;
	const port = Number(args.port ?? env.TENCENT_EMULATOR_PORT ?? 8787);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error('port must be an integer from 0 to 65535');
	let config = args.config ? JSON.parse(args.config) : {};
	if (args.verbose) config = { ...config, verbose: true };
	const dedup = args['dedup-window-ms'] ?? env.TENCENT_EMULATOR_DEDUP_WINDOW_MS;
	if (dedup !== undefined && dedup !== '') {
		const ms = Number(dedup);
		if (!Number.isInteger(ms) || ms < 0)
			throw new Error('dedup window must be a whole number of milliseconds >= 0');
		config = { ...config, dedupWindowMs: ms };
	}

	const emu = await startEmulator({
		host: args.host ?? env.TENCENT_EMULATOR_HOST ?? '127.0.0.1',
		port,
		fixture: args.fixture ?? env.TENCENT_EMULATOR_FIXTURE ?? undefined,
		persistPath: args.persist ?? env.TENCENT_EMULATOR_PERSIST ?? undefined,
		config,
	});
	process.stdout.write(`Tencent Chat push emulator listening on ${emu.url}\n`);

	let stopping = false;
	const shutdown = () => {
		if (stopping) return;
		stopping = true;
		emu.stop().then(
			() => process.exit(0),
			(err) => {
				process.stderr.write(`error while stopping: ${err.message}\n`);
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

main().catch((err) => {
	process.stderr.write(`tencent-push-emulator: ${err.message}\n${err.usage ? USAGE : ''}`);
	process.exit(1);
});
