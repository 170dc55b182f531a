'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { root, pkg, run, requireBuild } = require('./helpers');

/** Every file under `dir`, relative to the repository root, with forward slashes. */
function walk(dir) {
	return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
		const rel = `${dir}/${entry.name}`;
		return entry.isDirectory() ? walk(rel) : [rel];
	});
}

describe('the published tarball (npm pack --dry-run)', () => {
	let packed;
	let files;

	beforeAll(() => {
		requireBuild();
		const r = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']);
		expect(r.status).toBe(0);
		[packed] = JSON.parse(r.stdout);
		files = packed.files.map((f) => f.path).sort();
	}, 120_000);

	test('holds dist and the three top-level files, nothing else', () => {
		const outside = files.filter((f) => !f.startsWith('dist/'));
		expect(outside.sort()).toEqual(['LICENSE.md', 'README.md', 'package.json']);
	});

	test('dist in it is compiled JavaScript, codex JSON and icons: no sources, maps or declarations', () => {
		const kinds = files.filter((f) => f.startsWith('dist/')).map((f) => path.extname(f));
		expect([...new Set(kinds)].sort()).toEqual(['.js', '.json', '.svg']);
		expect(
			files.filter(
				(f) => /\.(ts|map)$/.test(f) || /(^|\/)(test|emulator|bench|scripts|examples)\//.test(f),
			),
		).toEqual([]);
	});

	test('every compiled file of the build is in it (the exclusions drop only maps and declarations)', () => {
		const built = walk('dist').filter(
			(f) => !/\.(map|d\.ts)$/.test(f) && !f.endsWith('.tsbuildinfo'),
		);
		expect(built.filter((f) => !files.includes(f))).toEqual([]);
	});

	test('the nodes and the credential n8n loads are in it, each node with its codex file', () => {
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(entry);
		for (const node of pkg.n8n.nodes) expect(files).toContain(node.replace(/\.js$/, '.json'));
		expect(files).toEqual(
			expect.arrayContaining(['dist/icons/tencentChat.svg', 'dist/icons/tencentChat.dark.svg']),
		);
	});

	test('an output schema per operation, where n8n looks for it (__schema__/v1.0.0/<resource>/<operation>.json)', () => {
		const schemas = files.filter((f) =>
			f.startsWith('dist/nodes/TencentChatPush/__schema__/v1.0.0/'),
		);
		expect(schemas).toHaveLength(20);
		expect(schemas).toEqual(
			expect.arrayContaining(['dist/nodes/TencentChatPush/__schema__/v1.0.0/push/send.json']),
		);
	});

	test('it declares no runtime dependency (n8n verification) and publishes publicly with provenance', () => {
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.publishConfig).toEqual({ access: 'public', provenance: true });
		expect(packed.name).toBe(pkg.name);
		expect(packed.version).toBe(pkg.version);
	});
});
