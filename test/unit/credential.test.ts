/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { createHmac } from 'node:crypto';
import { inflateSync } from 'node:zlib';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { Expression } from 'n8n-workflow';

import { TencentChatApi } from '../../credentials/TencentChatApi.credentials';
import { CUSTOM_ENDPOINT, REGIONS, resolveBaseUrl } from '../../credentials/regions';

/** docs/tencent-api.md#regions: the nine primary domains. */
const SPEC_DOMAINS = [
	'console.tim.qq.com',
	'adminapisgp.im.qcloud.com',
	'adminapikr.im.qcloud.com',
	'adminapijpn.im.qcloud.com',
	'adminapiger.im.qcloud.com',
	'adminapiind.im.qcloud.com',
	'adminapiusa.im.qcloud.com',
	'adminapiidn.im.qcloud.com',
	'adminapiksa.im.qcloud.com',
];

const DUMMY_SECRET = 'dummy-secret-Zq8vN3kT7pW1';

const credentials = (overrides: IDataObject = {}): ICredentialDataDecryptedObject => ({
	sdkAppId: 1400000000,
	region: 'custom',
	baseUrl: 'http://127.0.0.1:8787',
	adminAccount: 'administrator',
	secretKey: DUMMY_SECRET,
	userSigValidity: 86400,
	...overrides,
});

const credential = new TencentChatApi();
type AuthenticateFn = (
	c: ICredentialDataDecryptedObject,
	o: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;
const authenticate = credential.authenticate as unknown as AuthenticateFn;

const request = (overrides: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions => ({
	method: 'POST',
	url: '/v4/timpush/push',
	body: { MsgRandom: 1 },
	json: true,
	...overrides,
});

function decodeUserSig(userSig: string): IDataObject {
	const base64 = userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
	return JSON.parse(inflateSync(Buffer.from(base64, 'base64')).toString('utf8')) as IDataObject;
}

describe('resolveBaseUrl', () => {
	test('the region list is exactly the nine domains of docs/tencent-api.md#regions', () => {
		expect(REGIONS.map((r) => r.domain).sort()).toEqual([...SPEC_DOMAINS].sort());
		expect(new Set(REGIONS.map((r) => r.name)).size).toBe(9);
	});

	test.each(SPEC_DOMAINS)('region %s → https://<domain>', (domain) => {
		expect(resolveBaseUrl(domain, 'http://ignored.example')).toBe(`https://${domain}`);
		expect(resolveBaseUrl(domain, undefined)).toBe(`https://${domain}`);
	});

	test.each([
		['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
		['http://127.0.0.1:8787/', 'http://127.0.0.1:8787'],
		['http://127.0.0.1:8787///', 'http://127.0.0.1:8787'],
		['  https://proxy.internal/tencent/  ', 'https://proxy.internal/tencent'],
		['HTTPS://Proxy.Internal:443/a/b', 'HTTPS://Proxy.Internal:443/a/b'],
	])('custom endpoint %j → %j', (input, expected) => {
		expect(resolveBaseUrl(CUSTOM_ENDPOINT, input)).toBe(expected);
	});

	test.each([
		['ftp://127.0.0.1:8787'],
		['127.0.0.1:8787'],
		['ws://127.0.0.1:8787'],
		['javascript:alert(1)'],
		['http://127.0.0.1:8787/?debug=1'],
		['http://127.0.0.1:8787?debug=1'],
		['http://127.0.0.1:8787/v4#frag'],
		['http:///path'],
		['http://host with space'],
		[''],
		[undefined],
		[null],
	])('custom endpoint %j is rejected', (input) => {
		expect(() => resolveBaseUrl(CUSTOM_ENDPOINT, input)).toThrow(
			/not an http\(s\) URL without query string/,
		);
	});

	test.each([
		'http://localhost:8787',
		'http://LOCALHOST',
		'http://api.localhost:8080',
		'http://127.0.0.1:8787',
		'http://127.255.0.9',
		'http://2130706433:8787', // 127.0.0.1 in decimal, as the URL parser reads it
		'http://[::1]:8787',
		'http://[::ffff:127.0.0.1]:8787',
		'http://[::ffff:192.168.1.20]',
		'http://10.0.0.5:8787',
		'http://172.16.0.1',
		'http://172.31.255.254',
		'http://192.168.1.20:8787',
		'http://169.254.10.10',
		'http://[fd12:3456::1]:8787',
		'http://[fc00::1]',
		'http://[fe80::1]',
		'http://emulator:8787',
		'http://tencent-proxy.internal',
		'http://printer.local',
		'http://router.home.arpa',
	])('plain http to a loopback or private-network host %j is accepted', (url) => {
		expect(() => resolveBaseUrl(CUSTOM_ENDPOINT, url)).not.toThrow();
	});

	test.each([
		'http://example.com',
		'http://console.tim.qq.com',
		'http://8.8.8.8:8787',
		'http://172.32.0.1',
		'http://172.15.255.255',
		'http://192.169.0.1',
		'http://11.0.0.1',
		'http://[2001:db8::1]',
		'http://[::ffff:8.8.8.8]',
		'http://[fe00::1]',
		'http://localhost.example.com',
		'http://internal.example.com',
	])('plain http to a public host %j is refused, saying why', (url) => {
		expect(() => resolveBaseUrl(CUSTOM_ENDPOINT, url)).toThrow(
			/plain http:\/\/ to a host that is not on a loopback or private network.*UserSig.*in clear: use https:\/\//,
		);
		expect(resolveBaseUrl(CUSTOM_ENDPOINT, url.replace(/^http:/, 'https:'))).toBe(
			url.replace(/^http:/, 'https:'),
		);
	});

	test.each([['Singapore'], ['example.com'], [''], [undefined], ['https://console.tim.qq.com']])(
		'unknown region %j is rejected',
		(region) => {
			expect(() => resolveBaseUrl(region, 'http://127.0.0.1:8787')).toThrow(/Unknown region/);
		},
	);
});

describe('authenticate', () => {
	test('adds exactly sdkappid, identifier, usersig, random, contenttype=json and baseURL', async () => {
		const input = request();
		const out = await authenticate(credentials(), input);
		expect(Object.keys(out).sort()).toEqual([...Object.keys(input), 'baseURL', 'qs'].sort());
		expect(out.baseURL).toBe('http://127.0.0.1:8787');
		expect(out.method).toBe('POST');
		expect(out.url).toBe('/v4/timpush/push');
		expect(out.body).toEqual({ MsgRandom: 1 });
		const qs = out.qs as IDataObject;
		expect(Object.keys(qs).sort()).toEqual([
			'contenttype',
			'identifier',
			'random',
			'sdkappid',
			'usersig',
		]);
		expect(qs.sdkappid).toBe(1400000000);
		expect(qs.identifier).toBe('administrator');
		expect(qs.contenttype).toBe('json');
		expect(typeof qs.usersig).toBe('string');
		expect(qs.usersig).toMatch(/^[A-Za-z0-9*_-]+$/);
		// The input request is not mutated.
		expect(input.qs).toBeUndefined();
		expect(input.baseURL).toBeUndefined();
	});

	test('the usersig is a valid UserSig for the admin account signed with the key', async () => {
		const out = await authenticate(credentials({ userSigValidity: 3600 }), request());
		const doc = decodeUserSig((out.qs as IDataObject).usersig as string);
		expect(doc['TLS.identifier']).toBe('administrator');
		expect(doc['TLS.sdkappid']).toBe(1400000000);
		expect(doc['TLS.expire']).toBe(3600);
		const content = `TLS.identifier:administrator\nTLS.sdkappid:1400000000\nTLS.time:${doc['TLS.time']}\nTLS.expire:3600\n`;
		expect(doc['TLS.sig']).toBe(
			createHmac('sha256', DUMMY_SECRET).update(content).digest('base64'),
		);
		expect(Math.abs((doc['TLS.time'] as number) - Date.now() / 1000)).toBeLessThan(3600);
	});

	test('keeps existing query parameters', async () => {
		const out = await authenticate(credentials(), request({ qs: { foo: 'bar', page: 2 } }));
		const qs = out.qs as IDataObject;
		expect(qs.foo).toBe('bar');
		expect(qs.page).toBe(2);
		expect(Object.keys(qs).sort()).toEqual([
			'contenttype',
			'foo',
			'identifier',
			'page',
			'random',
			'sdkappid',
			'usersig',
		]);
	});

	test('a region credential points at https://<domain>', async () => {
		const out = await authenticate(credentials({ region: 'adminapisgp.im.qcloud.com' }), request());
		expect(out.baseURL).toBe('https://adminapisgp.im.qcloud.com');
	});

	test('SDKAppID given as numeric text and admin account with spaces are normalised', async () => {
		const out = await authenticate(
			credentials({ sdkAppId: '1400000000', adminAccount: '  administrator ' }),
			request(),
		);
		const qs = out.qs as IDataObject;
		expect(qs.sdkappid).toBe(1400000000);
		expect(qs.identifier).toBe('administrator');
		expect(decodeUserSig(qs.usersig as string)['TLS.identifier']).toBe('administrator');
	});

	test('random is a uint32 and fresh for every request (50 calls, ≥ 45 distinct)', async () => {
		const values: number[] = [];
		for (let i = 0; i < 50; i++) {
			const out = await authenticate(credentials(), request());
			values.push((out.qs as IDataObject).random as number);
		}
		for (const value of values) {
			expect(Number.isInteger(value)).toBe(true);
			expect(value).toBeGreaterThanOrEqual(0);
			expect(value).toBeLessThanOrEqual(4294967295);
		}
		expect(new Set(values).size).toBeGreaterThanOrEqual(45);
	});

	test.each([
		['missing', undefined],
		['zero', 0],
		['negative', -1400000000],
		['fractional', 1400000000.5],
		['not a number', 'abc'],
		['empty text', ''],
		['beyond safe integers', 2 ** 60],
	])('rejects a %s SDKAppID without echoing the key', async (_label, sdkAppId) => {
		const promise = authenticate(credentials({ sdkAppId }), request());
		await expect(promise).rejects.toThrow(/SDKAppID/);
		await promise.catch((error: Error) => {
			expect(error.message).toContain('60006');
			expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain(
				DUMMY_SECRET,
			);
		});
	});

	test.each([
		['empty', ''],
		['blank', '   '],
		['missing', undefined],
	])('rejects an %s admin account without echoing the key', async (_label, adminAccount) => {
		const promise = authenticate(credentials({ adminAccount }), request());
		await expect(promise).rejects.toThrow(/Admin Account/);
		await promise.catch((error: Error) => {
			expect(error.message).not.toContain(DUMMY_SECRET);
			expect(String(error.stack)).not.toContain(DUMMY_SECRET);
		});
	});

	test.each([
		['empty', ''],
		['missing', undefined],
	])('rejects an %s secret key', async (_label, secretKey) => {
		await expect(authenticate(credentials({ secretKey }), request())).rejects.toThrow(
			/Secret Key is empty/,
		);
	});

	test('an invalid custom Base URL is reported without the key', async () => {
		const promise = authenticate(credentials({ baseUrl: 'ftp://nowhere' }), request());
		await expect(promise).rejects.toThrow(/Base URL/);
		await promise.catch((error: Error) => expect(error.message).not.toContain(DUMMY_SECRET));
	});

	test('a Custom Endpoint with plain http to a public host signs nothing: the request is refused', async () => {
		const promise = authenticate(
			credentials({ baseUrl: 'http://tencent-proxy.example.com:8080' }),
			request(),
		);
		await expect(promise).rejects.toThrow(/UserSig .* in clear: use https:\/\//);
		await promise.catch((error: Error) => expect(error.message).not.toContain(DUMMY_SECRET));
		const out = await authenticate(
			credentials({ baseUrl: 'https://tencent-proxy.example.com:8080' }),
			request(),
		);
		expect(out.baseURL).toBe('https://tencent-proxy.example.com:8080');
	});

	test('the key never appears in the authenticated request', async () => {
		const out = await authenticate(credentials(), request());
		expect(JSON.stringify(out)).not.toContain(DUMMY_SECRET);
	});
});

describe('credential test request', () => {
	test('posts {} (as JSON text, which n8n does not drop) to /v4/timpush/get_attr_name', () => {
		expect(credential.test.request.url).toBe('/v4/timpush/get_attr_name');
		expect(credential.test.request.method).toBe('POST');
		expect(credential.test.request.body).toBe('{}');
		expect(credential.test.request.headers).toEqual({ 'Content-Type': 'application/json' });
	});

	test('fails on ActionStatus FAIL with a responseSuccessBody rule', () => {
		const rules = credential.test.rules ?? [];
		const rule = rules.find((r) => r.type === 'responseSuccessBody');
		expect(rule).toBeDefined();
		const properties = (rule as { properties: { key: string; value: unknown; message: string } })
			.properties;
		expect(properties.key).toBe('ActionStatus');
		expect(properties.value).toBe('FAIL');
		expect(properties.message.length).toBeGreaterThan(0);
	});

	test('its baseURL expression gives the same origin as resolveBaseUrl', () => {
		const expression = String(credential.test.request.baseURL);
		expect(expression.startsWith('={{') && expression.endsWith('}}')).toBe(true);
		// n8n's own expression engine, with $credentials bound as in a credential test.
		const evaluate = (c: IDataObject) =>
			Expression.resolveWithoutWorkflow(expression.slice(1), { $credentials: c });
		for (const domain of SPEC_DOMAINS) {
			expect(evaluate({ region: domain, baseUrl: '' })).toBe(resolveBaseUrl(domain, ''));
		}
		for (const baseUrl of [
			'http://127.0.0.1:8787',
			'http://127.0.0.1:8787/',
			'https://proxy.internal/x//',
		]) {
			expect(evaluate({ region: 'custom', baseUrl })).toBe(resolveBaseUrl('custom', baseUrl));
		}
	});
});

describe('credential properties', () => {
	const byName = (name: string): INodeProperties => {
		const found = credential.properties.find((p) => p.name === name);
		if (!found) throw new Error(`no property ${name}`);
		return found;
	};

	test('region offers the nine regions plus Custom Endpoint', () => {
		const options = (byName('region').options ?? []) as INodePropertyOptions[];
		expect(options.map((o) => o.value).sort()).toEqual([...SPEC_DOMAINS, 'custom'].sort());
		expect(options.find((o) => o.value === 'custom')?.name).toBe('Custom Endpoint');
		expect(byName('region').default).toBe('console.tim.qq.com');
	});

	test('the Callback Token is an optional password field', () => {
		const token = byName('callbackToken');
		expect(token.type).toBe('string');
		expect(token.typeOptions?.password).toBe(true);
		expect(token.required).toBeFalsy();
		expect(token.default).toBe('');
		expect(token.description).toMatch(
			/Tencent Chat Push Trigger refuses callbacks that are not signed with it or are more than 60 s old/,
		);
	});

	test('the secret key is a password field', () => {
		const key = byName('secretKey');
		expect(key.type).toBe('string');
		expect(key.typeOptions?.password).toBe(true);
		expect(key.required).toBe(true);
	});

	test('Base URL only shows for the custom endpoint', () => {
		expect(byName('baseUrl').displayOptions).toEqual({ show: { region: ['custom'] } });
	});

	test('SDKAppID, admin account and validity are present with sensible defaults', () => {
		// No 0 that n8n would count as filled in for a required field.
		expect(byName('sdkAppId')).toMatchObject({ type: 'string', default: '', required: true });
		expect(byName('adminAccount').default).toBe('administrator');
		expect(byName('userSigValidity').default).toBe(86400);
		expect(byName('userSigValidity').typeOptions).toMatchObject({
			minValue: 300,
			maxValue: 15552000,
		});
	});
});
