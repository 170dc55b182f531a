'use strict';

// Every link the package gives users (npm page, node and credential docs in the n8n editor) points at
// one place, the repository's README, and at a section that exists there.
const fs = require('node:fs');
const path = require('node:path');

const { root, pkg, requireBuild } = require('./helpers');
const { repositoryUrl } = require('../../scripts/release');

const canonical = 'https://github.com/n8n-nodes-tencent-chat-push/n8n-nodes-tencent-chat-push';
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** GitHub's anchors for the README's headings (lower case, punctuation dropped, spaces to hyphens). */
const anchors = new Set([
	'readme',
	...readme
		.split('\n')
		.filter((l) => /^#{1,6} /.test(l))
		.map((l) =>
			l
				.replace(/^#+ /, '')
				.trim()
				.toLowerCase()
				.replace(/[^\p{L}\p{N} _-]/gu, '')
				.replace(/ /g, '-'),
		),
]);

/** Each codex file's documentation URLs, by file. */
function codexUrls() {
	const dir = path.join(root, 'nodes');
	return fs
		.readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('.node.json'))
		.flatMap((file) => {
			const { resources } = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
			return Object.values(resources).flatMap((list) => list.map(({ url }) => ({ file, url })));
		});
}

test('package.json: repository, homepage and bugs are the one GitHub repository', () => {
	expect(repositoryUrl(pkg)).toBe(canonical);
	expect(pkg.repository).toEqual({ type: 'git', url: `git+${canonical}.git` });
	expect(pkg.homepage).toBe(`${canonical}#readme`);
	expect(pkg.bugs).toEqual({ url: `${canonical}/issues` });
});

test("each node's codex documentation and the credential's documentationUrl lead to a README section", () => {
	requireBuild();
	const { TencentChatApi } = require(
		path.join(root, 'dist', 'credentials', 'TencentChatApi.credentials.js'),
	);
	const urls = [
		...codexUrls(),
		{ file: 'TencentChatApi.credentials', url: new TencentChatApi().documentationUrl },
	];
	expect(urls.map((u) => u.file)).toEqual(
		expect.arrayContaining([
			'TencentChatPush/TencentChatPush.node.json',
			'TencentChatPushTrigger/TencentChatPushTrigger.node.json',
		]),
	);
	for (const { file, url } of urls) {
		const [base, anchor] = url.split('#');
		expect({ file, base, anchor: anchors.has(anchor) }).toEqual({
			file,
			base: canonical,
			anchor: true,
		});
	}
});

test('the README says where the documentation lives and how a release is cut', () => {
	expect(anchors.has('documentation')).toBe(true);
	expect(anchors.has('releasing')).toBe(true);
	expect(readme).toContain(`${canonical}#readme`);
});
