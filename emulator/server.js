'use strict';

const http = require('node:http');
const { ApiError, MESSAGES, classify } = require('./errors');
const { authenticate } = require('./auth');
const { ENDPOINTS, NOT_IMPLEMENTED } = require('./endpoints');
const { isPlainObject } = require('./util');
const { handleIntrospection, isIntrospectionPath } = require('./introspection');

const BAD_GATEWAY_HTML =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n';

const envelope = (code, info, extra) =>
	code === 0
		? { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, ...extra }
		: { ActionStatus: 'FAIL', ErrorInfo: info || MESSAGES[code] || '', ErrorCode: code, ...extra };

function parsePath(pathname) {
	const m = /^\/v4\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
	if (!m) return { key: null };
	const key = `${m[1]}/${m[2]}`;
	return { key, service: m[1], command: m[2], def: ENDPOINTS.get(key) || null };
}

function redactQuery(params) {
	const out = {};
	for (const [k, v] of params) out[k] = k.toLowerCase() === 'usersig' ? '[redacted]' : v;
	return out;
}

/** Query parameters the spec says are always present; the real server's reaction is UNCONFIRMED. */
function checkQuery(query) {
	const random = query.get('random');
	if (random === null || !/^\d{1,10}$/.test(random) || Number(random) > 4294967295) {
		throw new ApiError(
			60002,
			'HTTP parse error: the random parameter must be a 32-bit unsigned integer.',
		);
	}
	if (query.get('contenttype') !== 'json') {
		throw new ApiError(60002, 'HTTP parse error: the contenttype parameter must be json.');
	}
}

/** Extra fields of a failed answer: push/batch carry `TaskId: ""`, the sched commands `TaskID: 0`. */
function failExtraOf(def) {
	if (def.failExtra) return def.failExtra;
	return def.kind === 'push' || def.kind === 'batch' ? { TaskId: '' } : {};
}

const perSecond = (limiter, key, limit, at) => limiter.admit(key, limit, at, 1000);

function admitRate(emu, ctx) {
	const { def, app, arrivedAt } = ctx;
	const { config, limiter } = emu;
	const key = `${app.sdkAppId}|${def.key}`;
	if (
		def.kind === 'management' &&
		!limiter.admit(key, config.managementRatePerSecond, arrivedAt, 1000)
	) {
		throw new ApiError(
			60007,
			`REST API call frequency exceeds the limit (${config.managementRatePerSecond} requests per second for ${def.key}).`,
		);
	}
	if (def.kind === 'batch' && !limiter.admit(key, config.batchRatePerSecond, arrivedAt, 1000)) {
		throw new ApiError(
			60007,
			`REST API call frequency exceeds the limit (${config.batchRatePerSecond} requests per second for ${def.key}).`,
		);
	}
	if (def.kind === 'stats' && !perSecond(limiter, key, config.statisticsRatePerSecond, arrivedAt)) {
		throw new ApiError(
			60007,
			`REST API call frequency exceeds the limit (${config.statisticsRatePerSecond} requests per second for ${def.key}).`,
		);
	}
	if (def.kind === 'sched' && !perSecond(limiter, key, config.schedRatePerSecond, arrivedAt)) {
		throw new ApiError(
			60007,
			`REST API call frequency exceeds the limit (${config.schedRatePerSecond} requests per second for ${def.key}).`,
		);
	}
	if (
		def.kind === 'revoke' &&
		config.revokeIntervalMs > 0 &&
		!limiter.admit(key, 1, arrivedAt, config.revokeIntervalMs)
	) {
		throw new ApiError(90051);
	}
}

/**
 * timpush/batch is also limited in recipients per second (Tencent's push rate-limit summary:
 * 30 / 500 / 800 users/s by edition), counted on arrival over any 1,000 ms window; a refused
 * request counts nothing. The answer is the REST layer's frequency code, 60007.
 */
function admitRecipients(emu, ctx) {
	const recipients = Array.isArray(ctx.body.To_Account) ? ctx.body.To_Account.length : 0;
	const limit = emu.config.batchUserRatePerSecond;
	if (
		recipients > 0 &&
		!emu.limiter.admitWeighted(
			`${ctx.app.sdkAppId}|${ctx.def.key}|users`,
			limit,
			recipients,
			ctx.arrivedAt,
			1000,
		)
	) {
		throw new ApiError(
			60007,
			`REST API call frequency exceeds the limit (${limit} recipients per second for ${ctx.def.key}; this request has ${recipients}).`,
		);
	}
}

function parseBody(text) {
	if (text.length === 0)
		throw new ApiError(90001, 'The request body is empty; send {} when an API takes no fields.');
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		throw new ApiError(90001);
	}
	if (!isPlainObject(body)) throw new ApiError(90001, 'The request body must be a JSON object.');
	return body;
}

/** The API pipeline: method, route, auth (docs/tencent-api.md#auth-checks order), query, rate, size, JSON, handler. */
function runApi(emu, ctx) {
	if (ctx.method !== 'POST') {
		return {
			status: 405,
			headers: { Allow: 'POST' },
			payload: envelope(60002, 'HTTP parse error: only POST is supported.'),
		};
	}
	const def = ctx.def;
	if (!def) {
		const info = NOT_IMPLEMENTED.has(ctx.key)
			? `${ctx.key} is a documented command that the emulator does not implement yet.`
			: undefined;
		return { status: 200, payload: envelope(60009, info) };
	}
	try {
		const { app, identifier } = authenticate(ctx.query, emu.state, ctx.arrivedAt, emu.sigCache);
		ctx.app = app;
		ctx.identifier = identifier;
		if (emu.config.strict) checkQuery(ctx.query);
		admitRate(emu, ctx);
		if (def.bodyLimit && ctx.rawBody.length > emu.config.maxPushBodyBytes) {
			throw new ApiError(
				90056,
				`The request body is ${ctx.rawBody.length} bytes; at most ${emu.config.maxPushBodyBytes} bytes are supported.`,
			);
		}
		ctx.body = parseBody(ctx.bodyText);
		if (def.kind === 'batch') admitRecipients(emu, ctx);
		for (const field of Object.keys(ctx.body))
			if (!def.allowed.has(field)) ctx.warnings.push(`unknown field ${field}`);
		const extra = def.handle(ctx);
		if (def.mutates) emu.persister.schedule();
		return { status: 200, payload: envelope(0, '', extra) };
	} catch (err) {
		if (def.mutates) emu.persister.schedule();
		const failExtra = failExtraOf(def);
		if (err instanceof ApiError)
			return { status: 200, payload: envelope(err.code, err.info, { ...failExtra, ...err.extra }) };
		process.stderr.write(
			`[tencent-push-emulator] internal error in ${def.key}: ${err && err.stack}\n`,
		);
		// Scheduled-task commands have their own internal-error code (90105); the others 91000.
		return {
			status: 200,
			payload: envelope(def.kind === 'sched' ? 90105 : 91000, undefined, failExtra),
		};
	}
}

function bump(map, key, n = 1) {
	map[key] = (map[key] || 0) + n;
}

function account(emu, entry, payload) {
	const c = emu.state.counters;
	if (entry.warnings.length > 0) c.requestsWithUnknownFields += 1;
	if (entry.fault && !entry.faultProcessed) return;
	const code =
		payload && typeof payload.ErrorCode === 'number'
			? payload.ErrorCode
			: `HTTP${entry.httpStatus}`;
	bump(c.responsesByCode, code);
	if (payload && Array.isArray(payload.ErrorList))
		for (const e of payload.ErrorList) bump(c.errorListEntries, e.ErrorCode);
	if (code === 0) return;
	const kind = typeof code === 'number' ? classify(code) : 'invalid';
	if (kind === 'invalid') {
		c.invalidRequests += 1;
		bump(c.invalidByCode, code);
	} else if (kind === 'auth') c.authFailures += 1;
	else if (kind === 'limit') c.limitRejections += 1;
	else c.stateErrors += 1;
}

function logRequest(emu, entry) {
	const limit = emu.config.requestLogLimit;
	if (!(limit > 0)) return;
	const log = emu.state.requestLog;
	log.push(entry);
	// shift() is O(1) in V8 (left-trim); splice(0, n) copies the whole array on every request.
	while (log.length > limit) log.shift();
}

function sendJson(res, status, payload, headers) {
	const body = JSON.stringify(payload);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(body),
		...headers,
	});
	res.end(body);
}

function resetSocket(req) {
	const socket = req.socket;
	if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
	else socket.destroy();
}

function sendBadGateway(res) {
	res.writeHead(502, {
		'Content-Type': 'text/html',
		'Content-Length': Buffer.byteLength(BAD_GATEWAY_HTML),
	});
	res.end(BAD_GATEWAY_HTML);
}

/** Request-log entry; the query is stored with usersig redacted, the path without the query. */
function newLogEntry(emu, req, pathname, query, route, arrivedAt, bodyText, bodyBytes) {
	bump(emu.state.counters.requests, route.def ? route.key : 'unknown');
	return {
		seq: ++emu.state.seq.request,
		time: arrivedAt,
		method: req.method,
		path: pathname,
		query: redactQuery(query),
		service: route.service || null,
		command: route.command || null,
		body: bodyText,
		bodyBytes,
		httpStatus: null,
		errorCode: null,
		taskId: null,
		duplicateOf: null,
		fault: null,
		faultProcessed: false,
		warnings: [],
	};
}

/** Far beyond any documented body: answered at HTTP level, like a gateway would. */
function handleTooLarge(emu, req, res, pathname, search, arrivedAt, size) {
	const entry = newLogEntry(
		emu,
		req,
		pathname,
		new URLSearchParams(search),
		parsePath(pathname),
		arrivedAt,
		'',
		size,
	);
	entry.httpStatus = 413;
	sendJson(
		res,
		413,
		envelope(60002, `HTTP parse error: the request body exceeds ${emu.config.maxBodyBytes} bytes.`),
		{ Connection: 'close' },
	);
	account(emu, entry, null);
	logRequest(emu, entry);
}

function handleApi(emu, req, res, pathname, search, arrivedAt, rawBody) {
	// Whatever fell due by arrival (scheduled dispatches, settled deliveries) happens first.
	emu.scheduler.run(arrivedAt);
	const route = parsePath(pathname);
	const query = new URLSearchParams(search);
	const c = emu.state.counters;
	const bodyText = rawBody.toString('utf8');
	const entry = newLogEntry(emu, req, pathname, query, route, arrivedAt, bodyText, rawBody.length);
	const fault = req.method === 'POST' && route.def ? emu.faults.pick(route.def.key) : null;
	if (fault) {
		entry.fault = fault.kind;
		entry.faultProcessed = fault.processed;
		bump(c.faultsInjected, fault.kind);
	}

	const finish = (payload) => {
		account(emu, entry, payload);
		logRequest(emu, entry);
		if (emu.config.verbose) {
			process.stdout.write(
				`${req.method} ${pathname} -> ${entry.httpStatus} ${entry.errorCode === null ? '' : entry.errorCode}${entry.fault ? ` [fault ${entry.fault}]` : ''}\n`,
			);
		}
	};

	if (fault && !fault.processed) {
		if (fault.code) {
			const payload = envelope(fault.code, undefined, failExtraOf(route.def));
			entry.httpStatus = 200;
			entry.errorCode = fault.code;
			sendJson(res, 200, payload);
		} else if (fault.kind === '502') {
			entry.httpStatus = 502;
			sendBadGateway(res);
		} else {
			resetSocket(req);
		}
		finish(null);
		return;
	}

	const ctx = {
		method: req.method,
		key: route.key,
		def: route.def,
		query,
		rawBody,
		bodyText,
		arrivedAt,
		warnings: entry.warnings,
		state: emu.state,
		config: emu.config,
		endpoint: route.def,
		app: null,
		identifier: null,
		body: null,
		onTaskCreated: (task) => emu.scheduler.taskCreated(task),
	};
	const result = runApi(emu, ctx);
	emu.scheduler.run();
	entry.errorCode = result.payload.ErrorCode;
	entry.taskId = ctx.taskId || null;
	entry.duplicateOf = ctx.duplicateOf || null;

	if (fault && fault.kind === '502-after') {
		entry.httpStatus = 502;
		sendBadGateway(res);
	} else if (fault && fault.kind === 'reset-after') {
		resetSocket(req);
	} else if (fault && fault.kind === 'delay') {
		entry.httpStatus = result.status;
		emu.later(fault.ms, () => {
			if (!res.destroyed && !res.writableEnded)
				sendJson(res, result.status, result.payload, result.headers);
		});
	} else {
		entry.httpStatus = result.status;
		sendJson(res, result.status, result.payload, result.headers);
	}
	finish(result.payload);
}

function createServer(emu) {
	const server = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => {
		const arrivedAt = emu.clock.now();
		const q = req.url.indexOf('?');
		const pathname = q < 0 ? req.url : req.url.slice(0, q);
		const search = q < 0 ? '' : req.url.slice(q + 1);
		const chunks = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk) => {
			if (tooLarge) return;
			size += chunk.length;
			if (size > emu.config.maxBodyBytes) {
				tooLarge = true;
				chunks.length = 0;
			} else chunks.push(chunk);
		});
		req.on('end', () => {
			if (isIntrospectionPath(pathname)) {
				handleIntrospection(
					emu,
					req,
					res,
					pathname,
					search,
					tooLarge ? null : Buffer.concat(chunks),
				);
				return;
			}
			if (tooLarge) {
				handleTooLarge(emu, req, res, pathname, search, arrivedAt, size);
				return;
			}
			handleApi(emu, req, res, pathname, search, arrivedAt, Buffer.concat(chunks));
		});
		req.on('error', () => {});
	});
	return server;
}

module.exports = { createServer, envelope };
