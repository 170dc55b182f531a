/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { clock } from '../../nodes/TencentChatPush/helpers/pacing';
import { describeTencentError } from '../../nodes/TencentChatPush/transport/errorCodes';
import { redactSecrets } from '../../nodes/TencentChatPush/transport/redact';
import { runNode, type RunOptions, type RunResult } from '../harness/engine';

const SECRET = 'dummy-transport-secret-Hq2xW9';

/** What the scripted server does with one request. */
interface Reply {
	status?: number;
	/** JSON body (default: an OK envelope). A function sees the request's usersig. */
	body?: IDataObject | ((usersig: string) => IDataObject);
	/** Raw text body instead of JSON. */
	raw?: string;
	delayMs?: number;
	/** Drop the connection without answering. */
	destroy?: boolean;
}

interface SeenRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	body: IDataObject;
}

interface ScriptedServer {
	baseUrl: string;
	requests: SeenRequest[];
	userSigs: Set<string>;
	close(): Promise<void>;
}

const OK = (extra: IDataObject = {}): IDataObject => ({
	ActionStatus: 'OK',
	ErrorCode: 0,
	ErrorInfo: '',
	TaskId: 'task-1',
	...extra,
});
const FAIL = (code: number, info = `info for ${code}`): IDataObject => ({
	ActionStatus: 'FAIL',
	ErrorCode: code,
	ErrorInfo: info,
});

const servers: ScriptedServer[] = [];

/** A local server answering request n with script[n] (the last entry repeats). */
async function startServer(script: Reply[]): Promise<ScriptedServer> {
	const requests: SeenRequest[] = [];
	const userSigs = new Set<string>();
	const timers = new Set<ReturnType<typeof setTimeout>>();
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const usersig = url.searchParams.get('usersig') ?? '';
			if (usersig) userSigs.add(usersig);
			let body: IDataObject = {};
			try {
				body = JSON.parse(text) as IDataObject;
			} catch {
				body = { unparsable: text };
			}
			requests.push({
				method: req.method ?? '',
				path: url.pathname,
				query: url.searchParams,
				body,
			});
			const reply = script[Math.min(requests.length - 1, script.length - 1)];
			const answer = () => {
				if (reply.destroy) {
					req.socket.destroy();
					return;
				}
				res.statusCode = reply.status ?? 200;
				if (reply.raw !== undefined) {
					res.setHeader('content-type', 'text/html');
					res.end(reply.raw);
					return;
				}
				const payload =
					typeof reply.body === 'function' ? reply.body(usersig) : (reply.body ?? OK());
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify(payload));
			};
			if (reply.delayMs) {
				const timer = setTimeout(() => {
					timers.delete(timer);
					answer();
				}, reply.delayMs);
				timers.add(timer);
			} else answer();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const scripted: ScriptedServer = {
		baseUrl: `http://127.0.0.1:${port}`,
		requests,
		userSigs,
		close: async () => {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
	servers.push(scripted);
	return scripted;
}

const credentialsFor = (baseUrl: string) => ({
	sdkAppId: 1400000000,
	region: 'custom',
	baseUrl,
	adminAccount: 'administrator',
	secretKey: SECRET,
	userSigValidity: 86400,
});

const pushParameters = (options: IDataObject = {}, extra: IDataObject = {}): IDataObject => ({
	resource: 'push',
	operation: 'send',
	api: 'timpush',
	audience: 'tags',
	tagsAnd: 'vip',
	notificationTitle: 'Hi',
	notificationText: 'There',
	options: { maxAttempts: 3, timeout: 2000, ...options },
	...extra,
});

async function push(
	server: ScriptedServer,
	options: IDataObject = {},
	run: {
		continueOnFail?: boolean;
		onError?: RunOptions['onError'];
		items?: IDataObject[];
		extra?: IDataObject;
	} = {},
): Promise<RunResult> {
	const result = await runNode({
		parameters: pushParameters(options, run.extra),
		items: run.items,
		credentials: credentialsFor(server.baseUrl),
		continueOnFail: run.continueOnFail,
		onError: run.onError,
	});
	expectNoSecrets(result, server);
	return result;
}

/** User Tag → Get: an idempotent call (a read), which is retried after any transient failure. */
async function getTags(
	server: ScriptedServer,
	options: IDataObject = {},
	run: { continueOnFail?: boolean } = {},
): Promise<RunResult> {
	const result = await runNode({
		parameters: {
			resource: 'userTag',
			operation: 'get',
			api: 'timpush',
			accounts: 'alice',
			options: { maxAttempts: 3, timeout: 2000, ...options },
		},
		credentials: credentialsFor(server.baseUrl),
		continueOnFail: run.continueOnFail,
	});
	expectNoSecrets(result, server);
	return result;
}

/** Neither the key nor any UserSig the server received may show up in what n8n keeps or shows. */
function expectNoSecrets(result: RunResult, server: ScriptedServer): void {
	const secrets = [SECRET, ...server.userSigs];
	const texts = [
		JSON.stringify(result.error ?? null),
		String(result.error?.message ?? ''),
		String(result.error?.description ?? ''),
		JSON.stringify(result.items),
		JSON.stringify(result.run),
	];
	for (const text of texts) {
		for (const secret of secrets) expect(text).not.toContain(secret);
	}
}

let fakeNow = 1e12;
const realNow = clock.now;

beforeAll(() => {
	// Push lanes keep pushes > 1 s apart; a clock that leaps forward on every read makes the gap
	// always elapsed, so retries are not slowed down by pacing (tested on its own in helpers.test).
	clock.now = () => (fakeNow += 1e6);
});

afterAll(() => {
	clock.now = realNow;
});

afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (s) => await s.close()));
});

describe('failure envelopes become clear, sanitized errors', () => {
	test.each([
		[
			70009,
			'UserSig verification Failed. The UserSig in use maybe generated by Secret Key from other SDKAppID.',
		],
		[90047, 'daily quota exceeded'],
		[90020, 'tag too long'],
		[60010, 'identifier is not admin'],
		[99999, 'something new'],
	])('ErrorCode %i', async (code, info) => {
		const server = await startServer([{ body: FAIL(code, info) }]);
		const { error, items } = await push(server);
		const known = describeTencentError(code);
		expect(items).toEqual([]);
		expect(error).toBeDefined();
		expect(error?.message).toBe(`Tencent error ${code}: ${known.meaning}`);
		expect(error?.description).toContain(known.action);
		expect(error?.description).toContain(`Tencent said: "${info}"`);
		expect(error?.description).toContain('v4/timpush/push');
		expect(error?.context?.tencentErrorCode).toBe(code);
		expect(error?.context?.attempts).toBe(1);
		// None of these is retryable: the server saw exactly one request.
		expect(server.requests).toHaveLength(1);
	});

	test("an unlisted code says so and still shows Tencent's text", async () => {
		const server = await startServer([{ body: FAIL(99999, 'brand new failure') }]);
		const { error } = await push(server);
		expect(error?.message).toBe('Tencent error 99999: Unlisted Tencent error');
		expect(error?.description).toContain("See Tencent Cloud Chat's error code reference");
		expect(error?.description).toContain('brand new failure');
	});

	test('an ErrorInfo that echoes the request URL has its usersig redacted', async () => {
		const server = await startServer([
			{
				body: (usersig) =>
					FAIL(
						70003,
						`bad sig in /v4/timpush/push?sdkappid=1400000000&usersig=${usersig}&random=1`,
					),
			},
		]);
		const { error } = await push(server);
		expect(server.userSigs.size).toBe(1);
		expect(error?.description).toContain('usersig=[redacted]&random=1');
		expect(JSON.stringify(error)).toContain('usersig=[redacted]');
	});

	test('a gateway error page that echoes the signed URL leaks nothing', async () => {
		const page = (usersig: string) => ({
			message: `upstream failed for /v4/timpush/get_tag?usersig=${usersig}`,
			usersig,
		});
		const server = await startServer([{ status: 502, body: page }]);
		const { error } = await getTags(server, { maxAttempts: 2 });
		expect(server.requests).toHaveLength(2);
		expect(error?.message).toBe('HTTP 502 from Tencent Chat');
		// expectNoSecrets (inside getTags) checked error, items and the whole run.
		const pushServer = await startServer([{ status: 502, body: page }]);
		const pushed = await push(pushServer, { maxAttempts: 2 });
		expect(pushed.error?.message).toMatch(/^Outcome unknown: /);
	});

	test('the request the server saw is signed and shaped as Tencent documents', async () => {
		const server = await startServer([{ body: OK() }]);
		const { items, error } = await push(server);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const [request] = server.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v4/timpush/push');
		expect(request.query.get('sdkappid')).toBe('1400000000');
		expect(request.query.get('identifier')).toBe('administrator');
		expect(request.query.get('contenttype')).toBe('json');
		expect(request.query.get('usersig')).toMatch(/^[A-Za-z0-9*_-]+$/);
		expect(Number(request.query.get('random'))).toBeGreaterThanOrEqual(0);
		expect(request.body).toMatchObject({
			Condition: { TagsAnd: ['vip'] },
			OfflinePushInfo: { Title: 'Hi', Desc: 'There' },
		});
		expect(items[0].json).toMatchObject({
			taskId: 'task-1',
			api: 'v4/timpush/push',
			attempts: 1,
			msgRandom: request.body.MsgRandom,
		});
	});
});

describe('retry policy', () => {
	test('91000 then OK → success after 2 attempts, same body and MsgRandom, fresh random', async () => {
		const server = await startServer([
			{ body: FAIL(91000, 'internal') },
			{ body: OK({ TaskId: 'task-retry' }) },
		]);
		const { items, error } = await push(server);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ taskId: 'task-retry', attempts: 2 });
		expect(server.requests).toHaveLength(2);
		expect(server.requests[1].body).toEqual(server.requests[0].body);
		expect(server.requests[1].body.MsgRandom).toBe(server.requests[0].body.MsgRandom);
		expect(server.requests[1].query.get('random')).not.toBe(server.requests[0].query.get('random'));
	});

	test('90047 (quota) is never retried', async () => {
		const server = await startServer([{ body: FAIL(90047, 'quota') }, { body: OK() }]);
		const { error } = await push(server, { maxAttempts: 5 });
		expect(error?.message).toMatch(/^Tencent error 90047: /);
		expect(server.requests).toHaveLength(1);
	});

	test('90024 (push interval) then OK → retried', async () => {
		const server = await startServer([{ body: FAIL(90024, 'too fast') }, { body: OK() }]);
		const { items, error } = await push(server);
		expect(error).toBeUndefined();
		expect(items[0].json.attempts).toBe(2);
	});

	test('90024 answers wait for the slot without using up maxAttempts (another worker holds it)', async () => {
		const server = await startServer([
			{ body: FAIL(90024, 'too fast') },
			{ body: FAIL(90024, 'too fast') },
			{ body: FAIL(90024, 'too fast') },
			{ body: OK({ TaskId: 'task-after-wait' }) },
		]);
		const { items, error } = await push(server, { maxAttempts: 2 });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ taskId: 'task-after-wait', attempts: 4 });
		expect(new Set(server.requests.map((r) => r.body.MsgRandom)).size).toBe(1);
	});

	test('maxAttempts 1 turns off waiting for the push slot too', async () => {
		const server = await startServer([{ body: FAIL(90024, 'too fast') }, { body: OK() }]);
		const { error } = await push(server, { maxAttempts: 1 });
		expect(server.requests).toHaveLength(1);
		expect(error?.message).toMatch(/^Tencent error 90024: /);
	});

	test('HTTP 429 then OK → retried', async () => {
		const server = await startServer([
			{ status: 429, body: { message: 'slow down' } },
			{ body: OK() },
		]);
		const { items, error } = await push(server);
		expect(error).toBeUndefined();
		expect(items[0].json.attempts).toBe(2);
	});

	test('HTTP 404 is not retried and names the status', async () => {
		const server = await startServer([{ status: 404, raw: 'not found' }, { body: OK() }]);
		const { error } = await push(server);
		expect(server.requests).toHaveLength(1);
		expect(error?.message).toBe('HTTP 404 from Tencent Chat');
		expect(error?.description).toContain('Check the region or Base URL');
	});

	test.each([60007, 60011, 60018, 60019])(
		'rate limit %i waits and re-sends without using up maxAttempts',
		async (code) => {
			const server = await startServer([
				{ body: FAIL(code, 'too many') },
				{ body: FAIL(code, 'too many') },
				{ body: OK({ TaskId: 'after-rate' }) },
			]);
			const { items, error } = await push(server, { maxAttempts: 2 });
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ taskId: 'after-rate', attempts: 3 });
			expect(new Set(server.requests.map((r) => r.body.MsgRandom)).size).toBe(1);
		},
	);

	test('maxAttempts is respected for retryable Tencent errors', async () => {
		const server = await startServer([{ body: FAIL(91000, 'internal') }]);
		const { error } = await push(server, { maxAttempts: 3 });
		expect(server.requests).toHaveLength(3);
		expect(error?.message).toMatch(/^Tencent error 91000: /);
		expect(error?.context?.attempts).toBe(3);
	});

	test('maxAttempts 1 sends once even for a retryable HTTP error', async () => {
		const server = await startServer([{ status: 502, raw: 'bad gateway' }]);
		const { error } = await getTags(server, { maxAttempts: 1 });
		expect(server.requests).toHaveLength(1);
		expect(error?.message).toBe('HTTP 502 from Tencent Chat');
		expect(error?.httpCode).toBe('502');
	});

	/** A base URL on which nothing listens: a server started and closed again. */
	async function deadServer(): Promise<ScriptedServer> {
		const server = await startServer([{ body: OK() }]);
		await server.close();
		servers.splice(servers.indexOf(server), 1);
		return server;
	}

	test('an unreachable endpoint is retried up to maxAttempts and reported without secrets', async () => {
		const { error } = await push(await deadServer(), { maxAttempts: 2 });
		expect(error?.context?.attempts).toBe(2);
		expect(error?.context?.networkCode).toBe('ECONNREFUSED');
		expect(error?.description).toContain('(API v4/timpush/push)');
		expect(error?.description).toContain('the node retries such failures with backoff');
		expect(error?.description).toMatch(/ECONNREFUSED/);
	});

	// BUG: transportFailure() builds `Could not reach Tencent Chat (ECONNREFUSED)` as the message,
	// but NodeApiError's setDescriptiveErrorMessage() replaces any message whose errorResponse.code
	// (or text) names a common network code with n8n's generic text ("The service refused the
	// connection - perhaps it is offline"), so the transport's own message is never shown.
	test("a network failure keeps the transport's own message", async () => {
		const { error } = await push(await deadServer(), { maxAttempts: 1 });
		expect(error?.message).toBe('Could not reach Tencent Chat (ECONNREFUSED)');
	});
});

/** Every way an attempt can fail after the request may have reached Tencent, as a server produces it. */
const UNKNOWN_KINDS: Array<[string, Reply, IDataObject]> = [
	["HTTP 502 without Tencent's envelope", { status: 502, raw: '<html>Bad Gateway</html>' }, {}],
	["HTTP 500 without Tencent's envelope", { status: 500, raw: 'Internal Server Error' }, {}],
	[
		"HTTP 504 with a JSON body that is not Tencent's",
		{ status: 504, body: { message: 'gateway timeout' } },
		{},
	],
	[
		"HTTP 200 whose body is not Tencent's JSON (a proxy page)",
		{ raw: '<html>captive portal</html>' },
		{},
	],
	['connection reset after the request was written', { destroy: true }, {}],
	[
		'no answer within the timeout after the request was written',
		{ delayMs: 3000, body: OK({ TaskId: 'too-late' }) },
		{ timeout: 600 },
	],
	[
		'Tencent 60008 (service timeout behind the gateway)',
		{ body: FAIL(60008, 'service timeout') },
		{},
	],
	[
		"Tencent 60013 (the gateway could not read the service's answer)",
		{ body: FAIL(60013, 'bad json') },
		{},
	],
];

describe('outcome unknown: a push is never re-sent, an idempotent call is', () => {
	const SENT_AT = /sent \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)\)$/;

	test.each(UNKNOWN_KINDS)(
		'%s: the push is sent once and fails as "outcome unknown"',
		async (_kind, reply, options) => {
			const server = await startServer([reply, { body: OK({ TaskId: 'second-push' }) }]);
			const { error, items } = await push(server, { maxAttempts: 4, ...options });
			expect(items).toEqual([]);
			expect(server.requests).toHaveLength(1);
			const msgRandom = server.requests[0].body.MsgRandom as number;
			expect(error?.message).toMatch(
				new RegExp(`^Outcome unknown: the push may have gone out \\(MsgRandom ${msgRandom}, `),
			);
			expect(error?.message).toMatch(SENT_AT);
			expect(error?.description).toContain(
				'It may have reached Tencent and taken effect, so it was not sent again',
			);
			expect(error?.description).toContain('users tagged with all of "vip"');
			expect(error?.description).toContain('Push → Get Statistics');
			expect(error?.description).toContain('Tencent Chat Push Trigger');
			expect(error?.context?.unknownOutcome).toMatchObject({
				outcome: 'unknown',
				api: 'v4/timpush/push',
				msgRandom,
				attempts: 1,
			});
		},
	);

	test.each(UNKNOWN_KINDS)('%s: a read (idempotent) is retried', async (_kind, reply, options) => {
		const server = await startServer([
			reply,
			{ body: OK({ UserTags: [{ To_Account: 'alice', Tags: ['vip'] }] }) },
		]);
		const { error, items } = await getTags(server, { maxAttempts: 3, ...options });
		expect(error).toBeUndefined();
		expect(server.requests).toHaveLength(2);
		expect(items[0].json).toMatchObject({ account: 'alice', tags: ['vip'] });
	});

	test('Continue On Fail: the error item says outcome unknown, with time, MsgRandom, audience and API', async () => {
		const server = await startServer([{ destroy: true }, { body: OK({ TaskId: 'next' }) }]);
		const { items, error } = await push(
			server,
			{},
			{ continueOnFail: true, items: [{ n: 1 }, { n: 2 }] },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({
			outcome: 'unknown',
			api: 'v4/timpush/push',
			msgRandom: server.requests[0].body.MsgRandom,
			audience: 'users tagged with all of "vip"',
			sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*(Z|[+-]\d\d:\d\d)$/),
		});
		expect(String(items[0].json.error)).toMatch(/^Outcome unknown: /);
		expect(items[1].json).toMatchObject({ taskId: 'next' });
		expect(server.requests).toHaveLength(2);
	});

	test('On Unknown Outcome = Send Again re-sends, and the output says so', async () => {
		const server = await startServer([
			{ status: 502, raw: 'bad gateway' },
			{ body: OK({ TaskId: 'again' }) },
		]);
		const { items, error } = await push(server, { onUnknownOutcome: 'sendAgain' });
		expect(error).toBeUndefined();
		expect(server.requests).toHaveLength(2);
		expect(items[0].json).toMatchObject({
			taskId: 'again',
			attempts: 2,
			sentAgainAfterUnknown: true,
		});
	});

	test("Send Again: a later refusal still reports the first attempt's unknown outcome", async () => {
		const server = await startServer([{ destroy: true }, { body: FAIL(90047, 'quota') }]);
		const { error } = await push(server, { onUnknownOutcome: 'sendAgain' });
		expect(server.requests).toHaveLength(2);
		expect(error?.message).toMatch(/^Outcome unknown: /);
		expect(error?.description).toContain(
			'The last of 2 attempts failed too: Tencent answered error 90047',
		);
		expect(error?.context?.tencentErrorCode).toBe(90047);
	});

	test('a failure before anything was sent (connection refused) is retried even for a push', async () => {
		const server = await startServer([{ body: OK() }]);
		await server.close();
		servers.splice(servers.indexOf(server), 1);
		const { error } = await push(server, { maxAttempts: 2 });
		expect(error?.message).toBe('Could not reach Tencent Chat (ECONNREFUSED)');
		expect(error?.context?.attempts).toBe(2);
		expect(error?.context?.unknownOutcome).toBeUndefined();
	});
});

describe('continue on fail', () => {
	test('an error item carries error and errorCode; the next item still runs', async () => {
		const server = await startServer([
			{ body: FAIL(90047, 'quota') },
			{ body: OK({ TaskId: 'second' }) },
		]);
		const { items, error } = await push(
			server,
			{},
			{ continueOnFail: true, items: [{ n: 1 }, { n: 2 }] },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json.error).toBe(`Tencent error 90047: ${describeTencentError(90047).meaning}`);
		expect(items[0].json.errorCode).toBe(90047);
		expect(String(items[0].json.description)).toContain('quota');
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json).toMatchObject({ taskId: 'second', attempts: 1 });
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	test('On Error "continue (using error output)": a failed item goes to the error output with its input, the error and its description', async () => {
		const server = await startServer([
			{ body: FAIL(90047, 'quota') },
			{ body: OK({ TaskId: 'second' }) },
		]);
		const { items, errorItems, error } = await push(
			server,
			{},
			{ onError: 'continueErrorOutput', items: [{ n: 1 }, { n: 2 }] },
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			expect.objectContaining({ taskId: 'second', attempts: 1 }),
		]);
		expect(errorItems).toHaveLength(1);
		// n8n merges the input item under the error, so the branch knows which item failed.
		expect(errorItems[0].json).toEqual({
			n: 1,
			error: `Tencent error 90047: ${describeTencentError(90047).meaning}`,
			message: expect.stringContaining('quota'),
		});
	});

	test('a transport error item has the message but no Tencent errorCode', async () => {
		const server = await startServer([{ status: 503, raw: 'unavailable' }]);
		const { items, error } = await getTags(server, { maxAttempts: 2 }, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toBe('HTTP 503 from Tencent Chat');
		expect(items[0].json.errorCode).toBeUndefined();
		expect(server.requests).toHaveLength(2);
	});
});

describe('validation happens before any request', () => {
	test('a tags audience with no tags is refused locally, never sent as "all users"', async () => {
		const server = await startServer([{ body: OK() }]);
		const { error, items } = await push(server, {}, { extra: { tagsAnd: '', tagsOr: '' } });
		expect(items).toEqual([]);
		expect(server.requests).toHaveLength(0);
		expect(error?.message).toContain('Tags (All Of)');
		expect(error?.message).toContain('90040');
	});
});

describe('redactSecrets', () => {
	test('replaces the usersig value in a URL and keeps the rest', () => {
		const url =
			'https://console.tim.qq.com/v4/timpush/push?sdkappid=1400000000&identifier=admin&usersig=eAEB*abc-def_&random=42&contenttype=json';
		expect(redactSecrets(url)).toBe(
			'https://console.tim.qq.com/v4/timpush/push?sdkappid=1400000000&identifier=admin&usersig=[redacted]&random=42&contenttype=json',
		);
	});

	test('handles usersig first, last, upper-case and several URLs in one text', () => {
		expect(redactSecrets('/v4/a?usersig=AAA')).toBe('/v4/a?usersig=[redacted]');
		expect(redactSecrets('/v4/a?UserSig=AAA&x=1')).toBe('/v4/a?UserSig=[redacted]&x=1');
		expect(redactSecrets('GET /a?usersig=AAA#frag and /b?x=1&usersig=BBB end')).toBe(
			'GET /a?usersig=[redacted]#frag and /b?x=1&usersig=[redacted] end',
		);
	});

	test('stops at quotes so JSON around a URL survives', () => {
		const text = JSON.stringify({ url: '/v4/a?usersig=SECRETSIG&random=1', other: 'usersig' });
		const redacted = redactSecrets(text);
		expect(redacted).not.toContain('SECRETSIG');
		expect(JSON.parse(redacted)).toEqual({
			url: '/v4/a?usersig=[redacted]&random=1',
			other: 'usersig',
		});
	});

	test('also covers key-like parameters, but not look-alike names', () => {
		expect(redactSecrets('?secretkey=abc&key=def&sig=ghi')).toBe(
			'?secretkey=[redacted]&key=[redacted]&sig=[redacted]',
		);
		expect(redactSecrets('?monkey=1&usersigs=2')).toBe('?monkey=1&usersigs=2');
	});

	test('leaves text without secrets unchanged', () => {
		expect(redactSecrets('Request failed with status code 502')).toBe(
			'Request failed with status code 502',
		);
		const taskId = 'batch_667015d4_537529d8_2000005e80aa873_d03ac87_56f5e750';
		expect(redactSecrets(`task ${taskId} not found`)).toBe(`task ${taskId} not found`);
	});

	test('redacts a percent-encoded URL, as a gateway quoting ?url= writes it', () => {
		const encoded = encodeURIComponent(
			'https://x/v4/timpush/push?sdkappid=1&usersig=eAEB*abc-def_&random=42',
		);
		expect(redactSecrets(`upstream ${encoded} failed`)).toBe(
			`upstream ${encodeURIComponent('https://x/v4/timpush/push?sdkappid=1&usersig=')}[redacted]%26random%3D42 failed`,
		);
	});

	test('redacts a bare UserSig or secret key quoted without its parameter name', () => {
		const userSig = `eJw${'1NzQwMDAwMDAwMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAx*_-'.repeat(3)}`;
		const secretKey = 'a3f1'.repeat(16);
		expect(redactSecrets(`invalid usersig: ${userSig}.`)).toBe('invalid usersig: [redacted].');
		expect(redactSecrets(`key ${secretKey} rejected`)).toBe('key [redacted] rejected');
	});
});
