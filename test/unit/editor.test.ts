/**
 * Issue 14: what the editor shows, read from the descriptions n8n registers (the browser test in
 * test/e2e/editor.test.js proves the same in real n8n).
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { TencentChatApi } from '../../credentials/TencentChatApi.credentials';
import { TencentChatPush } from '../../nodes/TencentChatPush/TencentChatPush.node';
import { TencentChatPushTrigger } from '../../nodes/TencentChatPushTrigger/TencentChatPushTrigger.node';

const node = new TencentChatPush().description;
const trigger = new TencentChatPushTrigger().description;

/** Every property, nested ones included. */
function walk(props: INodeProperties[], out: INodeProperties[] = []): INodeProperties[] {
	for (const p of props) {
		out.push(p);
		for (const o of (p.options ?? []) as Array<
			INodeProperties | INodePropertyOptions | { values?: INodeProperties[] }
		>) {
			if ('values' in o && Array.isArray(o.values)) walk(o.values, out);
			else if ('type' in o && 'displayName' in o) walk([o as INodeProperties], out);
		}
	}
	return out;
}

test('the canvas subtitle names every operation by its display names', () => {
	const expected: Record<string, string> = {};
	const resources = node.properties.find((p) => p.name === 'resource')!
		.options as INodePropertyOptions[];
	for (const r of resources) {
		const op = node.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(r.value),
		)!;
		for (const o of op.options as INodePropertyOptions[])
			expected[`${r.value}:${o.value}`] = `${o.name}: ${r.name}`;
	}
	const match =
		/^=\{\{ (\{.*\})\[\$parameter\["resource"\] \+ ":" \+ \$parameter\["operation"\]\] \}\}$/.exec(
			node.subtitle!,
		);
	expect(match).not.toBeNull();
	expect(JSON.parse(match![1])).toEqual(expected);
	expect(expected['push:sendToUsers']).toBe('Send to Users: Push');
});

test('no placeholder starts with "=" (n8n shows placeholders literally)', () => {
	const bad = walk(node.properties).filter(
		(p) => typeof p.placeholder === 'string' && p.placeholder.startsWith('='),
	);
	expect(bad.map((p) => p.name)).toEqual([]);
});

test('Push API sits right below Operation, in words a user knows', () => {
	const names = node.properties.map((p) => p.name);
	const apis = names.flatMap((n, i) => (n === 'api' ? [i] : []));
	expect(apis.length).toBeGreaterThan(0);
	for (const i of apis) expect(names[i - 1]).toBe('operation');
	const api = node.properties[apis[0]];
	expect(api.displayName).toBe('Push API');
	expect((api.options as INodePropertyOptions[]).map((o) => o.name)).toEqual([
		'Legacy All-Member Push',
		'Push Service (Current)',
	]);
});

test('trigger events have plain names (n8n builds the nodes panel entries from them)', () => {
	const events = trigger.properties.find((p) => p.name === 'events')!
		.options as INodePropertyOptions[];
	expect(events.map((e) => e.name)).toEqual([
		'All-Member Push Result',
		'Offline Push of a Message',
	]);
	for (const e of events) expect(e.description).toContain(String(e.value));
});

test('Android and iOS Options are collections (fields added one at a time), not fixedCollections', () => {
	const additional = walk(node.properties).filter(
		(p) => p.name === 'androidInfo' || p.name === 'apnsInfo',
	);
	expect(additional.length).toBeGreaterThan(0);
	for (const p of additional) {
		expect(p.type).toBe('collection');
		for (const f of p.options as INodeProperties[]) {
			if (f.type === 'options')
				expect((f.options as INodePropertyOptions[]).map((o) => o.value)).toContain(f.default);
		}
	}
});

test('Additional Fields read as one alphabetical list; Wait for Report comes before its timings', () => {
	for (const p of node.properties.filter((x) => x.name === 'additionalFields')) {
		const names = (p.options as INodeProperties[]).map((o) => o.displayName);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	}
	const send = node.properties.find(
		(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('send'),
	)!;
	const opts = (send.options as INodeProperties[]).map((o) => o.name);
	expect(opts.indexOf('waitForReport')).toBeLessThan(opts.indexOf('reportQuietPeriod'));
	expect(opts.indexOf('waitForReport')).toBeLessThan(opts.indexOf('reportTimeout'));
});

test('Time Zone is a dropdown of IANA zones, workflow zone by default; Scheduled Push Task ID is text', () => {
	const tz = walk(node.properties).find((p) => p.name === 'timeZone')!;
	expect(tz.type).toBe('options');
	const values = (tz.options as INodePropertyOptions[]).map((o) => o.value);
	expect(tz.default).toBe('');
	expect(values).toEqual(
		expect.arrayContaining(['', 'Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'UTC']),
	);
	const taskId = node.properties.find((p) => p.name === 'schedTaskId')!;
	expect(taskId).toMatchObject({ type: 'string', default: '', required: true });
});

test('the legacy API with Message None shows a notice; All Users has one too', () => {
	const legacy = node.properties.find((p) => p.name === 'legacyMessageNotice')!;
	expect(legacy.type).toBe('notice');
	expect(legacy.displayOptions?.show).toMatchObject({ '/api': ['legacy'], message: ['none'] });
	expect(node.properties.find((p) => p.name === 'allUsersNotice')?.type).toBe('notice');
});

test('SDKAppID has no 0 default that would count as filled in', () => {
	const sdk = new TencentChatApi().properties.find((p) => p.name === 'sdkAppId')!;
	expect(sdk.default).toBe('');
});
