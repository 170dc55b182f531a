'use strict';
/**
 * The owner's session with a running n8n server (owner setup, as the editor does on first start)
 * and the public API through a key made in that session. Shared by the queue-mode script and the
 * server-mode end-to-end tests.
 */
const { httpJson } = require('./http-json');

const OWNER = {
	email: 'e2e-owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-owner-password-1',
};
// The auth cookie is bound to a browser id: every request must send the same one.
const BROWSER_ID = 'e2e-browser-0001';

/**
 * Sets up the owner of a fresh server at `url`; resolves { rest(method, route, body) } and, with
 * `apiKeyScopes`, also api(route): GET /api/v1<route> with a public-API key (scopes and expiresAt
 * are required from 2.x on), failing on anything but 200.
 */
/** @param {string} url @param {{ apiKeyScopes?: string[] }} [options] */
async function ownerSession(url, { apiKeyScopes } = {}) {
	let cookie;
	const rest = (method, route, body) =>
		httpJson(method, `${url}${route}`, {
			body,
			headers: { 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
		});
	const setup = await rest('POST', '/rest/owner/setup', OWNER);
	if (setup.status !== 200) throw new Error(`owner setup: HTTP ${setup.status} ${setup.text}`);
	cookie = (setup.headers.get('set-cookie') || '').split(';')[0];
	if (!apiKeyScopes) return { rest };

	const key = await rest('POST', '/rest/api-keys', {
		label: 'e2e',
		scopes: apiKeyScopes,
		expiresAt: null,
	});
	const apiKey = key.json?.data?.rawApiKey;
	if (key.status !== 200 || !apiKey) throw new Error(`API key: HTTP ${key.status} ${key.text}`);
	const api = async (route) => {
		const r = await httpJson('GET', `${url}/api/v1${route}`, {
			headers: { 'x-n8n-api-key': apiKey },
		});
		if (r.status !== 200) throw new Error(`GET /api/v1${route}: HTTP ${r.status} ${r.text}`);
		return r.json;
	};
	return { rest, api };
}

/**
 * The owner's session again, after a restart of the same n8n home (the owner exists already):
 * resolves { rest(method, route, body) } like ownerSession.
 */
async function ownerLogin(url) {
	let cookie;
	const rest = (method, route, body) =>
		httpJson(method, `${url}${route}`, {
			body,
			headers: { 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
		});
	const login = await rest('POST', '/rest/login', {
		emailOrLdapLoginId: OWNER.email,
		password: OWNER.password,
	});
	if (login.status !== 200) throw new Error(`owner login: HTTP ${login.status} ${login.text}`);
	cookie = (login.headers.get('set-cookie') || '').split(';')[0];
	return { rest };
}

/** Every execution of a workflow through the public API (all pages); `includeData` adds run data. */
async function listExecutions(api, workflowId, { includeData = false } = {}) {
	const all = [];
	let cursor;
	do {
		const query = new URLSearchParams({
			workflowId,
			includeData: String(includeData),
			limit: '100',
		});
		if (cursor) query.set('cursor', cursor);
		const page = await api(`/executions?${query}`);
		all.push(...page.data);
		cursor = page.nextCursor;
	} while (cursor);
	return all;
}

const EXECUTION_SCOPES = ['execution:read', 'execution:list'];

module.exports = { ownerSession, ownerLogin, listExecutions, EXECUTION_SCOPES };
