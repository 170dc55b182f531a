'use strict';

const zlib = require('node:zlib');
const crypto = require('node:crypto');
const { fail } = require('./errors');

// A genuine UserSig inflates to ~200 bytes; the cap stops a compressed bomb in a query string.
const MAX_INFLATED_BYTES = 16 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** TLS content string of docs/tencent-api.md#usersig; every line ends with LF, userbuf line only when present. */
function contentString(tls) {
	let s =
		`TLS.identifier:${tls['TLS.identifier']}\n` +
		`TLS.sdkappid:${tls['TLS.sdkappid']}\n` +
		`TLS.time:${tls['TLS.time']}\n` +
		`TLS.expire:${tls['TLS.expire']}\n`;
	if (tls['TLS.userbuf'] !== undefined) s += `TLS.userbuf:${tls['TLS.userbuf']}\n`;
	return s;
}

function hmacBase64(key, content) {
	return crypto
		.createHmac('sha256', Buffer.from(key, 'utf8'))
		.update(content, 'utf8')
		.digest('base64');
}

/**
 * Decodes a usersig into its TLS document, or returns the error code (70002/70003).
 * Accepts any valid zlib stream (inflateSync handles stored, fixed and dynamic blocks alike).
 */
function decodeUserSig(usersig) {
	if (typeof usersig !== 'string' || usersig.length === 0) return { code: 70002 };
	const b64 = usersig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
	if (!BASE64.test(b64)) return { code: 70003 };
	let tls;
	try {
		const json = zlib.inflateSync(Buffer.from(b64, 'base64'), {
			maxOutputLength: MAX_INFLATED_BYTES,
		});
		tls = JSON.parse(json.toString('utf8'));
	} catch {
		return { code: 70003 };
	}
	// The server's tolerance of strings for numeric fields is UNCONFIRMED; we reject so a client
	// that gets the types wrong finds out here rather than against the real service.
	const ok =
		tls !== null &&
		typeof tls === 'object' &&
		tls['TLS.ver'] === '2.0' &&
		typeof tls['TLS.identifier'] === 'string' &&
		Number.isInteger(tls['TLS.sdkappid']) &&
		Number.isInteger(tls['TLS.time']) &&
		Number.isInteger(tls['TLS.expire']) &&
		typeof tls['TLS.sig'] === 'string' &&
		(tls['TLS.userbuf'] === undefined || typeof tls['TLS.userbuf'] === 'string');
	return ok ? { tls } : { code: 70003 };
}

function signatureMatches(tls, key) {
	const expected = Buffer.from(hmacBase64(key, contentString(tls)));
	const given = Buffer.from(tls['TLS.sig']);
	return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

/**
 * Decoding and HMAC are pure functions of (usersig, key), and clients reuse one usersig for
 * many requests, so caching them keeps the hot path cheap. Expiry is never cached.
 */
function createUserSigCache(getLimit) {
	const entries = new Map();
	return {
		lookup(usersig, key) {
			let entry = entries.get(usersig);
			if (!entry) {
				entry = decodeUserSig(usersig);
				entries.set(usersig, entry);
				const limit = getLimit();
				while (entries.size > limit && entries.size > 0)
					entries.delete(entries.keys().next().value);
			}
			if (entry.tls && entry.verifiedWith !== key) {
				entry.sigOk = signatureMatches(entry.tls, key);
				entry.verifiedWith = key;
			}
			return entry;
		},
		clear: () => entries.clear(),
	};
}

/**
 * The auth checklist of docs/tencent-api.md#auth-checks, in its order. Returns { app, identifier } or throws an ApiError.
 */
function authenticate(query, state, nowMs, cache) {
	const rawAppId = query.get('sdkappid');
	if (rawAppId === null || rawAppId === '') fail(60012);
	if (!/^\d{1,20}$/.test(rawAppId))
		fail(60006, `SDKAppID is invalid: sdkappid must be a decimal integer.`);
	const sdkAppId = Number(rawAppId);
	const app = state.apps.get(sdkAppId);
	if (!app) fail(70020);

	const identifier = query.get('identifier') || '';
	const entry = cache.lookup(query.get('usersig') || '', state.appKey(sdkAppId));
	if (entry.code) fail(entry.code);
	const tls = entry.tls;
	if (tls['TLS.sdkappid'] !== sdkAppId) fail(70014);
	if (tls['TLS.identifier'] !== identifier) {
		fail(
			70013,
			identifier ? undefined : 'The identifier parameter is missing from the request URL.',
		);
	}
	if (Math.floor(nowMs / 1000) > tls['TLS.time'] + tls['TLS.expire']) fail(70001);
	if (!entry.sigOk) fail(70009);
	if (!app.admins.includes(identifier)) fail(90009);
	return { app, identifier };
}

/**
 * Builds a v2 UserSig (as the official libraries do). Used by the bench and demo scripts; the
 * tests deliberately build their own from the spec so that this code is not checking itself.
 */
function signUserSig({
	sdkAppId,
	key,
	identifier,
	expire = 86400 * 180,
	time = Math.floor(Date.now() / 1000),
}) {
	const tls = {
		'TLS.ver': '2.0',
		'TLS.identifier': identifier,
		'TLS.sdkappid': sdkAppId,
		'TLS.time': time,
		'TLS.expire': expire,
	};
	tls['TLS.sig'] = hmacBase64(key, contentString(tls));
	return zlib
		.deflateSync(Buffer.from(JSON.stringify(tls)))
		.toString('base64')
		.replace(/\+/g, '*')
		.replace(/\//g, '-')
		.replace(/=/g, '_');
}

module.exports = { authenticate, decodeUserSig, createUserSigCache, signUserSig, contentString };
