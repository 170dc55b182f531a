/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * R3: the secret key and every UserSig that went over the wire appear nowhere in what a
 * run leaves behind: output items, `JSON.stringify(run)`, the error's message, description, stack
 * and cause (util.inspect with hidden properties), and anything written to stdout/stderr or
 * console.* during the run (n8n's error reporter prints every node error).
 *
 * Every operation runs on its success path and on the failure paths: wrong secret key, HTTP 502
 * (whose page quotes the URL), a response held past the timeout, and Tencent errors that echo the
 * request URL or the UserSig (a loopback proxy in front of the emulator answers those and records
 * every usersig it sees, which the emulator's own log redacts).
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { resetLanes } from '../../nodes/TencentChatPush/helpers/pacing';
import { type RunResult, runNode } from '../harness/engine';
import { pacingSettings } from './pacing-mock';
import { type Secret, assertNoSecrets, findSecrets } from './secrets';
import {
	type FixtureApp,
	type InProcessEmulator,
	credentialsFor,
	report,
	startInProcessEmulator,
} from './support';
import { type ProxyMode, type WireProxy, startWireProxy } from './wire-proxy';

jest.mock('../../nodes/TencentChatPush/helpers/pacing', () =>
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('./pacing-mock').pacingWithSettings(
		jest.requireActual('../../nodes/TencentChatPush/helpers/pacing'),
	),
);

jest.setTimeout(120_000);

const KEY = randomBytes(32).toString('hex');
const WRONG_KEY = randomBytes(32).toString('hex');
const APP: FixtureApp = {
	sdkAppId: 1400907301,
	secretKey: KEY,
	admins: ['administrator'],
	attrNames: { '0': 'city' },
	users: [
		{ id: 'administrator' },
		{ id: 'alice', online: true, tags: ['vip'], attrs: { city: 'Shenzhen' } },
		{ id: 'bob', tags: ['vip'] },
	],
};

let emu: InProcessEmulator;
let proxy: WireProxy;
let credentials: ICredentialDataDecryptedObject;
/** Filled by earlier operations for later ones (recall, statistics, trace, scheduled tasks). */
const ids: { taskId?: string; schedTaskId?: string } = {};
let scenarios = 0;
let bytesScanned = 0;

beforeAll(async () => {
	emu = await startInProcessEmulator([APP], {
		pushIntervalMs: 0,
		revokeIntervalMs: 0,
		dailyPushQuota: 1_000_000,
		deliveryDelayMs: 0,
		statisticsRatePerSecond: 0,
		schedRatePerSecond: 0,
	});
	proxy = await startWireProxy(emu.url);
	credentials = credentialsFor(proxy.url, APP);
	pacingSettings.pushGapMs = 0;
	pacingSettings.revokeGapMs = 0;
	pacingSettings.statisticsGapMs = 0;
});

afterAll(async () => {
	pacingSettings.pushGapMs = undefined;
	pacingSettings.revokeGapMs = undefined;
	pacingSettings.statisticsGapMs = undefined;
	await proxy?.stop();
	await emu?.stop();
	resetLanes();
	report(
		`R3 secrets: ${scenarios} runs, ${(bytesScanned / 2 ** 20).toFixed(1)} MiB of output scanned for the secret key, a wrong key and ${proxy?.usersigs.size ?? 0} UserSigs seen on the wire`,
	);
});

const secrets = (): Secret[] => [
	{ label: 'secret key', value: KEY },
	{ label: 'wrong secret key', value: WRONG_KEY },
	...[...proxy.usersigs].map((value, i) => ({
		label: `usersig #${i + 1}`,
		value,
		fragmentsFrom: Math.floor(value.length / 2),
	})),
];

/** Everything a run leaves behind, as text. */
function runText(result: RunResult | undefined, thrown: unknown): string {
	const parts: string[] = [];
	if (result) {
		parts.push(
			JSON.stringify(result.items),
			JSON.stringify(result.run),
			inspect(result.run, { depth: 12, maxArrayLength: 50, maxStringLength: Infinity }),
		);
		const error = result.error as (Error & { description?: unknown; cause?: unknown }) | undefined;
		if (error) {
			parts.push(
				String(error.message),
				String(error.description ?? ''),
				String(error.stack ?? ''),
				inspect(error.cause, { depth: 10, showHidden: true }),
			);
			parts.push(
				JSON.stringify(error),
				inspect(error, { depth: 10, showHidden: true, maxStringLength: Infinity }),
			);
		}
	}
	if (thrown)
		parts.push(inspect(thrown, { depth: 10, showHidden: true, maxStringLength: Infinity }));
	return parts.join('\n');
}

/** Runs the node with stdout, stderr and console.* captured (and kept off the screen). */
async function capturedRun(
	parameters: IDataObject,
	options: {
		credentials?: ICredentialDataDecryptedObject;
		continueOnFail?: boolean;
		items?: IDataObject[];
	} = {},
) {
	resetLanes();
	const printed: string[] = [];
	const restore: Array<() => void> = [];
	for (const stream of [process.stdout, process.stderr]) {
		const original = stream.write;
		stream.write = ((chunk: unknown) => {
			printed.push(String(chunk));
			return true;
		}) as typeof stream.write;
		restore.push(() => (stream.write = original));
	}
	for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
		const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
			printed.push(
				args
					.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10, showHidden: true })))
					.join(' '),
			);
		});
		restore.push(() => spy.mockRestore());
	}
	const urlsBefore = proxy.urls.length;
	let result: RunResult | undefined;
	let thrown: unknown;
	try {
		result = await runNode({
			parameters,
			items: options.items ?? [{}],
			credentials: options.credentials ?? credentials,
			continueOnFail: options.continueOnFail,
		});
	} catch (error) {
		thrown = error;
	} finally {
		for (const undo of restore.reverse()) undo();
	}
	scenarios++;
	const text = `${runText(result, thrown)}\n${printed.join('\n')}`;
	bytesScanned += text.length;
	return {
		result,
		thrown,
		text,
		printed: printed.join('\n'),
		requests: proxy.urls.length - urlsBefore,
	};
}

const requestOptions = (more: IDataObject = {}) => ({
	options: { maxAttempts: 2, timeout: 1000, ...more },
});
const sendParams = (more: IDataObject = {}) => ({
	resource: 'push',
	operation: 'send',
	api: 'timpush',
	audience: 'all',
	notificationTitle: 'Hi',
	notificationText: 'there',
	message: 'none',
	additionalFields: {},
	...requestOptions(),
	...more,
});
const mgmt = (resource: string, operation: string, more: IDataObject = {}) => ({
	resource,
	operation,
	api: 'timpush',
	accountsFrom: 'value',
	accounts: 'alice, bob',
	...requestOptions(),
	...more,
});
const inADay = () => new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** Every operation, with parameters for its success path; `after` keeps ids for later operations. */
const OPERATIONS: Array<{
	name: string;
	params: () => IDataObject;
	after?: (result: RunResult) => void;
}> = [
	{
		name: 'push send (timpush)',
		params: () => sendParams(),
		after: (r) => (ids.taskId ??= r.items[0]?.json.taskId as string),
	},
	{
		name: 'push send (legacy)',
		params: () => sendParams({ api: 'legacy', message: 'text', messageText: 'Hello' }),
	},
	{ name: 'push send (Dry Run)', params: () => sendParams({ options: { dryRun: true } }) },
	{
		name: 'push sendToUsers',
		params: () => ({
			resource: 'push',
			operation: 'sendToUsers',
			accountsFrom: 'value',
			toAccounts: 'alice, bob',
			notificationTitle: 'Hi',
			notificationText: 'there',
			additionalFields: {},
			...requestOptions(),
		}),
	},
	{
		name: 'push recall',
		params: () => ({
			resource: 'push',
			operation: 'recall',
			taskId: ids.taskId ?? 'no-task',
			overwriteTitle: 'Withdrawn',
			overwriteText: 'This message was withdrawn',
			...requestOptions(),
		}),
	},
	{
		name: 'push getStatistics',
		params: () => ({
			resource: 'push',
			operation: 'getStatistics',
			statisticsFilter: 'taskIds',
			taskIds: ids.taskId ?? 'no-task',
			statisticsOutput: 'summary',
			...requestOptions(),
		}),
	},
	{
		name: 'push traceUser',
		params: () => ({
			resource: 'push',
			operation: 'traceUser',
			traceTaskId: ids.taskId ?? 'no-task',
			traceUserId: 'alice',
			...requestOptions(),
		}),
	},
	{ name: 'userTag add', params: () => mgmt('userTag', 'add', { tags: 'secret-test' }) },
	{ name: 'userTag get', params: () => mgmt('userTag', 'get') },
	{ name: 'userTag remove', params: () => mgmt('userTag', 'remove', { tags: 'secret-test' }) },
	{ name: 'userTag removeAll', params: () => mgmt('userTag', 'removeAll', { accounts: 'bob' }) },
	{
		name: 'userAttribute set',
		params: () =>
			mgmt('userAttribute', 'set', {
				attributes: { attribute: [{ name: 'city', value: 'Beijing' }] },
			}),
	},
	{ name: 'userAttribute get', params: () => mgmt('userAttribute', 'get') },
	{
		name: 'userAttribute remove',
		params: () => mgmt('userAttribute', 'remove', { attributeNames: ['city'] }),
	},
	{
		name: 'appAttributeName get',
		params: () => ({
			resource: 'appAttributeName',
			operation: 'get',
			api: 'timpush',
			...requestOptions(),
		}),
	},
	{
		name: 'appAttributeName set',
		params: () => ({
			resource: 'appAttributeName',
			operation: 'set',
			api: 'timpush',
			attributeNames: { attribute: [{ slot: '0', name: 'city', accountType: 0 }] },
			...requestOptions(),
		}),
	},
	{
		name: 'scheduledPush create',
		params: () => ({
			resource: 'scheduledPush',
			operation: 'create',
			sendAt: inADay(),
			audience: 'all',
			notificationTitle: 'Later',
			notificationText: 'x',
			message: 'none',
			additionalFields: {},
			...requestOptions(),
		}),
		after: (r) => (ids.schedTaskId ??= r.items[0]?.json.taskId as string | undefined),
	},
	{
		name: 'scheduledPush get',
		params: () => ({
			resource: 'scheduledPush',
			operation: 'get',
			schedTaskId: ids.schedTaskId ?? 1,
			...requestOptions(),
		}),
	},
	{
		name: 'scheduledPush update',
		params: () => ({
			resource: 'scheduledPush',
			operation: 'update',
			schedTaskId: ids.schedTaskId ?? 1,
			sendAt: inADay(),
			updateContent: false,
			...requestOptions(),
		}),
	},
	{
		name: 'scheduledPush getAll',
		params: () => ({
			resource: 'scheduledPush',
			operation: 'getAll',
			returnAll: false,
			limit: 10,
			filters: {},
			sort: {},
			...requestOptions(),
		}),
	},
	{
		name: 'scheduledPush delete',
		params: () => ({
			resource: 'scheduledPush',
			operation: 'delete',
			schedTaskId: ids.schedTaskId ?? 1,
			...requestOptions(),
		}),
	},
];

/** The two echo modes found bug I (fixed; pinned in regressions.test.ts). */
const FAILURES: Array<{
	name: string;
	mode?: ProxyMode;
	wrongKey?: boolean;
	continueOnFail?: boolean;
	options?: IDataObject;
}> = [
	{ name: 'wrong secret key (70009)', wrongKey: true },
	{ name: 'HTTP 502 whose page quotes the URL', mode: '502' },
	{ name: 'response held past the timeout', mode: 'timeout', options: { maxAttempts: 1 } },
	{ name: 'Tencent error echoing the URL', mode: 'echo-url' },
	{
		name: 'retryable Tencent error echoing the URL, Continue On Fail',
		mode: 'echo-url-retryable',
		continueOnFail: true,
	},
	{ name: 'Tencent error echoing the URL-encoded URL', mode: 'echo-url-encoded' },
	{ name: 'Tencent error naming the UserSig', mode: 'echo-usersig' },
	{ name: 'HTTP 400 whose JSON body quotes the URL', mode: 'http-400-url' },
];

test('assertNoSecrets finds a secret as is, encoded and in part', () => {
	const sig = 'eJwtzEELgjAYxvH7PkXsHOGmzuoWdCgyCJ3H6JAJ*CpGwHn-cK8_9w*1';
	expect(() => assertNoSecrets(`ok ${sig} ok`, [sig])).toThrow(/as is/);
	expect(() => assertNoSecrets(`ok ${encodeURIComponent(KEY + '/+=')} ok`, [KEY + '/+='])).toThrow(
		/URL-encoded/,
	);
	expect(() => assertNoSecrets(`ok ${JSON.stringify(`a"${KEY}`)} ok`, [`a"${KEY}`])).toThrow(
		/JSON-escaped/,
	);
	expect(() =>
		assertNoSecrets(`usersig=${sig.slice(5, 40)}`, [{ label: 'usersig', value: sig }]),
	).toThrow(/fragment/);
	expect(() => assertNoSecrets(`key ${KEY.slice(20, 50)}`, [KEY])).toThrow(/fragment/);
	expect(() => assertNoSecrets(`usersig=[redacted]`, [sig, KEY])).not.toThrow();
});

describe.each(OPERATIONS.map((op) => [op.name, op] as const))('%s', (_name, op) => {
	test('success and failure paths leak neither the key nor a UserSig', async () => {
		proxy.mode = 'pass';
		const success = await capturedRun(op.params());
		if (success.result) op.after?.(success.result);
		const dryRun = (op.params().options as IDataObject | undefined)?.dryRun === true;
		const leaks: string[] = [];
		const check = (label: string, text: string) => {
			const hits = findSecrets(text, secrets());
			if (hits.length > 0)
				leaks.push(
					`${label}: ${hits.map((h) => `${h.label} (${h.form}): …${h.context}…`).join('; ')}`,
				);
		};
		check('success', success.text);
		if (!dryRun) expect(success.requests).toBeGreaterThan(0);

		for (const failure of FAILURES) {
			if (dryRun) break;
			proxy.mode = failure.mode ?? 'pass';
			proxy.holdMs = 1_500;
			const params = op.params();
			params.options = { ...(params.options as IDataObject), ...failure.options };
			const run = await capturedRun(params, {
				credentials: failure.wrongKey ? { ...credentials, secretKey: WRONG_KEY } : credentials,
				continueOnFail: failure.continueOnFail,
			});
			proxy.mode = 'pass';
			expect(run.requests).toBeGreaterThan(0);
			// The run did fail (an error, or error items under Continue On Fail).
			const failed =
				run.result?.error !== undefined ||
				run.thrown !== undefined ||
				(run.result?.items ?? []).some((item) => typeof item.json.error === 'string');
			expect(failed).toBe(true);
			check(failure.name, run.text);
		}
		expect(proxy.usersigs.size).toBeGreaterThan(0);
		expect(leaks).toEqual([]);
	});
});
