#!/usr/bin/env node
/**
 * n8n's verification scan (`@n8n/scan-community-package`), run locally before any release.
 *
 * n8n's own scan (`npx @n8n/scan-community-package <name>`) works on a published version: it checks
 * the npm provenance, downloads the attested GitHub commit and the tarball from npm, and lints both.
 * This script runs the same two lint legs with the scanner's own `analyzePackage` and rule set, on
 * what would be published, without any network:
 *   source leg   `package.json` and `{nodes,credentials}/**` of the package folder (the scanner's
 *                SOURCE_FILE_PATTERNS), as n8n lints the attested source commit;
 *   tarball leg  `npm pack` of the package folder, unpacked, `**\/*.js` and `package.json`, as n8n
 *                lints the published tarball.
 * Only the provenance check and the downloads are left out: they need a published version.
 *
 * Usage: node scripts/verify-package.mjs [--dir DIR] [--legs source,tarball]
 *   --dir   package folder (default: this repository; build it first: `npm run build`)
 *   --legs  which legs to run (default: both)
 * Exit 0 when every leg passes; 1 with ESLint's report otherwise.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// eslint-plugin-n8n-nodes-base replaces file names with fixtures' when NODE_ENV is "test" (as under
// jest): the scan must see the real names, as n8n's does.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
// The scanner makes a temporary folder when it is imported; have its `tmp` remove it on exit.
createRequire(scannerPath)('tmp').setGracefulCleanup();
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(scannerPath);
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function option(name, fallback) {
	const at = process.argv.indexOf(`--${name}`);
	return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

/** `npm pack` of `dir` into a temporary folder, unpacked there; returns { unpacked, tarball, cleanup }. */
function packAndUnpack(dir) {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-package-'));
	const pack = spawnSync(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', work],
		{
			cwd: dir,
			encoding: 'utf8',
		},
	);
	if (pack.status !== 0) throw new Error(`npm pack failed in ${dir}:\n${pack.stderr}`);
	const [{ filename, entryCount, size }] = JSON.parse(pack.stdout);
	const unpacked = path.join(work, 'package');
	fs.mkdirSync(unpacked);
	const tar = spawnSync(
		'tar',
		['-xzf', path.join(work, filename), '-C', unpacked, '--strip-components=1'],
		{
			encoding: 'utf8',
		},
	);
	if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
	return {
		unpacked,
		tarball: `${filename} (${entryCount} files, ${size} bytes)`,
		cleanup: () => fs.rmSync(work, { recursive: true, force: true }),
	};
}

async function leg(name, label, dir, patterns) {
	const started = Date.now();
	const result = await analyzePackage(dir, patterns);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	console.log(`${result.passed ? 'PASS' : 'FAIL'} ${name} leg: ${label} (${seconds}s)`);
	if (!result.passed) {
		console.log(`  ${result.message}`);
		if (result.details) console.log(result.details);
	}
	return result.passed;
}

const dir = path.resolve(option('dir', root));
const legs = option('legs', 'source,tarball').split(',');
if (legs.includes('tarball') && !fs.existsSync(path.join(dir, 'dist'))) {
	console.error(`No dist/ in ${dir}: run \`npm run build\` first.`);
	process.exit(1);
}

let passed = true;
if (legs.includes('source')) {
	passed =
		(await leg(
			'source',
			`${SOURCE_FILE_PATTERNS.join(', ')} in ${dir}`,
			dir,
			SOURCE_FILE_PATTERNS,
		)) && passed;
}
if (legs.includes('tarball')) {
	const packed = packAndUnpack(dir);
	try {
		passed =
			(await leg(
				'tarball',
				`${TARBALL_FILE_PATTERNS.join(', ')} in ${packed.tarball}`,
				packed.unpacked,
				TARBALL_FILE_PATTERNS,
			)) && passed;
	} finally {
		packed.cleanup();
	}
}
console.log(passed ? 'n8n community package scan: passed' : 'n8n community package scan: FAILED');
process.exit(passed ? 0 : 1);
