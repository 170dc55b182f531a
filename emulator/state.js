'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { byteLength, isPlainObject, hasOwn } = require('./util');
const { defaultPlatform, isPlatform, PLATFORM_NAMES } = require('./platforms');

const ACCOUNT_TYPES = ['UserID', 'RegistrationID'];
/**
 * The device's vendor push token: `ok`; `missing` (never uploaded: lost before sending, ErrCode
 * "-2"); `invalid` (the vendor refuses it after sending: "410" Unregistered on APNs and FCM, "1"
 * regid_invalid elsewhere).
 */
const PUSH_TOKENS = ['ok', 'missing', 'invalid'];
const SLOTS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const PERSIST_FORMAT = 'tencent-push-emulator/1';

// ---------------------------------------------------------------------------------------------
// Fixture loading. A fixture is validated up front: a broken fixture should fail at start,
// not produce confusing API answers later.

function fixtureError(msg) {
	return new Error(`invalid emulator fixture: ${msg}`);
}

function normalizeUser(u, names, where) {
	if (!isPlainObject(u) || typeof u.id !== 'string' || u.id === '')
		throw fixtureError(`${where}: id must be a non-empty string`);
	const accountType = u.accountType === undefined ? 'UserID' : u.accountType;
	if (!ACCOUNT_TYPES.includes(accountType))
		throw fixtureError(`${where}: accountType must be UserID or RegistrationID`);
	const tags = u.tags === undefined ? [] : u.tags;
	if (
		!Array.isArray(tags) ||
		tags.some((t) => typeof t !== 'string' || t === '' || byteLength(t) > 50)
	) {
		throw fixtureError(`${where}: tags must be non-empty strings of at most 50 bytes`);
	}
	if (tags.length > 100) throw fixtureError(`${where}: at most 100 tags per user`);
	const attrs = u.attrs === undefined ? {} : u.attrs;
	if (!isPlainObject(attrs))
		throw fixtureError(`${where}: attrs must be an object of attribute name to value`);
	for (const [name, value] of Object.entries(attrs)) {
		if (!names.includes(name))
			throw fixtureError(`${where}: attribute "${name}" is not named in attrNames`);
		if (typeof value !== 'string' || byteLength(value) > 50)
			throw fixtureError(`${where}: attribute values are strings of at most 50 bytes`);
	}
	if (u.platform !== undefined && !isPlatform(u.platform))
		throw fixtureError(`${where}: platform must be one of ${PLATFORM_NAMES.join(', ')}`);
	const platform = u.platform === undefined ? defaultPlatform(u.id) : u.platform;
	if (u.pushToken !== undefined && !PUSH_TOKENS.includes(u.pushToken))
		throw fixtureError(`${where}: pushToken must be one of ${PUSH_TOKENS.join(', ')}`);
	const pushToken = u.pushToken === undefined ? 'ok' : u.pushToken;
	return {
		id: u.id,
		accountType,
		online: u.online === true,
		platform,
		pushToken,
		tags: [...new Set(tags)],
		attrs: { ...attrs },
	};
}

function normalizeApp(a, i) {
	const where = `apps[${i}]`;
	if (!isPlainObject(a)) throw fixtureError(`${where} must be an object`);
	if (!Number.isInteger(a.sdkAppId) || a.sdkAppId <= 0)
		throw fixtureError(`${where}.sdkAppId must be a positive integer`);
	if (typeof a.secretKey !== 'string' || a.secretKey === '')
		throw fixtureError(`${where}.secretKey must be a non-empty string`);
	if (
		!Array.isArray(a.admins) ||
		a.admins.length === 0 ||
		a.admins.some((x) => typeof x !== 'string' || !x)
	) {
		throw fixtureError(`${where}.admins must be a non-empty array of account IDs`);
	}
	const attrNames = a.attrNames === undefined ? {} : a.attrNames;
	const attrTypes = a.attrTypes === undefined ? {} : a.attrTypes;
	if (!isPlainObject(attrNames) || !isPlainObject(attrTypes))
		throw fixtureError(`${where}.attrNames/attrTypes must be objects`);
	const names = [];
	for (const [slot, name] of Object.entries(attrNames)) {
		if (!SLOTS.includes(slot))
			throw fixtureError(`${where}.attrNames: slot "${slot}" is not "0".."9"`);
		if (typeof name !== 'string' || name === '' || byteLength(name) > 50)
			throw fixtureError(`${where}.attrNames.${slot} must be 1-50 bytes`);
		if (names.includes(name)) throw fixtureError(`${where}.attrNames: duplicate name "${name}"`);
		names.push(name);
	}
	for (const [slot, type] of Object.entries(attrTypes)) {
		if (!hasOwn(attrNames, slot))
			throw fixtureError(`${where}.attrTypes.${slot} has no attrNames entry`);
		if (type !== 0 && type !== 1)
			throw fixtureError(`${where}.attrTypes.${slot} must be 0 (UserID) or 1 (RegistrationID)`);
	}
	if (
		a.dailyPushQuota !== undefined &&
		a.dailyPushQuota !== null &&
		!(Number.isInteger(a.dailyPushQuota) && a.dailyPushQuota >= 0)
	) {
		throw fixtureError(`${where}.dailyPushQuota must be a non-negative integer`);
	}
	const certificates = a.pushCertificates === undefined ? PLATFORM_NAMES : a.pushCertificates;
	if (!Array.isArray(certificates) || certificates.some((p) => !isPlatform(p))) {
		throw fixtureError(
			`${where}.pushCertificates must list platforms (${PLATFORM_NAMES.join(', ')})`,
		);
	}
	const users = (a.users === undefined ? [] : a.users).map((u, j) =>
		normalizeUser(u, names, `${where}.users[${j}]`),
	);
	const ids = new Set();
	for (const u of users) {
		if (ids.has(u.id)) throw fixtureError(`${where}: duplicate user id "${u.id}"`);
		ids.add(u.id);
	}
	return {
		sdkAppId: a.sdkAppId,
		secretKey: a.secretKey,
		admins: [...a.admins],
		pushEnabled: a.pushEnabled !== false,
		dailyPushQuota: a.dailyPushQuota === undefined ? null : a.dailyPushQuota,
		pushCertificates: [...new Set(certificates)],
		attrNames: { ...attrNames },
		attrTypes: { ...attrTypes },
		users,
	};
}

/** Validates a fixture (object, or path to a JSON file) and returns a normalized deep copy. */
function loadFixture(input) {
	let raw = input;
	if (typeof input === 'string') raw = JSON.parse(fs.readFileSync(path.resolve(input), 'utf8'));
	if (!isPlainObject(raw) || !Array.isArray(raw.apps) || raw.apps.length === 0) {
		throw fixtureError('expected { "apps": [ ... ] } with at least one app');
	}
	const apps = raw.apps.map(normalizeApp);
	const seen = new Set();
	for (const a of apps) {
		if (seen.has(a.sdkAppId)) throw fixtureError(`duplicate sdkAppId ${a.sdkAppId}`);
		seen.add(a.sdkAppId);
	}
	return { apps };
}

// ---------------------------------------------------------------------------------------------
// Live model. Apps and users live in Maps (ids are arbitrary strings, so plain objects would be
// unsafe); user tags are arrays to keep insertion order; user attributes are stored by slot so
// that renaming a slot keeps its values, and are shown by name at the API boundary.

function newCounters() {
	return {
		requests: {},
		responsesByCode: {},
		invalidRequests: 0,
		invalidByCode: {},
		authFailures: 0,
		limitRejections: 0,
		stateErrors: 0,
		errorListEntries: {},
		duplicatePushes: 0,
		duplicatePushesWithDifferentBody: 0,
		pushesAccepted: 0,
		pushesAcceptedByEndpoint: {},
		faultsInjected: {},
		requestsWithUnknownFields: 0,
		schedTasks: { added: 0, modified: 0, deleted: 0, dispatched: 0, failed: 0 },
		clicks: 0,
		callbacks: { batches: 0, events: 0, attempts: 0, delivered: 0, failed: 0, retries: 0 },
	};
}

function emptyLimits() {
	return { lastPushAt: null, quotaDay: null, quotaUsed: 0, lastRevokeAt: null };
}

function buildApp(f) {
	const app = {
		sdkAppId: f.sdkAppId,
		admins: [...f.admins],
		pushEnabled: f.pushEnabled,
		dailyPushQuota: f.dailyPushQuota,
		pushCertificates: [...f.pushCertificates],
		attrSlots: {},
		users: new Map(),
		tagIndex: new Map(),
		limits: emptyLimits(),
		dedup: new Map(),
	};
	for (const [slot, name] of Object.entries(f.attrNames)) {
		const locked = hasOwn(f.attrTypes, slot);
		app.attrSlots[slot] = { name, type: locked ? f.attrTypes[slot] : 0, typeLocked: locked };
	}
	for (const u of f.users) {
		const user = {
			id: u.id,
			accountType: u.accountType,
			online: u.online,
			platform: u.platform,
			pushToken: u.pushToken,
			tags: [],
			attrs: {},
		};
		for (const [name, value] of Object.entries(u.attrs)) user.attrs[slotByName(app, name)] = value;
		app.users.set(user.id, user);
		for (const tag of u.tags) addUserTag(app, user, tag);
	}
	return app;
}

function slotByName(app, name) {
	for (const slot of SLOTS) {
		const s = app.attrSlots[slot];
		if (s && s.name === name) return slot;
	}
	return undefined;
}

function addUserTag(app, user, tag) {
	if (user.tags.includes(tag)) return false;
	user.tags.push(tag);
	let holders = app.tagIndex.get(tag);
	if (!holders) app.tagIndex.set(tag, (holders = new Set()));
	holders.add(user.id);
	return true;
}

function removeUserTag(app, user, tag) {
	const i = user.tags.indexOf(tag);
	if (i < 0) return false;
	user.tags.splice(i, 1);
	const holders = app.tagIndex.get(tag);
	if (holders) {
		holders.delete(user.id);
		if (holders.size === 0) app.tagIndex.delete(tag);
	}
	return true;
}

/** Account type a tag is bound to (by its current holders), or undefined when unused. */
function tagAccountType(app, tag) {
	const holders = app.tagIndex.get(tag);
	if (!holders) return undefined;
	for (const id of holders) return app.users.get(id).accountType;
	return undefined;
}

function userView(app, user) {
	const attrs = {};
	for (const [slot, value] of Object.entries(user.attrs)) {
		const s = app.attrSlots[slot];
		if (s) attrs[s.name] = value;
	}
	return {
		id: user.id,
		accountType: user.accountType,
		online: user.online,
		platform: user.platform,
		pushToken: user.pushToken,
		tags: [...user.tags],
		attrs,
	};
}

// Delivery records carry task-level fields so that each record stands alone in test assertions;
// they are shared references in memory and stripped when persisting.
const DELIVERY_SHARED = ['taskId', 'sdkAppId', 'family', 'command', 'msgRandom', 'content'];

/** Snapshots written before deliveries carried channel/platform/timing fields: delivered on arrival. */
function normalizeDelivery(d, app) {
	if (d.platform === undefined) {
		const user = app && app.users.get(d.userId);
		d.platform = user ? user.platform : defaultPlatform(d.userId);
	}
	if (d.channel === undefined)
		d.channel = d.onlineDelivered ? 'online' : d.offlinePush ? 'vendor' : null;
	if (d.sentAt === undefined) d.sentAt = d.channel ? d.arrivedAt : null;
	if (d.deliveredAt === undefined) d.deliveredAt = d.sentAt;
	if (d.clickedAt === undefined) d.clickedAt = null;
	if (d.loss === undefined) d.loss = null;
	return d;
}

class State {
	constructor() {
		this.apps = new Map();
		this.tasks = new Map();
		// Scheduled push tasks (add_sched_task), keyed by their integer TaskID, in creation order.
		this.schedTasks = new Map();
		this.counters = newCounters();
		this.requestLog = [];
		this.seq = { task: 0, request: 0, sched: 0 };
		// Kept apart from the app objects so that no view or log of an app can leak a key.
		this._keys = new Map();
	}

	appKey(sdkAppId) {
		return this._keys.get(sdkAppId);
	}

	// Mutated in place (never replaced) so that references tests hold stay live across reset().
	applyFixture(fixture) {
		this.apps.clear();
		this._keys.clear();
		for (const f of fixture.apps) {
			this.apps.set(f.sdkAppId, buildApp(f));
			this._keys.set(f.sdkAppId, f.secretKey);
		}
		this.tasks.clear();
		this.schedTasks.clear();
	}

	clearCounters() {
		for (const k of Object.keys(this.counters)) delete this.counters[k];
		Object.assign(this.counters, newCounters());
		this.requestLog.length = 0;
	}

	getApp(sdkAppId) {
		return this.apps.get(Number(sdkAppId));
	}

	getUser(sdkAppId, userId) {
		const app = this.getApp(sdkAppId);
		return app ? app.users.get(userId) : undefined;
	}

	/** User as the introspection API shows it (attributes by name). */
	userView(sdkAppId, userId) {
		const app = this.getApp(sdkAppId);
		const user = app && app.users.get(userId);
		return user ? userView(app, user) : undefined;
	}

	taskList() {
		return [...this.tasks.values()];
	}

	schedTaskList() {
		return [...this.schedTasks.values()];
	}

	toJSON() {
		return {
			format: PERSIST_FORMAT,
			seq: { ...this.seq },
			apps: [...this.apps.values()].map((app) => ({
				sdkAppId: app.sdkAppId,
				admins: app.admins,
				pushEnabled: app.pushEnabled,
				dailyPushQuota: app.dailyPushQuota,
				pushCertificates: app.pushCertificates,
				attrSlots: app.attrSlots,
				users: [...app.users.values()],
				limits: app.limits,
				dedup: [...app.dedup.entries()],
			})),
			tasks: this.taskList().map((t) => ({
				...t,
				deliveries: t.deliveries.map((d) => {
					const own = { ...d };
					for (const k of DELIVERY_SHARED) delete own[k];
					return own;
				}),
			})),
			schedTasks: this.schedTaskList(),
		};
	}

	/**
	 * Restores a persisted snapshot. Keys are never persisted: they come from the fixture, and
	 * persisted apps that the fixture does not know are dropped.
	 */
	restore(snapshot, fixture) {
		if (!snapshot || snapshot.format !== PERSIST_FORMAT)
			throw new Error('persist file has an unknown format');
		this.applyFixture(fixture);
		const keep = new Set(this.apps.keys());
		for (const saved of snapshot.apps) {
			if (!keep.has(saved.sdkAppId)) continue;
			const app = {
				sdkAppId: saved.sdkAppId,
				admins: saved.admins,
				pushEnabled: saved.pushEnabled,
				dailyPushQuota: saved.dailyPushQuota,
				pushCertificates: Array.isArray(saved.pushCertificates)
					? saved.pushCertificates.filter(isPlatform)
					: [...PLATFORM_NAMES],
				attrSlots: saved.attrSlots,
				users: new Map(),
				tagIndex: new Map(),
				limits: { ...emptyLimits(), ...saved.limits },
				dedup: new Map(saved.dedup),
			};
			for (const u of saved.users) {
				const platform = isPlatform(u.platform) ? u.platform : defaultPlatform(u.id);
				const pushToken = PUSH_TOKENS.includes(u.pushToken) ? u.pushToken : 'ok';
				const user = {
					id: u.id,
					accountType: u.accountType,
					online: u.online,
					platform,
					pushToken,
					tags: [],
					attrs: { ...u.attrs },
				};
				app.users.set(user.id, user);
				for (const tag of u.tags) addUserTag(app, user, tag);
			}
			this.apps.set(app.sdkAppId, app);
		}
		for (const t of snapshot.tasks) {
			if (!keep.has(t.sdkAppId)) continue;
			const shared = {
				taskId: t.taskId,
				sdkAppId: t.sdkAppId,
				family: t.family,
				command: t.command,
				msgRandom: t.msgRandom,
				content: t.content,
			};
			t.deliveries = t.deliveries.map((d) =>
				normalizeDelivery({ ...shared, ...d }, this.apps.get(t.sdkAppId)),
			);
			if (t.settlesAt === undefined)
				t.settlesAt = t.deliveries.reduce((m, d) => Math.max(m, d.deliveredAt || 0), t.createdAt);
			if (t.schedTaskId === undefined) t.schedTaskId = null;
			this.tasks.set(t.taskId, t);
		}
		for (const st of snapshot.schedTasks || []) {
			if (keep.has(st.sdkAppId)) this.schedTasks.set(st.taskId, st);
		}
		this.seq = { ...this.seq, ...snapshot.seq };
	}
}

module.exports = {
	State,
	loadFixture,
	slotByName,
	addUserTag,
	removeUserTag,
	tagAccountType,
	userView,
	SLOTS,
	ACCOUNT_TYPES,
	PUSH_TOKENS,
};
