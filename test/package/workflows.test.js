'use strict';

// The GitHub Actions workflows cannot run here: parse them and check what they promise.
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const { root, pkg } = require('./helpers');

const dir = path.join(root, '.github', 'workflows');

function load(file) {
	const doc = YAML.parseDocument(fs.readFileSync(path.join(dir, file), 'utf8'), {
		uniqueKeys: true,
	});
	expect(doc.errors.map(String)).toEqual([]);
	expect(doc.warnings.map(String)).toEqual([]);
	return doc.toJS();
}

/** The `run:` scripts of a job's steps, in order, with the step names. */
const runs = (job) =>
	job.steps.filter((s) => s.run).map((s) => ({ name: s.name ?? '', run: s.run }));
const installs = (job) => runs(job).filter((s) => /\bnpm (ci|install|i)\b/.test(s.run));

/** A GitHub Actions tag filter (`v*.*.*`) as a regular expression. */
const tagFilter = (glob) =>
	new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);

test('every workflow parses, has jobs with steps, and pins each action to a release', () => {
	const files = fs
		.readdirSync(dir)
		.filter((f) => /\.ya?ml$/.test(f))
		.sort();
	expect(files).toEqual(['ci.yml', 'e2e.yml', 'publish.yml']);
	for (const file of files) {
		const wf = load(file);
		expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
		for (const job of Object.values(wf.jobs)) {
			expect(job.steps.length).toBeGreaterThan(0);
			for (const step of job.steps.filter((s) => s.uses))
				expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
			// Every install is the reproducible one: fails instead of rewriting a stale lock.
			for (const step of installs(job)) expect(step.run).toMatch(/^npm ci$/m);
		}
	}
});

test('CI runs lint, build and the fast layers on every push and pull request, on each supported Node', () => {
	const wf = load('ci.yml');
	expect(Object.keys(wf.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
	const job = wf.jobs.test;
	const floor = /^>=(\d+\.\d+)$/.exec(pkg.engines.node)[1];
	expect(job.strategy.matrix.node[0]).toBe(floor); // the oldest Node that engines allows
	expect(job.strategy.matrix.node.map(Number).map(Math.floor)).toEqual(
		expect.arrayContaining([20, 22, 24]),
	);
	expect(installs(job)).toHaveLength(1);
	// test-all.js always runs lint, build and the test type check before the projects it is given.
	expect(runs(job).at(-1).run).toBe(
		'node scripts/test-all.js package unit emulator integration reliability',
	);
});

test('the real-n8n layer runs nightly, on demand and on pull requests labelled e2e', () => {
	const wf = load('e2e.yml');
	expect(wf.on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
	expect(wf.on).toHaveProperty('workflow_dispatch');
	expect(wf.on.pull_request.types).toContain('labeled');
	expect(wf.jobs.e2e.if).toContain("contains(github.event.pull_request.labels.*.name, 'e2e')");
	expect(runs(wf.jobs.e2e).at(-1).run).toBe('node scripts/test-all.js e2e');
});

describe('Publish', () => {
	const wf = load('publish.yml');
	const job = wf.jobs.publish;
	const steps = runs(job);
	const publishAt = steps.findIndex((s) => /\bnpm publish\b/.test(s.run));

	test('starts on a version tag, the form `npm run release` creates', () => {
		expect(Object.keys(wf.on)).toEqual(['push']);
		const filters = wf.on.push.tags.map(tagFilter);
		expect(filters.some((f) => f.test('v1.2.3'))).toBe(true);
		expect(filters.some((f) => f.test('1.2.3'))).toBe(false);
		expect(filters.some((f) => f.test('release-candidate'))).toBe(false);
	});

	test('the publish job may mint the OIDC token provenance needs (id-token: write), nothing more', () => {
		expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(wf.permissions).toEqual({ contents: 'read' });
	});

	test('installs with npm ci, checks the tag, runs lint, build and the fast layers, then publishes', () => {
		expect(publishAt).toBe(steps.length - 1);
		const before = steps
			.slice(0, publishAt)
			.map((s) => s.run)
			.join('\n');
		expect(before).toMatch(/^npm ci$/m);
		expect(before).toContain(
			'node scripts/test-all.js package unit emulator integration reliability',
		);
		expect(before).toContain('$GITHUB_REF_NAME');
	});

	test('publishes with provenance, publicly, by trusted publishing or the NPM_TOKEN secret', () => {
		const step = job.steps.find((s) => s.run === steps[publishAt].run);
		expect(step.run).toMatch(/^npm publish --provenance --access public$/m);
		expect(step.env.NPM_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
		expect(step.run).toContain('if [ -n "$NPM_TOKEN" ]');
		// Trusted publishing needs npm >= 11.5.1, which Node 24 brings.
		const setup = job.steps.find((s) => String(s.uses).startsWith('actions/setup-node@'));
		expect(Number(setup.with['node-version'])).toBeGreaterThanOrEqual(24);
	});

	test('the GitHub release comes after the publish, with the notes of the CHANGELOG', () => {
		const release = wf.jobs['github-release'];
		expect(release.needs).toBe('publish');
		expect(release.permissions).toEqual({ contents: 'write' });
		expect(runs(release).at(-1).run).toContain('node scripts/release.js notes "$GITHUB_REF_NAME"');
	});
});
