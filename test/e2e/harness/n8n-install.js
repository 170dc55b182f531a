#!/usr/bin/env node
'use strict';
/**
 * Installs real n8n releases into a cache folder outside the working tree, for the end-to-end tests,
 * the demo and the local editor. The recipe:
 *  - n8n 2.41.1 needs Node >= 24, which comes from the npm registry (`npm install node@24`);
 *  - n8n 2.8.4 is the newest release that still runs on Node 20 (the oldest we support);
 *  - two `overrides` replace packages the registry here cannot serve;
 *  - `npm install --ignore-scripts` (optional native modules fail to compile), then rebuild only the
 *    native modules n8n needs, against the headers of the Node that will run n8n.
 * A stamp file is written last, so an interrupted install is detected and redone from scratch.
 *
 * CLI:  node scripts/n8n-install.js [version ...]      (default: every supported version)
 * Env:  N8N_E2E_CACHE   cache root (default $XDG_CACHE_HOME or ~/.cache, + /n8n-nodes-tencent-chat-push)
 *       N8N_INSTALL_PROGRESS_SECONDS   how often a long step reports phase and elapsed time (default 15)
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

/** Supported n8n versions and the Node major that runs each (null = the Node running this script). */
const VERSIONS = {
	'2.41.1': { node: '24' },
	'2.8.4': { node: null },
};
const LATEST = '2.41.1';
const OLDEST = '2.8.4';

// `xlsx` normally comes from a CDN; linkedom >= 0.18.15 needs `cssomnom`, absent from the registry.
const OVERRIDES = { xlsx: 'npm:@e965/xlsx@0.20.3', linkedom: '0.18.13' };
const STAMP = '.install-complete.json';

function cacheRoot() {
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return process.env.N8N_E2E_CACHE || path.join(base, 'n8n-nodes-tencent-chat-push');
}

function log(msg) {
	process.stderr.write(`[n8n-install] ${msg}\n`);
}

const WITH_PROGRESS = path.join(__dirname, 'with-progress.js');

/**
 * Runs a command synchronously; throws on failure with the end of its output. npm's output
 * (hundreds of peer-dependency warnings for n8n) is only shown when something goes wrong; meanwhile
 * with-progress.js prints the phase and the elapsed time every 15 s, so a first install (minutes)
 * visibly progresses. opts.phase names the step; opts.installStart is when the whole install began
 * (for the total elapsed time); opts.countPackages adds how many packages node_modules holds so far.
 */
function run(cmd, args, opts) {
	const t0 = Date.now();
	const {
		phase = `${cmd} ${args.join(' ')}`,
		installStart = 0,
		countPackages = false,
		...spawnOpts
	} = opts;
	log(`${phase}…`);
	// Under `npm test`, npm exports this project's config to child processes, including the
	// `ignore-scripts=true` of our .npmrc: it must not reach installs that need their scripts
	// (node@24 unpacks its binary in postinstall; sqlite3 compiles in rebuild).
	const env = { ...(spawnOpts.env || process.env) };
	delete env.npm_config_ignore_scripts;
	if (countPackages) env.N8N_PROGRESS_COUNT_PACKAGES = '1';
	env.N8N_PROGRESS_FD = '3';
	// fd 3 of the wrapper is our stderr: its heartbeat reaches the terminal while the command's output is captured.
	const r = spawnSync(
		process.execPath,
		[WITH_PROGRESS, phase, String(installStart), cmd, ...args],
		{
			encoding: 'utf8',
			maxBuffer: 256 * 1024 * 1024,
			...spawnOpts,
			env,
			stdio: ['ignore', 'pipe', 'pipe', 2],
		},
	);
	const secs = ((Date.now() - t0) / 1000).toFixed(1);
	if (r.error) throw r.error;
	if (r.status !== 0) {
		const tail = `${r.stdout}\n${r.stderr}`.split('\n').slice(-40).join('\n');
		throw new Error(
			`${cmd} ${args.join(' ')} failed (exit ${r.status}) in ${spawnOpts.cwd}:\n${tail}`,
		);
	}
	log(`${phase}: done in ${secs}s (${cmd} ${args.join(' ')})`);
	return Number(secs);
}

/** How often long steps report progress (N8N_INSTALL_PROGRESS_SECONDS, default 15 s). */
function progressEvery() {
	return Math.max(1, Number(process.env.N8N_INSTALL_PROGRESS_SECONDS) || 15) * 1000;
}

function readStamp(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, STAMP), 'utf8'));
	} catch {
		return null;
	}
}

/**
 * A cross-process lock (mkdir is atomic), so that two jest workers or a test and the demo do not
 * install into the same folder at once. A lock left by a dead process is taken over.
 */
function withLock(dir, fn) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	const waitStart = Date.now();
	let reported = 0;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			let owner = 0;
			try {
				owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {}
			if (owner && !isAlive(owner)) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			const waited = Date.now() - waitStart;
			if (waited - reported >= progressEvery()) {
				reported = waited;
				log(
					`waiting for another process (pid ${owner || '?'}) installing into ${path.basename(dir)}: ${Math.round(waited / 1000)}s so far`,
				);
			}
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); // sync sleep 1 s
		}
	}
	try {
		return fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

/** Node `major` from the npm registry; returns { nodeBin, binDir, nodedir }. */
function ensureNode(major) {
	const dir = path.join(cacheRoot(), `node-${major}`);
	const describe = () => {
		const nodedir = path.join(
			dir,
			'node_modules',
			'node',
			'node_modules',
			`node-linux-${os.arch()}`,
		);
		return {
			nodeBin: path.join(nodedir, 'bin', 'node'),
			binDir: path.join(nodedir, 'bin'),
			nodedir,
		};
	};
	if (readStamp(dir)) return describe();
	return withLock(dir, () => {
		if (readStamp(dir)) return describe();
		log(`Node ${major} from the npm registry into ${dir}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify({ name: `node-${major}-runtime`, private: true }),
		);
		const secs = run(
			'npm',
			['install', '--no-save', '--no-package-lock', '--ignore-scripts=false', `node@${major}`],
			{
				cwd: dir,
				phase: `Node ${major}: downloading the npm package node@${major} (about 30 MB)`,
			},
		);
		const info = describe();
		const version = spawnSync(info.nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
		if (!version.startsWith(`v${major}.`))
			throw new Error(`Node ${major} install is broken (got "${version}")`);
		fs.writeFileSync(path.join(dir, STAMP), JSON.stringify({ version, seconds: secs }));
		return info;
	});
}

/** Paths and runtime of an installed n8n version (does not install). */
function describe(version) {
	const spec = VERSIONS[version];
	if (!spec)
		throw new Error(
			`Unsupported n8n version ${version} (known: ${Object.keys(VERSIONS).join(', ')})`,
		);
	const dir = path.join(cacheRoot(), `n8n-${version}`);
	const runtime = spec.node
		? ensureNode(spec.node)
		: { nodeBin: process.execPath, binDir: path.dirname(process.execPath), nodedir: null };
	return {
		version,
		dir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		...runtime,
		// PATH with the right Node first: n8n spawns its task runner and npm scripts through it.
		env: { ...process.env, PATH: `${runtime.binDir}${path.delimiter}${process.env.PATH}` },
		stamp: readStamp(dir),
	};
}

/** Installs n8n `version` if its stamp is missing; returns describe(version) plus timings. */
function ensureN8n(version = LATEST) {
	let info = describe(version);
	if (info.stamp) return info;
	return withLock(info.dir, () => {
		info = describe(version);
		if (info.stamp) return info;
		const { dir } = info;
		const t0 = Date.now();
		log(`n8n ${version} into ${dir} (first use: several minutes, ~2.5 GB)`);
		fs.rmSync(dir, { recursive: true, force: true }); // a half-finished install is redone, not patched
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify(
				{
					name: `n8n-${version}-e2e`,
					private: true,
					dependencies: { n8n: version },
					overrides: OVERRIDES,
				},
				null,
				2,
			),
		);
		const env = { ...info.env };
		// The machine's npmrc points nodedir at Node 20's headers: override it for Node 24 builds.
		if (info.nodedir) env.npm_config_nodedir = info.nodedir;
		const steps = {};
		steps.install = run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
			cwd: dir,
			env,
			phase: `n8n ${version} [1/3]: npm install of n8n and its ~2,000 packages`,
			installStart: t0,
			countPackages: true,
		});
		// Compile right away: prebuild-install would first try GitHub downloads, unreachable here.
		steps.sqlite3 = run('npm', ['rebuild', '--ignore-scripts=false', 'sqlite3'], {
			cwd: dir,
			env: { ...env, npm_config_build_from_source: 'true' },
			phase: `n8n ${version} [2/3]: compiling sqlite3`,
			installStart: t0,
		});
		if (fs.existsSync(path.join(dir, 'node_modules', 'isolated-vm'))) {
			steps.isolatedVm = run('npm', ['rebuild', '--ignore-scripts=false', 'isolated-vm'], {
				cwd: dir,
				env,
				phase: `n8n ${version} [3/3]: compiling isolated-vm`,
				installStart: t0,
			});
		}
		// Smoke check with the runtime that will run it, before declaring the install complete.
		log(`n8n ${version}: checking that it starts (n8n --version)`);
		const r = spawnSync(info.nodeBin, [info.n8nBin, '--version'], { encoding: 'utf8', env });
		if (r.status !== 0 || !r.stdout.includes(version)) {
			throw new Error(`n8n ${version} does not start: ${r.stderr || r.stdout}`);
		}
		steps.total = Number(((Date.now() - t0) / 1000).toFixed(1));
		const nodeVersion = spawnSync(info.nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
		fs.writeFileSync(
			path.join(dir, STAMP),
			JSON.stringify({ version, node: nodeVersion, seconds: steps }, null, 2),
		);
		log(`n8n ${version} ready in ${steps.total}s (${JSON.stringify(steps)})`);
		return describe(version);
	});
}

/** `npm run n8n:install [version ...]` (scripts/n8n-install.js): installs, then prints where and how long. */
function cli(argv) {
	const versions = argv.length ? argv : Object.keys(VERSIONS);
	try {
		for (const v of versions) {
			const t0 = Date.now();
			const info = ensureN8n(v);
			const took = ((Date.now() - t0) / 1000).toFixed(1);
			console.log(
				`n8n ${v} on Node ${info.stamp.node}: ${info.dir} (${took}s now; first install: ${info.stamp.seconds.total}s)`,
			);
		}
	} catch (err) {
		console.error(`[n8n-install] ${err.message}`);
		process.exit(1);
	}
}

module.exports = { VERSIONS, LATEST, OLDEST, cacheRoot, describe, ensureN8n, ensureNode, cli };

if (require.main === module) cli(process.argv.slice(2));
