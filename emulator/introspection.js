'use strict';

const { quotaOf, quotaUsedToday } = require('./limits');
const { userView, PUSH_TOKENS } = require('./state');
const { isPlatform, PLATFORM_NAMES } = require('./platforms');
const { taskStatistics, isDelivered } = require('./stats');
const { taskInfo } = require('./endpoints/sched');

/**
 * Test/demo API under /_emulator (never under /v4, so it cannot be mistaken for Tencent's API).
 * JSON in and out. Secret keys and usersigs are never returned.
 */
const PREFIX = '/_emulator';

const isIntrospectionPath = (p) => p === PREFIX || p.startsWith(`${PREFIX}/`);

function send(res, status, payload) {
	const body = JSON.stringify(payload);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(body),
	});
	res.end(body);
}

class HttpError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

function appSummary(emu, app) {
	const now = emu.clock.now();
	return {
		sdkAppId: app.sdkAppId,
		admins: app.admins,
		pushEnabled: app.pushEnabled,
		attrSlots: app.attrSlots,
		userCount: app.users.size,
		distinctTags: app.tagIndex.size,
		pushCertificates: app.pushCertificates,
		dailyPushQuota: quotaOf(app, emu.config),
		pushesToday: quotaUsedToday(app, now, emu.config),
		lastPushAt: app.limits.lastPushAt,
	};
}

function findApp(emu, id) {
	const app = emu.state.getApp(id);
	if (!app) throw new HttpError(404, `unknown sdkappid ${id}`);
	return app;
}

function filterTasks(emu, q) {
	let tasks = emu.state.taskList();
	if (q.has('sdkappid')) tasks = tasks.filter((t) => String(t.sdkAppId) === q.get('sdkappid'));
	if (q.has('family')) tasks = tasks.filter((t) => t.family === q.get('family'));
	if (q.has('command')) tasks = tasks.filter((t) => t.command === q.get('command'));
	if (q.get('deliveries') === '0') tasks = tasks.map(({ deliveries: _omitted, ...rest }) => rest);
	return tasks;
}

function requests(emu, q) {
	let log = emu.state.requestLog;
	if (q.has('since')) log = log.filter((e) => e.seq > Number(q.get('since')));
	if (q.has('endpoint')) log = log.filter((e) => `${e.service}/${e.command}` === q.get('endpoint'));
	if (q.has('limit')) log = log.slice(-Math.max(0, Number(q.get('limit'))));
	return log;
}

function findTask(emu, app, taskId) {
	const task = emu.state.tasks.get(taskId);
	if (!task || task.sdkAppId !== app.sdkAppId)
		throw new HttpError(404, `unknown task ${taskId} of app ${app.sdkAppId}`);
	return task;
}

/** Records that recipients clicked the notification of a task (first click counts once). */
function recordClicks(emu, task, body) {
	if (
		!Array.isArray(body.users) ||
		body.users.length === 0 ||
		body.users.some((u) => typeof u !== 'string')
	) {
		throw new HttpError(400, 'body must be {"users": ["<user id>", ...]}');
	}
	const now = emu.clock.now();
	const clicked = [];
	const ignored = [];
	for (const user of body.users) {
		const d = task.deliveries.find((x) => x.userId === user);
		let reason = null;
		if (!d) reason = 'not a recipient of this task';
		else if (!isDelivered(d, now)) reason = 'not delivered (yet)';
		else if (d.clickedAt !== null) reason = 'already clicked';
		if (reason) ignored.push({ user, reason });
		else {
			d.clickedAt = now;
			clicked.push(user);
		}
	}
	emu.state.counters.clicks += clicked.length;
	if (clicked.length > 0) emu.persister.schedule();
	return {
		taskId: task.taskId,
		clicked,
		ignored,
		clickCount: task.deliveries.filter((d) => d.clickedAt !== null).length,
	};
}

function schedTasks(emu, q) {
	let list = emu.state.schedTaskList();
	if (q.has('sdkappid')) list = list.filter((t) => String(t.sdkAppId) === q.get('sdkappid'));
	if (q.has('status')) list = list.filter((t) => t.status === q.get('status'));
	return list.map((t) => ({ ...t, taskInfo: taskInfo(t) }));
}

function callbackList(emu, q) {
	const filter = {};
	if (q.has('sdkappid')) filter.sdkAppId = Number(q.get('sdkappid'));
	if (q.has('status')) filter.status = q.get('status');
	if (q.has('taskId')) filter.taskId = q.get('taskId');
	let list = emu.callbacks.list(filter);
	if (q.get('events') === '0') list = list.map(({ events: _omitted, ...rest }) => rest);
	return {
		callbackUrl: emu.config.callbackUrl,
		inFlight: emu.callbacks.inFlight(),
		callbacks: list,
	};
}

function route(emu, method, parts, q, body) {
	const [a, b, c, d] = parts;
	const get = method === 'GET';
	const post = method === 'POST';
	if (get && a === 'health' && !b) {
		return {
			ok: true,
			url: emu.url,
			clock: { mode: emu.clock.mode, now: emu.clock.now() },
			apps: [...emu.state.apps.keys()],
			tasks: emu.state.tasks.size,
			schedTasks: emu.state.schedTasks.size,
		};
	}
	if (a === 'config' && !b) {
		if (post) emu.configure(body);
		// The callback token is a secret of the receiving side: say whether it is set, not what it is.
		if (get || post)
			return { config: { ...emu.config, callbackToken: emu.config.callbackToken ? '[set]' : '' } };
	}
	if (get && a === 'counters' && !b) return emu.state.counters;
	if (get && a === 'requests' && !b) return { requests: requests(emu, q) };
	if (get && a === 'tasks' && !b) return { tasks: filterTasks(emu, q) };
	if (get && a === 'tasks' && b && !c) {
		const task = emu.state.tasks.get(b);
		if (!task) throw new HttpError(404, `unknown task ${b}`);
		return task;
	}
	if (get && a === 'sched-tasks' && !b) return { schedTasks: schedTasks(emu, q) };
	if (get && a === 'sched-tasks' && b && !c) {
		const st = emu.state.schedTasks.get(Number(b));
		if (!st) throw new HttpError(404, `unknown scheduled task ${b}`);
		return { ...st, taskInfo: taskInfo(st) };
	}
	if (get && a === 'callbacks' && !b) return callbackList(emu, q);
	if (a === 'apps') {
		if (get && !b) return { apps: [...emu.state.apps.values()].map((app) => appSummary(emu, app)) };
		const app = b && findApp(emu, b);
		if (get && b && !c) return appSummary(emu, app);
		if (get && c === 'users' && !d)
			return { users: [...app.users.values()].map((u) => userView(app, u)) };
		if (c === 'users' && d && parts.length === 4) {
			const user = app.users.get(d);
			if (!user) throw new HttpError(404, `unknown user ${d}`);
			if (post) {
				const hasOnline = body.online !== undefined;
				const hasPlatform = body.platform !== undefined;
				const hasToken = body.pushToken !== undefined;
				if (
					(!hasOnline && !hasPlatform && !hasToken) ||
					(hasOnline && typeof body.online !== 'boolean')
				) {
					throw new HttpError(
						400,
						'body must be {"online": true|false}, {"platform": "<platform>"} and/or {"pushToken": "ok"|"missing"|"invalid"}',
					);
				}
				if (hasPlatform && !isPlatform(body.platform))
					throw new HttpError(400, `platform must be one of ${PLATFORM_NAMES.join(', ')}`);
				if (hasToken && !PUSH_TOKENS.includes(body.pushToken))
					throw new HttpError(400, `pushToken must be one of ${PUSH_TOKENS.join(', ')}`);
				if (hasOnline) user.online = body.online;
				if (hasPlatform) user.platform = body.platform;
				if (hasToken) user.pushToken = body.pushToken;
				emu.persister.schedule();
			}
			if (get || post) return userView(app, user);
		}
		if (c === 'tasks' && d && parts.length === 5) {
			const task = findTask(emu, app, d);
			if (post && parts[4] === 'clicks') return recordClicks(emu, task, body);
			if (get && parts[4] === 'statistics') return taskStatistics(task, emu.clock.now());
		}
	}
	if (a === 'faults' && !b) {
		if (post) {
			if (body.clear) emu.faults.clear(body.endpoint);
			else emu.faults.set(body.endpoint || '*', body);
		}
		if (get || post) return { faults: emu.faults.list() };
	}
	if (post && a === 'reset' && !b)
		return emu.reset({ config: body.config === true }).then(() => ({ ok: true }));
	if (a === 'clock' && !b && get) return { mode: emu.clock.mode, now: emu.clock.now() };
	if (post && a === 'clock' && b === 'advance' && !c) {
		if (!Number.isFinite(body.ms) || body.ms < 0)
			throw new HttpError(400, 'body must be {"ms": <non-negative number>}');
		return { mode: emu.clock.mode, now: emu.clock.advance(body.ms) };
	}
	throw new HttpError(404, `no introspection route ${method} ${PREFIX}/${parts.join('/')}`);
}

async function handleIntrospection(emu, req, res, pathname, search, raw) {
	try {
		if (raw === null) throw new HttpError(413, 'body too large');
		let body = {};
		if (req.method === 'POST' && raw.length > 0) {
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch {
				throw new HttpError(400, 'body must be JSON');
			}
			if (body === null || typeof body !== 'object' || Array.isArray(body))
				throw new HttpError(400, 'body must be a JSON object');
		}
		const parts = pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
		emu.scheduler.run(); // reads see everything that fell due by now
		const result = await route(emu, req.method, parts, new URLSearchParams(search), body);
		send(res, 200, result);
	} catch (err) {
		const status = err instanceof HttpError ? err.status : 400;
		send(res, status, { error: err.message });
	}
}

module.exports = { handleIntrospection, isIntrospectionPath, PREFIX };
