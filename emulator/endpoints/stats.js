'use strict';

const { fail } = require('../errors');
const { hasOwn } = require('../util');
const {
	taskStatistics,
	aggregate,
	lossesOf,
	taskLosses,
	traceInstance,
	TRACE_RETENTION_MS,
} = require('../stats');

/**
 * v4/timpush/all_member_push_statistics, all_member_push_loss and all_member_push_trace,
 * computed from the delivery records of the app's Push-service tasks (push, batch and dispatched
 * scheduled tasks). Legacy im_push tasks belong to the older IM feature and are not reported here.
 */

/** Both take at most 5 TaskIDs (intl 1047/71894, trtc.io 71895). */
const MAX_TASK_IDS = 5;
const DAY_SECONDS = 24 * 60 * 60;
/** Statistics cover at most 30 days, losses at most 7. */
const MAX_STATISTICS_SECONDS = 30 * DAY_SECONDS;
const MAX_LOSS_SECONDS = 7 * DAY_SECONDS;

const isReportable = (task, app) => task.sdkAppId === app.sdkAppId && task.family === 'timpush';

function unixSeconds(b, field) {
	if (!hasOwn(b, field)) fail(90001, `${field} is required (Unix seconds)`);
	const v = b[field];
	if (!Number.isInteger(v) || v < 0)
		fail(90001, `${field} must be a Unix time in seconds (a non-negative integer)`);
	return v;
}

/**
 * The request both endpoints share: StartTime, EndTime (Unix seconds, inclusive, at most
 * `maxSeconds` apart) and TaskID (an array of at most 5 TaskIds; empty = overall), all three
 * required. The pages name no error code for a violation; the emulator answers 90001, its code for
 * every malformed push request. Returns the selected tasks: those created within the window, and
 * among the given TaskIDs when there are any (unknown, foreign or legacy ones are left out).
 */
function selectTasks(ctx, maxSeconds) {
	const b = ctx.body;
	if (!hasOwn(b, 'TaskID'))
		fail(90001, 'TaskID is required: an array of at most 5 TaskIds, or [] for overall figures');
	if (!Array.isArray(b.TaskID) || b.TaskID.some((t) => typeof t !== 'string' || t === ''))
		fail(90001, 'TaskID must be an array of TaskId strings');
	if (b.TaskID.length > MAX_TASK_IDS)
		fail(90001, `TaskID has ${b.TaskID.length} entries; at most ${MAX_TASK_IDS} are allowed`);
	const start = unixSeconds(b, 'StartTime');
	const end = unixSeconds(b, 'EndTime');
	if (start > end) fail(90001, 'StartTime must not be later than EndTime');
	if (end - start > maxSeconds)
		fail(90001, `The time range must not exceed ${maxSeconds / DAY_SECONDS} days`);
	const from = start * 1000;
	const to = end * 1000 + 999;
	const inRange = (t) => t.createdAt >= from && t.createdAt <= to;
	if (b.TaskID.length === 0)
		return {
			overall: true,
			tasks: ctx.state.taskList().filter((t) => isReportable(t, ctx.app) && inRange(t)),
		};
	const tasks = [...new Set(b.TaskID)]
		.map((id) => ctx.state.tasks.get(id))
		.filter((t) => t && isReportable(t, ctx.app) && inRange(t));
	return { overall: false, tasks };
}

/**
 * `Results`: one entry per selected task, in TaskID order; for overall figures (TaskID []), one
 * entry with `TaskID: ""` summing every task in the window (the page does not show that answer).
 */
function statistics(ctx) {
	const { overall, tasks } = selectTasks(ctx, MAX_STATISTICS_SECONDS);
	const perTask = tasks.map((t) => taskStatistics(t, ctx.arrivedAt));
	return { Results: overall ? [aggregate(perTask, '')] : perTask };
}

/** `Results`: losses per selected task; for overall figures, one entry with `TaskID: ""`. */
function losses(ctx) {
	const { overall, tasks } = selectTasks(ctx, MAX_LOSS_SECONDS);
	return {
		Results: overall
			? [
					lossesOf(
						tasks.flatMap((t) => t.deliveries),
						'',
					),
				]
			: tasks.map(taskLosses),
	};
}

/**
 * Body: { TaskID, UserID } (both required). The user's delivery of the task as one InstanceTrace
 * entry; an empty list when the task is unknown, foreign, legacy or older than 7 days, or the
 * user was not a recipient.
 */
function trace(ctx) {
	const b = ctx.body;
	if (typeof b.TaskID !== 'string' || b.TaskID === '')
		fail(90001, 'TaskID is required and must be a string');
	if (typeof b.UserID !== 'string' || b.UserID === '')
		fail(90001, 'UserID is required and must be a string');
	const task = ctx.state.tasks.get(b.TaskID);
	const now = ctx.arrivedAt;
	if (!task || !isReportable(task, ctx.app) || now - task.createdAt > TRACE_RETENTION_MS)
		return { InstanceTrace: [] };
	const d = task.deliveries.find((x) => x.userId === b.UserID);
	return { InstanceTrace: d ? [traceInstance(task, d, now)] : [] };
}

const commands = {
	all_member_push_statistics: {
		kind: 'stats',
		fields: ['StartTime', 'EndTime', 'TaskID'],
		mutates: false,
		handle: statistics,
	},
	all_member_push_loss: {
		kind: 'stats',
		fields: ['StartTime', 'EndTime', 'TaskID'],
		mutates: false,
		handle: losses,
	},
	all_member_push_trace: {
		kind: 'stats',
		fields: ['TaskID', 'UserID'],
		mutates: false,
		handle: trace,
	},
};

module.exports = { service: 'timpush', family: 'timpush', commands, notImplemented: [] };
