/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * Files under nodes/ and credentials/ stay short enough to read in one sitting: over 300 lines, a
 * file says at its top why it is one file ("Why one file: …", in its first comment).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const MAX_LINES = 300;
const REASON = /Why one file\b/;

/**
 * Long files whose reason is recorded here rather than in the file, because their text is being
 * changed elsewhere at the same time; move the reason into the file with the next edit there.
 */
const REASONS_RECORDED_HERE: Record<string, string> = {};

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const rel = path.posix.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(rel);
		return entry.name.endsWith('.ts') ? [rel] : [];
	});
}

describe('file length', () => {
	const files = [...sourceFiles('nodes'), ...sourceFiles('credentials')];

	it(`every file over ${MAX_LINES} lines says why it is one file`, () => {
		const unexplained = files
			.map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), 'utf8') }))
			.filter(({ text }) => text.split('\n').length > MAX_LINES)
			.filter(
				({ file, text }) =>
					!REASONS_RECORDED_HERE[file] && !REASON.test(text.split('\n').slice(0, 60).join('\n')),
			)
			.map(
				({ file, text }) =>
					`${file}: ${text.split('\n').length} lines, no "Why one file" in its first comment`,
			);
		expect(unexplained).toEqual([]);
	});

	it('the reasons recorded here are for files that exist and are still long', () => {
		for (const file of Object.keys(REASONS_RECORDED_HERE)) {
			expect(fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').length).toBeGreaterThan(
				MAX_LINES,
			);
		}
	});
});
