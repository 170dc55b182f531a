'use strict';

// `npm run release` (scripts/release.js) and the CHANGELOG it maintains, in Keep a Changelog form.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { root, pkg, run } = require('./helpers');
const {
	nextVersion,
	releaseChangelog,
	releaseNotes,
	releasedVersions,
	repositoryUrl,
} = require('../../scripts/release');

const SCRIPT = path.join(root, 'scripts', 'release.js');
const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
const repo = repositoryUrl(pkg);
const today = new Date().toISOString().slice(0, 10);

describe('CHANGELOG.md', () => {
	const headings = changelog.split('\n').filter((l) => l.startsWith('#'));

	test('is in Keep a Changelog form: Unreleased first, then versions with dates, standard kinds of change', () => {
		expect(headings[0]).toBe('# Changelog');
		expect(changelog).toContain('[Keep a Changelog](https://keepachangelog.com/en/1.1.0/)');
		const sections = headings.filter((h) => h.startsWith('## '));
		expect(sections[0]).toBe('## [Unreleased]');
		for (const h of sections.slice(1))
			expect(h).toMatch(/^## \[\d+\.\d+\.\d+(-[\w.]+)?\] - \d{4}-\d{2}-\d{2}$/);
		for (const h of headings.filter((x) => x.startsWith('### '))) {
			expect([
				'### Added',
				'### Changed',
				'### Deprecated',
				'### Removed',
				'### Fixed',
				'### Security',
			]).toContain(h);
		}
	});

	test('links each section heading to the repository', () => {
		for (const [, name] of changelog.matchAll(/^## \[([^\]]+)\]/gm)) {
			const link = new RegExp(`^\\[${name.replace(/\./g, '\\.')}\\]: (\\S+)$`, 'm').exec(changelog);
			expect({ name, link: link?.[1].startsWith(`${repo}/`) }).toEqual({ name, link: true });
		}
	});

	test('names the package version: released already, or the first release still to be cut', () => {
		const released = releasedVersions(changelog);
		if (released.length) expect(released[0]).toBe(pkg.version);
		else expect(pkg.version).toBe('0.1.0');
		expect(
			releaseChangelog(
				changelog,
				released.length ? nextVersion(pkg.version, 'patch') : pkg.version,
				today,
				repo,
			),
		).toContain('## [Unreleased]\n\n## [');
	});
});

describe('releaseChangelog', () => {
	const first =
		'# Changelog\n\n## [Unreleased]\n\n### Added\n\n- A node.\n\n[Unreleased]: https://example.test/r/commits/main\n';

	test('the first release dates the Unreleased entries and links the tag', () => {
		const out = releaseChangelog(first, '0.1.0', '2026-12-01', 'https://example.test/r');
		expect(out).toBe(
			'# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-12-01\n\n### Added\n\n- A node.\n\n' +
				'[Unreleased]: https://example.test/r/compare/v0.1.0...HEAD\n[0.1.0]: https://example.test/r/releases/tag/v0.1.0\n',
		);
		expect(releaseNotes(out, '0.1.0')).toBe('### Added\n\n- A node.\n');
	});

	test('a later release links the comparison with the previous version', () => {
		const once = releaseChangelog(first, '0.1.0', '2026-12-01', 'https://example.test/r');
		const twice = releaseChangelog(
			once.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n\n- A bug.\n'),
			'0.1.1',
			'2026-12-02',
			'https://example.test/r',
		);
		expect(twice).toContain(
			'## [Unreleased]\n\n## [0.1.1] - 2026-12-02\n\n### Fixed\n\n- A bug.\n\n## [0.1.0] - 2026-12-01',
		);
		expect(twice).toContain(
			'[Unreleased]: https://example.test/r/compare/v0.1.1...HEAD\n[0.1.1]: https://example.test/r/compare/v0.1.0...v0.1.1\n[0.1.0]: https://example.test/r/releases/tag/v0.1.0\n',
		);
		expect(releaseNotes(twice, '0.1.1')).toBe('### Fixed\n\n- A bug.\n');
	});

	test('refuses an empty Unreleased section and a version it already has', () => {
		const once = releaseChangelog(first, '0.1.0', '2026-12-01', 'https://example.test/r');
		expect(() => releaseChangelog(once, '0.1.1', '2026-12-02', 'x')).toThrow(/lists no change/);
		expect(() =>
			releaseChangelog(
				first.replace('## [Unreleased]', '## [Unreleased]\n\n## [0.1.0] - 2026-01-01'),
				'0.1.0',
				'd',
				'x',
			),
		).toThrow();
	});

	test('versions: patch, minor, major or an explicit one', () => {
		expect(['patch', 'minor', 'major', '2.0.0-rc.1'].map((s) => nextVersion('1.4.2', s))).toEqual([
			'1.4.3',
			'1.5.0',
			'2.0.0',
			'2.0.0-rc.1',
		]);
		expect(() => nextVersion('1.4.2', undefined)).toThrow(/patch, minor, major or x\.y\.z/);
	});
});

describe('npm run release in a clone', () => {
	let dir;
	let remote;
	const git = (...args) => {
		const r = run('git', args, { cwd: dir });
		if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
		return r.stdout.trim();
	};
	const release = (...args) => run(process.execPath, [SCRIPT, ...args], { cwd: dir });

	beforeAll(() => {
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
		remote = path.join(tmp, 'remote.git');
		dir = path.join(tmp, 'work');
		fs.mkdirSync(dir);
		expect(run('git', ['init', '-q', '--bare', remote]).status).toBe(0);
		for (const file of ['package.json', 'package-lock.json', 'CHANGELOG.md'])
			fs.copyFileSync(path.join(root, file), path.join(dir, file));
		git('init', '-q', '-b', 'main');
		git('config', 'user.email', 'release-test@example.test');
		git('config', 'user.name', 'Release Test');
		git('remote', 'add', 'origin', remote);
		git('add', '.');
		git('commit', '-q', '-m', 'Initial');
	});
	afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

	test('refuses to run without a version, and on a dirty tree', () => {
		expect(release('--skip-checks').stderr).toMatch(/patch, minor, major or x\.y\.z/);
		fs.appendFileSync(path.join(dir, 'CHANGELOG.md'), '\n');
		const r = release('minor', '--skip-checks');
		expect(r.status).toBe(1);
		expect(r.stderr).toMatch(/uncommitted changes/);
		git('checkout', '--', 'CHANGELOG.md');
	});

	test('bumps package.json and the lock, dates the CHANGELOG, commits, tags v<version> and pushes both', () => {
		const version = releasedVersions(changelog).length
			? nextVersion(pkg.version, 'minor')
			: pkg.version;
		const r = release(version, '--skip-checks', '--push');
		expect({ status: r.status, error: r.stderr.match(/\[release\].*/)?.[0] }).toEqual({
			status: 0,
		});
		const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
		expect(JSON.parse(read('package.json')).version).toBe(version);
		const lock = JSON.parse(read('package-lock.json'));
		expect([lock.version, lock.packages[''].version]).toEqual([version, version]);
		expect(read('CHANGELOG.md')).toContain(`## [Unreleased]\n\n## [${version}] - ${today}\n`);
		expect(git('log', '-1', '--format=%s')).toBe(`Release v${version}`);
		expect(git('status', '--porcelain')).toBe('');
		expect(git('describe', '--exact-match', 'HEAD')).toBe(`v${version}`);
		expect(run('git', ['ls-remote', '--tags', remote], { cwd: dir }).stdout).toContain(
			`refs/tags/v${version}`,
		);
		// The GitHub release notes are that section's entries.
		const notes = release('notes', `v${version}`);
		expect(notes.status).toBe(0);
		expect(notes.stdout).toMatch(/^### Added\n\n- /);
		// Nothing new since: a second release has nothing to say.
		expect(release('patch', '--skip-checks').stderr).toMatch(/lists no change/);
	});
});
