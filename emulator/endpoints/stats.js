'use strict';

const { fail } = require('../errors');
const { hasOwn } = require('../util');
const { taskStatistics, aggregate, traceInstance, TRACE_RETENTION_MS } = require('../stats');

/**
 * v4/timpush/all_member_push_statistics and all_member_push_trace, computed from the delivery
 * records of the app's Push-service tasks (push, batch and dispatched scheduled tasks). Legacy
 * im_push tasks belong to the older IM feature and are not reported here.
 */

const MAX_TASK_IDS = 100;
const MAX_WINDOW_SECONDS = 30 * 24 * 60 * 60;

const isReportable = (task, app) => task.sdkAppId === app.sdkAppId && task.family === 'timpush';

function unixSeconds(b, field) {
  const v = b[field];
  if (!Number.isInteger(v) || v < 0) fail(90001, `${field} must be a Unix time in seconds (a non-negative integer)`);
  return v;
}

/**
 * Body: { TaskID?: string[], StartTime?, EndTime? } — TaskIDs, a time range, or both (a task must
 * then match both). StartTime/EndTime (Unix seconds, inclusive) go together, at most 30 days apart,
 * and select tasks by creation time. Unknown or foreign TaskIDs are left out of the answer.
 */
function statistics(ctx) {
  const b = ctx.body;
  let ids = null;
  if (hasOwn(b, 'TaskID')) {
    if (!Array.isArray(b.TaskID) || b.TaskID.length === 0 || b.TaskID.some((t) => typeof t !== 'string' || t === '')) {
      fail(90001, 'TaskID must be a non-empty array of TaskId strings');
    }
    if (b.TaskID.length > MAX_TASK_IDS) fail(90001, `TaskID has ${b.TaskID.length} entries; at most ${MAX_TASK_IDS} are allowed`);
    ids = [...new Set(b.TaskID)];
  }
  let range = null;
  if (hasOwn(b, 'StartTime') || hasOwn(b, 'EndTime')) {
    if (!hasOwn(b, 'StartTime') || !hasOwn(b, 'EndTime')) fail(90001, 'StartTime and EndTime must be given together');
    const start = unixSeconds(b, 'StartTime');
    const end = unixSeconds(b, 'EndTime');
    if (start > end) fail(90001, 'StartTime must not be later than EndTime');
    if (end - start > MAX_WINDOW_SECONDS) fail(90001, 'The time range must not exceed 30 days');
    range = { from: start * 1000, to: end * 1000 + 999 };
  }
  if (!ids && !range) fail(90001, 'Give TaskID, or StartTime and EndTime');

  const inRange = (t) => !range || (t.createdAt >= range.from && t.createdAt <= range.to);
  let tasks;
  if (ids) {
    tasks = ids.map((id) => ctx.state.tasks.get(id)).filter((t) => t && isReportable(t, ctx.app) && inRange(t));
  } else {
    tasks = ctx.state.taskList().filter((t) => isReportable(t, ctx.app) && inRange(t));
  }
  const now = ctx.arrivedAt;
  const perTask = tasks.map((t) => taskStatistics(t, now));
  return { ...aggregate(perTask), TaskStatistics: perTask };
}

/**
 * Body: { TaskID, UserID } (both required). The user's delivery of the task as one InstanceTrace
 * entry; an empty list when the task is unknown, foreign, legacy or older than 7 days, or the
 * user was not a recipient.
 */
function trace(ctx) {
  const b = ctx.body;
  if (typeof b.TaskID !== 'string' || b.TaskID === '') fail(90001, 'TaskID is required and must be a string');
  if (typeof b.UserID !== 'string' || b.UserID === '') fail(90001, 'UserID is required and must be a string');
  const task = ctx.state.tasks.get(b.TaskID);
  const now = ctx.arrivedAt;
  if (!task || !isReportable(task, ctx.app) || now - task.createdAt > TRACE_RETENTION_MS) return { InstanceTrace: [] };
  const d = task.deliveries.find((x) => x.userId === b.UserID);
  return { InstanceTrace: d ? [traceInstance(task, d, now)] : [] };
}

const commands = {
  all_member_push_statistics: { kind: 'stats', fields: ['StartTime', 'EndTime', 'TaskID'], mutates: false, handle: statistics },
  all_member_push_trace: { kind: 'stats', fields: ['TaskID', 'UserID'], mutates: false, handle: trace },
};

module.exports = { service: 'timpush', family: 'timpush', commands, notImplemented: [] };
