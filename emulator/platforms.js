'use strict';

/**
 * Push platforms (vendor channels) of the emulated devices. Each user has one device; its
 * platform comes from the fixture (`platform`) or, when absent, from a stable hash of the user id,
 * so that per-platform statistics have something to break down.
 *
 * The numeric `PushPlatform` values of Tencent's statistics, traces and callbacks are UNCONFIRMED
 * (docs/tencent-api.md#unconfirmed). The emulator uses 0 for the online channel (Tencent's statistics docs say online
 * pushes, EventType 2, are not split by vendor) and this table for vendor channels.
 */
const PLATFORMS = Object.freeze({
	iOS: { code: 1, system: 'iOS' }, // APNs
	Xiaomi: { code: 2, system: 'Android' },
	Huawei: { code: 3, system: 'Android' },
	Android: { code: 4, system: 'Android' }, // Google FCM
	Meizu: { code: 5, system: 'Android' },
	OPPO: { code: 6, system: 'Android' },
	vivo: { code: 7, system: 'Android' },
	Honor: { code: 8, system: 'Android' },
	Harmony: { code: 9, system: 'HarmonyOS' },
});
const PLATFORM_NAMES = Object.keys(PLATFORMS);
const ONLINE_PLATFORM = 0;

/** Platforms handed out when the fixture names none (Meizu and Harmony only when named). */
const DEFAULT_PLATFORMS = ['iOS', 'Android', 'Huawei', 'Xiaomi', 'OPPO', 'vivo', 'Honor'];

/** 32-bit FNV-1a: stable across runs, processes and Node versions. */
function fnv1a(text) {
	let h = 0x811c9dc5;
	for (const byte of Buffer.from(String(text), 'utf8')) {
		h ^= byte;
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h >>> 0;
}

const defaultPlatform = (userId) => DEFAULT_PLATFORMS[fnv1a(userId) % DEFAULT_PLATFORMS.length];
const isPlatform = (name) =>
	typeof name === 'string' && Object.prototype.hasOwnProperty.call(PLATFORMS, name);

/** PushPlatform of a delivery: 0 on the online channel, else the vendor of the user's device. */
function pushPlatformOf(delivery) {
	if (delivery.channel === 'online') return ONLINE_PLATFORM;
	const p = PLATFORMS[delivery.platform];
	return p ? p.code : ONLINE_PLATFORM;
}

const systemOf = (name) => (PLATFORMS[name] ? PLATFORMS[name].system : 'Android');

module.exports = {
	PLATFORMS,
	PLATFORM_NAMES,
	DEFAULT_PLATFORMS,
	ONLINE_PLATFORM,
	fnv1a,
	defaultPlatform,
	isPlatform,
	pushPlatformOf,
	systemOf,
};
