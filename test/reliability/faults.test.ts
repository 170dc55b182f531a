/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * R1: the node under 10 % injected faults of every kind the emulator offers (502 and reset before
 * and after processing, a response delayed past the timeout, 91000, 60007, 90024), with Continue On
 * Fail on, against the emulator at its default MsgRandom window of 1 s ("within the same second",
 * as Tencent documents it, so a re-sent push is a second push):
 * - 1,000 pushes (emulator interval shortened to 10 ms by configuration, the node's push gap to
 *   15 ms through the pacing-mock seam);
 * - scheduled tasks created, updated and deleted, and pushes recalled, with faults on every
 *   scheduled-task endpoint and on recall;
 * - 100,000 tag operations (one user per item, ~1,000 requests of 100 users).
 * Asserted: no item lost (each ends as a success or an explicit error item), no push and no
 * scheduled task twice (each item at most one task; only an item whose outcome is reported
 * unknown may have one without succeeding), no request Tencent would reject for its format, and
 * the emulator's state is what the successful items asked for. Totals, including the number of
 * "outcome unknown" items, are printed. R1_SEED, R1_PUSHES, R1_SCHED_TASKS and R1_TAG_USERS
 * override the seed and the sizes.
 */
import { performance } from 'node:perf_hooks';
import type { INodeExecutionData } from 'n8n-workflow';

import { resetLanes } from '../../nodes/TencentChatPush/helpers/pacing';
import { runNode } from '../harness/engine';
import { pacingSettings } from './pacing-mock';
import {
	ALL_FAULT_KINDS,
	type FixtureApp,
	type InProcessEmulator,
	credentialsFor,
	parsedBody,
	processed,
	report,
	startInProcessEmulator,
} from './support';

jest.mock('../../nodes/TencentChatPush/helpers/pacing', () =>
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('./pacing-mock').pacingWithSettings(
		jest.requireActual('../../nodes/TencentChatPush/helpers/pacing'),
	),
);

const SEED = Number(process.env.R1_SEED ?? 7007);
const PUSHES = Number(process.env.R1_PUSHES ?? 1_000);
const TAG_USERS = Number(process.env.R1_TAG_USERS ?? 100_000);
const SCHED_TASKS = Number(process.env.R1_SCHED_TASKS ?? 50);
const RECALLS = 30;
const FAULT_PROBABILITY = 0.1;
const EMULATOR_PUSH_INTERVAL_MS = 10;
const NODE_PUSH_GAP_MS = 15;

/** Emulator-only keys, not secrets. */
const EMULATOR_ONLY = {
	pushApp: 'reliability-push-app-key-not-a-secret',
	tagApp: 'reliability-tag-app-key-not-a-secret',
};

const userId = (i: number) => `u${String(i).padStart(6, '0')}`;

const PUSH_APP: FixtureApp = {
	sdkAppId: 1400907001,
	secretKey: EMULATOR_ONLY.pushApp,
	admins: ['administrator'],
	users: [{ id: 'administrator' }, { id: 'p1', online: true }, { id: 'p2' }],
};
/** Every 1,000th user already carries 'old'; 100 users ('x…') are in no item and must stay untouched. */
const TAG_APP: FixtureApp = {
	sdkAppId: 1400907002,
	secretKey: EMULATOR_ONLY.tagApp,
	admins: ['administrator'],
	users: [
		...Array.from({ length: TAG_USERS }, (_, i) => ({
			id: userId(i),
			...(i % 1000 === 0 ? { tags: ['old'] } : {}),
		})),
		...Array.from({ length: 100 }, (_, i) => ({ id: `x${i}`, tags: ['old'] })),
	],
};

let emu: InProcessEmulator;

beforeAll(async () => {
	emu = await startInProcessEmulator([PUSH_APP, TAG_APP], {
		pushIntervalMs: EMULATOR_PUSH_INTERVAL_MS,
		dailyPushQuota: 1_000_000_000,
		// The node's own lane keeps ~95 requests/s; the emulator's limit is raised so that arrival
		// jitter on this shared machine cannot add real 60007s on top of the injected ones.
		managementRatePerSecond: 1000,
		requestLogLimit: 100_000,
	});
	report(
		`R1 seed ${SEED} (R1_SEED=${SEED} reproduces the fault pattern); fault kinds ${ALL_FAULT_KINDS.join(', ')} at ${FAULT_PROBABILITY * 100} %`,
	);
});

afterAll(async () => {
	await emu?.stop();
	resetLanes();
	report(
		`R1 outcome-unknown items (explicit error items that may have taken effect): ${JSON.stringify(unknownCounts)}`,
	);
});

beforeEach(async () => {
	await emu.reset();
	resetLanes();
});

/** Output items by the input item they belong to; fails on items without pairedItem. */
function byItem(items: INodeExecutionData[], count: number): INodeExecutionData[][] {
	const out: INodeExecutionData[][] = Array.from({ length: count }, () => []);
	for (const item of items) {
		const paired = item.pairedItem as { item: number } | undefined;
		expect(typeof paired?.item).toBe('number');
		out[paired!.item].push(item);
	}
	return out;
}

const isErrorItem = (item: INodeExecutionData) =>
	typeof item.json.error === 'string' && (item.json.error as string).length > 0;
/** An explicit "outcome unknown" error item: says so, when it was sent, to which API. */
const isUnknownItem = (item: INodeExecutionData) =>
	isErrorItem(item) &&
	item.json.outcome === 'unknown' &&
	/^Outcome unknown: /.test(String(item.json.error)) &&
	typeof item.json.sentAt === 'string' &&
	typeof item.json.api === 'string';
/** Unknown-outcome items of every R1 test, printed at the end. */
const unknownCounts: Record<string, number> = {};

test(
	`${PUSHES} pushes under ${FAULT_PROBABILITY * 100} % faults: every item accounted for, no push counted twice`,
	async () => {
		pacingSettings.pushGapMs = NODE_PUSH_GAP_MS;
		resetLanes();
		emu.faults.set('timpush/push', {
			probability: FAULT_PROBABILITY,
			kinds: ALL_FAULT_KINDS,
			seed: SEED,
		});
		const texts = Array.from({ length: PUSHES }, (_, i) => `r1 push ${i}`);
		const started = performance.now();
		const result = await runNode({
			parameters: {
				resource: 'push',
				operation: 'send',
				api: 'timpush',
				audience: 'all',
				notificationTitle: 'R1',
				notificationText: '={{ $json.text }}',
				message: 'none',
				additionalFields: {},
				options: { timeout: 1000 },
			},
			items: texts.map((text) => ({ text })),
			credentials: credentialsFor(emu.url, PUSH_APP),
			continueOnFail: true,
		});
		const seconds = (performance.now() - started) / 1000;
		pacingSettings.pushGapMs = undefined;

		expect(result.error).toBeUndefined();
		const outputs = byItem(result.items, PUSHES);
		// 0 items lost: exactly one output per item, a success or an explicit error item.
		const lost = outputs.flatMap((o, i) => (o.length === 1 ? [] : [i]));
		expect(lost).toEqual([]);
		const successes = outputs.flatMap((o, i) =>
			isErrorItem(o[0]) ? [] : [{ index: i, json: o[0].json }],
		);
		const failures = outputs.flatMap((o, i) =>
			isErrorItem(o[0]) ? [{ index: i, json: o[0].json }] : [],
		);
		for (const { json } of successes)
			expect(json).toMatchObject({
				taskId: expect.stringMatching(/.+/),
				msgRandom: expect.any(Number),
			});

		const counters = emu.state.counters;
		const tasks = emu.state.taskList();
		const log = emu.state.requestLog.filter((r) => r.command === 'push');
		// Distinct pushes the emulator accepted: by MsgRandom, over every processed request it answered 0.
		const acceptedRandoms = new Set(
			log.filter((r) => processed(r) && r.errorCode === 0).map((r) => parsedBody(r)!.MsgRandom),
		);
		const tasksByText = new Map<string, typeof tasks>();
		for (const task of tasks) {
			const text = String((task.content.offlinePushInfo as { Desc?: string } | null)?.Desc);
			tasksByText.set(text, [...(tasksByText.get(text) ?? []), task]);
		}
		// 0 duplicate push tasks: one task per distinct push, never two for one item, and no
		// processed push was ever sent again (the emulator merged no repeat within its 1 s window).
		expect(tasks).toHaveLength(acceptedRandoms.size);
		expect(counters.pushesAccepted).toBe(tasks.length);
		expect(counters.duplicatePushes).toBe(0);
		expect([...tasksByText.values()].filter((t) => t.length > 1)).toEqual([]);
		// Every successful item has exactly its task, with its MsgRandom.
		for (const { index, json } of successes) {
			const [task] = tasksByText.get(texts[index]) ?? [];
			expect(task?.taskId).toBe(json.taskId);
			expect(task?.msgRandom).toBe(json.msgRandom);
		}
		// A failed item has a task only if it says its outcome is unknown (processed, answer lost).
		const unknown = failures.filter(({ index }) => isUnknownItem(outputs[index][0]));
		const ghostTasks = failures.filter(({ index }) => tasksByText.has(texts[index]));
		expect(ghostTasks.filter(({ index }) => !isUnknownItem(outputs[index][0]))).toEqual([]);
		expect(tasks.length).toBe(successes.length + ghostTasks.length);
		for (const { json } of unknown)
			expect(json).toMatchObject({
				api: 'v4/timpush/push',
				msgRandom: expect.any(Number),
				audience: 'all users',
			});
		expect(counters.invalidRequests).toBe(0);
		unknownCounts.pushes = unknown.length;

		const attempts = successes.map(({ json }) => Number(json.attempts));
		report(
			[
				`R1 pushes: ${PUSHES} items in ${seconds.toFixed(1)} s (node gap ${NODE_PUSH_GAP_MS} ms, emulator interval ${EMULATOR_PUSH_INTERVAL_MS} ms)`,
				`  outputs: ${successes.length} successes, ${failures.length} error items, ${lost.length} lost`,
				`  requests: ${log.length}; faults injected ${JSON.stringify(counters.faultsInjected)}`,
				`  outcome unknown: ${unknown.length} items (${ghostTasks.length} of them did push: their answer was lost); other error items ${failures.length - unknown.length}`,
				`  tasks ${tasks.length} = distinct pushes ${acceptedRandoms.size}; duplicate pushes 0 (repeats merged by the emulator ${counters.duplicatePushes})`,
				`  attempts per successful push: max ${Math.max(...attempts)}, retried ${attempts.filter((a) => a > 1).length}; real limit rejections ${counters.limitRejections}; invalid requests ${counters.invalidRequests}`,
				...failures
					.slice(0, 5)
					.map(({ index, json }) => `  error item ${index}: ${String(json.error)}`),
			].join('\n'),
		);
	},
	10 * 60_000,
);

const SCHED_ENDPOINTS = [
	'add_sched_task',
	'modify_sched_task',
	'delete_sched_task',
	'get_sched_task',
	'list_sched_task',
].map((c) => `timpush/${c}`);
const utc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const tencentUtc = (iso: string) => iso.replace('T', ' ').replace('Z', '');

test(
	`${SCHED_TASKS} scheduled tasks created, updated, deleted and ${RECALLS} recalls under ${FAULT_PROBABILITY * 100} % faults: no task twice, every item accounted for`,
	async () => {
		pacingSettings.pushGapMs = NODE_PUSH_GAP_MS;
		pacingSettings.revokeGapMs = NODE_PUSH_GAP_MS;
		resetLanes();
		emu.configure({ revokeIntervalMs: EMULATOR_PUSH_INTERVAL_MS });
		SCHED_ENDPOINTS.forEach((endpoint, i) =>
			emu.faults.set(endpoint, {
				probability: FAULT_PROBABILITY,
				kinds: ALL_FAULT_KINDS,
				seed: SEED + 1 + i,
			}),
		);
		emu.faults.set('timpush/revoke', {
			probability: FAULT_PROBABILITY,
			kinds: ALL_FAULT_KINDS,
			seed: SEED + 10,
		});
		const started = performance.now();
		const credentials = credentialsFor(emu.url, PUSH_APP);
		const base = { resource: 'scheduledPush', options: { timeout: 1000 } };
		const firstAt = utc(Date.now() + 24 * 3_600_000);
		const laterAt = utc(Date.now() + 48 * 3_600_000);
		const texts = Array.from({ length: SCHED_TASKS }, (_, i) => `r1 scheduled ${i}`);

		// Create: each item's own text, so its task is recognisable.
		const created = await runNode({
			parameters: {
				...base,
				operation: 'create',
				sendAt: firstAt,
				audience: 'all',
				notificationTitle: 'R1',
				notificationText: '={{ $json.text }}',
				message: 'none',
				additionalFields: {},
			},
			items: texts.map((text) => ({ text })),
			credentials,
			continueOnFail: true,
		});
		expect(created.error).toBeUndefined();
		const createdOut = byItem(created.items, SCHED_TASKS).map((o) => o[0]);
		expect(createdOut.every(Boolean)).toBe(true);
		const byText = () => {
			const map = new Map<string, number[]>();
			for (const task of emu.state.schedTaskList()) {
				const text = String((task.content.OfflinePushInfo as { Desc?: string }).Desc);
				map.set(text, [...(map.get(text) ?? []), task.taskId]);
			}
			return map;
		};
		const afterCreate = byText();
		// 0 duplicate scheduled tasks, and each successful item has exactly its own task.
		expect([...afterCreate.values()].filter((ids) => ids.length > 1)).toEqual([]);
		const createOk = createdOut.flatMap((item, i) => (isErrorItem(item) ? [] : [i]));
		for (const i of createOk)
			expect(afterCreate.get(texts[i])).toEqual([Number(createdOut[i].json.taskId)]);
		const createUnknown = createdOut.filter(isUnknownItem).length;
		// A task without a successful item belongs to an item that says its outcome is unknown.
		for (const [i, item] of createdOut.entries())
			if (isErrorItem(item) && afterCreate.has(texts[i])) expect(isUnknownItem(item)).toBe(true);

		// Update the created tasks to a later time, then delete every other one.
		const ids = createOk.map((i) => Number(createdOut[i].json.taskId));
		const updated = await runNode({
			parameters: {
				...base,
				operation: 'update',
				schedTaskId: '={{ $json.id }}',
				sendAt: laterAt,
				updateContent: false,
			},
			items: ids.map((id) => ({ id })),
			credentials,
			continueOnFail: true,
		});
		expect(updated.error).toBeUndefined();
		const updatedOut = byItem(updated.items, ids.length).map((o) => o[0]);
		const tasksNow = new Map(emu.state.schedTaskList().map((t) => [t.taskId, t]));
		for (const [i, item] of updatedOut.entries()) {
			if (!isErrorItem(item)) expect(tasksNow.get(ids[i])?.schedAt).toBe(tencentUtc(laterAt));
		}
		const toDelete = ids.filter((_, i) => i % 2 === 0);
		const deleted = await runNode({
			parameters: { ...base, operation: 'delete', schedTaskId: '={{ $json.id }}' },
			items: toDelete.map((id) => ({ id })),
			credentials,
			continueOnFail: true,
		});
		expect(deleted.error).toBeUndefined();
		const deletedOut = byItem(deleted.items, toDelete.length).map((o) => o[0]);
		const remaining = new Set(emu.state.schedTaskList().map((t) => t.taskId));
		for (const [i, item] of deletedOut.entries())
			if (!isErrorItem(item)) expect(remaining.has(toDelete[i])).toBe(false);
		expect([...byText().values()].filter((list) => list.length > 1)).toEqual([]);
		expect(emu.state.counters.schedTasks.added).toBe(
			emu.state.schedTaskList().length + emu.state.counters.schedTasks.deleted,
		);

		// Recall: pushes without faults, then their recalls with faults.
		const pushes = await runNode({
			parameters: {
				resource: 'push',
				operation: 'send',
				api: 'timpush',
				audience: 'all',
				notificationTitle: 'R1',
				notificationText: '={{ "recall " + $json.n }}',
				message: 'none',
				additionalFields: {},
				options: {},
			},
			items: Array.from({ length: RECALLS }, (_, n) => ({ n })),
			credentials,
		});
		expect(pushes.error).toBeUndefined();
		const taskIds = pushes.items.map((item) => item.json.taskId as string);
		const recalled = await runNode({
			parameters: {
				resource: 'push',
				operation: 'recall',
				taskId: '={{ $json.taskId }}',
				overwriteTitle: 'Withdrawn',
				overwriteText: 'Sorry',
				options: { timeout: 1000 },
			},
			items: taskIds.map((taskId) => ({ taskId })),
			credentials,
			continueOnFail: true,
		});
		expect(recalled.error).toBeUndefined();
		const recalledOut = byItem(recalled.items, RECALLS).map((o) => o[0]);
		const pushTasks = new Map(emu.state.taskList().map((t) => [t.taskId, t]));
		for (const [i, item] of recalledOut.entries()) {
			if (!isErrorItem(item)) expect(pushTasks.get(taskIds[i])?.status).toBe('revoked');
		}
		const seconds = (performance.now() - started) / 1000;
		const counters = emu.state.counters;
		// The only requests Tencent would refuse as invalid: reading a task after a delete whose answer
		// was lost, which is how the node learns that the delete worked (90104: no such TaskID).
		const refused = emu.state.requestLog.filter((r) => r.errorCode === 90104);
		expect(
			refused.every(
				(r) => r.command === 'get_sched_task' && toDelete.includes(Number(parsedBody(r)?.TaskID)),
			),
		).toBe(true);
		expect(counters.invalidRequests).toBe(refused.length);

		const outcomes = [createdOut, updatedOut, deletedOut, recalledOut];
		const lost = outcomes.flat().filter((item) => !item).length;
		expect(lost).toBe(0);
		const count = (items: INodeExecutionData[], test: (item: INodeExecutionData) => boolean) =>
			items.filter(test).length;
		const confirmed = (items: INodeExecutionData[]) =>
			count(items, (item) => item.json.confirmedAfterUnknown === true);
		unknownCounts.scheduled =
			createUnknown + count(updatedOut, isUnknownItem) + count(deletedOut, isUnknownItem);
		unknownCounts.recalls = count(recalledOut, isUnknownItem);
		report(
			[
				`R1 scheduled tasks and recalls: ${SCHED_TASKS} creates, ${ids.length} updates, ${toDelete.length} deletes, ${RECALLS} recalls in ${seconds.toFixed(1)} s`,
				...(
					[
						['create', createdOut],
						['update', updatedOut],
						['delete', deletedOut],
						['recall', recalledOut],
					] as Array<[string, INodeExecutionData[]]>
				).map(
					([name, items]) =>
						`  ${name}: ${count(items, (i) => !isErrorItem(i))} OK (confirmed after an unknown outcome ${confirmed(items)}), outcome unknown ${count(items, isUnknownItem)}, other error items ${count(items, (i) => isErrorItem(i) && !isUnknownItem(i))}`,
				),
				`  scheduled tasks: ${emu.state.schedTaskList().length} left, ${counters.schedTasks.added} added, ${counters.schedTasks.deleted} deleted; duplicate tasks 0`,
				`  faults injected ${JSON.stringify(counters.faultsInjected)}`,
				...outcomes
					.flat()
					.filter((item) => isErrorItem(item) && !isUnknownItem(item))
					.slice(0, 3)
					.map((item) => `  error item: ${String(item.json.error)}`),
			].join('\n'),
		);
		pacingSettings.pushGapMs = undefined;
		pacingSettings.revokeGapMs = undefined;
	},
	10 * 60_000,
);

test(
	`${TAG_USERS.toLocaleString('en-US')} tag operations under ${FAULT_PROBABILITY * 100} % faults: every item accounted for, state as asked`,
	async () => {
		emu.faults.set('timpush/add_tag', {
			probability: FAULT_PROBABILITY,
			kinds: ALL_FAULT_KINDS,
			seed: SEED,
		});
		const started = performance.now();
		const result = await runNode({
			parameters: {
				resource: 'userTag',
				operation: 'add',
				api: 'timpush',
				accountsFrom: 'field',
				accountsField: 'userId',
				tags: 'r1, reliability',
				replace: false,
				options: { timeout: 1000 },
			},
			items: Array.from({ length: TAG_USERS }, (_, i) => ({ userId: userId(i) })),
			credentials: credentialsFor(emu.url, TAG_APP),
			continueOnFail: true,
		});
		const seconds = (performance.now() - started) / 1000;

		expect(result.error).toBeUndefined();
		const outputs = byItem(result.items, TAG_USERS);
		const lost = outputs.flatMap((o, i) => (o.length === 1 ? [] : [i]));
		expect(lost).toEqual([]);
		const failed = new Set(outputs.flatMap((o, i) => (isErrorItem(o[0]) ? [i] : [])));
		for (let i = 0; i < TAG_USERS; i++) {
			if (!failed.has(i) && (outputs[i][0].json.accounts as string[])[0] !== userId(i)) {
				throw new Error(
					`item ${i}: output ${JSON.stringify(outputs[i][0].json)} is not about ${userId(i)}`,
				);
			}
		}

		// Emulator state = what the successful items asked for (and nothing for users of no item).
		const users = emu.state.apps.get(TAG_APP.sdkAppId)!.users;
		const wrong: string[] = [];
		let failedButTagged = 0;
		for (let i = 0; i < TAG_USERS; i++) {
			const tags = users.get(userId(i))!.tags;
			const expected = i % 1000 === 0 ? ['old', 'r1', 'reliability'] : ['r1', 'reliability'];
			const asked = JSON.stringify([...tags].sort()) === JSON.stringify(expected);
			if (failed.has(i)) {
				if (asked) failedButTagged++;
				else if (tags.some((t) => t !== 'old'))
					wrong.push(`${userId(i)} (failed item) has ${tags.join(',')}`);
			} else if (!asked) wrong.push(`${userId(i)} has ${tags.join(',')}`);
			if (wrong.length > 10) break;
		}
		for (let i = 0; i < 100; i++) {
			const tags = users.get(`x${i}`)!.tags;
			if (tags.join() !== 'old') wrong.push(`x${i} (in no item) has ${tags.join(',')}`);
		}
		expect(wrong).toEqual([]);

		const counters = emu.state.counters;
		const log = emu.state.requestLog.filter((r) => r.command === 'add_tag');
		const sizes = log.map((r) => (parsedBody(r)?.UserTags as unknown[] | undefined)?.length ?? 0);
		expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
		expect(counters.invalidRequests).toBe(0);
		report(
			[
				`R1 tags: ${TAG_USERS.toLocaleString('en-US')} one-user items in ${seconds.toFixed(1)} s`,
				`  outputs: ${TAG_USERS - failed.size} successes, ${failed.size} error items (their users tagged anyway: ${failedButTagged}), ${lost.length} lost`,
				`  requests: ${log.length} (first attempts of ≤ 100 users: ${Math.ceil(TAG_USERS / 100)}); faults injected ${JSON.stringify(counters.faultsInjected)}`,
				`  real limit rejections ${counters.limitRejections}; invalid requests ${counters.invalidRequests}`,
				...[...failed]
					.slice(0, 3)
					.map((i) => `  error item ${i}: ${String(outputs[i][0].json.error)}`),
			].join('\n'),
		);
	},
	10 * 60_000,
);
