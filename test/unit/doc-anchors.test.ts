/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * Comments, READMEs and tests cite the project's own API notes by anchor
 * (`docs/tencent-api.md#limits`): every cited anchor must exist there, and nothing cites documents
 * that are not in this repository ("spec §…", shared/spec/…).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const NOTES = fs.readFileSync(path.join(ROOT, 'docs', 'tencent-api.md'), 'utf8');
const ANCHORS = new Set([...NOTES.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));

function filesUnder(dir: string): string[] {
	return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const rel = path.posix.join(dir, entry.name);
		if (entry.isDirectory())
			return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : filesUnder(rel);
		return /\.(ts|js|mjs|md)$/.test(entry.name) ? [rel] : [];
	});
}

const FILES = [
	...['nodes', 'credentials', 'emulator', 'test', 'scripts', 'bench', 'docs'].flatMap(filesUnder),
	'README.md',
];
const text = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('citations of docs/tencent-api.md', () => {
	it('the notes have their anchors', () => {
		expect(ANCHORS.size).toBeGreaterThan(15);
		for (const anchor of [
			'conventions',
			'limits',
			'disagreements',
			'unconfirmed',
			'usersig',
			'callbacks',
		])
			expect(ANCHORS.has(anchor)).toBe(true);
	});

	it('every cited anchor exists', () => {
		const missing = FILES.flatMap((file) =>
			[...text(file).matchAll(/tencent-api\.md#([\w-]+)/g)]
				.filter((m) => !ANCHORS.has(m[1]))
				.map((m) => `${file}: #${m[1]}`),
		);
		expect(missing).toEqual([]);
	});

	it('nothing cites documents outside the repository', () => {
		const outside = FILES.filter((file) => file !== 'test/unit/doc-anchors.test.ts').flatMap(
			(file) =>
				text(file)
					.split('\n')
					.map((line, index) => ({ line, index }))
					.filter(({ line }) => /\bspec §|shared\/spec\//i.test(line))
					.map(({ index }) => `${file}:${index + 1}`),
		);
		expect(outside).toEqual([]);
	});
});
