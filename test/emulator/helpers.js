'use strict';

/**
 * Test helpers. UserSigs are built here from docs/tencent-api.md#usersig, independently of the
 * emulator's own signer, so the verifier is checked against the spec and not against itself.
 */
const path = require('node:path');
const zlib = require('node:zlib');
const crypto = require('node:crypto');
const { request } = require('undici');
const { startEmulator } = require('../../emulator');

const BASE_FIXTURE = path.join(__dirname, '..', 'fixtures', 'emulator-base.json');
const AUDIENCE_FIXTURE = path.join(__dirname, '..', 'fixtures', 'emulator-audience.json');
const APP = { sdkAppId: 1400000001, key: 'test-secret-key-0123456789abcdef', identifier: 'admin' };
const START_MS = 1750000000000;

/**
 * The signed text of a UserSig (docs/tencent-api.md#usersig); userbuf only for privilege keys.
 * @typedef {{ identifier: string, sdkAppId: number, time: number, expire: number, userbuf?: string }} SigFields
 * @param {SigFields} fields
 */
function contentString({ identifier, sdkAppId, time, expire, userbuf }) {
	let s = `TLS.identifier:${identifier}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
	if (userbuf !== undefined) s += `TLS.userbuf:${userbuf}\n`;
	return s;
}

/** @param {string} key @param {SigFields} fields */
function tlsSig(key, fields) {
	return crypto
		.createHmac('sha256', Buffer.from(key, 'utf8'))
		.update(contentString(fields))
		.digest('base64');
}

function adler32(buf) {
	let a = 1;
	let b = 0;
	for (const byte of buf) {
		a = (a + byte) % 65521;
		b = (b + a) % 65521;
	}
	return ((b << 16) | a) >>> 0;
}

/** zlib stream made only of stored (BTYPE=00) deflate blocks, as our client emits. */
function storedZlib(data, blockSize = 65535) {
	const parts = [Buffer.from([0x78, 0x01])];
	let offset = 0;
	do {
		const chunk = data.subarray(offset, offset + blockSize);
		offset += chunk.length;
		const header = Buffer.alloc(5);
		header[0] = offset >= data.length ? 1 : 0; // BFINAL, BTYPE=00
		header.writeUInt16LE(chunk.length, 1);
		header.writeUInt16LE(~chunk.length & 0xffff, 3);
		parts.push(header, chunk);
	} while (offset < data.length);
	const trailer = Buffer.alloc(4);
	trailer.writeUInt32BE(adler32(data));
	parts.push(trailer);
	return Buffer.concat(parts);
}

const urlSafe = (buf) =>
	buf.toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');

/**
 * Builds a usersig. opts: key, sdkAppId, identifier, time, expire, userbuf, compression
 * ('deflate' | 'stored'), blockSize, order ('node' | 'go'), sig (override), doc (extra/override fields).
 */
function makeUserSig(opts) {
	const fields = {
		identifier: opts.identifier,
		sdkAppId: opts.sdkAppId,
		time: opts.time,
		expire: opts.expire,
		userbuf: opts.userbuf,
	};
	const sig = opts.sig !== undefined ? opts.sig : tlsSig(opts.key, fields);
	const doc = {
		'TLS.ver': '2.0',
		'TLS.identifier': fields.identifier,
		'TLS.sdkappid': fields.sdkAppId,
	};
	if (opts.order === 'go')
		Object.assign(doc, { 'TLS.expire': fields.expire, 'TLS.time': fields.time });
	else Object.assign(doc, { 'TLS.time': fields.time, 'TLS.expire': fields.expire });
	if (fields.userbuf !== undefined) doc['TLS.userbuf'] = fields.userbuf;
	doc['TLS.sig'] = sig;
	Object.assign(doc, opts.doc);
	const json = Buffer.from(JSON.stringify(doc));
	const compressed =
		opts.compression === 'stored' ? storedZlib(json, opts.blockSize) : zlib.deflateSync(json);
	return urlSafe(compressed);
}

async function start(options = {}) {
	return startEmulator({
		port: 0,
		clock: { mode: 'manual', start: START_MS },
		fixture: BASE_FIXTURE,
		...options,
	});
}

/** A usersig valid now on the emulator clock for the given app/identifier. */
function validSig(emu, app = APP, extra = {}) {
	return makeUserSig({
		...app,
		time: Math.floor(emu.clock.now() / 1000) - 60,
		expire: 86400,
		...extra,
	});
}

/**
 * POST (by default) to /v4/{endpoint}. opts: app, usersig, query (overrides; undefined removes),
 * raw (body bytes as-is), method, headersTimeout.
 */
/** @returns {Promise<{ status: number, headers: object, text: string, json: any }>} */
async function call(emu, endpoint, body, opts = {}) {
	const app = opts.app || APP;
	const params = {
		sdkappid: String(app.sdkAppId),
		identifier: app.identifier,
		usersig: opts.usersig !== undefined ? opts.usersig : validSig(emu, app),
		random: String(crypto.randomInt(0, 2 ** 32 - 1)),
		contenttype: 'json',
		...opts.query,
	};
	const qs = Object.entries(params)
		.filter(([, v]) => v !== undefined)
		.map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
		.join('&');
	const payload =
		opts.raw !== undefined ? opts.raw : JSON.stringify(body === undefined ? {} : body);
	const res = await request(`${emu.url}/v4/${endpoint}?${qs}`, {
		method: opts.method || 'POST',
		body: opts.method && opts.method !== 'POST' ? undefined : payload,
		headersTimeout: opts.headersTimeout,
		headers: { 'content-type': 'application/json' },
	});
	const text = await res.body.text();
	let json = null;
	try {
		json = JSON.parse(text);
	} catch {
		json = null;
	}
	return { status: res.statusCode, headers: res.headers, text, json };
}

/** @returns {Promise<{ status: number, json: any }>} */
async function introspect(emu, p, body) {
	const res = await request(
		`${emu.url}/_emulator/${p}`,
		body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
	);
	return { status: res.statusCode, json: await res.body.json() };
}

/** Expect an envelope with this ErrorCode (and ActionStatus consistent with it). */
function expectCode(res, code) {
	expect(res.status).toBe(200);
	expect({
		ErrorCode: res.json.ErrorCode,
		ActionStatus: res.json.ActionStatus,
		ErrorInfo: res.json.ErrorInfo,
	}).toEqual({
		ErrorCode: code,
		ActionStatus: code === 0 ? 'OK' : 'FAIL',
		ErrorInfo: code === 0 ? '' : expect.any(String),
	});
	return res.json;
}

let randomCounter = 1000;
const nextRandom = () => ++randomCounter;

const text = (t) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];

const STATS_FIXTURE = path.join(__dirname, '..', 'fixtures', 'emulator-stats.json');
const APP2 = { sdkAppId: 1400000002, key: 'another-app-secret-key', identifier: 'admin' };

/** `YYYY-MM-DD HH:MM:SS` in UTC (+ offsetMinutes), written independently of the emulator. */
function utcText(ms, offsetMinutes = 0) {
	return new Date(Math.floor(ms / 1000) * 1000 + offsetMinutes * 60000)
		.toISOString()
		.slice(0, 19)
		.replace('T', ' ');
}

/**
 * A loopback HTTP server standing in for an app's callback endpoint. `reply(req, n)` decides the
 * answer of the n-th request (default 200 with the standard envelope); every request is recorded
 * with its query and parsed JSON body.
 */
/** @param {(request: any, n: number) => { status: number, body?: object }} [reply] */
async function startReceiver(reply = () => ({ status: 200 })) {
	const http = require('node:http');
	const received = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url, 'http://x');
			const raw = Buffer.concat(chunks).toString('utf8');
			const entry = {
				method: req.method,
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				body: JSON.parse(raw),
			};
			received.push(entry);
			const { status, body } = reply(entry, received.length);
			const out = JSON.stringify(body || { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 });
			res.writeHead(status, {
				'Content-Type': 'application/json',
				'Content-Length': Buffer.byteLength(out),
			});
			res.end(out);
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	return {
		url: `http://127.0.0.1:${/** @type {import('net').AddressInfo} */ (server.address()).port}`,
		received,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

module.exports = {
	APP,
	BASE_FIXTURE,
	AUDIENCE_FIXTURE,
	START_MS,
	contentString,
	tlsSig,
	storedZlib,
	adler32,
	makeUserSig,
	start,
	validSig,
	call,
	introspect,
	expectCode,
	nextRandom,
	text,
	STATS_FIXTURE,
	APP2,
	utcText,
	startReceiver,
};
