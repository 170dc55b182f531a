/**
 * Delivery guarantees against the emulator at Tencent's documented MsgRandom window (1 s):
 * - scheduled tasks, recalls and pushes to named users whose answer was lost: reconciled with
 *   Tencent, or failed as "outcome unknown" for exactly the items concerned;
 * - the Idempotency Key: once per key within one execution, across executions (static data, this
 *   process's memory, n8n's deduplication store), with concurrent executions, and after a failure.
 */
import type { IDataObject } from 'n8n-workflow';

import { resetIdempotencyMemory } from '../../nodes/TencentChatPush/helpers/idempotencyKey';
import { installDeduplicationStore, type TestDeduplicationStore } from '../harness/engine';
import { errorText, sendParams, sendToUsersParams, useEmulator } from './setup';

const ctx = useEmulator({
	fixture: 'integration-push.json',
	bulkUsers: { prefix: 'u', count: 700 },
});

let store: TestDeduplicationStore;
beforeAll(async () => {
	store = await installDeduplicationStore();
});
beforeEach(() => {
	resetIdempotencyMemory();
	store.clear();
});

const tomorrow = () =>
	new Date(Date.now() + 24 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const createParams = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'scheduledPush',
	operation: 'create',
	sendAt: tomorrow(),
	audience: 'tags',
	tagsOr: 'vip',
	tagsAnd: '',
	notificationTitle: 'Sale',
	notificationText: 'Starts tomorrow',
	message: 'none',
	additionalFields: {},
	options: {},
	...overrides,
});

const taskRef = (
	operation: string,
	taskId: IDataObject[string],
	overrides: IDataObject = {},
): IDataObject => ({
	resource: 'scheduledPush',
	operation,
	schedTaskId: taskId,
	options: {},
	...overrides,
});

const schedTasks = async () =>
	(await ctx.introspect<{ schedTasks: IDataObject[] }>('sched-tasks')).schedTasks;

async function createTask(): Promise<number> {
	const created = await ctx.run({ parameters: createParams() });
	expect(errorText(created).trim()).toBe('');
	return created.items[0].json.taskId as number;
}

describe('Scheduled Push after a lost answer: Tencent is asked, never re-sent blindly', () => {
	test('Create, answer lost after processing: the task is found by list_sched_task and used', async () => {
		ctx.emu.faults.set('timpush/add_sched_task', { sequence: ['502-after'] });
		const result = await ctx.run({ parameters: createParams() });
		expect(errorText(result).trim()).toBe('');
		const tasks = await schedTasks();
		expect(tasks).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			taskId: String(tasks[0].taskId),
			confirmedAfterUnknown: true,
		});
		expect(await ctx.requests('timpush/add_sched_task')).toHaveLength(1);
		expect((await ctx.requests('timpush/list_sched_task')).length).toBeGreaterThanOrEqual(1);
	});

	test('Create, reset before processing: not found, so Stop fails the item as unknown and creates nothing', async () => {
		ctx.emu.faults.set('timpush/add_sched_task', { sequence: ['reset'] });
		const result = await ctx.run({ parameters: createParams() });
		expect(result.error?.message).toMatch(
			/^Outcome unknown: the scheduled task may have been created \(MsgRandom \d+, sent /,
		);
		expect(result.error?.description).toContain(
			'It was not among the tasks list_sched_task showed right after',
		);
		expect(result.error?.description).toContain('Scheduled Push → Get Many');
		expect(await schedTasks()).toEqual([]);
		expect(await ctx.requests('timpush/add_sched_task')).toHaveLength(1);
	});

	test('Create, reset before processing, Send Again: looked for, not found, created once', async () => {
		ctx.emu.faults.set('timpush/add_sched_task', { sequence: ['reset'] });
		const result = await ctx.run({
			parameters: createParams({ options: { onUnknownOutcome: 'sendAgain' } }),
		});
		expect(errorText(result).trim()).toBe('');
		expect(result.items[0].json).toMatchObject({ sentAgainAfterUnknown: true });
		expect(await schedTasks()).toHaveLength(1);
	});

	test("Create, two equal items whose answers were lost: each adopts its own task, never the other's", async () => {
		ctx.emu.faults.set('timpush/add_sched_task', { sequence: ['reset-after', 'reset-after'] });
		const result = await ctx.run({ parameters: createParams(), items: [{ n: 1 }, { n: 2 }] });
		expect(errorText(result).trim()).toBe('');
		const tasks = await schedTasks();
		expect(tasks).toHaveLength(2);
		expect(new Set(result.items.map((i) => i.json.taskId))).toEqual(
			new Set(tasks.map((t) => String(t.taskId))),
		);
	});

	test('Update, answer lost after processing: the task already shows the change, confirmed', async () => {
		const taskId = await createTask();
		ctx.emu.faults.set('timpush/modify_sched_task', { sequence: ['reset-after'] });
		const later = new Date(Date.now() + 48 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		const result = await ctx.run({
			parameters: taskRef('update', taskId, { sendAt: later, updateContent: false }),
		});
		expect(errorText(result).trim()).toBe('');
		expect(result.items[0].json).toMatchObject({
			taskId,
			updated: true,
			confirmedAfterUnknown: true,
		});
		expect(await ctx.requests('timpush/modify_sched_task')).toHaveLength(1);
	});

	test('Update, reset before processing: read back without the change and pending, so sent once more', async () => {
		const taskId = await createTask();
		ctx.emu.faults.set('timpush/modify_sched_task', { sequence: ['reset'] });
		const later = new Date(Date.now() + 48 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		const result = await ctx.run({
			parameters: taskRef('update', taskId, { sendAt: later, updateContent: false }),
		});
		expect(errorText(result).trim()).toBe('');
		expect(result.items[0].json).toMatchObject({ taskId, updated: true, attempts: 2 });
		expect(result.items[0].json.confirmedAfterUnknown).toBeUndefined();
		const [task] = await schedTasks();
		expect(task.schedAt).toBe(later.replace('T', ' ').replace('Z', ''));
	});

	test('Delete, answer lost after processing: the task is gone, confirmed', async () => {
		const taskId = await createTask();
		ctx.emu.faults.set('timpush/delete_sched_task', { sequence: ['502-after'] });
		const result = await ctx.run({ parameters: taskRef('delete', taskId) });
		expect(errorText(result).trim()).toBe('');
		expect(result.items[0].json).toMatchObject({
			taskId,
			deleted: true,
			confirmedAfterUnknown: true,
		});
		expect(await schedTasks()).toEqual([]);
		expect(await ctx.requests('timpush/delete_sched_task')).toHaveLength(1);
	});

	test('Delete, reset before processing: still pending, so deleted with a second request', async () => {
		const taskId = await createTask();
		ctx.emu.faults.set('timpush/delete_sched_task', { sequence: ['reset'] });
		const result = await ctx.run({ parameters: taskRef('delete', taskId) });
		expect(errorText(result).trim()).toBe('');
		expect(result.items[0].json).toMatchObject({ taskId, deleted: true });
		expect(await schedTasks()).toEqual([]);
		expect(await ctx.requests('timpush/delete_sched_task')).toHaveLength(2);
	});
});

describe('Recall after a lost answer', () => {
	async function pushed(): Promise<string> {
		const result = await ctx.run({ parameters: sendParams() });
		expect(errorText(result).trim()).toBe('');
		return result.items[0].json.taskId as string;
	}
	const recall = (taskId: string) => ({
		resource: 'push',
		operation: 'recall',
		taskId,
		overwriteTitle: 'Withdrawn',
		overwriteText: 'Sorry',
		options: {},
	});

	test('answer lost after the recall: sent again, 90050 (already recalled) confirms it', async () => {
		const taskId = await pushed();
		ctx.emu.faults.set('timpush/revoke', { sequence: ['reset-after'] });
		const result = await ctx.run({ parameters: recall(taskId) });
		expect(errorText(result).trim()).toBe('');
		expect(result.items[0].json).toMatchObject({
			taskId,
			recalled: true,
			confirmedAfterUnknown: true,
			attempts: 2,
		});
		expect((await ctx.requests('timpush/revoke')).map((r) => r.errorCode)).toEqual([0, 90050]);
	});

	test('reset before the recall was processed: sent again and recalled', async () => {
		const taskId = await pushed();
		ctx.emu.faults.set('timpush/revoke', { sequence: ['reset'] });
		const result = await ctx.run({ parameters: recall(taskId) });
		expect(errorText(result).trim()).toBe('');
		expect(result.items[0].json).toMatchObject({ taskId, recalled: true, attempts: 2 });
		expect(result.items[0].json.confirmedAfterUnknown).toBeUndefined();
		expect((await ctx.task(taskId)).status).toBe('revoked');
	});

	test('a first recall answered 90050 is still an error: nothing was unknown', async () => {
		const taskId = await pushed();
		expect(errorText(await ctx.run({ parameters: recall(taskId) })).trim()).toBe('');
		const again = await ctx.run({ parameters: recall(taskId) });
		expect(again.error?.message).toMatch(/^Tencent error 90050: /);
	});
});

describe('Send to Users: an unknown outcome affects exactly the items of that request', () => {
	test("700 one-account items in requests of 500 (Advanced edition): the first request's answer is lost", async () => {
		const accounts = Array.from({ length: 700 }, (_, i) => `u${String(i + 1).padStart(4, '0')}`);
		ctx.emu.configure({ batchUserRatePerSecond: 800 });
		ctx.emu.faults.set('timpush/batch', { sequence: ['reset-after', 'ok'] });
		const result = await ctx.run({
			credentials: ctx.credentials({ pushEdition: 'advanced' }),
			parameters: sendToUsersParams({ toAccounts: '={{ $json.user }}' }),
			items: accounts.map((user) => ({ user })),
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(700);
		const requests = await ctx.requests('timpush/batch');
		expect(requests).toHaveLength(2);
		const first = new Set(requests[0].json!.To_Account as string[]);
		expect(first.size).toBe(500);
		for (const [index, item] of result.items.entries()) {
			const account = accounts[index];
			expect(item.pairedItem).toEqual({ item: index });
			if (first.has(account)) {
				expect(item.json).toMatchObject({
					outcome: 'unknown',
					accounts: [account],
					msgRandom: requests[0].json!.MsgRandom,
					api: 'v4/timpush/batch',
				});
				expect(String(item.json.error)).toMatch(/^Outcome unknown: the push may have gone out/);
				expect(String(item.json.description)).toContain(`Accounts: '${account}'.`);
			} else {
				expect(item.json).toMatchObject({ delivered: [account], taskIds: [requests[1].taskId] });
			}
		}
	});
});

describe('Idempotency Key', () => {
	// Every item pushes to all users with the same content: allowRepeats keeps the all-user guard from merging them.
	const keyed = (options: IDataObject = {}) =>
		sendParams({
			options: { idempotencyKey: '={{ $json.eventId }}', allowRepeats: true, ...options },
		});

	test('the same key twice in one execution: one push, the second item returns its TaskId with duplicate: true', async () => {
		const result = await ctx.run({
			parameters: keyed(),
			items: [{ eventId: 'order-1' }, { eventId: 'order-1' }, { eventId: 'order-2' }],
			mode: 'webhook',
		});
		expect(errorText(result).trim()).toBe('');
		expect(await ctx.requests('timpush/push')).toHaveLength(2);
		const [first, second, third] = result.items.map((i) => i.json);
		expect(first).toMatchObject({ idempotencyKey: 'order-1', duplicate: false });
		expect(second).toMatchObject({
			taskId: first.taskId,
			idempotencyKey: 'order-1',
			duplicate: true,
			acceptedAt: expect.any(String),
		});
		expect(third).toMatchObject({ idempotencyKey: 'order-2', duplicate: false });
	});

	test('a later execution, as n8n loads it from its database: kept in static data, not sent again', async () => {
		const first = await ctx.run({
			parameters: keyed(),
			items: [{ eventId: 'evt-7' }],
			mode: 'webhook',
		});
		expect(errorText(first).trim()).toBe('');
		const keys = (first.staticData['node:Tencent Chat Push'] as IDataObject)
			.idempotencyKeys as IDataObject;
		expect(Object.keys(keys)).toHaveLength(1);
		// A restart: this process forgets, n8n's store is empty; only the static data remains.
		resetIdempotencyMemory();
		store.clear();
		const second = await ctx.run({
			parameters: keyed(),
			items: [{ eventId: 'evt-7' }],
			mode: 'webhook',
			staticData: first.staticData,
		});
		expect(errorText(second).trim()).toBe('');
		expect(second.items[0].json).toMatchObject({
			taskId: first.items[0].json.taskId,
			duplicate: true,
		});
		expect(await ctx.requests('timpush/push')).toHaveLength(1);
	});

	test('older than the window: sent again', async () => {
		const first = await ctx.run({
			parameters: keyed({ idempotencyWindowHours: 1 }),
			items: [{ eventId: 'evt-old' }],
			mode: 'webhook',
		});
		const saved = first.staticData['node:Tencent Chat Push'] as {
			idempotencyKeys: Record<string, { t: number }>;
		};
		for (const entry of Object.values(saved.idempotencyKeys)) entry.t -= 2 * 3_600_000;
		resetIdempotencyMemory();
		store.clear();
		const second = await ctx.run({
			parameters: keyed({ idempotencyWindowHours: 1 }),
			items: [{ eventId: 'evt-old' }],
			mode: 'webhook',
			staticData: first.staticData,
		});
		expect(second.items[0].json).toMatchObject({ duplicate: false });
		expect(await ctx.requests('timpush/push')).toHaveLength(2);
	});

	test('two executions at the same time in one process: one push, the other waits and returns it', async () => {
		const [a, b] = await Promise.all([
			ctx.run({
				parameters: keyed(),
				items: [{ eventId: 'evt-race' }],
				mode: 'webhook',
				executionId: 'race-a',
			}),
			ctx.run({
				parameters: keyed(),
				items: [{ eventId: 'evt-race' }],
				mode: 'webhook',
				executionId: 'race-b',
			}),
		]);
		expect(await ctx.requests('timpush/push')).toHaveLength(1);
		const outputs = [a.items[0].json, b.items[0].json];
		expect(outputs.filter((o) => o.duplicate === true)).toHaveLength(1);
		expect(outputs[0].taskId).toBe(outputs[1].taskId);
	});

	test("n8n's Retry after a restart: only n8n's deduplication store remembers the pushed items", async () => {
		ctx.emu.faults.set('timpush/push', { sequence: ['ok', 'ok', 'ok', 'ok', '91000'] });
		const events = Array.from({ length: 5 }, (_, i) => ({ eventId: `evt-${i}` }));
		const failed = await ctx.run({
			parameters: keyed({ maxAttempts: 1 }),
			items: events,
			mode: 'webhook',
		});
		expect(failed.error?.message).toMatch(/^Tencent error 91000/);
		expect(await ctx.tasks()).toHaveLength(4);
		// n8n's Retry runs with the static data stored with the failed execution (none), in a new process.
		resetIdempotencyMemory();
		const retried = await ctx.run({
			parameters: keyed({ maxAttempts: 1 }),
			items: events,
			mode: 'retry',
		});
		expect(errorText(retried).trim()).toBe('');
		expect(retried.items.map((i) => i.json.duplicate)).toEqual([true, true, true, true, false]);
		expect(retried.items[0].json).toMatchObject({ taskId: null });
		expect(await ctx.tasks()).toHaveLength(5);
	});

	test('an earlier attempt with an unknown outcome stops the key, unless On Unknown Outcome is Send Again', async () => {
		ctx.emu.faults.set('timpush/push', { sequence: ['reset-after'] });
		const first = await ctx.run({
			parameters: keyed(),
			items: [{ eventId: 'evt-lost' }],
			mode: 'webhook',
		});
		expect(first.error?.message).toMatch(/^Outcome unknown: /);
		const second = await ctx.run({
			parameters: keyed(),
			items: [{ eventId: 'evt-lost' }],
			mode: 'webhook',
			staticData: first.staticData,
		});
		expect(second.error?.message).toBe(
			"Idempotency Key 'evt-lost': an earlier attempt with this key has an unknown outcome",
		);
		expect(await ctx.requests('timpush/push')).toHaveLength(1);
		const third = await ctx.run({
			parameters: keyed({ onUnknownOutcome: 'sendAgain' }),
			items: [{ eventId: 'evt-lost' }],
			mode: 'webhook',
			staticData: first.staticData,
		});
		expect(errorText(third).trim()).toBe('');
		expect(third.items[0].json).toMatchObject({ duplicate: false });
		expect(await ctx.requests('timpush/push')).toHaveLength(2);
	});

	test('manual runs are kept apart from production runs', async () => {
		await ctx.run({ parameters: keyed(), items: [{ eventId: 'evt-manual' }], mode: 'webhook' });
		const manual = await ctx.run({
			parameters: keyed(),
			items: [{ eventId: 'evt-manual' }],
			mode: 'manual',
		});
		expect(manual.items[0].json).toMatchObject({ duplicate: false });
		const again = await ctx.run({
			parameters: keyed(),
			items: [{ eventId: 'evt-manual' }],
			mode: 'manual',
		});
		expect(again.items[0].json).toMatchObject({ duplicate: true });
		expect(await ctx.requests('timpush/push')).toHaveLength(2);
	});

	test('Send to Users: a key seen in an earlier item of the run, or an earlier run, is not sent again', async () => {
		const params = sendToUsersParams({
			toAccounts: '={{ $json.user }}',
			options: { idempotencyKey: '={{ $json.eventId }}' },
		});
		const items = [
			{ user: 'alice', eventId: 'e1' },
			{ user: 'bob', eventId: 'e2' },
			{ user: 'alice', eventId: 'e1' },
		];
		const first = await ctx.run({ parameters: params, items, mode: 'webhook' });
		expect(errorText(first).trim()).toBe('');
		const requests = await ctx.requests('timpush/batch');
		expect(requests).toHaveLength(1);
		expect(requests[0].json!.To_Account).toEqual(['alice', 'bob']);
		expect(first.items[2].json).toMatchObject({
			duplicate: true,
			sameKeyAsItem: 0,
			taskIds: first.items[0].json.taskIds,
		});
		const second = await ctx.run({ parameters: params, items: items.slice(0, 2), mode: 'webhook' });
		expect(second.items.map((i) => i.json.duplicate)).toEqual([true, true]);
		// A repeat from an earlier run has the keys of a first send, with its own item's accounts.
		expect(second.items[1].json).toMatchObject({
			taskIds: first.items[1].json.taskIds,
			msgRandoms: first.items[1].json.msgRandoms,
			accounts: ['bob'],
			accountCount: 1,
		});
		expect(await ctx.requests('timpush/batch')).toHaveLength(1);
	});

	test('Scheduled Push → Create: the earlier TaskID comes back', async () => {
		const params = createParams({ options: { idempotencyKey: 'campaign-42' } });
		const first = await ctx.run({ parameters: params, mode: 'webhook' });
		const second = await ctx.run({
			parameters: params,
			mode: 'webhook',
			staticData: first.staticData,
		});
		expect(second.items[0].json).toMatchObject({
			taskId: first.items[0].json.taskId,
			duplicate: true,
		});
		expect(await schedTasks()).toHaveLength(1);
	});
});
