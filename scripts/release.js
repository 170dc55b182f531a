#!/usr/bin/env node
'use strict';
/**
 * `npm run release -- <patch|minor|major|x.y.z>`: the local half of a release; the Publish workflow
 * (.github/workflows/publish.yml) is the other half and publishes with npm provenance when the tag
 * arrives on GitHub. Same flow as @n8n/node-cli's `n8n-node release` (lint and build first, bump,
 * changelog, commit, tag, push; never publish from a laptop), but the CHANGELOG stays in Keep a
 * Changelog form: the `## [Unreleased]` section becomes `## [x.y.z] - date` (n8n-node release would
 * regenerate CHANGELOG.md from git history with auto-changelog), and tags are `vx.y.z`.
 *
 * Steps: refuse a dirty tree, a branch other than main (--any-branch) and an existing tag; run lint,
 * build, the package checks (including n8n's scanner) and the unit tests (--skip-checks); write the
 * version into package.json and package-lock.json; date the CHANGELOG; commit "Release vx.y.z";
 * tag vx.y.z; with --push, push the branch and the tag together (otherwise print the command).
 * The first release may name the current version (0.1.0) when the CHANGELOG has no section for it.
 *
 * `node scripts/release.js notes vx.y.z` prints that version's CHANGELOG section (GitHub release notes).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const VERSION = /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/;

/** The version after `current` for `spec` (patch, minor, major or an explicit x.y.z). */
function nextVersion(current, spec) {
	const m = VERSION.exec(current);
	if (!m) throw new Error(`package.json version '${current}' is not x.y.z`);
	const [major, minor, patch] = m.slice(1, 4).map(Number);
	if (spec === 'major') return `${major + 1}.0.0`;
	if (spec === 'minor') return `${major}.${minor + 1}.0`;
	if (spec === 'patch')
		return m[4] ? `${major}.${minor}.${patch}` : `${major}.${minor}.${patch + 1}`;
	if (VERSION.test(spec ?? '')) return spec;
	throw new Error(
		`Say which version to release: patch, minor, major or x.y.z (got '${spec ?? ''}')`,
	);
}

/** The GitHub page of the repository named in package.json (no git+, no .git). */
function repositoryUrl(pkg) {
	const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	if (!url) throw new Error('package.json has no repository.url');
	return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/** Versions that have a `## [x.y.z] - date` section, newest first (as the file lists them). */
function releasedVersions(changelog) {
	return [...changelog.matchAll(/^## \[(\d[^\]]*)\] - \d{4}-\d{2}-\d{2}$/gm)].map((m) => m[1]);
}

/** The CHANGELOG with its Unreleased entries moved under `## [version] - date` and the links updated. */
function releaseChangelog(changelog, version, date, repo) {
	const unreleased = /^## \[Unreleased\]\n/m.exec(changelog);
	if (!unreleased) throw new Error('CHANGELOG.md has no "## [Unreleased]" section');
	const bodyStart = unreleased.index + unreleased[0].length;
	const next = changelog.slice(bodyStart).search(/^## \[|^\[[^\]]+\]: /m);
	const bodyEnd = next < 0 ? changelog.length : bodyStart + next;
	if (!/^- /m.test(changelog.slice(bodyStart, bodyEnd))) {
		throw new Error(
			'The "## [Unreleased]" section of CHANGELOG.md lists no change: nothing to release',
		);
	}
	const released = releasedVersions(changelog);
	if (released.includes(version))
		throw new Error(`CHANGELOG.md already has a section for ${version}`);
	const previous = released[0];
	let text = `${changelog.slice(0, bodyStart)}\n## [${version}] - ${date}\n${changelog.slice(bodyStart)}`;
	const unreleasedLink = `[Unreleased]: ${repo}/compare/v${version}...HEAD`;
	const versionLink = previous
		? `[${version}]: ${repo}/compare/v${previous}...v${version}`
		: `[${version}]: ${repo}/releases/tag/v${version}`;
	if (/^\[Unreleased\]: .*$/m.test(text)) {
		text = text.replace(/^\[Unreleased\]: .*$/m, `${unreleasedLink}\n${versionLink}`);
	} else {
		text = `${text.replace(/\n*$/, '\n')}\n${unreleasedLink}\n${versionLink}\n`;
	}
	return text;
}

/** The entries of one version's section (for the GitHub release). */
function releaseNotes(changelog, version) {
	const heading = new RegExp(
		`^## \\[${version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\] - .*\\n`,
		'm',
	);
	const m = heading.exec(changelog);
	if (!m) throw new Error(`CHANGELOG.md has no section for ${version}`);
	const rest = changelog.slice(m.index + m[0].length);
	const end = rest.search(/^## \[|^\[[^\]]+\]: /m);
	return (end < 0 ? rest : rest.slice(0, end)).trim() + '\n';
}

function sh(root, cmd, args, { capture = false } = {}) {
	const r = spawnSync(cmd, args, {
		cwd: root,
		encoding: 'utf8',
		stdio: capture ? 'pipe' : 'inherit',
	});
	if (r.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed${capture ? `: ${r.stderr.trim()}` : ''}`);
	}
	return capture ? r.stdout.trim() : '';
}

function writeJson(file, data) {
	fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}

function release(root, args) {
	const flags = new Set(args.filter((a) => a.startsWith('--')));
	const spec = args.find((a) => !a.startsWith('--'));
	const pkgFile = path.join(root, 'package.json');
	const lockFile = path.join(root, 'package-lock.json');
	const changelogFile = path.join(root, 'CHANGELOG.md');
	const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
	const changelog = fs.readFileSync(changelogFile, 'utf8');

	const version = nextVersion(pkg.version, spec);
	if (version === pkg.version && releasedVersions(changelog).includes(version)) {
		throw new Error(`${version} is already released; say patch, minor, major or a newer x.y.z`);
	}
	const tag = `v${version}`;
	if (sh(root, 'git', ['status', '--porcelain'], { capture: true })) {
		throw new Error('The working tree has uncommitted changes: commit or stash them first');
	}
	const branch = sh(root, 'git', ['rev-parse', '--abbrev-ref', 'HEAD'], { capture: true });
	if (branch !== 'main' && !flags.has('--any-branch')) {
		throw new Error(`Releases are cut from main (this is '${branch}'; --any-branch to override)`);
	}
	if (sh(root, 'git', ['tag', '--list', tag], { capture: true }))
		throw new Error(`Tag ${tag} exists already`);
	const date = new Date().toISOString().slice(0, 10);
	const newChangelog = releaseChangelog(changelog, version, date, repositoryUrl(pkg)); // fails early if empty

	if (!flags.has('--skip-checks')) {
		console.log(
			'[release] lint, build, package checks (n8n scanner, pack contents, lock file), unit tests',
		);
		sh(root, process.execPath, [path.join('scripts', 'test-all.js'), 'package', 'unit']);
	}

	pkg.version = version;
	writeJson(pkgFile, pkg);
	if (fs.existsSync(lockFile)) {
		const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
		lock.version = version;
		if (lock.packages?.['']) lock.packages[''].version = version;
		writeJson(lockFile, lock);
	}
	fs.writeFileSync(changelogFile, newChangelog);
	const files = [
		'package.json',
		'CHANGELOG.md',
		...(fs.existsSync(lockFile) ? ['package-lock.json'] : []),
	];
	sh(root, 'git', ['add', ...files]);
	sh(root, 'git', ['commit', '-q', '-m', `Release ${tag}`]);
	sh(root, 'git', ['tag', '-a', tag, '-m', `Release ${tag}`]);
	console.log(`[release] ${tag}: committed and tagged on ${branch}`);
	const push = ['push', '--atomic', 'origin', `HEAD:refs/heads/${branch}`, `refs/tags/${tag}`];
	if (flags.has('--push')) {
		sh(root, 'git', push);
		console.log(
			`[release] pushed; the Publish workflow now tests and publishes ${tag} with provenance`,
		);
	} else {
		console.log(
			`[release] push to publish (the Publish workflow tests and publishes with provenance):\n  git ${push.join(' ')}`,
		);
	}
	return version;
}

module.exports = {
	nextVersion,
	repositoryUrl,
	releasedVersions,
	releaseChangelog,
	releaseNotes,
	release,
};

if (require.main === module) {
	const root = process.cwd();
	const args = process.argv.slice(2);
	try {
		if (args[0] === 'notes') {
			process.stdout.write(
				releaseNotes(
					fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'),
					(args[1] ?? '').replace(/^v/, ''),
				),
			);
		} else {
			release(root, args);
		}
	} catch (err) {
		console.error(`[release] ${err.message}`);
		process.exit(1);
	}
}
