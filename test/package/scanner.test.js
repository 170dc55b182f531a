'use strict';

// n8n's verification scanner (@n8n/scan-community-package) through scripts/verify-package.mjs: it must
// pass on the real package and fail on a copy whose built node logs or reads the file system.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { root, run, requireBuild } = require('./helpers');

const SCRIPT = path.join(root, 'scripts', 'verify-package.mjs');
const BUILT_NODE = path.join('dist', 'nodes', 'TencentChatPush', 'TencentChatPush.node.js');
const SOURCE_NODE = path.join('nodes', 'TencentChatPush', 'TencentChatPush.node.ts');
const SCAN_TIMEOUT = 300_000; // ESLint with the TypeScript parser on a busy 2-core machine

const scan = (dir, legs) => run(process.execPath, [SCRIPT, '--dir', dir, '--legs', legs]);

/** A copy of the package with `entries` (files or folders of the repository). */
function copyOfPackage(entries) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-copy-'));
	for (const entry of entries)
		fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
	return dir;
}

/** Appends lines to a file of the copy (tsc leaves no newline after the source-map comment). */
function inject(dir, file, code) {
	fs.appendFileSync(path.join(dir, file), `\n${code}\n`);
}

const copies = [];
afterAll(() => {
	for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

beforeAll(requireBuild);

test(
	'the real package passes both legs: its source and its packed tarball',
	() => {
		const r = scan(root, 'source,tarball');
		expect(r.output).toContain('PASS source leg');
		expect(r.output).toContain('PASS tarball leg');
		expect(r.status).toBe(0);
	},
	SCAN_TIMEOUT,
);

describe('a copy of the package whose built node breaks a verification rule fails the tarball leg', () => {
	const tarballCopy = () => {
		const dir = copyOfPackage(['package.json', 'README.md', 'LICENSE.md', 'dist']);
		copies.push(dir);
		return dir;
	};

	test(
		'console.log in the built node',
		() => {
			const dir = tarballCopy();
			inject(dir, BUILT_NODE, 'console.log("item", 1);');
			const r = scan(dir, 'tarball');
			expect(r.status).toBe(1);
			expect(r.output).toContain('FAIL tarball leg');
			expect(r.output).toContain('TencentChatPush.node.js');
			expect(r.output).toMatch(/Unexpected console statement\s+no-console/);
		},
		SCAN_TIMEOUT,
	);

	test(
		"require('fs') in the built node",
		() => {
			const dir = tarballCopy();
			inject(
				dir,
				BUILT_NODE,
				'const fs = require("fs");\nexports.readAnyFile = (file) => fs.readFileSync(file, "utf8");',
			);
			const r = scan(dir, 'tarball');
			expect(r.status).toBe(1);
			expect(r.output).toContain('FAIL tarball leg');
			expect(r.output).toMatch(/Require of 'fs' is not allowed.*no-restricted-imports/);
		},
		SCAN_TIMEOUT,
	);
});

test(
	'a copy whose node source imports fs and logs fails the source leg',
	() => {
		const dir = copyOfPackage(['package.json', 'nodes', 'credentials', 'icons']);
		copies.push(dir);
		inject(
			dir,
			SOURCE_NODE,
			"import { readFileSync } from 'fs';\nexport const readAnyFile = (file: string) => { console.log(file); return readFileSync(file); };",
		);
		const r = scan(dir, 'source');
		expect(r.status).toBe(1);
		expect(r.output).toContain('FAIL source leg');
		expect(r.output).toMatch(/Import of 'fs' is not allowed/);
		expect(r.output).toMatch(/no-console/);
	},
	SCAN_TIMEOUT,
);
