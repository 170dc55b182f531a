'use strict';

const { fail } = require('./errors');
const { byteLength, accountList, entryList, hasOwn } = require('./util');
const { addUserTag, removeUserTag, tagAccountType } = require('./state');
const { lookupAccounts, withErrorList } = require('./push');

/**
 * Tag management shared by both families. Family differences: only the new family has Replace,
 * the 1,000-distinct-tags-per-app cap and the one-account-type-per-tag rule (90035).
 */

/** @param {any} ctx @param {{ forAdd: boolean, replace?: boolean }} options */
function userTagEntries(ctx, { forAdd, replace }) {
	const { config } = ctx;
	const entries = entryList(ctx.body.UserTags, 'UserTags', config.maxUsersPerManagementCall);
	const perAdd = replace ? config.maxTagsPerReplace : config.maxTagsPerAdd;
	for (const entry of entries) {
		const tags = entry.Tags;
		if (!Array.isArray(tags) || tags.length === 0)
			fail(90001, 'UserTags[].Tags must be a non-empty array of tags');
		if (forAdd && tags.length > perAdd) {
			fail(
				90032,
				`At most ${perAdd} tags can be ${replace ? 'set' : 'added'} per user in one request; ${entry.To_Account} has ${tags.length}.`,
			);
		}
		for (const tag of tags) {
			if (typeof tag !== 'string') fail(90001, 'UserTags[].Tags entries must be strings');
			if (tag === '') fail(90040, 'One of the tags in the request is empty.');
			if (byteLength(tag) > config.maxTagBytes)
				fail(
					90020,
					`Tag length exceeds the limit (cannot exceed ${config.maxTagBytes} bytes): ${tag}`,
				);
		}
	}
	return entries;
}

function getTags(ctx, family) {
	const ids = accountList(
		ctx.body.To_Account,
		'To_Account',
		ctx.config.maxUsersPerManagementCall,
		90018,
	);
	const { found, errorList } = lookupAccounts(ctx.app, ids, family);
	return withErrorList(
		{ UserTags: found.map((u) => ({ To_Account: u.id, Tags: [...u.tags] })) },
		errorList,
	);
}

function parseReplace(body) {
	if (!hasOwn(body, 'Replace')) return false;
	if (body.Replace !== 0 && body.Replace !== 1) fail(90001, 'Replace must be 0 or 1');
	return body.Replace === 1;
}

function addTags(ctx, family) {
	const { app, config } = ctx;
	const isNew = family === 'timpush';
	const replace = isNew ? parseReplace(ctx.body) : false;
	const entries = userTagEntries(ctx, { forAdd: true, replace });
	const errorList = [];
	for (const entry of entries) {
		const { found } = lookupAccounts(app, [entry.To_Account], family);
		const user = found[0];
		if (!user) {
			errorList.push({ To_Account: entry.To_Account, ErrorCode: 70107 });
			continue;
		}
		const tags = [...new Set(entry.Tags)];
		if (isNew) {
			const clash = tags.find((t) => {
				const type = tagAccountType(app, t);
				return type !== undefined && type !== user.accountType;
			});
			if (clash !== undefined) {
				errorList.push({
					To_Account: user.id,
					ErrorCode: 90035,
					ErrorInfo: `Tag ${clash} is already used by accounts of another type.`,
				});
				continue;
			}
		}
		const next = replace ? tags : [...user.tags, ...tags.filter((t) => !user.tags.includes(t))];
		if (next.length > config.maxTagsPerUser) {
			errorList.push({
				To_Account: user.id,
				ErrorCode: 90032,
				ErrorInfo: `A user can have at most ${config.maxTagsPerUser} tags.`,
			});
			continue;
		}
		if (isNew) {
			const added = next.filter((t) => !app.tagIndex.has(t)).length;
			const freed = user.tags.filter(
				(t) => !next.includes(t) && app.tagIndex.get(t).size === 1,
			).length;
			if (app.tagIndex.size - freed + added > config.maxDistinctTagsPerApp) {
				errorList.push({
					To_Account: user.id,
					ErrorCode: 90032,
					ErrorInfo: `An app can have at most ${config.maxDistinctTagsPerApp} distinct tags.`,
				});
				continue;
			}
		}
		if (replace) for (const t of [...user.tags]) if (!next.includes(t)) removeUserTag(app, user, t);
		for (const t of next) addUserTag(app, user, t);
	}
	return withErrorList({}, errorList);
}

function removeTags(ctx, family) {
	const entries = userTagEntries(ctx, { forAdd: false });
	const errorList = [];
	for (const entry of entries) {
		const { found } = lookupAccounts(ctx.app, [entry.To_Account], family);
		if (!found[0]) {
			errorList.push({ To_Account: entry.To_Account, ErrorCode: 70107 });
			continue;
		}
		for (const t of entry.Tags) removeUserTag(ctx.app, found[0], t);
	}
	return withErrorList({}, errorList);
}

function clearTags(ctx, family) {
	const ids = accountList(
		ctx.body.To_Account,
		'To_Account',
		ctx.config.maxUsersPerManagementCall,
		90018,
	);
	const { found, errorList } = lookupAccounts(ctx.app, ids, family);
	for (const user of found) for (const t of [...user.tags]) removeUserTag(ctx.app, user, t);
	return withErrorList({}, errorList);
}

module.exports = { getTags, addTags, removeTags, clearTags };
