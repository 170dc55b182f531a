'use strict';

// The lock file must install a fresh clone with `npm ci` on every platform, and `npm install` must
// leave it as it is: it has to match package.json and record every package npm may want anywhere.
const fs = require('node:fs');
const path = require('node:path');

const { root, pkg, run } = require('./helpers');

const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const DEPENDENCY_FIELDS = [
	'dependencies',
	'devDependencies',
	'peerDependencies',
	'optionalDependencies',
];

/** The lock entry Node's resolution would find for `name` required from the package at `from`. */
function resolveInLock(from, name) {
	let dir = from;
	for (;;) {
		const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
		if (lock.packages[candidate]) return candidate;
		if (!dir) return null;
		const up = dir.lastIndexOf('node_modules/');
		dir = up <= 0 ? '' : dir.slice(0, up - 1);
	}
}

test("the lock's root entry declares exactly package.json's dependencies, name and version", () => {
	const rootEntry = lock.packages[''];
	expect({ name: lock.name, version: lock.version }).toEqual({
		name: pkg.name,
		version: pkg.version,
	});
	expect(rootEntry.version).toBe(pkg.version);
	for (const field of DEPENDENCY_FIELDS) {
		expect({ field, ranges: rootEntry[field] ?? {} }).toEqual({ field, ranges: pkg[field] ?? {} });
	}
	expect(rootEntry.engines).toEqual(pkg.engines);
});

test('every dependency and optional (platform) dependency of every locked package has an entry', () => {
	// npm/cli#4828: `npm install` over an existing node_modules drops the optional packages of other
	// platforms (@unrs/resolver-binding-*, @typescript/typescript-*), and `npm ci` then refuses the lock.
	const missing = [];
	for (const [location, entry] of Object.entries(lock.packages)) {
		if (entry.link) continue;
		for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
			if (!resolveInLock(location, name)) missing.push(`${location || '(root)'} → ${name}`);
		}
	}
	expect(missing).toEqual([]);
	expect(Object.keys(lock.packages)).toEqual(
		expect.arrayContaining([
			'node_modules/@unrs/resolver-binding-darwin-arm64',
			'node_modules/@unrs/resolver-binding-win32-x64-msvc',
		]),
	);
});

test('the lock names no registry URL, as .npmrc asks, so that it reads the same from every machine', () => {
	expect(fs.readFileSync(path.join(root, '.npmrc'), 'utf8')).toMatch(
		/^omit-lockfile-registry-resolved=true$/m,
	);
	expect(
		Object.entries(lock.packages)
			.filter(([, e]) => e.resolved && !e.link)
			.map(([l]) => l),
	).toEqual([]);
});

test('npm ci accepts the lock (npm ci --dry-run)', () => {
	const r = run('npm', ['ci', '--dry-run', '--no-audit', '--no-fund']);
	expect(r.output).not.toMatch(/EUSAGE|Missing: |Invalid: /);
	expect(r.status).toBe(0);
}, 180_000);
