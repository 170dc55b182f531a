'use strict';

const { fail } = require('./errors');

const UINT32_MAX = 4294967295;

const byteLength = (s) => Buffer.byteLength(s, 'utf8');
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isUint32 = (v) => Number.isInteger(v) && v >= 0 && v <= UINT32_MAX;
const isInt = (v) => Number.isInteger(v);
const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/** Small deterministic PRNG (mulberry32) so probabilistic faults and ids are reproducible. */
function createRng(seed) {
	let a = seed >>> 0;
	return function rng() {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Shared shape check for `To_Account`-style lists: non-empty array of non-empty strings. */
function accountList(value, field, max, tooManyCode) {
	if (!Array.isArray(value) || value.length === 0)
		fail(90001, `${field} must be a non-empty array of account IDs`);
	for (const id of value) {
		if (typeof id !== 'string' || id === '')
			fail(90001, `${field} entries must be non-empty strings`);
	}
	if (value.length > max)
		fail(tooManyCode, `${field} has ${value.length} accounts; at most ${max} are allowed`);
	return [...new Set(value)];
}

/** Shared shape check for `UserTags` / `UserAttrs` lists. */
function entryList(value, field, max) {
	if (!Array.isArray(value) || value.length === 0)
		fail(90001, `${field} must be a non-empty array`);
	if (value.length > max)
		fail(90018, `${field} has ${value.length} accounts; at most ${max} are allowed`);
	for (const entry of value) {
		if (!isPlainObject(entry)) fail(90001, `${field} entries must be objects`);
		if (typeof entry.To_Account !== 'string' || entry.To_Account === '') {
			fail(90001, `${field}[].To_Account must be a non-empty string`);
		}
	}
	return value;
}

const pad2 = (n) => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS` of an epoch-ms time shifted by offsetMinutes (0 = UTC). */
function formatTime(ms, offsetMinutes = 0) {
	const d = new Date(Math.floor(ms / 1000) * 1000 + offsetMinutes * 60000);
	return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** Parses `YYYY-MM-DD HH:MM:SS` as UTC; null unless the text is exactly that and a real date. */
function parseUtcTime(text) {
	if (typeof text !== 'string') return null;
	const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
	if (!m) return null;
	const ms = Date.UTC(
		Number(m[1]),
		Number(m[2]) - 1,
		Number(m[3]),
		Number(m[4]),
		Number(m[5]),
		Number(m[6]),
	);
	return formatTime(ms) === text ? ms : null;
}

module.exports = {
	UINT32_MAX,
	formatTime,
	parseUtcTime,
	byteLength,
	isPlainObject,
	isUint32,
	isInt,
	hasOwn,
	createRng,
	accountList,
	entryList,
};
