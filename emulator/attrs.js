'use strict';

const { fail } = require('./errors');
const { byteLength, isPlainObject, accountList, entryList, hasOwn } = require('./util');
const { slotByName, userView, SLOTS } = require('./state');
const { lookupAccounts, withErrorList } = require('./push');

/**
 * Attribute management shared by both families. Only the new family has AttrTypes and the
 * account-type check (90035); the legacy family ignores AttrTypes (reported as an unknown field).
 */

const TYPE_NAMES = ['UserID', 'RegistrationID'];

function setAttrNames(ctx, family) {
	const { app, config, body } = ctx;
	const names = body.AttrNames;
	if (!isPlainObject(names) || Object.keys(names).length === 0)
		fail(90001, 'AttrNames must be a non-empty object of slot ("0".."9") to name');
	for (const [slot, name] of Object.entries(names)) {
		if (!SLOTS.includes(slot)) fail(90033, `Invalid attribute index: ${slot} (expected "0".."9")`);
		if (typeof name !== 'string' || name === '' || byteLength(name) > config.maxAttrNameBytes) {
			fail(
				90033,
				`Invalid attribute name at index:${slot} (1 to ${config.maxAttrNameBytes} bytes)`,
			);
		}
	}
	const finalNames = {};
	for (const slot of SLOTS) if (app.attrSlots[slot]) finalNames[slot] = app.attrSlots[slot].name;
	Object.assign(finalNames, names);
	for (const slot of SLOTS) {
		if (!hasOwn(names, slot)) continue;
		const other = SLOTS.find((s) => s !== slot && finalNames[s] === names[slot]);
		if (other !== undefined)
			fail(90033, `attrName:${names[slot]} already exists at index:${other}`);
	}
	let types = {};
	if (family === 'timpush' && hasOwn(body, 'AttrTypes')) {
		types = body.AttrTypes;
		if (!isPlainObject(types)) fail(90001, 'AttrTypes must be an object of slot to account type');
		for (const [slot, type] of Object.entries(types)) {
			if (!hasOwn(names, slot)) fail(90033, `AttrTypes index:${slot} has no name in AttrNames`);
			if (type !== 0 && type !== 1)
				fail(90033, `AttrTypes index:${slot} must be 0 (UserID) or 1 (RegistrationID)`);
			const current = app.attrSlots[slot];
			if (current && current.typeLocked && current.type !== type)
				fail(90033, `attrType of index:${slot} cannot be changed once set`);
		}
	}
	for (const [slot, name] of Object.entries(names)) {
		const current = app.attrSlots[slot] || { name, type: 0, typeLocked: false };
		current.name = name;
		if (hasOwn(types, slot)) {
			current.type = types[slot];
			current.typeLocked = true;
		}
		app.attrSlots[slot] = current;
	}
	return {};
}

function getAttrNames(ctx, family) {
	const AttrNames = {};
	const AttrTypes = {};
	for (const slot of SLOTS) {
		const s = ctx.app.attrSlots[slot];
		if (!s) continue;
		AttrNames[slot] = s.name;
		AttrTypes[slot] = s.type;
	}
	return family === 'timpush' ? { AttrNames, AttrTypes } : { AttrNames };
}

function getAttrs(ctx, family) {
	const ids = accountList(
		ctx.body.To_Account,
		'To_Account',
		ctx.config.maxUsersPerManagementCall,
		90018,
	);
	const { found, errorList } = lookupAccounts(ctx.app, ids, family);
	const UserAttrs = found.map((u) => ({ To_Account: u.id, Attrs: userView(ctx.app, u).attrs }));
	return withErrorList({ UserAttrs }, errorList);
}

function knownSlot(app, name) {
	if (typeof name !== 'string') fail(90033, 'Invalid attribute: attribute names must be strings');
	const slot = slotByName(app, name);
	if (slot === undefined)
		fail(90033, `Invalid attribute: ${name} is not an attribute name of this app`);
	return slot;
}

function setAttrs(ctx, family) {
	const { app, config } = ctx;
	const entries = entryList(ctx.body.UserAttrs, 'UserAttrs', config.maxUsersPerManagementCall);
	const plans = entries.map((entry) => {
		if (!isPlainObject(entry.Attrs) || Object.keys(entry.Attrs).length === 0) {
			fail(90001, 'UserAttrs[].Attrs must be a non-empty object of attribute name to value');
		}
		const bySlot = {};
		for (const [name, value] of Object.entries(entry.Attrs)) {
			const slot = knownSlot(app, name);
			if (typeof value !== 'string' || byteLength(value) > config.maxAttrValueBytes) {
				fail(
					90033,
					`Invalid attribute: the value of ${name} must be a string of at most ${config.maxAttrValueBytes} bytes`,
				);
			}
			bySlot[slot] = value;
		}
		return { id: entry.To_Account, bySlot };
	});
	const errorList = [];
	for (const plan of plans) {
		const user = lookupAccounts(app, [plan.id], family).found[0];
		if (!user) {
			errorList.push({ To_Account: plan.id, ErrorCode: 70107 });
			continue;
		}
		if (family === 'timpush') {
			const clash = Object.keys(plan.bySlot).find(
				(slot) => TYPE_NAMES[app.attrSlots[slot].type] !== user.accountType,
			);
			if (clash !== undefined) {
				errorList.push({
					To_Account: user.id,
					ErrorCode: 90035,
					ErrorInfo: `Attribute ${app.attrSlots[clash].name} applies to ${TYPE_NAMES[app.attrSlots[clash].type]} accounts only.`,
				});
				continue;
			}
		}
		Object.assign(user.attrs, plan.bySlot);
	}
	return withErrorList({}, errorList);
}

function removeAttrs(ctx, family) {
	const { app, config } = ctx;
	const entries = entryList(ctx.body.UserAttrs, 'UserAttrs', config.maxUsersPerManagementCall);
	const plans = entries.map((entry) => {
		if (!Array.isArray(entry.Attrs) || entry.Attrs.length === 0) {
			fail(90001, 'UserAttrs[].Attrs must be a non-empty array of attribute names');
		}
		return { id: entry.To_Account, slots: entry.Attrs.map((name) => knownSlot(app, name)) };
	});
	const errorList = [];
	for (const plan of plans) {
		const user = lookupAccounts(app, [plan.id], family).found[0];
		if (!user) {
			errorList.push({ To_Account: plan.id, ErrorCode: 70107 });
			continue;
		}
		for (const slot of plan.slots) delete user.attrs[slot];
	}
	return withErrorList({}, errorList);
}

module.exports = { setAttrNames, getAttrNames, getAttrs, setAttrs, removeAttrs };
