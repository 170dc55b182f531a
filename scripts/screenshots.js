#!/usr/bin/env node
'use strict';
/**
 * `npm run screenshots`: regenerates the README images in docs/images/ by running the editor test
 * (test/e2e/editor.test.js) with EDITOR_SCREENSHOTS_DIR set, so each image comes from a step the
 * test asserts. Needs Chromium (`apt-get install -y chromium`, or CHROMIUM_PATH) and builds first.
 */
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const installer = require('../test/e2e/harness/n8n-install');

const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const r = spawnSync(
	process.execPath,
	[require.resolve('jest/bin/jest'), 'test/e2e/editor.test.js', '--selectProjects', 'e2e'],
	{
		cwd: ROOT,
		stdio: 'inherit',
		env: {
			...process.env,
			E2E_N8N_VERSIONS: process.env.E2E_N8N_VERSIONS || installer.LATEST,
			EDITOR_SCREENSHOTS_DIR: path.join(ROOT, 'docs', 'images'),
		},
	},
);
process.exit(r.status ?? 1);
