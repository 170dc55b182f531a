/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * Node bugs found by the reliability tests, each pinned as a minimal reproduction of the
 * correct behaviour now that it is fixed. Letters name the bugs: A empty account lists,
 * B Replace without tags, C/D attribute-name clashes and locked account types, E object values,
 * F unknown audiences, G/H option values from expressions, I redaction, J Get's options.
 */
import type { IDataObject } from 'n8n-workflow';

import { resetLanes } from '../../nodes/TencentChatPush/helpers/pacing';
import { type RunResult, runNode } from '../harness/engine';
import { findSecrets } from './secrets';
import {
	type FixtureApp,
	type InProcessEmulator,
	credentialsFor,
	startInProcessEmulator,
} from './support';
import { startWireProxy } from './wire-proxy';

const APP: FixtureApp = {
	sdkAppId: 1400907201,
	secretKey: 'regressions-app-key-not-a-secret',
	admins: ['administrator'],
	attrNames: { '0': 'city', '3': 'device' },
	attrTypes: { '3': 1 },
	users: [
		{ id: 'administrator' },
		{ id: 'alice', tags: ['vip'], attrs: { city: 'Shenzhen' } },
		{ id: 'bob' },
		{ id: 'reg-1', accountType: 'RegistrationID' },
	],
};

let emu: InProcessEmulator;
beforeAll(async () => {
	emu = await startInProcessEmulator([APP], { pushIntervalMs: 0, dailyPushQuota: 1_000_000 });
});
afterAll(async () => {
	await emu?.stop();
	resetLanes();
});
beforeEach(async () => {
	await emu.reset();
	resetLanes();
});

const run = async (
	parameters: IDataObject,
	options: { items?: IDataObject[]; continueOnFail?: boolean } = {},
): Promise<RunResult> =>
	await runNode({
		parameters,
		items: options.items ?? [{}],
		credentials: credentialsFor(emu.url, APP),
		continueOnFail: options.continueOnFail,
	});

const management = (resource: string, operation: string, more: IDataObject) => ({
	resource,
	operation,
	api: 'timpush',
	options: {},
	accountsFrom: 'value',
	...more,
});
const send = (more: IDataObject) => ({
	resource: 'push',
	operation: 'send',
	api: 'timpush',
	audience: 'all',
	notificationTitle: 'Hi',
	message: 'none',
	additionalFields: {},
	options: {},
	...more,
});
const requestsTo = (command: string) =>
	emu.state.requestLog.filter((r) => r.command === command).length;

describe('A: an item whose accounts resolve to an empty list', () => {
	// Was: an item with no accounts was never validated and crashed output() with a TypeError.
	test.each([
		['userTag', 'add', { tags: 'vip' }],
		['userTag', 'remove', { tags: 'vip' }],
		['userAttribute', 'set', { attributes: { attribute: [{ name: 'city', value: 'x' }] } }],
		['userAttribute', 'remove', { attributeNames: ['city'] }],
	])(
		'%s %s fails with a NodeOperationError, not a TypeError',
		async (resource, operation, more) => {
			const result = await run(management(resource, operation, { ...more, accounts: '={{ [] }}' }));
			expect(result.error?.name).toBe('NodeOperationError');
		},
	);

	test('userTag get with Continue On Fail gives the item an error item (not silence)', async () => {
		const result = await run(management('userTag', 'get', { accounts: '={{ $json.users }}' }), {
			items: [{ users: ['alice'] }, { users: [] }],
			continueOnFail: true,
		});
		expect(result.items.map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 1]);
	});
});

test('B: userTag add with Replace on and an empty tag list is refused before sending (Tencent 90001)', async () => {
	const result = await run(
		management('userTag', 'add', { accounts: 'alice', tags: '={{ [] }}', replace: true }),
	);
	expect(emu.state.counters.invalidRequests).toBe(0);
	expect(result.error?.name).toBe('NodeOperationError');
});

test('C: appAttributeName set with a name another slot already has is refused before sending (Tencent 90033)', async () => {
	const result = await run({
		resource: 'appAttributeName',
		operation: 'set',
		api: 'timpush',
		options: {},
		attributeNames: { attribute: [{ slot: '1', name: 'city', accountType: 0 }] },
	});
	expect(emu.state.counters.invalidRequests).toBe(0);
	expect(result.error?.name).toBe('NodeOperationError');
});

test("D: renaming a slot typed RegistrationID (locked) with the UI's default account type is not sent as a type change (Tencent 90033)", async () => {
	await run({
		resource: 'appAttributeName',
		operation: 'set',
		api: 'timpush',
		options: {},
		attributeNames: { attribute: [{ slot: '3', name: 'platform', accountType: 0 }] },
	});
	expect(emu.state.counters.invalidRequests).toBe(0);
});

test('E: userAttribute set refuses a value that is an object instead of storing "[object Object]"', async () => {
	const result = await run(
		management('userAttribute', 'set', {
			accounts: 'alice',
			attributes: { attribute: [{ name: 'city', value: '={{ $json.city }}' }] },
		}),
		{ items: [{ city: { name: 'Shenzhen' } }] },
	);
	expect(emu.state.apps.get(APP.sdkAppId)!.users.get('alice')!.attrs['0']).toBe('Shenzhen');
	expect(result.error?.name).toBe('NodeOperationError');
});

test.each([[''], ['Tags'], ['everyone']])(
	'F: an Audience expression yielding %j is refused, never a push to all users',
	async (audience) => {
		const result = await run(
			send({ audience: '={{ $json.audience }}', tagsAnd: 'vip', tagsOr: '' }),
			{ items: [{ audience }] },
		);
		expect(requestsTo('push')).toBe(0);
		expect(result.error?.name).toBe('NodeOperationError');
	},
);

test('F: Scheduled Push → Create with an Audience expression yielding "everyone" is refused, not scheduled for all users', async () => {
	const at = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
	const result = await run(
		{
			resource: 'scheduledPush',
			operation: 'create',
			sendAt: at,
			audience: '={{ $json.audience }}',
			tagsAnd: 'vip',
			tagsOr: '',
			notificationTitle: 'Hi',
			message: 'none',
			additionalFields: {},
			options: {},
		},
		{ items: [{ audience: 'everyone' }] },
	);
	expect(result.items.map((i) => i.json.type)).not.toContain('All');
	expect(result.error?.name).toBe('NodeOperationError');
});

test('G: Max Attempts that is not a number does not retry forever', async () => {
	emu.faults.set('timpush/get_tag', { probability: 1, kinds: ['502'] });
	const pending = run(
		management('userTag', 'get', {
			accounts: 'alice',
			options: { maxAttempts: '={{ "three" }}', timeout: 1000 },
		}),
	);
	// Was: Number("three") = NaN, and `attempt >= NaN` never holds, so it retried forever.
	await new Promise((resolve) => setTimeout(resolve, 12_000));
	emu.faults.clear();
	await pending;
	expect(requestsTo('get_tag')).toBeLessThanOrEqual(4);
}, 60_000);

test('H: Dry Run from an expression yielding the text "true" does not send for real', async () => {
	await run(send({ options: { dryRun: '={{ $json.dryRun }}' } }), { items: [{ dryRun: 'true' }] });
	expect(requestsTo('push')).toBe(0);
});

test('I: a Tencent ErrorInfo that quotes the URL-encoded URL or names the UserSig does not reach the error', async () => {
	// Was: only `?usersig=…` / `&usersig=…` were rewritten; `usersig%3D…` and a bare UserSig passed through.
	const proxy = await startWireProxy(emu.url);
	try {
		for (const mode of ['echo-url-encoded', 'echo-usersig'] as const) {
			proxy.mode = mode;
			const result = await runNode({
				parameters: send({}),
				credentials: credentialsFor(proxy.url, APP),
			});
			const text = `${JSON.stringify(result.run)} ${result.error?.message ?? ''} ${String(result.error?.description ?? '')}`;
			expect(findSecrets(text, [...proxy.usersigs])).toEqual([]);
		}
	} finally {
		await proxy.stop();
	}
});

test('J: App Attribute Name → Get honours its Options (Dry Run sends nothing)', async () => {
	// Was: Get showed the Options but ignored Dry Run, Max Attempts and Timeout.
	await run({
		resource: 'appAttributeName',
		operation: 'get',
		api: 'timpush',
		options: { dryRun: true },
	});
	expect(requestsTo('get_attr_name')).toBe(0);
});
