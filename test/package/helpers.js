'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Runs a command to completion; returns { status, stdout, stderr, output }. */
function run(cmd, args, { cwd = root, env = {} } = {}) {
	const r = spawnSync(cmd, args, {
		cwd,
		encoding: 'utf8',
		env: { ...process.env, ...env },
		maxBuffer: 64 * 1024 * 1024,
	});
	if (r.error) throw r.error;
	return {
		status: r.status,
		stdout: r.stdout,
		stderr: r.stderr,
		output: `${r.stdout}\n${r.stderr}`,
	};
}

/** These checks look at what `npm run build` produced: say so instead of failing obscurely. */
function requireBuild() {
	const node = path.join(root, 'dist', 'nodes', 'TencentChatPush', 'TencentChatPush.node.js');
	if (!fs.existsSync(node))
		throw new Error('dist/ is missing: run `npm run build` before the package tests');
}

module.exports = { root, pkg, run, requireBuild };
