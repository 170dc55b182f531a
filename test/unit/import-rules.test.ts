/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * The layering of nodes/TencentChatPush, read from the imports of every file under nodes/:
 * - an operation folder `actions/<resource>/` imports only its own resource and the layers below,
 *   never another resource (what two resources share belongs in shared/ or helpers/);
 * - `shared/` (push content, execution, the batching engine, the report poller) never imports an
 *   operation or `methods/`;
 * - `transport/`, `validation/` and `helpers/` never import `actions/`, `shared/` or `methods/`;
 * - `methods/` (the editor's option lists) never imports `actions/`.
 * docs/architecture.md draws the same layers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const NODE_DIR = 'nodes/TencentChatPush';

/** Every specifier a file imports or re-exports, statically or dynamically. */
export function importsOf(source: string): string[] {
	const specs: string[] = [];
	const patterns = [
		/\b(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g,
		/\bimport\s*['"]([^'"]+)['"]/g,
		/\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
	];
	for (const pattern of patterns)
		for (const match of source.matchAll(pattern)) specs.push(match[1]);
	return specs;
}

/** The layer of a repository-relative path: 'actions/<resource>', 'shared', 'helpers', …, or undefined outside the node. */
function layerOf(file: string): string | undefined {
	const rel = path.posix.relative(NODE_DIR, file);
	if (rel.startsWith('..')) return undefined;
	const parts = rel.split('/');
	// actions/<resource>/<file> belongs to its resource; actions/router.ts to actions/ itself.
	if (parts[0] === 'actions' && parts.length > 2) return `actions/${parts[1]}`;
	return parts[0];
}

/** Why `file` may not import `target` (both repository-relative), or undefined when it may. */
export function ruleBroken(file: string, target: string): string | undefined {
	const from = layerOf(file);
	const to = layerOf(target);
	if (!from || !to || from === to) return undefined;
	const toActions = to === 'actions' || to.startsWith('actions/');
	if (from.startsWith('actions/') && to.startsWith('actions/'))
		return `${from} imports another resource (${to})`;
	if (from.startsWith('actions/') && to === 'actions')
		return `${from} imports actions/ outside its resource`;
	if (
		['transport', 'validation', 'helpers'].includes(from) &&
		(toActions || to === 'shared' || to === 'methods')
	)
		return `${from}/ imports ${to}/, a layer above it`;
	if (from === 'shared' && (toActions || to === 'methods'))
		return `shared/ imports ${to}/, a layer above it`;
	if (from === 'methods' && toActions) return `methods/ imports ${to}/`;
	return undefined;
}

function filesUnder(dir: string): string[] {
	return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const rel = path.posix.join(dir, entry.name);
		if (entry.isDirectory()) return filesUnder(rel);
		return /\.(ts|js)$/.test(entry.name) ? [rel] : [];
	});
}

/** Resolves a relative specifier to a repository-relative path (without checking the extension). */
function resolve(file: string, spec: string): string | undefined {
	if (!spec.startsWith('.')) return undefined;
	return path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
}

describe('import rules of nodes/', () => {
	const files = filesUnder('nodes');

	it('finds the node files and their imports', () => {
		expect(files.length).toBeGreaterThan(40);
		const send = fs.readFileSync(
			path.join(ROOT, NODE_DIR, 'actions/push/send.operation.ts'),
			'utf8',
		);
		expect(importsOf(send)).toEqual(
			expect.arrayContaining(['n8n-workflow', '../../transport', '../../shared/pushContent/body']),
		);
	});

	it('no resource imports another, and no lower layer imports a higher one', () => {
		const broken: string[] = [];
		for (const file of files) {
			for (const spec of importsOf(fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
				const target = resolve(file, spec);
				const why = target && ruleBroken(file, target);
				if (why) broken.push(`${file}: import '${spec}': ${why}`);
			}
		}
		expect(broken).toEqual([]);
	});

	it.each([
		[
			'actions/scheduledPush/fields.ts',
			'actions/push/send.operation',
			'actions/scheduledPush imports another resource (actions/push)',
		],
		[
			'actions/userTag/add.operation.ts',
			'actions/router',
			'actions/userTag imports actions/ outside its resource',
		],
		['methods/attributeNames.ts', 'actions/common', 'methods/ imports actions/'],
		['helpers/time.ts', 'shared/execution', 'helpers/ imports shared/, a layer above it'],
		[
			'transport/index.ts',
			'actions/push/send.operation',
			'transport/ imports actions/push/, a layer above it',
		],
		[
			'shared/statistics.ts',
			'actions/push/getStatistics.operation',
			'shared/ imports actions/push/, a layer above it',
		],
	])('refuses %s importing %s', (from, to, why) => {
		expect(ruleBroken(`${NODE_DIR}/${from}`, `${NODE_DIR}/${to}`)).toBe(why);
	});

	it.each([
		['actions/push/send.operation.ts', 'shared/pushContent/body'],
		['actions/scheduledPush/create.operation.ts', 'actions/scheduledPush/fields'],
		['shared/managementBatch.ts', 'helpers/pacing'],
		['helpers/pacing.ts', 'transport/index'],
		['methods/attributeNames.ts', 'shared/attributeNames'],
	])('allows %s importing %s', (from, to) => {
		expect(ruleBroken(`${NODE_DIR}/${from}`, `${NODE_DIR}/${to}`)).toBeUndefined();
	});
});
