'use strict';
/**
 * The one JSON-over-HTTP helper of the scripts and end-to-end tests: resolves
 * { status, json, text, headers }, where json is the text when the body is not JSON.
 */
/**
 * @param {string} method
 * @param {string} url
 * @param {{ body?: unknown, headers?: Record<string, string> }} [options]
 * @returns {Promise<{ status: number, json: any, text: string, headers: Headers }>}
 */
async function httpJson(method, url, { body, headers = {} } = {}) {
	const res = await fetch(url, {
		method,
		headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	return { status: res.status, json, text, headers: res.headers };
}

module.exports = { httpJson };
