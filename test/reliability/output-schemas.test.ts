/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * Issue 14: n8n's editor previews a node's output fields before a run from
 * `__schema__/v<version>/<resource>/<operation>.json` next to the node (it asks for
 * `/schemas/<node>/<version>/<resource>/<operation>.json`). Every operation ships one, and every key
 * of a real output (each operation run through n8n's engine against the emulator) is in it with
 * its JSON type. `UPDATE_OUTPUT_SCHEMAS=1` rewrites the files from these runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { TencentChatPush } from '../../nodes/TencentChatPush/TencentChatPush.node';
import { resetLanes } from '../../nodes/TencentChatPush/helpers/pacing';
import { runNode } from '../harness/engine';
import { pacingSettings } from './pacing-mock';
import {
	type FixtureApp,
	type InProcessEmulator,
	credentialsFor,
	startInProcessEmulator,
} from './support';

jest.mock('../../nodes/TencentChatPush/helpers/pacing', () =>
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('./pacing-mock').pacingWithSettings(
		jest.requireActual('../../nodes/TencentChatPush/helpers/pacing'),
	),
);

jest.setTimeout(120_000);

const SCHEMA_DIR = path.join(__dirname, '../../nodes/TencentChatPush/__schema__/v1.0.0');
const UPDATE = process.env.UPDATE_OUTPUT_SCHEMAS === '1';

const APP: FixtureApp = {
	sdkAppId: 1400907302,
	secretKey: 'output-schema-test-key-not-a-secret',
	admins: ['administrator'],
	attrNames: { '0': 'city' },
	users: [
		{ id: 'administrator' },
		{ id: 'alice', online: true, tags: ['vip'], attrs: { city: 'Shenzhen' } },
		{ id: 'bob', tags: ['vip'] },
	],
};

let emu: InProcessEmulator;
const ids: { taskId?: string; schedTaskId?: string } = {};

beforeAll(async () => {
	emu = await startInProcessEmulator([APP], {
		pushIntervalMs: 0,
		revokeIntervalMs: 0,
		dailyPushQuota: 1_000_000,
		deliveryDelayMs: 0,
		statisticsRatePerSecond: 0,
		schedRatePerSecond: 0,
	});
	pacingSettings.pushGapMs = 0;
});

afterAll(async () => {
	await emu?.stop();
	resetLanes();
});

const opts = { options: { maxAttempts: 2, timeout: 5000 } };
const sendParams = (more: IDataObject = {}) => ({
	resource: 'push',
	operation: 'send',
	api: 'timpush',
	audience: 'all',
	notificationTitle: 'Hi',
	notificationText: 'there',
	message: 'none',
	additionalFields: {},
	...opts,
	...more,
});
const mgmt = (resource: string, operation: string, more: IDataObject = {}) => ({
	resource,
	operation,
	api: 'timpush',
	accountsFrom: 'value',
	accounts: 'alice, bob',
	...opts,
	...more,
});
const inADay = () => new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** Each operation on its success path (several runs where outputs differ by mode). */
const RUNS: Array<{
	resource: string;
	operation: string;
	params: () => IDataObject;
	after?: (json: IDataObject) => void;
}> = [
	{
		resource: 'push',
		operation: 'send',
		params: () => sendParams(),
		after: (j) => (ids.taskId ??= j.taskId as string),
	},
	{
		resource: 'push',
		operation: 'send',
		params: () => sendParams({ api: 'legacy', message: 'text', messageText: 'Hello' }),
	},
	{
		resource: 'push',
		operation: 'sendToUsers',
		params: () => ({
			resource: 'push',
			operation: 'sendToUsers',
			accountsFrom: 'value',
			toAccounts: 'alice, bob',
			notificationTitle: 'Hi',
			notificationText: 'there',
			additionalFields: {},
			...opts,
		}),
	},
	{
		resource: 'push',
		operation: 'getStatistics',
		params: () => ({
			resource: 'push',
			operation: 'getStatistics',
			statisticsFilter: 'taskIds',
			taskIds: ids.taskId,
			statisticsOutput: 'summary',
			...opts,
		}),
	},
	{
		resource: 'push',
		operation: 'getDeliveryLosses',
		params: () => ({
			resource: 'push',
			operation: 'getDeliveryLosses',
			lossFilter: 'taskIds',
			taskIds: ids.taskId,
			...opts,
		}),
	},
	{
		resource: 'push',
		operation: 'traceUser',
		params: () => ({
			resource: 'push',
			operation: 'traceUser',
			traceTaskId: ids.taskId,
			traceUserId: 'alice',
			...opts,
		}),
	},
	{
		resource: 'push',
		operation: 'recall',
		params: () => ({
			resource: 'push',
			operation: 'recall',
			taskId: ids.taskId,
			overwriteTitle: 'Withdrawn',
			overwriteText: 'This message was withdrawn',
			...opts,
		}),
	},
	{
		resource: 'userTag',
		operation: 'add',
		params: () => mgmt('userTag', 'add', { tags: 'schema-test' }),
	},
	{ resource: 'userTag', operation: 'get', params: () => mgmt('userTag', 'get') },
	{
		resource: 'userTag',
		operation: 'remove',
		params: () => mgmt('userTag', 'remove', { tags: 'schema-test' }),
	},
	{
		resource: 'userTag',
		operation: 'removeAll',
		params: () => mgmt('userTag', 'removeAll', { accounts: 'bob' }),
	},
	{
		resource: 'userAttribute',
		operation: 'set',
		params: () =>
			mgmt('userAttribute', 'set', {
				attributes: { attribute: [{ name: 'city', value: 'Beijing' }] },
			}),
	},
	{ resource: 'userAttribute', operation: 'get', params: () => mgmt('userAttribute', 'get') },
	{
		resource: 'userAttribute',
		operation: 'remove',
		params: () => mgmt('userAttribute', 'remove', { attributeNames: ['city'] }),
	},
	{
		resource: 'appAttributeName',
		operation: 'get',
		params: () => ({ resource: 'appAttributeName', operation: 'get', api: 'timpush', ...opts }),
	},
	{
		resource: 'appAttributeName',
		operation: 'set',
		params: () => ({
			resource: 'appAttributeName',
			operation: 'set',
			api: 'timpush',
			attributeNames: { attribute: [{ slot: '0', name: 'city', accountType: 0 }] },
			...opts,
		}),
	},
	{
		resource: 'scheduledPush',
		operation: 'create',
		params: () => ({
			resource: 'scheduledPush',
			operation: 'create',
			sendAt: inADay(),
			audience: 'all',
			notificationTitle: 'Later',
			notificationText: 'x',
			message: 'none',
			additionalFields: {},
			...opts,
		}),
		after: (j) => (ids.schedTaskId ??= String(j.taskId)),
	},
	{
		resource: 'scheduledPush',
		operation: 'get',
		params: () => ({
			resource: 'scheduledPush',
			operation: 'get',
			schedTaskId: ids.schedTaskId,
			...opts,
		}),
	},
	{
		resource: 'scheduledPush',
		operation: 'update',
		params: () => ({
			resource: 'scheduledPush',
			operation: 'update',
			schedTaskId: ids.schedTaskId,
			sendAt: inADay(),
			updateContent: false,
			...opts,
		}),
	},
	{
		resource: 'scheduledPush',
		operation: 'getAll',
		params: () => ({
			resource: 'scheduledPush',
			operation: 'getAll',
			returnAll: false,
			limit: 10,
			filters: {},
			sort: {},
			...opts,
		}),
	},
	{
		resource: 'scheduledPush',
		operation: 'delete',
		params: () => ({
			resource: 'scheduledPush',
			operation: 'delete',
			schedTaskId: ids.schedTaskId,
			...opts,
		}),
	},
];

type Schema = { type: string | string[]; properties?: Record<string, Schema>; items?: Schema };

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value === 'number' ? 'number' : typeof value;
}

/** The JSON schema of one value, merged into what earlier values gave (types as a union). */
function infer(value: unknown, into?: Schema): Schema {
	const t = typeOf(value);
	const types = new Set([...(into ? [into.type].flat() : []), t]);
	const out: Schema = { ...into, type: types.size === 1 ? t : [...types].sort() };
	if (t === 'object') {
		out.properties = { ...(into?.properties ?? {}) };
		for (const [k, v] of Object.entries(value as IDataObject))
			out.properties[k] = infer(v, out.properties[k]);
	}
	if (t === 'array') for (const v of value as unknown[]) out.items = infer(v, out.items);
	return out;
}

/** Keys and types of `value` that `schema` does not describe. */
function undescribed(value: unknown, schema: Schema | undefined, at: string): string[] {
	if (!schema) return [`${at} (not in the schema)`];
	const t = typeOf(value);
	if (![schema.type].flat().includes(t))
		return [`${at}: ${t}, the schema says ${[schema.type].flat().join('|')}`];
	if (t === 'object')
		return Object.entries(value as IDataObject).flatMap(([k, v]) =>
			undescribed(v, schema.properties?.[k], `${at}.${k}`),
		);
	if (t === 'array')
		return (value as unknown[]).flatMap((v, i) => undescribed(v, schema.items, `${at}[${i}]`));
	return [];
}

const inferred = new Map<string, Schema>();
const file = (resource: string, operation: string) =>
	path.join(SCHEMA_DIR, resource, `${operation}.json`);

test.each(RUNS.map((r, i) => [`${r.resource}/${r.operation} #${i}`, r] as const))(
	'%s: every output key is in the shipped schema',
	async (_name, run) => {
		const result = await runNode({
			parameters: run.params(),
			items: [{}],
			credentials: credentialsFor(emu.url, APP),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		run.after?.(result.items[0].json);
		const key = `${run.resource}/${run.operation}`;
		for (const item of result.items) inferred.set(key, infer(item.json, inferred.get(key)));
		if (UPDATE) return;
		const shipped = JSON.parse(
			fs.readFileSync(file(run.resource, run.operation), 'utf8'),
		) as Schema;
		expect(result.items.flatMap((item) => undescribed(item.json, shipped, key))).toEqual([]);
	},
);

test('every operation of the node has a schema file, and the runs above cover them all', () => {
	if (UPDATE) {
		for (const [key, schema] of inferred) {
			const [resource, operation] = key.split('/');
			fs.mkdirSync(path.dirname(file(resource, operation)), { recursive: true });
			fs.writeFileSync(file(resource, operation), JSON.stringify(schema, null, '\t') + '\n');
		}
	}
	const description = new TencentChatPush().description;
	const expected: string[] = [];
	for (const p of description.properties.filter((x) => x.name === 'operation')) {
		for (const resource of p.displayOptions!.show!.resource as string[])
			for (const o of p.options as Array<{ value: string }>)
				expected.push(`${resource}/${o.value}`);
	}
	expect(expected).toHaveLength(20);
	expect([...inferred.keys()].sort()).toEqual([...expected].sort());
	for (const key of expected) {
		const [resource, operation] = key.split('/');
		expect(fs.existsSync(file(resource, operation))).toBe(true);
	}
});
