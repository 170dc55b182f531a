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
  dedupWindowMs: 7 * DAY_MS,
  managementRatePerSecond: 100,
  batchRatePerSecond: 30,
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
  strict: true,
  timpushTagsOrAndCoexist: true,
  requestLogLimit: 10000,
  persistDebounceMs: 250,
  faultSeed: 1,
  usersigCacheSize: 1000,
  verbose: false,
});

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
  }
  return overrides;
}

function createConfig(overrides) {
  return Object.assign({}, DEFAULT_CONFIG, validateOverrides(overrides));
}

module.exports = { DEFAULT_CONFIG, createConfig, validateOverrides, DAY_MS };
