#!/usr/bin/env node
'use strict';
/**
 * The one-command demo (`npm run demo`, which builds first): installs n8n if needed, starts the
 * Tencent Chat emulator with its demo app, runs every workflow of examples/ in a real n8n and prints
 * what happened on the "Tencent" side: who received each push, and what each management step changed.
 * Everything it starts is stopped at the end, also on failure or Ctrl-C.
 *
 * Env: N8N_E2E_CACHE (where n8n is installed), DEMO_N8N_VERSION (default the latest supported).
 */
const fs = require('fs');
const path = require('path');

const installer = require('../test/e2e/harness/n8n-install');
const runner = require('../test/e2e/harness/n8n-run');
const { loadRecipes, printRecipes } = require('../test/e2e/harness/recipes');
const { startEmulator } = require('../emulator');

const APP = runner.DEMO_APP.sdkAppId;

/** The emulator's introspection API (`/_emulator/<route>`): its JSON answer. @returns {Promise<any>} */
async function introspect(emu, route) {
	const res = await fetch(`${emu.url}/_emulator/${route}`);
	if (!res.ok) throw new Error(`emulator ${route}: HTTP ${res.status}`);
	return res.json();
}

async function usersById(emu) {
	const { users } = await introspect(emu, `apps/${APP}/users`);
	return new Map(users.map((u) => [u.id, u]));
}

/** One line per user whose tags or attributes differ between two snapshots. */
function describeChanges(before, after) {
	const lines = [];
	for (const [id, now] of after) {
		const was = before.get(id) || { tags: [], attrs: {} };
		const added = now.tags.filter((t) => !was.tags.includes(t));
		const removed = was.tags.filter((t) => !now.tags.includes(t));
		const attrs = Object.keys({ ...was.attrs, ...now.attrs })
			.filter((k) => was.attrs[k] !== now.attrs[k])
			.map((k) => `${k}: ${was.attrs[k] ?? '∅'} → ${now.attrs[k] ?? '∅'}`);
		const parts = [];
		if (added.length) parts.push(`+tags ${added.join(', ')}`);
		if (removed.length) parts.push(`-tags ${removed.join(', ')}`);
		if (attrs.length) parts.push(attrs.join('; '));
		if (parts.length) lines.push(`${id}: ${parts.join(' | ')}`);
	}
	return lines;
}

function describeDelivery(d) {
	if (d.online) return `${d.userId} (online)`;
	if (d.loss) return `${d.userId} (offline: notification lost, ${d.loss.info})`;
	return d.offlinePush
		? `${d.userId} (offline: notification)`
		: `${d.userId} (offline${d.stored ? ': stored' : ''})`;
}

async function main() {
	const t0 = Date.now();
	const cleanup = [];
	let stopping = false;
	const stopAll = async () => {
		if (stopping) return;
		stopping = true;
		runner.killAll('SIGKILL');
		for (const fn of cleanup.reverse()) await fn().catch(() => {});
	};
	for (const sig of ['SIGINT', 'SIGTERM']) {
		process.once(sig, () => {
			console.log(`\n${sig}: stopping n8n and the emulator`);
			stopAll().finally(() => process.exit(130));
		});
	}

	try {
		const version = process.env.DEMO_N8N_VERSION || installer.LATEST;
		console.log(
			`▶ n8n ${version} (cached in ${installer.cacheRoot()}; the first run installs it, a few minutes)`,
		);
		const install = installer.ensureN8n(version);

		if (!fs.existsSync(path.join(runner.ROOT, 'dist', 'nodes'))) {
			throw new Error('dist/ is missing: run `npm run demo` (it builds first) or `npm run build`');
		}
		const tarball = runner.packPackage({ build: false });
		cleanup.push(async () => fs.rmSync(path.dirname(tarball), { recursive: true, force: true }));

		const emu = await startEmulator({ host: '127.0.0.1', port: 0 });
		cleanup.push(() => emu.stop());
		console.log(
			`▶ Tencent Chat emulator on ${emu.url} (demo app ${APP}, ${emu.state.getApp(APP).users.size} users)`,
		);

		const ctx = await runner.createHome({ install, tarball });
		cleanup.push(async () => ctx.remove());
		const examples = runner.loadExamples();
		await runner.importCredentials(ctx, [runner.emulatorCredential(emu)]);
		await runner.importWorkflows(
			ctx,
			examples.map((e) => e.workflow),
		);
		console.log(
			`▶ ${path.basename(tarball)} installed in n8n; ${examples.length} example workflows imported\n`,
		);

		const failures = [];
		for (const { file, workflow } of examples) {
			const usersBefore = await usersById(emu);
			const tasksBefore = new Set(
				(await introspect(emu, 'tasks?deliveries=0')).tasks.map((t) => t.taskId),
			);
			const result = await runner.executeWorkflow(ctx, workflow.id);
			console.log(`● ${workflow.name}  [examples/${file}, ${(result.ms / 1000).toFixed(1)}s]`);
			if (!result.ok) {
				failures.push(file);
				console.log(
					`  ✗ FAILED: ${result.error ? result.error.message : result.output.slice(-2000)}`,
				);
				continue;
			}
			const ours = workflow.nodes.filter((n) => n.type === runner.NODE_TYPE);
			for (const node of ours) {
				const items = runner.itemsOf(result.run, node.name) || [];
				const p = node.parameters;
				if (items.some((i) => i.dryRun)) {
					for (const i of items) {
						console.log(
							`  ${node.name}: dry run, nothing sent. valid=${i.valid}; would POST ${i.request.url}`,
						);
						console.log(`    body: ${JSON.stringify(i.request.body)}`);
					}
				} else if (p.resource === 'push' && p.operation === 'recall') {
					for (const i of items) {
						const task = await introspect(emu, `tasks/${encodeURIComponent(i.taskId)}`);
						console.log(
							`  ${node.name}: task ${i.taskId} is now "${task.status}"; ${task.deliveries.filter((d) => d.revoked).length} deliveries withdrawn`,
						);
					}
				} else if (p.resource === 'push' && p.operation === 'getDeliveryLosses') {
					for (const i of items) {
						console.log(
							`  ${node.name}: task ${i.taskId}: ${i.lost} lost (${i.lostBeforeSending} before sending, ${i.lostAfterSending} after)`,
						);
						console.log(`    reasons: ${i.reasons}`);
						for (const row of i.platforms)
							console.log(
								`    ${row.platform}: ${row.count} × ${row.reason} (${row.errorCode}, ${row.stage})`,
							);
					}
				} else if (p.resource === 'push' && p.operation === 'getStatistics') {
					for (const i of items) {
						console.log(
							`  ${node.name}: total ${i.totalCount}, sent ${i.sentCount}, delivered ${i.deliveredCount}, clicked ${i.clickCount}`,
						);
					}
				} else if (p.resource === 'push') {
					const taskIds = [
						...new Set(items.flatMap((i) => (i.taskId ? [i.taskId] : i.taskIds || []))),
					];
					for (const id of taskIds) {
						const task = await introspect(emu, `tasks/${encodeURIComponent(id)}`);
						const audience =
							items.find((i) => i.audience)?.audience || `${task.deliveries.length} named accounts`;
						console.log(`  ${node.name}: TaskId ${id}`);
						console.log(`    audience: ${audience}`);
						console.log(
							`    received by ${task.deliveries.length}: ${task.deliveries.map(describeDelivery).join(', ') || 'nobody'}`,
						);
					}
				} else {
					console.log(
						`  ${node.name}: ${items.length} output item(s), e.g. ${JSON.stringify(items[0])}`,
					);
				}
			}
			const changes = describeChanges(usersBefore, await usersById(emu));
			const newTasks = (await introspect(emu, 'tasks?deliveries=0')).tasks.filter(
				(t) => !tasksBefore.has(t.taskId),
			);
			if (changes.length)
				console.log(`  emulator state changed:\n${changes.map((l) => `    ${l}`).join('\n')}`);
			if (!changes.length && !newTasks.length) console.log('  emulator state unchanged');
			console.log('');
		}

		// The recipes (examples/recipes/) start from outside events: n8n serves them in server mode.
		const recipeFailures = await printRecipes({ ctx, emu });
		failures.push(...recipeFailures.map((f) => `recipes/${f}`));

		const total = examples.length + loadRecipes().length;
		const c = await introspect(emu, 'counters');
		const requests = Object.values(c.requests).reduce((a, b) => a + b, 0);
		const errors = Object.entries(c.responsesByCode)
			.filter(([code]) => code !== '0')
			.reduce((a, [, n]) => a + n, 0);
		console.log(
			`▶ emulator saw ${requests} API requests (${Object.entries(c.requests)
				.map(([k, n]) => `${k} ×${n}`)
				.join(', ')}); ${c.pushesAccepted} pushes accepted, ${errors} error responses`,
		);
		console.log(
			`▶ ${total - failures.length}/${total} workflows (examples and recipes) succeeded in ${((Date.now() - t0) / 1000).toFixed(0)}s`,
		);
		if (failures.length) {
			console.log(`✗ failed: ${failures.join(', ')}`);
			process.exitCode = 1;
		} else {
			console.log(
				'Next: `npm run n8n` opens these workflows in the n8n editor, with a fresh emulator.',
			);
		}
	} catch (err) {
		console.error(`✗ demo failed: ${runner.redact(err.message)}`);
		process.exitCode = 1;
	} finally {
		await stopAll();
	}
}

main();
