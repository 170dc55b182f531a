'use strict';

const { fail, ApiError } = require('../errors');
const { hasOwn, isPlainObject, byteLength, formatTime, parseUtcTime } = require('../util');
const { fnv1a } = require('../platforms');
const { submitPush } = require('../push');
const { requirePushEnabled } = require('./shared');
const { pushSpec, batchSpec, PUSH_FIELDS, BATCH_FIELDS } = require('./timpush');

/**
 * Scheduled push tasks (docs/tencent-api.md#scheduled): add/modify/delete/get/list_sched_task. A task holds a push
 * body (Content) that is validated with the same rules as v4/timpush/push (Type All/Tag) or
 * v4/timpush/batch (Type User), and is dispatched through the same push core when the emulator
 * clock passes its SchedAt (see scheduler.js). Times are UTC `YYYY-MM-DD HH:MM:SS`.
 *
 * Status: pending → dispatching (push task created, its deliveries still settling) → dispatched,
 * or failed (the push was refused at dispatch time; DispatchErr says why). Only pending tasks can
 * be modified or deleted (else 90107). Every other parameter error is 90104.
 */

const TYPES = ['All', 'Tag', 'User'];
const TASK_ID_BASE = 1000000000;
const ORDER_FIELDS = { createat: 'createdAt', schedat: 'schedAtMs' };
const DAY_MS = 24 * 60 * 60 * 1000;

function checkSdkappid(ctx) {
	const b = ctx.body;
	if (!hasOwn(b, 'Sdkappid')) fail(90104, 'Sdkappid is required');
	if (!Number.isInteger(b.Sdkappid)) fail(90104, 'Sdkappid must be an integer');
	if (b.Sdkappid !== ctx.app.sdkAppId)
		fail(
			90104,
			`Sdkappid ${b.Sdkappid} does not match the sdkappid in the URL (${ctx.app.sdkAppId})`,
		);
}

function typeOf(b) {
	if (!hasOwn(b, 'Type')) fail(90104, 'Type is required');
	if (!TYPES.includes(b.Type)) fail(90104, 'Type must be All, Tag or User');
	return b.Type;
}

function timeOf(b, field) {
	if (!hasOwn(b, field)) fail(90104, `${field} is required`);
	const ms = parseUtcTime(b[field]);
	if (ms === null) fail(90104, `${field} must be a UTC time written YYYY-MM-DD HH:MM:SS`);
	return ms;
}

function schedAtOf(ctx) {
	const ms = timeOf(ctx.body, 'SchedAt');
	if (ms <= ctx.arrivedAt)
		fail(
			90104,
			`SchedAt ${ctx.body.SchedAt} is not in the future (it is now ${formatTime(ctx.arrivedAt)} UTC)`,
		);
	return ms;
}

function taskIdOf(b) {
	if (!hasOwn(b, 'TaskID')) fail(90104, 'TaskID is required');
	if (!Number.isInteger(b.TaskID) || b.TaskID <= 0)
		fail(90104, 'TaskID must be a positive integer');
	return b.TaskID;
}

function findTask(ctx, taskId) {
	const st = ctx.state.schedTasks.get(taskId);
	if (!st || st.sdkAppId !== ctx.app.sdkAppId) fail(90104, `TaskID ${taskId} does not exist`);
	return st;
}

/** MsgRandom of a task whose Content has none: stable per TaskID, within uint32. */
const defaultMsgRandom = (taskId) => fnv1a(`sched|${taskId}`);

/**
 * Validates Content for a Type with the push rules and returns the Content to store (MsgRandom
 * filled in when absent, as Tencent's get_sched_task example shows one). A push error becomes
 * 90104 with the push's reason in ErrorInfo.
 */
function validateContent(ctx, type, content, msgRandom) {
	if (!isPlainObject(content)) fail(90104, 'Content must be an object');
	if (byteLength(JSON.stringify(content)) > ctx.config.maxPushBodyBytes) {
		fail(90104, `Content exceeds ${ctx.config.maxPushBodyBytes} bytes, the limit of a push body`);
	}
	const allowed = type === 'User' ? BATCH_FIELDS : PUSH_FIELDS;
	for (const field of Object.keys(content))
		if (!allowed.includes(field)) ctx.warnings.push(`unknown field Content.${field}`);
	if (type === 'User') {
		if (hasOwn(content, 'Condition'))
			fail(90104, 'Content.Condition is not allowed for Type User (use To_Account)');
		if (!hasOwn(content, 'To_Account')) fail(90104, 'Content.To_Account is required for Type User');
	} else {
		if (hasOwn(content, 'To_Account'))
			fail(90104, `Content.To_Account is only allowed for Type User`);
		if (type === 'All' && hasOwn(content, 'Condition'))
			fail(90104, 'Content.Condition is not allowed for Type All (use Type Tag)');
		if (type === 'Tag' && !hasOwn(content, 'Condition'))
			fail(90104, 'Content.Condition is required for Type Tag');
	}
	const body = hasOwn(content, 'MsgRandom') ? { ...content } : { ...content, MsgRandom: msgRandom };
	try {
		if (type === 'User') batchSpec(ctx, body, { lookup: false });
		else pushSpec(ctx, body);
	} catch (err) {
		if (err instanceof ApiError)
			fail(90104, `Invalid Content: ${err.info} (a push would answer ${err.code})`);
		throw err;
	}
	return body;
}

/** TaskInfo as get_sched_task and list_sched_task return it. */
function taskInfo(st) {
	const info = isPlainObject(st.content.OfflinePushInfo) ? st.content.OfflinePushInfo : {};
	return {
		TaskID: st.taskId,
		Sdkappid: st.sdkAppId,
		CreateAt: formatTime(st.createdAt),
		Type: st.type,
		SchedAt: st.schedAt,
		Content: JSON.parse(JSON.stringify(st.content)),
		Title: typeof info.Title === 'string' ? info.Title : '',
		Desc: typeof info.Desc === 'string' ? info.Desc : '',
		Status: st.status,
		DispatchSuccess: st.dispatchSuccess,
		DispatchErr: st.dispatchErr,
		PushTaskID: st.pushTaskId,
	};
}

/**
 * Only pending tasks change. delete_sched_task's page (intl 1047/78841) answers 90107 while the
 * task is dispatching and 90106 once dispatched (a failed dispatch counts as dispatched);
 * modify keeps 90107, the code Tencent's push error table gives for both.
 */
function notPending(st, verb) {
	if (st.status === 'pending') return;
	const code = verb === 'delete' && st.status !== 'dispatching' ? 90106 : 90107;
	fail(code, `${verb} failed: task ${st.status}`);
}

function addSchedTask(ctx) {
	checkSdkappid(ctx);
	requirePushEnabled(ctx.app);
	const b = ctx.body;
	const type = typeOf(b);
	const schedAtMs = schedAtOf(ctx);
	if (!hasOwn(b, 'Content')) fail(90104, 'Content is required');
	const taskId = TASK_ID_BASE + ctx.state.seq.sched + 1;
	const content = validateContent(ctx, type, b.Content, defaultMsgRandom(taskId));
	ctx.state.seq.sched += 1;
	ctx.state.schedTasks.set(taskId, {
		taskId,
		sdkAppId: ctx.app.sdkAppId,
		createdBy: ctx.identifier,
		createdAt: ctx.arrivedAt,
		modifiedAt: null,
		type,
		schedAt: b.SchedAt,
		schedAtMs,
		content,
		status: 'pending',
		dispatchSuccess: 0,
		dispatchErr: '',
		pushTaskId: '',
		dispatchedAt: null,
		settlesAt: null,
	});
	ctx.state.counters.schedTasks.added += 1;
	return { TaskID: taskId };
}

/** SchedAt and Content are optional; a given Content is merged over the stored one field by field. */
function modifySchedTask(ctx) {
	checkSdkappid(ctx);
	const b = ctx.body;
	const taskId = taskIdOf(b);
	const st = findTask(ctx, taskId);
	if (typeOf(b) !== st.type)
		fail(90104, `Type must equal the task's Type (${st.type}); it cannot be changed`);
	notPending(st, 'modify');
	const schedAtMs = hasOwn(b, 'SchedAt') ? schedAtOf(ctx) : st.schedAtMs;
	let content = st.content;
	if (hasOwn(b, 'Content')) {
		if (!isPlainObject(b.Content)) fail(90104, 'Content must be an object');
		content = validateContent(ctx, st.type, { ...st.content, ...b.Content }, st.content.MsgRandom);
	}
	if (hasOwn(b, 'SchedAt')) {
		st.schedAt = b.SchedAt;
		st.schedAtMs = schedAtMs;
	}
	st.content = content;
	st.modifiedAt = ctx.arrivedAt;
	ctx.state.counters.schedTasks.modified += 1;
	return { TaskID: taskId };
}

function deleteSchedTask(ctx) {
	checkSdkappid(ctx);
	const b = ctx.body;
	const taskId = taskIdOf(b);
	const st = findTask(ctx, taskId);
	if (typeOf(b) !== st.type) fail(90104, `Type must equal the task's Type (${st.type})`);
	notPending(st, 'delete');
	ctx.state.schedTasks.delete(taskId);
	ctx.state.counters.schedTasks.deleted += 1;
	return { TaskID: taskId };
}

function getSchedTask(ctx) {
	checkSdkappid(ctx);
	return { TaskInfo: taskInfo(findTask(ctx, taskIdOf(ctx.body))) };
}

/**
 * Offset (>= 0) and Want (1..schedListMaxWant) page through the app's tasks whose OrderBy time
 * (createAt or schedAt, any letter case) lies in [BeginTime, EndTime] (UTC, inclusive, at most
 * schedListMaxDays apart), optionally with Keyword in Title or Desc (case-insensitive). Ties are
 * broken by TaskID in the same direction, so pages never overlap.
 */
function listSchedTasks(ctx) {
	checkSdkappid(ctx);
	const { body: b, config } = ctx;
	if (!Number.isInteger(b.Offset) || b.Offset < 0)
		fail(90104, 'Offset is required and must be an integer >= 0');
	if (!Number.isInteger(b.Want) || b.Want <= 0)
		fail(90104, 'Want is required and must be an integer > 0');
	if (b.Want > config.schedListMaxWant)
		fail(90104, `Want must not exceed ${config.schedListMaxWant}`);
	const orderKey =
		typeof b.OrderBy === 'string' ? ORDER_FIELDS[b.OrderBy.toLowerCase()] : undefined;
	if (!orderKey) fail(90104, 'OrderBy is required and must be createAt or schedAt');
	if (typeof b.Asc !== 'boolean') fail(90104, 'Asc is required and must be a boolean');
	const begin = timeOf(b, 'BeginTime');
	const end = timeOf(b, 'EndTime');
	if (begin > end) fail(90104, 'BeginTime must not be later than EndTime');
	if (end - begin > config.schedListMaxDays * DAY_MS)
		fail(
			90104,
			`The time range from BeginTime to EndTime must not exceed ${config.schedListMaxDays} days`,
		);
	let keyword = null;
	if (hasOwn(b, 'Keyword')) {
		if (typeof b.Keyword !== 'string') fail(90104, 'Keyword must be a string');
		keyword = b.Keyword.toLowerCase();
	}
	const dir = b.Asc ? 1 : -1;
	const text = (v) => (typeof v === 'string' ? v.toLowerCase() : '');
	const hasKeyword = (st) => {
		if (!keyword) return true;
		const info = isPlainObject(st.content.OfflinePushInfo) ? st.content.OfflinePushInfo : {};
		return text(info.Title).includes(keyword) || text(info.Desc).includes(keyword);
	};
	const matches = ctx.state
		.schedTaskList()
		.filter(
			(st) =>
				st.sdkAppId === ctx.app.sdkAppId &&
				st[orderKey] >= begin &&
				st[orderKey] <= end + 999 &&
				hasKeyword(st),
		)
		.sort((x, y) => dir * (x[orderKey] - y[orderKey] || x.taskId - y.taskId));
	return { Total: matches.length, Tasks: matches.slice(b.Offset, b.Offset + b.Want).map(taskInfo) };
}

/**
 * Dispatches a due task through the push core, as of its SchedAt. Choices (docs/tencent-api.md#unconfirmed):
 * All/Tag dispatches count against the daily push quota (over quota → failed, DispatchErr 90047)
 * but neither wait for nor restart the 1-second push interval; MsgRandom dedup does not apply;
 * User dispatches follow batch rules (no quota). The push task is not counted in pushesAccepted.
 */
function dispatchSchedTask(env, st) {
	const { state, config } = env;
	const app = state.getApp(st.sdkAppId);
	const isUser = st.type === 'User';
	const ctx = {
		state,
		config,
		app,
		arrivedAt: st.schedAtMs,
		endpoint: { key: isUser ? 'timpush/batch' : 'timpush/push' },
		identifier: app.admins.includes(st.createdBy) ? st.createdBy : app.admins[0],
		warnings: [],
		rawBody: Buffer.from(JSON.stringify(st.content)),
		onTaskCreated: env.onTaskCreated,
	};
	st.dispatchedAt = st.schedAtMs;
	try {
		requirePushEnabled(app);
		const spec = isUser ? batchSpec(ctx, st.content) : pushSpec(ctx, st.content);
		spec.limits = { interval: false, quota: !isUser, dedup: false };
		spec.schedTaskId = st.taskId;
		const { TaskId } = submitPush(ctx, spec);
		st.pushTaskId = TaskId;
		st.dispatchSuccess = 1;
		st.settlesAt = state.tasks.get(TaskId).settlesAt;
		st.status = 'dispatching';
		state.counters.schedTasks.dispatched += 1;
	} catch (err) {
		const code = err instanceof ApiError ? err.code : 91000;
		const info = err instanceof ApiError ? err.info : 'Internal service error.';
		if (!(err instanceof ApiError))
			process.stderr.write(
				`[tencent-push-emulator] internal error dispatching scheduled task ${st.taskId}: ${err && err.stack}\n`,
			);
		st.status = 'failed';
		st.dispatchErr = `${code}: ${info}`;
		state.counters.schedTasks.failed += 1;
	}
}

const SDKAPPID_TASK = ['Sdkappid', 'TaskID'];
const failExtra = { TaskID: 0 };
const def = (fields, mutates, handle, extra) => ({
	kind: 'sched',
	fields,
	mutates,
	handle,
	...extra,
});

const commands = {
	add_sched_task: def(['Sdkappid', 'Type', 'SchedAt', 'Content'], true, addSchedTask, {
		failExtra,
	}),
	modify_sched_task: def([...SDKAPPID_TASK, 'Type', 'SchedAt', 'Content'], true, modifySchedTask, {
		failExtra,
	}),
	delete_sched_task: def([...SDKAPPID_TASK, 'Type'], true, deleteSchedTask, { failExtra }),
	get_sched_task: def(SDKAPPID_TASK, false, getSchedTask),
	list_sched_task: def(
		['Sdkappid', 'Offset', 'Want', 'OrderBy', 'Asc', 'BeginTime', 'EndTime', 'Keyword'],
		false,
		listSchedTasks,
	),
};

module.exports = {
	service: 'timpush',
	family: 'timpush',
	commands,
	notImplemented: [],
	dispatchSchedTask,
	taskInfo,
	TASK_ID_BASE,
};
