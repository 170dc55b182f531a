'use strict';

const { fail } = require('./errors');
const { byteLength, isPlainObject, hasOwn } = require('./util');
const { slotByName } = require('./state');

const KEYS = ['TagsOr', 'TagsAnd', 'AttrsOr', 'AttrsAnd'];

function tagList(value, field, config) {
	if (!Array.isArray(value) || value.length === 0)
		fail(90001, `Condition.${field} must be a non-empty array of tags`);
	if (value.length > config.maxTagsPerCondition) {
		fail(
			90032,
			`Condition.${field} has ${value.length} tags; at most ${config.maxTagsPerCondition} are allowed`,
		);
	}
	for (const tag of value) {
		if (typeof tag !== 'string') fail(90001, `Condition.${field} entries must be strings`);
		if (tag === '') fail(90040);
		if (byteLength(tag) > config.maxTagBytes)
			fail(
				90020,
				`Tag length exceeds the limit (cannot exceed ${config.maxTagBytes} bytes): ${tag}`,
			);
	}
	return [...new Set(value)];
}

/** Attribute conditions by slot, so matching is independent of later renames. */
function attrMap(value, field, app, config) {
	if (!isPlainObject(value) || Object.keys(value).length === 0) {
		fail(90001, `Condition.${field} must be a non-empty object of attribute name to value`);
	}
	const bySlot = {};
	for (const [name, v] of Object.entries(value)) {
		const slot = slotByName(app, name);
		if (slot === undefined)
			fail(90033, `Invalid attribute: ${name} is not an attribute name of this app`);
		if (typeof v !== 'string' || byteLength(v) > config.maxAttrValueBytes) {
			fail(
				90033,
				`Invalid attribute: the value of ${name} must be a string of at most ${config.maxAttrValueBytes} bytes`,
			);
		}
		bySlot[slot] = v;
	}
	return bySlot;
}

/**
 * Validates a push Condition and returns a normalized audience filter.
 * Family rules (docs/tencent-api.md#disagreements): tags and attributes never mix (90039) in either family. The
 * legacy family also lets AttrsOr+AttrsAnd and TagsOr+TagsAnd coexist. The new family's docs say
 * the four keys cannot coexist, yet document 90022 (duplicate tag between TagsOr and TagsAnd),
 * which only makes sense if those two can be sent together: so TagsOr+TagsAnd is accepted there
 * (config.timpushTagsOrAndCoexist) while AttrsOr+AttrsAnd is rejected with 90039.
 */
function parseCondition(condition, app, family, config) {
	if (condition === undefined) return { type: 'all' };
	if (!isPlainObject(condition)) fail(90001, 'Condition must be an object');
	if (config.strict) {
		// A typo such as "TagOr" would otherwise silently turn a targeted push into a push to everyone.
		for (const k of Object.keys(condition)) {
			if (!KEYS.includes(k))
				fail(
					90001,
					`Condition has an unknown key "${k}"; expected TagsOr, TagsAnd, AttrsOr or AttrsAnd`,
				);
		}
		if (Object.keys(condition).length === 0)
			fail(90001, 'Condition is empty; omit Condition to push to all users');
	}
	const has = (k) => hasOwn(condition, k);
	const hasTags = has('TagsOr') || has('TagsAnd');
	const hasAttrs = has('AttrsOr') || has('AttrsAnd');
	if (hasTags && hasAttrs) fail(90039);
	if (family === 'timpush') {
		const msg = 'AttrsOr, AttrsAnd, TagsOr and TagsAnd cannot coexist in Condition.';
		if (has('AttrsOr') && has('AttrsAnd')) fail(90039, msg);
		if (has('TagsOr') && has('TagsAnd') && !config.timpushTagsOrAndCoexist) fail(90039, msg);
	}
	if (hasTags) {
		const tagsOr = has('TagsOr') ? tagList(condition.TagsOr, 'TagsOr', config) : null;
		const tagsAnd = has('TagsAnd') ? tagList(condition.TagsAnd, 'TagsAnd', config) : null;
		if (tagsOr && tagsAnd) {
			const dup = tagsOr.find((t) => tagsAnd.includes(t));
			if (dup !== undefined)
				fail(90022, `Duplicate Tag in TagsOr and TagsAnd in push conditions: ${dup}`);
		}
		return { type: 'tags', tagsOr, tagsAnd };
	}
	if (hasAttrs) {
		const attrsOr = has('AttrsOr') ? attrMap(condition.AttrsOr, 'AttrsOr', app, config) : null;
		const attrsAnd = has('AttrsAnd') ? attrMap(condition.AttrsAnd, 'AttrsAnd', app, config) : null;
		return { type: 'attrs', attrsOr, attrsAnd };
	}
	return { type: 'all' };
}

/** Both lists of a kind must hold when both are given: (any of Or) AND (all of And). */
function matches(user, cond) {
	switch (cond.type) {
		case 'all':
			return true;
		case 'tags':
			return (
				(!cond.tagsOr || cond.tagsOr.some((t) => user.tags.includes(t))) &&
				(!cond.tagsAnd || cond.tagsAnd.every((t) => user.tags.includes(t)))
			);
		case 'attrs': {
			const eq = ([slot, v]) => user.attrs[slot] === v;
			return (
				(!cond.attrsOr || Object.entries(cond.attrsOr).some(eq)) &&
				(!cond.attrsAnd || Object.entries(cond.attrsAnd).every(eq))
			);
		}
		default:
			return false;
	}
}

module.exports = { parseCondition, matches };
