'use strict';
/**
 * The one JSON-over-HTTP helper of the scripts and end-to-end tests: resolves
 * { status, json, text, headers }, where json is the text when the body is not JSON.
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
