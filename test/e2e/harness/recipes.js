'use strict';
/**
 * The recipes of examples/recipes/ driven the way the outside world drives them, in a real n8n in
 * server mode (`n8n start`): their workflows are published (active), HubSpot-style contact events,
 * shop order events and support requests are POSTed to their production webhooks, schedules are
 * fired as the editor's "Execute workflow" button fires them, and the emulator's clock is moved to a
 * scheduled push's send time so that its delivery callbacks reach the Tencent Chat Push Trigger.
 *
 * Used by `npm run demo` (printRecipes) and test/e2e/recipes.test.js (startRecipes + the drivers,
 * which return what happened without judging it).
 */
const fs = require('fs');
const path = require('path');

const runner = require('./n8n-run');
const { httpJson } = require('./http-json');
const { ownerSession, EXECUTION_SCOPES } = require('./n8n-rest');
const { startOpenAiStandin } = require('./openai-standin');

const RECIPE_DIR = path.join(runner.ROOT, 'examples', 'recipes');
const APP = runner.DEMO_APP.sdkAppId;
/** The OpenAI credential of the AI-agent recipe: a dummy key and the stand-in's base URL. */
const OPENAI_CREDENTIAL = { id: 'tcRcpOpenAiCred1', name: 'OpenAI (local stand-in)' };

/** The recipes in the order they are driven (the campaign moves the emulator's clock: last). */
const ORDER = [
	'crm-segment-sync.json',
	'order-event-push.json',
	'ai-agent-push-tool.json',
	'scheduled-campaign-report.json',
];

function loadRecipes() {
	const files = fs.readdirSync(RECIPE_DIR).filter((f) => f.endsWith('.json'));
	return files
		.sort(
			(a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
		)
		.map((file) => ({
			file,
			workflow: JSON.parse(fs.readFileSync(path.join(RECIPE_DIR, file), 'utf8')),
		}));
}

/** Sample HubSpot webhook call: contact.propertyChange events (contacts 1001-1003 map to heidi, ivan, grace). */
function hubspotEvents(occurredAt = Date.now()) {
	const event = (n, objectId, propertyName, propertyValue) => ({
		eventId: 3000000000 + n,
		subscriptionId: 2417443,
		portalId: 62515,
		appId: 1160452,
		occurredAt: occurredAt + n,
		subscriptionType: 'contact.propertyChange',
		attemptNumber: 0,
		objectId,
		changeSource: 'CRM_UI',
		propertyName,
		propertyValue,
	});
	return [
		event(1, 1001, 'vip_status', 'true'),
		event(2, 1001, 'lifecyclestage', 'customer'),
		event(3, 1001, 'city', 'Berlin'),
		event(4, 1002, 'vip_status', 'true'),
		event(5, 1002, 'hs_language', 'en'),
		event(6, 1003, 'membership_level', 'gold'),
		event(7, 4242, 'vip_status', 'true'), // a contact without an app account: skipped
	];
}

/** Sample shop webhook body. */
function orderEvent(id, customerId, type = 'order.shipped') {
	return {
		id,
		type,
		created_at: new Date().toISOString(),
		data: {
			customer_id: customerId,
			order_id: 9000 + Number(id.replace(/\D/g, '') || 0),
			order_number: 1042,
		},
	};
}

async function waitFor(check, { timeoutMs = 30_000, intervalMs = 250, what = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

/** `n8n publish:workflow` (activation in 2.x), before the server holds the database. */
async function publish(ctx, ids) {
	for (const id of ids) {
		const r = await runner.n8nCommand(ctx, ['publish:workflow', `--id=${id}`]);
		const out = runner.redact(r.stdout + r.stderr, ctx.secrets);
		if (r.code !== 0 || /GOT ERROR|Error updating database/.test(out)) {
			throw new Error(`n8n publish:workflow --id=${id} failed (exit ${r.code}):\n${out}`);
		}
	}
}

/** Output items (json) of a node in an execution returned with its data. */
function itemsIn(execution, nodeName, output = 0) {
	const runs = execution?.data?.resultData?.runData?.[nodeName] ?? [];
	return runs.flatMap((task) => (task.data?.main?.[output] ?? []).map((item) => item.json));
}

/** The OpenAI credential the AI-agent recipe refers to, pointed at the local stand-in. */
function openAiStandinCredential(url) {
	return {
		...OPENAI_CREDENTIAL,
		type: 'openAiApi',
		data: { apiKey: 'sk-local-standin-not-a-key', url },
	};
}

/**
 * Imports the recipes (and the stand-in's OpenAI credential) into `ctx`, which already holds the
 * Tencent credential, publishes them and starts n8n. Resolves the environment the drivers use.
 */
async function startRecipes({ ctx, emu }) {
	const recipes = loadRecipes();
	const standin = await startOpenAiStandin();
	await runner.importCredentials(ctx, [openAiStandinCredential(standin.url)]);
	await runner.importWorkflows(
		ctx,
		recipes.map((r) => r.workflow),
	);
	await publish(
		ctx,
		recipes.map((r) => r.workflow.id),
	);
	const server = await runner.startServer(ctx);
	const session = await ownerSession(server.url, { apiKeyScopes: EXECUTION_SCOPES });
	const byFile = Object.fromEntries(recipes.map((r) => [r.file, r.workflow]));
	const env = { ctx, emu, standin, server, session, recipes, byFile };
	// Production webhooks answer once their workflow is active: a GET on a POST webhook says so.
	for (const { workflow } of recipes) {
		for (const node of workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.webhook')) {
			await waitFor(
				async () => {
					const r = await httpJson('GET', `${server.url}/webhook/${node.parameters.path}`);
					return r.status !== 404 || /POST/.test(r.text);
				},
				{ what: `the production webhook of ${workflow.name}` },
			);
		}
	}
	env.stop = async () => {
		await server.stop().catch(() => {});
		await standin.stop();
	};
	return env;
}

async function executions(env, workflowId) {
	const all = [];
	let cursor;
	do {
		const query = new URLSearchParams({ workflowId, includeData: 'true', limit: '100' });
		if (cursor) query.set('cursor', cursor);
		const page = await env.session.api(`/executions?${query}`);
		all.push(...page.data);
		cursor = page.nextCursor;
	} while (cursor);
	return all;
}

/** Runs `action`, then waits for `count` new finished executions of the workflow; resolves them, oldest first. */
async function withExecutions(env, workflowId, count, action) {
	const before = new Set((await executions(env, workflowId)).map((e) => e.id));
	const result = await action();
	const done = await waitFor(
		async () => {
			const fresh = (await executions(env, workflowId)).filter((e) => !before.has(e.id));
			return fresh.length >= count &&
				fresh.every(
					(e) => e.finished || (e.status && !['running', 'new', 'waiting'].includes(e.status)),
				)
				? fresh
				: null;
		},
		{ what: `${count} execution(s) of workflow ${workflowId}`, timeoutMs: 60_000 },
	);
	return { result, executions: done.sort((a, b) => Number(a.id) - Number(b.id)) };
}

/** Fires a trigger node the way the editor's "Execute workflow" button does (a manual execution). */
async function fireTrigger(env, workflowId, triggerName) {
	const {
		result,
		executions: [execution],
	} = await withExecutions(env, workflowId, 1, async () => {
		// 2.8 wants the workflow in the body (2.41 reads it from the database and ignores it).
		const saved = await env.session.rest('GET', `/rest/workflows/${workflowId}`);
		if (saved.status !== 200)
			throw new Error(`GET workflow ${workflowId}: HTTP ${saved.status} ${saved.text}`);
		const r = await env.session.rest('POST', `/rest/workflows/${workflowId}/run`, {
			workflowData: saved.json.data,
			triggerToStartFrom: { name: triggerName },
		});
		if (r.status !== 200) throw new Error(`run ${triggerName}: HTTP ${r.status} ${r.text}`);
		return r.json.data;
	});
	return { started: result, execution };
}

const webhookUrl = (env, p) => `${env.server.url}/webhook/${p}`;
const users = (emu) =>
	new Map([...emu.state.getApp(APP).users.keys()].map((id) => [id, emu.state.userView(APP, id)]));
const tasksSince = (emu, known) => emu.state.taskList().filter((t) => !known.has(t.taskId));

// ---- drivers: each resolves what went in, what n8n did and what the emulator recorded -----------

/** Recipe 1: one HubSpot webhook call, then the daily schedule. */
async function driveCrm(env) {
	const wf = env.byFile['crm-segment-sync.json'];
	const events = hubspotEvents();
	const before = users(env.emu);
	const webhook = await withExecutions(env, wf.id, 1, () =>
		httpJson('POST', webhookUrl(env, 'hubspot/contact-events'), { body: events }),
	);
	const after = users(env.emu);
	const known = new Set(env.emu.state.taskList().map((t) => t.taskId));
	const daily = await fireTrigger(env, wf.id, 'Every Day at 10:00');
	return {
		events,
		response: webhook.result,
		execution: webhook.executions[0],
		tagsAdded: itemsIn(webhook.executions[0], 'Add Tags'),
		attributesSet: itemsIn(webhook.executions[0], 'Set Attributes'),
		before,
		after,
		dailyExecution: daily.execution,
		dailyPush: itemsIn(daily.execution, 'Push to VIP Segment'),
		dailyTasks: tasksSince(env.emu, known),
	};
}

/** Recipe 2: an order event delivered twice, then an event for a customer without a Chat account. */
async function driveOrder(env) {
	const wf = env.byFile['order-event-push.json'];
	const known = new Set(env.emu.state.taskList().map((t) => t.taskId));
	const event = orderEvent(`evt_${Date.now()}`, 'carol');
	const first = await withExecutions(env, wf.id, 1, () =>
		httpJson('POST', webhookUrl(env, 'shop/order-events'), { body: event }),
	);
	const second = await withExecutions(env, wf.id, 1, () =>
		httpJson('POST', webhookUrl(env, 'shop/order-events'), { body: event }),
	);
	const tasks = tasksSince(env.emu, known);
	const bad = orderEvent(`evt_${Date.now() + 1}`, 'no-such-customer', 'checkout.abandoned');
	const failed = await withExecutions(env, wf.id, 1, () =>
		httpJson('POST', webhookUrl(env, 'shop/order-events'), { body: bad }),
	);
	return {
		event,
		deliveries: [first, second].map((d) => ({
			status: d.result.status,
			body: d.result.json,
			pushOutput: itemsIn(d.executions[0], 'Push to the Customer'),
		})),
		tasks,
		failedEvent: bad,
		failed: {
			status: failed.result.status,
			body: failed.result.json,
			errorOutput: itemsIn(failed.executions[0], 'Push to the Customer', 1),
			execution: failed.executions[0],
		},
		tasksAfterFailure: tasksSince(env.emu, known),
	};
}

/** Recipe 4: a support request in plain words; the agent looks up tags and sends a push. */
async function driveAgent(
	env,
	message = 'Customer alice asked where order #1042 is. Please notify user alice that it has shipped.',
) {
	const wf = env.byFile['ai-agent-push-tool.json'];
	const known = new Set(env.emu.state.taskList().map((t) => t.taskId));
	const requestsBefore = env.standin.requests.length;
	const call = await withExecutions(env, wf.id, 1, () =>
		httpJson('POST', webhookUrl(env, 'support/agent'), { body: { message } }),
	);
	const runData = call.executions[0]?.data?.resultData?.runData ?? {};
	const toolRuns = (name) =>
		(runData[name] ?? []).map((task) => ({
			input: task.inputOverride?.ai_tool?.[0]?.[0]?.json,
			output: (task.data?.ai_tool?.[0] ?? []).map((i) => i.json),
			error: task.error?.message,
		}));
	return {
		message,
		status: call.result.status,
		answer: call.result.json,
		execution: call.executions[0],
		modelRequests: env.standin.requests.slice(requestsBefore),
		tagLookups: toolRuns('Get User Tags'),
		pushes: toolRuns('Send Push to User'),
		tasks: tasksSince(env.emu, known),
		tagLogs: env.emu.state.requestLog.filter((e) => e.command === 'get_tag').length,
	};
}

/**
 * Recipe 3: the weekly schedule creates a scheduled push for the next 10:00 in the audience's time
 * zone; the emulator's clock is then moved to that time, so the push goes out and its delivery
 * callbacks reach the trigger, whose executions build the report in the workflow's static data.
 */
async function driveCampaign(env) {
	const wf = env.byFile['scheduled-campaign-report.json'];
	const trigger = wf.nodes.find((n) => n.type === `${runner.PACKAGE}.tencentChatPushTrigger`);
	const created = await fireTrigger(env, wf.id, 'Every Monday at 08:00');
	const [window] = itemsIn(created.execution, 'Next Send Window');
	const [task] = itemsIn(created.execution, 'Schedule the Campaign');
	if (!task)
		throw new Error(
			`the campaign was not scheduled: ${JSON.stringify(created.execution?.data?.resultData?.error ?? null)}`,
		);
	// taskId is text in the node's outputs; the emulator keys scheduled tasks by Tencent's integer.
	const pending = env.emu.state.schedTasks.get(Number(task.taskId));
	const pendingStatus = pending?.status;

	env.emu.configure({
		callbackUrl: `${env.server.url}/webhook/${trigger.webhookId}/tencent-chat-push`,
	});
	const jumpMs =
		Date.parse(task.sendAt) - env.emu.clock.now() + env.emu.config.deliveryDelayMs + 1000;
	const callbacksBefore = env.emu.callbacks.list().length;
	/** @type {{ recipients: string[], online: number, offline: number, failed: number, platforms: Record<string, number>, errors: unknown[] } | undefined} */
	let report;
	const reports = await withExecutions(env, wf.id, 1, async () => {
		env.emu.clock.advance(Math.max(0, jumpMs));
		await env.emu.callbacks.drain();
	});
	const pushTaskId = env.emu.state.schedTasks.get(Number(task.taskId))?.pushTaskId;
	const batches = env.emu.callbacks.list().slice(callbacksBefore);
	// Static data is written when each execution ends: wait until the report has every recipient.
	const pushTask = pushTaskId ? env.emu.state.tasks.get(pushTaskId) : undefined;
	const expected = pushTask ? pushTask.deliveries.filter((d) => d.deliveredAt !== null).length : 0;
	await waitFor(
		async () => {
			const r = await env.session.rest('GET', `/rest/workflows/${wf.id}`);
			report = r.json?.data?.staticData?.global?.reports?.[pushTaskId];
			return report && report.recipients.length >= expected ? report : null;
		},
		{ what: 'the delivery report in static data', timeoutMs: 30_000 },
	).catch(() => {});
	env.emu.configure({ callbackUrl: '' });
	return {
		window,
		created: task,
		pendingStatus,
		schedTask: env.emu.state.schedTasks.get(Number(task.taskId)),
		pushTask,
		callbackBatches: batches,
		reportExecutions: reports.executions,
		reportOutputs: reports.executions.flatMap((e) => itemsIn(e, 'Add to Report')),
		report,
		jumpMs,
	};
}

// ---- printing (npm run demo) -------------------------------------------------------------------

function describeUserChanges(before, after) {
	const lines = [];
	for (const [id, now] of after) {
		const was = before.get(id) || { tags: [], attrs: {} };
		const added = now.tags.filter((t) => !was.tags.includes(t));
		const attrs = Object.keys({ ...was.attrs, ...now.attrs })
			.filter((k) => was.attrs[k] !== now.attrs[k])
			.map((k) => `${k}: ${was.attrs[k] ?? '∅'} → ${now.attrs[k] ?? '∅'}`);
		const parts = [];
		if (added.length) parts.push(`+tags ${added.join(', ')}`);
		if (attrs.length) parts.push(attrs.join('; '));
		if (parts.length) lines.push(`${id}: ${parts.join(' | ')}`);
	}
	return lines;
}

const who = (task) =>
	task.deliveries
		.map(
			(d) =>
				`${d.userId}${d.online ? ' (online)' : d.offlinePush ? ' (offline: notification)' : ' (offline)'}`,
		)
		.join(', ') || 'nobody';
const title = (task) =>
	task.content?.offlinePushInfo?.Title ?? task.content?.OfflinePushInfo?.Title ?? '';

/** Drives every recipe and prints, for each: the outside event, what the node did, what the emulator recorded. */
async function printRecipes({ ctx, emu, log = console.log }) {
	const failures = [];
	const t0 = Date.now();
	const env = await startRecipes({ ctx, emu });
	log(
		`▶ ${env.recipes.length} recipes of examples/recipes/ published; n8n serving them on ${env.server.url} (OpenAI stand-in on ${env.standin.url})\n`,
	);
	const step = async (label, file, fn) => {
		const t = Date.now();
		log(`● ${label}  [examples/recipes/${file}]`);
		try {
			await fn();
		} catch (err) {
			failures.push(file);
			log(`  ✗ FAILED: ${runner.redact(err.message, ctx.secrets)}`);
		}
		log(`  (${((Date.now() - t) / 1000).toFixed(1)}s)\n`);
	};
	try {
		await step(
			'CRM segment sync → daily push to the segment',
			'crm-segment-sync.json',
			async () => {
				const r = await driveCrm(env);
				log(
					`  outside: HubSpot POSTs ${r.events.length} contact.propertyChange events (${r.events.map((e) => `${e.objectId}.${e.propertyName}=${e.propertyValue}`).join(', ')})`,
				);
				log(`  webhook answered HTTP ${r.response.status}`);
				for (const i of r.tagsAdded)
					log(`  Add Tags: ${i.accounts?.join(', ')} +${JSON.stringify(i.tags)}`);
				for (const i of r.attributesSet)
					log(`  Set Attributes: ${i.accounts?.join(', ')} ${JSON.stringify(i.attributes)}`);
				log(`  emulator: ${describeUserChanges(r.before, r.after).join('; ') || 'no change'}`);
				log("  outside: the daily schedule fires (as the editor's Execute button fires it)");
				for (const t of r.dailyTasks)
					log(
						`  Push to VIP Segment: TaskId ${t.taskId}, "${title(t)}" received by ${t.deliveries.length}: ${who(t)}`,
					);
				if (!r.dailyTasks.length)
					throw new Error(
						`no push to the segment: ${JSON.stringify(r.dailyExecution?.data?.resultData?.error ?? r.dailyPush)}`,
					);
			},
		);
		await step('Order webhook → one push per event', 'order-event-push.json', async () => {
			const r = await driveOrder(env);
			log(
				`  outside: the shop POSTs ${r.event.type} ${r.event.id} for customer ${r.event.data.customer_id}, twice`,
			);
			r.deliveries.forEach((d, n) =>
				log(`  delivery ${n + 1}: HTTP ${d.status} ${JSON.stringify(d.body)}`),
			);
			log(
				`  emulator: ${r.tasks.length} push task(s): ${r.tasks.map((t) => `${t.taskId} "${title(t)}" → ${who(t)}`).join('; ')}`,
			);
			log(
				`  outside: ${r.failedEvent.type} ${r.failedEvent.id} for ${r.failedEvent.data.customer_id}`,
			);
			log(`  error branch: HTTP ${r.failed.status} ${JSON.stringify(r.failed.body).slice(0, 300)}`);
			if (r.tasks.length !== 1)
				throw new Error(`expected one push for the duplicated webhook, got ${r.tasks.length}`);
		});
		await step('AI agent with the node as its tools', 'ai-agent-push-tool.json', async () => {
			const r = await driveAgent(env);
			log(`  outside: POST /webhook/support/agent ${JSON.stringify({ message: r.message })}`);
			log(
				`  model (stand-in): ${r.modelRequests.map((q) => (q.step.toolCall ? `call ${q.step.toolCall.name}(${JSON.stringify(q.step.toolCall.args)})` : 'answer')).join(' → ')}`,
			);
			for (const t of r.tagLookups)
				log(`  Get User Tags: ${JSON.stringify(t.output).slice(0, 200)}`);
			for (const t of r.pushes)
				log(`  Send Push to User: ${JSON.stringify(t.output).slice(0, 200)}`);
			for (const t of r.tasks)
				log(`  emulator: TaskId ${t.taskId} "${title(t)}" received by ${who(t)}`);
			log(`  agent answered HTTP ${r.status}: ${JSON.stringify(r.answer).slice(0, 300)}`);
			if (r.tasks.length !== 1)
				throw new Error(`expected the agent to send one push, got ${r.tasks.length}`);
		});
		await step(
			'Scheduled campaign in the audience time zone, with a delivery report',
			'scheduled-campaign-report.json',
			async () => {
				const r = await driveCampaign(env);
				log(
					`  outside: the weekly schedule fires; next send window ${r.window.localTime} (${r.window.sendAt})`,
				);
				log(
					`  Schedule the Campaign: scheduled task ${r.created.taskId} for ${r.created.sendAt}, ${r.created.audience}; emulator status "${r.pendingStatus}"`,
				);
				log(
					`  outside: the emulator's clock moves ${(r.jumpMs / 3_600_000).toFixed(1)} h to the send time; task "${r.schedTask?.status}", push ${r.pushTask?.taskId} received by ${r.pushTask ? who(r.pushTask) : 'nobody'}`,
				);
				const events = r.callbackBatches.flatMap((b) => b.events);
				const ofCampaign = events.filter((e) => e.TaskId === r.pushTask?.taskId).length;
				log(
					`  emulator: ${r.callbackBatches.length} callback request(s), ${ofCampaign} event(s) of the campaign (${events.length} in all) → ${r.reportExecutions.length} trigger execution(s)`,
				);
				log(
					`  report (static data): ${r.report ? JSON.stringify({ reached: r.report.recipients.length, online: r.report.online, offline: r.report.offline, failed: r.report.failed, platforms: r.report.platforms, errors: r.report.errors }) : 'missing'}`,
				);
				if (!r.report) throw new Error('no delivery report');
			},
		);
	} finally {
		await env.stop();
	}
	log(
		`▶ ${env.recipes.length - failures.length}/${env.recipes.length} recipes succeeded in ${((Date.now() - t0) / 1000).toFixed(0)}s`,
	);
	return failures;
}

module.exports = {
	RECIPE_DIR,
	OPENAI_CREDENTIAL,
	openAiStandinCredential,
	loadRecipes,
	hubspotEvents,
	orderEvent,
	startRecipes,
	driveCrm,
	driveOrder,
	driveAgent,
	driveCampaign,
	itemsIn,
	printRecipes,
};
