#!/usr/bin/env node
'use strict';
// `npm test`: the format check (Prettier), lint, build, the type checks of the tests and of the JavaScript, then every jest
// project, timing each phase so CI logs show where the minutes go, and closing with one
// "N passed, N failed" line that any CI can read.
// Usage: node scripts/test-all.js [project ...]   (default: package unit emulator integration reliability e2e)
// `package` (after the build): pack contents, n8n's verification scanner on the source and the tarball,
// the lock file against package.json, the GitHub workflows, the release script, the documentation links,
// the n8n installer's progress reports.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const projects = process.argv.slice(2).length
	? process.argv.slice(2)
	: ['package', 'unit', 'emulator', 'integration', 'reliability', 'e2e'];
const timings = [];
let passed = 0;
let failed = 0;
// Names of the failed tests, repeated at the very end: CI logs are often read from their tail only.
const failures = [];

function run(name, command, args) {
	const started = Date.now();
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	timings.push(`${name}: ${seconds}s`);
	console.log(`\n[phase] ${name} took ${seconds}s (exit ${result.status})\n`);
	return result.status === 0;
}

const npx = path.join(root, 'node_modules', '.bin');
// ts-jest compiles tests one file at a time without type checking (isolatedModules): check them here.
let ok =
	// One style everywhere (.prettierrc.js; generated files are listed in .prettierignore).
	run('format', path.join(npx, 'prettier'), ['--check', '.']) &&
	run('lint', path.join(npx, 'n8n-node'), ['lint']) &&
	run('build', 'npm', ['run', 'build']) &&
	run('typecheck tests', path.join(npx, 'tsc'), ['-p', 'tsconfig.test.json', '--noEmit']) &&
	// The JavaScript (emulator, scripts, e2e harness and JS tests) through TypeScript's checker (checkJs).
	run('typecheck javascript', path.join(npx, 'tsc'), ['-p', 'tsconfig.checkjs.json']);
if (ok) {
	for (const project of projects) {
		const report = path.join(os.tmpdir(), `jest-${project}-${process.pid}.json`);
		const projectOk = run(`jest ${project}`, path.join(npx, 'jest'), [
			'--selectProjects',
			project,
			'--json',
			'--outputFile',
			report,
		]);
		if (fs.existsSync(report)) {
			const summary = JSON.parse(fs.readFileSync(report, 'utf8'));
			passed += summary.numPassedTests;
			failed += summary.numFailedTests;
			for (const file of summary.testResults) {
				for (const test of file.assertionResults) {
					if (test.status === 'failed')
						failures.push(`${project}: ${path.relative(root, file.name)} › ${test.fullName}`);
				}
				// A suite that failed to run (syntax error, crash in beforeAll) has no failed assertion to name.
				if (file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed')) {
					failures.push(
						`${project}: ${path.relative(root, file.name)} (suite failed: ${
							String(file.message)
								.split('\n')
								.find((l) => l.trim()) ?? ''
						})`,
					);
				}
			}
			fs.rmSync(report, { force: true });
		} else if (!projectOk) {
			failed += 1; // jest died before writing its report: count the project as one failure
		}
		ok = ok && projectOk;
	}
} else {
	failed += 1;
}
console.log(`\nPhase times: ${timings.join(', ')}`);
for (const failure of failures) console.log(`FAILED ${failure}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
