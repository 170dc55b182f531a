'use strict';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every limit the emulator enforces. Defaults are Tencent's documented values so that the
 * emulator is at least as strict as the real service; tests shorten them through configure().
 * A rate of 0 (or null) disables that limiter.
 */
const DEFAULT_CONFIG = Object.freeze({
	pushIntervalMs: 1000,
	dailyPushQuota: 100,
	quotaDayOffsetMinutes: 480,
	// All five source documents (both families, English and Chinese) say MsgRandom de-duplicates
	// messages "within the same second"; read as: a repeat arriving less than 1000 ms after the
	// accepted push. Longer windows (an older page quoted by a community SDK says 7 days) only when
	// set explicitly: config, --dedup-window-ms or TENCENT_EMULATOR_DEDUP_WINDOW_MS.
	dedupWindowMs: 1000,
	managementRatePerSecond: 100,
	batchRatePerSecond: 30,
	// Recipients of timpush/batch per second: 30 is the free/trial edition's budget (500 standard,
	// 800 advanced), the edition a new app starts on and the strictest.
	batchUserRatePerSecond: 30,
	revokeIntervalMs: 1000,
	revokeWindowMs: DAY_MS,
	maxPushBodyBytes: 10240,
	maxBodyBytes: 1024 * 1024,
	maxTagBytes: 50,
	maxTagsPerCondition: 10,
	maxUsersPerManagementCall: 100,
	maxBatchAccounts: 500,
	maxDataIdBytes: 64,
	maxDistinctTagsPerApp: 1000,
	maxTagsPerUser: 100,
	maxTagsPerAdd: 10,
	maxTagsPerReplace: 100,
	maxAttrNameBytes: 50,
	maxAttrValueBytes: 50,
	maxMsgLifeTime: 604800,
	deliveryDelayMs: 2000,
	statisticsRatePerSecond: 1,
	schedRatePerSecond: 5,
	schedListMaxWant: 100,
	schedListMaxDays: 31,
	callbackUrl: '',
	callbackToken: '',
	callbackBatchSize: 100,
	callbackRetries: 3,
	callbackRetryDelayMs: 1000,
	callbackTimeoutMs: 5000,
	callbackLogLimit: 1000,
	strict: true,
	timpushTagsOrAndCoexist: true,
	requestLogLimit: 10000,
	persistDebounceMs: 250,
	faultSeed: 1,
	usersigCacheSize: 1000,
	verbose: false,
});

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** Callbacks go to loopback only: the emulator must never post test data to a real server. */
function checkCallbackUrl(value) {
	if (value === '') return;
	let url;
	try {
		url = new URL(value);
	} catch {
		throw new TypeError('emulator config callbackUrl must be an absolute http(s) URL or ""');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		throw new TypeError('emulator config callbackUrl must use http or https');
	if (!LOOPBACK_HOSTS.has(url.hostname) && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname)) {
		throw new TypeError(
			'emulator config callbackUrl must point to a loopback address (127.0.0.0/8, localhost or [::1])',
		);
	}
}

/** Range checks beyond the type check; the message names the key. */
const CHECKS = {
	callbackUrl: checkCallbackUrl,
	// Tencent's console takes a token of 1 to 128 characters; '' = callbacks are not signed.
	callbackToken: (v) => {
		if (v.length > 128)
			throw new TypeError(
				'emulator config callbackToken must be at most 128 characters ("" = unsigned callbacks)',
			);
	},
	callbackBatchSize: (v) => {
		if (!Number.isInteger(v) || v < 1 || v > 100)
			throw new TypeError('emulator config callbackBatchSize must be an integer from 1 to 100');
	},
	callbackRetries: (v) => {
		if (!Number.isInteger(v) || v < 0 || v > 10)
			throw new TypeError('emulator config callbackRetries must be an integer from 0 to 10');
	},
	schedListMaxWant: (v) => {
		if (!Number.isInteger(v) || v < 1)
			throw new TypeError('emulator config schedListMaxWant must be a positive integer');
	},
};
for (const key of [
	'deliveryDelayMs',
	'callbackRetryDelayMs',
	'callbackTimeoutMs',
	'callbackLogLimit',
	'schedListMaxDays',
]) {
	CHECKS[key] = (v) => {
		if (!Number.isFinite(v) || v < 0)
			throw new TypeError(`emulator config ${key} must be a number >= 0`);
	};
}

function validateOverrides(overrides) {
	if (overrides == null) return {};
	if (typeof overrides !== 'object' || Array.isArray(overrides)) {
		throw new TypeError('emulator config overrides must be an object');
	}
	for (const [key, value] of Object.entries(overrides)) {
		if (!(key in DEFAULT_CONFIG)) throw new TypeError(`unknown emulator config key: ${key}`);
		const expected = typeof DEFAULT_CONFIG[key];
		const nullableRate = value === null && /RatePerSecond$/.test(key);
		if (!nullableRate && typeof value !== expected) {
			throw new TypeError(`emulator config ${key} must be a ${expected}`);
		}
		if (CHECKS[key]) CHECKS[key](value);
	}
	return overrides;
}

function createConfig(overrides) {
	return Object.assign({}, DEFAULT_CONFIG, validateOverrides(overrides));
}

module.exports = { DEFAULT_CONFIG, createConfig, validateOverrides, DAY_MS };
