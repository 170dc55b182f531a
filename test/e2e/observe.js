'use strict';
/**
 * Helpers of statistics-schedules-callbacks.test.js and callback-auth.test.js (statistics, traces, scheduled pushes and push callbacks in real n8n):
 * the emulator's introspection API over HTTP, the figures Tencent's statistics should report as
 * computed from the emulator's delivery records, publishing workflows for server mode, and the
 * items of an execution (the owner's session and the public API are in test/e2e/harness/n8n-rest.js).
 */
const crypto = require('crypto');

const { pushPlatformOf } = require('../../emulator/platforms');
const { httpJson: http } = require('./harness/http-json');
const { runner } = require('./helpers');

/** The emulator's introspection API (`/_emulator/...`), failing loudly on anything but 200. */
function introspection(emulatorUrl) {
	const call = async (method, route, body) => {
		const r = await http(method, `${emulatorUrl}/_emulator${route}`, { body });
		if (r.status !== 200)
			throw new Error(`${method} /_emulator${route}: HTTP ${r.status} ${r.text}`);
		return r.json;
	};
	return {
		get: (route) => call('GET', route),
		post: (route, body) => call('POST', route, body),
		advanceClock: (ms) => call('POST', '/clock/advance', { ms }),
		configure: (config) => call('POST', '/config', config),
		schedTask: (id) => call('GET', `/sched-tasks/${id}`),
		task: (taskId) => call('GET', `/tasks/${encodeURIComponent(taskId)}`),
		callbacks: (taskId) => call('GET', `/callbacks?taskId=${encodeURIComponent(taskId)}`),
	};
}

/**
 * A task's figures as Tencent's statistics report them, counted straight from the emulator's
 * delivery records (not from its statistics code): recipients, deliveries sent on a channel,
 * deliveries that reached the device by `now`, clicks; per PushPlatform (0 = online channel).
 */
function figuresFromDeliveries(deliveries, now) {
	const count = (list) => ({
		totalCount: list.length,
		sentCount: list.filter((d) => d.sentAt !== null && d.sentAt !== undefined).length,
		deliveredCount: list.filter(
			(d) => d.deliveredAt !== null && d.deliveredAt !== undefined && d.deliveredAt <= now,
		).length,
		clickCount: list.filter((d) => d.clickedAt !== null && d.clickedAt !== undefined).length,
	});
	const byPlatform = new Map();
	for (const d of deliveries) {
		const key = `${pushPlatformOf(d)}|${d.channel === 'online' ? 'online' : 'offline'}`;
		if (!byPlatform.has(key)) byPlatform.set(key, []);
		byPlatform.get(key).push(d);
	}
	return {
		...count(deliveries),
		platforms: [...byPlatform.keys()]
			.map((key) => {
				const [code, channel] = [Number(key.split('|')[0]), key.split('|')[1]];
				return {
					platform: platformName(code, channel),
					pushPlatform: code,
					channel,
					...count(byPlatform.get(key)),
				};
			})
			.sort((a, b) => a.pushPlatform - b.pushPlatform || a.channel.localeCompare(b.channel)),
	};
}

/** Tencent's PushPlatform names (docs/tencent-api.md#callbacks), written here independently of the node. */
function platformName(code, channel) {
	const names = {
		1: 'APNs',
		2: 'Xiaomi',
		3: 'Huawei',
		4: 'FCM',
		5: 'Meizu',
		6: 'OPPO',
		7: 'vivo',
		8: 'Honor',
	};
	if (code === 0) return channel === 'online' ? 'Online' : 'Unknown';
	return names[code] ?? `Unknown (${code})`;
}

/** Sums figures of several tasks, platform by platform (and channel). */
function sumFigures(list) {
	const keys = ['totalCount', 'sentCount', 'deliveredCount', 'clickCount'];
	const total = Object.fromEntries(keys.map((k) => [k, list.reduce((s, f) => s + f[k], 0)]));
	const platforms = new Map();
	for (const row of list.flatMap((f) => f.platforms)) {
		const id = `${row.pushPlatform}|${row.channel}`;
		const merged = platforms.get(id) ?? { ...row, ...Object.fromEntries(keys.map((k) => [k, 0])) };
		for (const k of keys) merged[k] += row[k];
		platforms.set(id, merged);
	}
	return {
		...total,
		platforms: [...platforms.values()].sort(
			(a, b) => a.pushPlatform - b.pushPlatform || a.channel.localeCompare(b.channel),
		),
	};
}

/** Polls `check` (async, returns a value or a falsy one) until it yields or `timeoutMs` passes. */
async function waitFor(check, { timeoutMs = 20_000, intervalMs = 200, what = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		last = await check();
		if (last) return last;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

/**
 * `n8n publish:workflow --id` (2.x's activation; 2.8 and 2.41 both have it). It logs its errors and
 * exits 0, so its output is checked too. It must run while no server holds the database.
 */
async function publishWorkflows(ctx, ids) {
	for (const id of ids) {
		const r = await runner.n8nCommand(ctx, ['publish:workflow', `--id=${id}`]);
		const out = runner.redact(r.stdout + r.stderr, ctx.secrets);
		if (r.code !== 0 || /GOT ERROR|Error updating database/.test(out)) {
			throw new Error(`n8n publish:workflow --id=${id} failed (exit ${r.code}):\n${out}`);
		}
	}
}

const demoCredential = {
	tencentChatApi: { id: runner.DEMO_CREDENTIAL.id, name: runner.DEMO_CREDENTIAL.name },
};

/** A workflow holding only the Tencent Chat Push Trigger, named 'Push Callbacks', on the demo credential. */
function triggerWorkflow(id, name, parameters) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'Push Callbacks',
				type: `${runner.PACKAGE}.tencentChatPushTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: crypto.randomUUID(),
				parameters,
				credentials: demoCredential,
			},
		],
		connections: {},
	};
}

/**
 * A workflow started by n8n's Webhook node on `path` (answering as `responseMode` says), then
 * `nodes` in a chain (runner.workflowChain: nodes without a type are ours, on the demo credential).
 */
function webhookWorkflow(id, name, path, responseMode, nodes, { executeOnce = false } = {}) {
	const webhook = {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: crypto.randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode, options: {} },
	};
	return { ...runner.workflowChain(id, webhook, nodes, { executeOnce }), name };
}

/**
 * Waits until a trigger's production webhook is registered: it answers (a call without SdkAppid is
 * refused with 403 and starts nothing), so that no callback meets a 404 and gets retried.
 */
async function waitForTriggerWebhook(triggerUrl, server) {
	await waitFor(
		async () => {
			const res = await http('POST', triggerUrl, { body: {} });
			return res.status === 403 && res.json?.ActionStatus === 'FAIL';
		},
		{ timeoutMs: 30_000, intervalMs: 500, what: "the trigger's webhook" },
	).catch((err) => {
		err.message += `\n${server.output().slice(-3000)}`;
		throw err;
	});
}

/** Output items (json) of a node in an execution the public API returned with its data. */
function executionItems(execution, nodeName) {
	const runs = execution.data?.resultData?.runData?.[nodeName] ?? [];
	return runs.flatMap((task) => (task.data?.main?.[0] ?? []).map((item) => item.json));
}

module.exports = {
	http,
	introspection,
	figuresFromDeliveries,
	sumFigures,
	waitFor,
	publishWorkflows,
	executionItems,
	triggerWorkflow,
	webhookWorkflow,
	waitForTriggerWebhook,
};
