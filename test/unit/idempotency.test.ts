/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import fs from 'node:fs';
import path from 'node:path';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { callTencent } from '../../nodes/TencentChatPush/transport';
import { TENCENT_ERRORS } from '../../nodes/TencentChatPush/transport/errorCodes';
import { IDEMPOTENCY, isIdempotent } from '../../nodes/TencentChatPush/transport/idempotency';
import {
	envelopeVerdict,
	nothingWritten,
	transportVerdict,
} from '../../nodes/TencentChatPush/transport/outcome';

/**
 * The retry policy's two tables: which calls may be sent twice (idempotency.ts), and which failed
 * attempts may have taken effect (outcome.ts). callTencent runs here against a scripted
 * `httpRequestWithAuthentication`, so each row is checked on the real retry loop.
 */

/** What axios (n8n's HTTP client) throws when the connection drops after the request was written. */
const resetAfterWriting = () =>
	Object.assign(new Error('socket hang up'), {
		code: 'ECONNRESET',
		request: { socket: { _bytesDispatched: 512 } },
	});
/** What it throws when nothing listens: no connection, nothing sent. */
const refused = () =>
	Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
		code: 'ECONNREFUSED',
		syscall: 'connect',
	});

function fakeContext(script: Array<() => unknown>): {
	context: IExecuteFunctions;
	calls: IDataObject[];
} {
	const calls: IDataObject[] = [];
	const context = {
		getNode: () => ({
			id: 'n',
			name: 'Tencent Chat Push',
			type: 'x',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getTimezone: () => 'Asia/Shanghai',
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IDataObject) => {
				calls.push(request);
				const step = script[Math.min(calls.length - 1, script.length - 1)]();
				if (step instanceof Error) throw step;
				return step;
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, calls };
}

const OK = () => ({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });

describe('idempotency table: one test per row', () => {
	test.each(Object.entries(IDEMPOTENCY))('%s is %s', async (endpoint, kind) => {
		const [service, command] = endpoint.split('/');
		// Outcome unknown (reset after writing): only an idempotent call is sent again.
		const unknown = fakeContext([resetAfterWriting, OK]);
		const attempt = callTencent.call(
			unknown.context,
			service,
			command,
			{ To_Account: ['a'] },
			{ maxAttempts: 3 },
		);
		if (kind === 'idempotent') {
			await expect(attempt).resolves.toMatchObject({ attempts: 2 });
			expect(unknown.calls).toHaveLength(2);
		} else {
			await expect(attempt).rejects.toMatchObject({
				message: expect.stringMatching(
					new RegExp(
						`^Outcome unknown: Tencent may have carried out this request \\(v4/${endpoint}, sent 20\\d\\d-.*\\+08:00\\)$`,
					),
				),
				context: expect.objectContaining({
					unknownOutcome: expect.objectContaining({ outcome: 'unknown', api: `v4/${endpoint}` }),
				}),
			});
			expect(unknown.calls).toHaveLength(1);
		}
		// Provably not sent (connection refused): every call may be sent again.
		const notSent = fakeContext([refused, OK]);
		await expect(
			callTencent.call(notSent.context, service, command, {}, { maxAttempts: 3 }),
		).resolves.toMatchObject({ attempts: 2 });
	});

	test('the writes that must not be repeated are exactly the documented ones', () => {
		const once = Object.entries(IDEMPOTENCY)
			.filter(([, kind]) => kind === 'once')
			.map(([endpoint]) => endpoint)
			.sort();
		expect(once).toEqual(
			[
				'all_member_push/im_push',
				'all_member_push/im_set_attr_name',
				'timpush/add_sched_task',
				'timpush/batch',
				'timpush/delete_sched_task',
				'timpush/modify_sched_task',
				'timpush/push',
				'timpush/revoke',
				'timpush/set_attr_name',
			].sort(),
		);
	});

	test('an endpoint missing from the table counts as not idempotent', () => {
		expect(isIdempotent('timpush', 'some_future_command')).toBe(false);
	});

	/**
	 * Every Tencent command named in the node's sources: command names are the only snake_case
	 * string literals there, apart from the ones listed here (a new literal that is not a command
	 * must be added to this list; a new command must be added to the table).
	 */
	const NOT_COMMANDS = new Set(['all_member_push', 'secret_key']);
	const ONE_WORD_COMMANDS = ['push', 'batch', 'revoke'];

	function sourceFiles(dir: string): string[] {
		return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) return sourceFiles(file);
			return entry.name.endsWith('.ts') ? [file] : [];
		});
	}

	test('every command the node sends is in the table', () => {
		const root = path.join(__dirname, '..', '..');
		const sources = [
			...sourceFiles(path.join(root, 'nodes')),
			...sourceFiles(path.join(root, 'credentials')),
		]
			.filter((file) => !file.endsWith(path.join('transport', 'idempotency.ts')))
			.map((file) => fs.readFileSync(file, 'utf8'));
		const named = new Set(
			sources.flatMap((text) => [...text.matchAll(/'([a-z]+(?:_[a-z]+)+)'/g)].map((m) => m[1])),
		);
		const commands = [...named].filter((name) => !NOT_COMMANDS.has(name));
		expect(commands.length).toBeGreaterThan(25);
		const endpointOf = (command: string) =>
			`${command.startsWith('im_') ? 'all_member_push' : 'timpush'}/${command}`;
		const missing = [...commands, ...ONE_WORD_COMMANDS]
			.map(endpointOf)
			.filter((endpoint) => !(endpoint in IDEMPOTENCY));
		expect(missing).toEqual([]);
		// And the table names no command that does not exist in Tencent's documents (a typo).
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const emulated = [...(require('../../emulator').ENDPOINTS as Map<string, unknown>).keys()];
		const documentedElsewhere = [
			'timpush/all_member_push_loss',
			'timpush/normal_push_statistics',
			'timpush/normal_push_trace',
		];
		expect(
			Object.keys(IDEMPOTENCY).filter(
				(endpoint) => !emulated.includes(endpoint) && !documentedElsewhere.includes(endpoint),
			),
		).toEqual([]);
	});
});

describe('failed attempts classified as outcome unknown', () => {
	const written = { _bytesDispatched: 700 };
	test.each([
		[
			'timeout after writing (axios ECONNABORTED)',
			{ networkCode: 'ECONNABORTED', text: 'timeout of 15000ms exceeded' },
		],
		['timeout after writing (ETIMEDOUT)', { networkCode: 'ETIMEDOUT', text: 'timeout' }],
		[
			'socket timeout (ESOCKETTIMEDOUT)',
			{ networkCode: 'ESOCKETTIMEDOUT', text: 'socket timeout' },
		],
		[
			'connection reset after writing (ECONNRESET)',
			{ networkCode: 'ECONNRESET', text: 'read ECONNRESET' },
		],
		['socket hang up (no code)', { text: 'socket hang up' }],
		['broken pipe after writing (EPIPE)', { networkCode: 'EPIPE', text: 'write EPIPE' }],
		['undici socket error', { networkCode: 'UND_ERR_SOCKET', text: 'other side closed' }],
		[
			'execution stopped while waiting for the answer (ERR_CANCELED)',
			{ networkCode: 'ERR_CANCELED', text: 'canceled' },
		],
		['an error nobody expected', { text: 'something else' }],
		['HTTP 500', { httpStatus: 500, text: 'Internal Server Error' }],
		['HTTP 502', { httpStatus: 502, text: 'Bad Gateway' }],
		['HTTP 503', { httpStatus: 503, text: 'Service Unavailable' }],
		['HTTP 504', { httpStatus: 504, text: 'Gateway Timeout' }],
	])('%s', (_kind, facts) => {
		expect(
			transportVerdict({ nothingWritten: nothingWritten({ socket: written }), ...facts }).outcome,
		).toBe('unknown');
	});

	test.each([60008, 60013, 90105])(
		'Tencent %i (the service behind the gateway may have acted)',
		(code) => {
			expect(TENCENT_ERRORS[code].effect).toBe('unknown');
			expect(envelopeVerdict(code).outcome).toBe('unknown');
		},
	);

	test('timeouts name the timeout and say the request was sent', () => {
		expect(
			transportVerdict({ networkCode: 'ECONNABORTED', text: 'timeout', timeoutMs: 15000 }).reason,
		).toBe('no answer came within 15000 ms after the request was sent');
	});
});

describe('failed attempts that provably did nothing', () => {
	test.each([
		[
			'connection refused',
			{ networkCode: 'ECONNREFUSED', syscall: 'connect', text: 'connect ECONNREFUSED' },
			'backoff',
		],
		[
			'DNS name not found',
			{ networkCode: 'ENOTFOUND', syscall: 'getaddrinfo', text: 'getaddrinfo ENOTFOUND' },
			'never',
		],
		[
			'DNS temporary failure',
			{ networkCode: 'EAI_AGAIN', syscall: 'getaddrinfo', text: 'getaddrinfo EAI_AGAIN' },
			'backoff',
		],
		['host unreachable', { networkCode: 'EHOSTUNREACH', text: 'connect EHOSTUNREACH' }, 'backoff'],
		[
			'connect timeout (undici)',
			{ networkCode: 'UND_ERR_CONNECT_TIMEOUT', text: 'Connect Timeout Error' },
			'backoff',
		],
		[
			'connect timeout (a system call that never connected)',
			{ networkCode: 'ETIMEDOUT', syscall: 'connect', text: 'connect ETIMEDOUT' },
			'backoff',
		],
		[
			'timeout before any byte left the process',
			{ networkCode: 'ECONNABORTED', nothingWritten: true, text: 'timeout of 15000ms exceeded' },
			'backoff',
		],
		[
			'TLS certificate refused',
			{ networkCode: 'CERT_HAS_EXPIRED', text: 'certificate has expired' },
			'never',
		],
		['HTTP 429', { httpStatus: 429, text: 'Too Many Requests' }, 'rate'],
		['HTTP 408', { httpStatus: 408, text: 'Request Timeout' }, 'backoff'],
		['HTTP 404', { httpStatus: 404, text: 'Not Found' }, 'never'],
		['HTTP 413', { httpStatus: 413, text: 'Payload Too Large' }, 'never'],
	])('%s', (_kind, facts, retry) => {
		expect(transportVerdict(facts)).toMatchObject({ outcome: 'notDone', retry });
	});

	test.each([
		[91000, 'backoff'],
		[60007, 'rate'],
		[60011, 'rate'],
		[60018, 'rate'],
		[60019, 'rate'],
		[90024, 'interval'],
		[90051, 'interval'],
		[90047, 'never'],
		[70009, 'never'],
		[90104, 'never'],
		[12345, 'never'],
	])("Tencent's envelope %i", (code, retry) => {
		expect(envelopeVerdict(code)).toMatchObject({ outcome: 'notDone', retry });
	});

	test('nothing was written: no socket yet, or a socket that dispatched no byte (read from the request axios keeps)', () => {
		expect(nothingWritten({ socket: null })).toBe(true);
		expect(nothingWritten({ _currentRequest: { socket: { _bytesDispatched: 0 } } })).toBe(true);
		expect(nothingWritten({ _currentRequest: { socket: { _bytesDispatched: 80 } } })).toBe(false);
		// Anything unexpected is "maybe written": the safe side.
		expect(nothingWritten({ socket: {} })).toBe(false);
		expect(nothingWritten({})).toBe(false);
		expect(nothingWritten(undefined)).toBe(false);
	});
});
