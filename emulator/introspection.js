'use strict';

const { quotaOf, quotaUsedToday } = require('./limits');
const { userView } = require('./state');

/**
 * Test/demo API under /_emulator (never under /v4, so it cannot be mistaken for Tencent's API).
 * JSON in and out. Secret keys and usersigs are never returned.
 */
const PREFIX = '/_emulator';

const isIntrospectionPath = (p) => p === PREFIX || p.startsWith(`${PREFIX}/`);

function send(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
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

function route(emu, method, parts, q, body) {
  const [a, b, c, d] = parts;
  const get = method === 'GET';
  const post = method === 'POST';
  if (get && a === 'health' && !b) {
    return { ok: true, url: emu.url, clock: { mode: emu.clock.mode, now: emu.clock.now() }, apps: [...emu.state.apps.keys()], tasks: emu.state.tasks.size };
  }
  if (a === 'config' && !b) {
    if (post) emu.configure(body);
    if (get || post) return { config: emu.config };
  }
  if (get && a === 'counters' && !b) return emu.state.counters;
  if (get && a === 'requests' && !b) return { requests: requests(emu, q) };
  if (get && a === 'tasks' && !b) return { tasks: filterTasks(emu, q) };
  if (get && a === 'tasks' && b && !c) {
    const task = emu.state.tasks.get(b);
    if (!task) throw new HttpError(404, `unknown task ${b}`);
    return task;
  }
  if (a === 'apps') {
    if (get && !b) return { apps: [...emu.state.apps.values()].map((app) => appSummary(emu, app)) };
    const app = b && findApp(emu, b);
    if (get && b && !c) return appSummary(emu, app);
    if (get && c === 'users' && !d) return { users: [...app.users.values()].map((u) => userView(app, u)) };
    if (c === 'users' && d && parts.length === 4) {
      const user = app.users.get(d);
      if (!user) throw new HttpError(404, `unknown user ${d}`);
      if (post) {
        if (typeof body.online !== 'boolean') throw new HttpError(400, 'body must be {"online": true|false}');
        user.online = body.online;
        emu.persister.schedule();
      }
      if (get || post) return userView(app, user);
    }
  }
  if (a === 'faults' && !b) {
    if (post) {
      if (body.clear) emu.faults.clear(body.endpoint);
      else emu.faults.set(body.endpoint || '*', body);
    }
    if (get || post) return { faults: emu.faults.list() };
  }
  if (post && a === 'reset' && !b) return emu.reset({ config: body.config === true }).then(() => ({ ok: true }));
  if (a === 'clock' && !b && get) return { mode: emu.clock.mode, now: emu.clock.now() };
  if (post && a === 'clock' && b === 'advance' && !c) {
    if (!Number.isFinite(body.ms) || body.ms < 0) throw new HttpError(400, 'body must be {"ms": <non-negative number>}');
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
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'body must be a JSON object');
    }
    const parts = pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
    const result = await route(emu, req.method, parts, new URLSearchParams(search), body);
    send(res, 200, result);
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 400;
    send(res, status, { error: err.message });
  }
}

module.exports = { handleIntrospection, isIntrospectionPath, PREFIX };
