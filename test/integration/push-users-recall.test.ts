/**
 * Push → Send to Users (v4/timpush/batch: pooling and splitting into requests of 500, unknown
 * accounts, DataId) and Push → Recall (v4/timpush/revoke).
 */
import {
	bulkIds,
	errorText,
	recipients,
	sendParams,
	sendToUsersParams,
	useEmulator,
} from './setup';

const ctx = useEmulator({
	fixture: 'integration-push.json',
	bulkUsers: { prefix: 'u', count: 1200 },
});

const NOTIFICATION = { Title: 'Hello', Desc: 'World' };

/** The standard edition (500 users/s) on both sides: the node sends 450 a second. */
const standard = () => {
	ctx.emu.configure({ batchUserRatePerSecond: 500 });
	return ctx.credentials({ pushEdition: 'standard' });
};

describe('Send to Users', () => {
	test('1,200 accounts in one item make 3 batch requests of 450, 450 and 300 (standard edition)', async () => {
		const accounts = bulkIds('u', 1200);
		const result = await ctx.run({
			parameters: sendToUsersParams({ toAccounts: JSON.stringify(accounts) }),
			credentials: standard(),
		});
		expect(result.error).toBeUndefined();

		const requests = await ctx.requests('timpush/batch');
		expect(requests.map((r) => (r.json!.To_Account as string[]).length)).toEqual([450, 450, 300]);
		expect(requests.flatMap((r) => r.json!.To_Account as string[])).toEqual(accounts);
		for (const request of requests) {
			expect(request.errorCode).toBe(0);
			expect(request.json).toEqual({
				From_Account: 'administrator',
				OfflinePushInfo: NOTIFICATION,
				To_Account: request.json!.To_Account,
				MsgRandom: request.json!.MsgRandom,
			});
		}

		const tasks = await ctx.tasks();
		expect(tasks.map((t) => t.deliveries.length)).toEqual([450, 450, 300]);
		expect(tasks.flatMap(recipients).sort()).toEqual(accounts);

		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[0].json).toEqual({
			taskIds: tasks.map((t) => t.taskId),
			api: 'v4/timpush/batch',
			msgRandoms: requests.map((r) => r.json!.MsgRandom),
			accounts,
			accountCount: 1200,
			delivered: accounts,
			failed: [],
			attempts: 1,
		});
	});

	test('one account per item: 520 items are pooled into 2 requests of at most 500 (advanced edition), each item gets its own outcome', async () => {
		const accounts = bulkIds('u', 520);
		ctx.emu.configure({ batchUserRatePerSecond: 800 });
		const result = await ctx.run({
			parameters: sendToUsersParams({ toAccounts: '={{ $json.userId }}' }),
			items: accounts.map((userId) => ({ userId })),
			credentials: ctx.credentials({ pushEdition: 'advanced' }),
		});
		expect(result.error).toBeUndefined();

		const requests = await ctx.requests('timpush/batch');
		expect(requests.map((r) => (r.json!.To_Account as string[]).length)).toEqual([500, 20]);
		const tasks = await ctx.tasks();
		expect(tasks).toHaveLength(2);

		expect(result.items).toHaveLength(520);
		result.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({
				taskIds: [tasks[i < 500 ? 0 : 1].taskId],
				msgRandoms: [requests[i < 500 ? 0 : 1].json!.MsgRandom],
				accounts: [accounts[i]],
				accountCount: 1,
				delivered: [accounts[i]],
				failed: [],
			});
		});
	});

	test('unknown accounts (70107) are reported by name; the others receive the push', async () => {
		const result = await ctx.run({
			parameters: sendToUsersParams({ toAccounts: 'alice, ghost-1, bob, 幽灵' }),
		});
		expect(result.error).toBeUndefined();

		const [request] = await ctx.requests('timpush/batch');
		expect(request.json!.To_Account).toEqual(['alice', 'ghost-1', 'bob', '幽灵']);
		const [task] = await ctx.tasks();
		expect(recipients(task)).toEqual(['alice', 'bob']);

		expect(result.items[0].json).toMatchObject({
			delivered: ['alice', 'bob'],
			failed: [
				{ account: 'ghost-1', errorCode: 70107, error: expect.stringMatching(/does not exist/) },
				{ account: '幽灵', errorCode: 70107, error: expect.stringMatching(/does not exist/) },
			],
		});
	});

	test('an item whose accounts are all unknown fails by name; pooled items keep their own outcome (Continue On Fail)', async () => {
		const result = await ctx.run({
			parameters: sendToUsersParams({ toAccounts: '={{ $json.userId }}' }),
			items: [{ userId: 'alice' }, { userId: 'ghost-9' }, { userId: 'carol' }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(await ctx.requests('timpush/batch')).toHaveLength(1);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json.delivered).toEqual(['alice']);
		expect(result.items[1].json).toMatchObject({ errorCode: 70107 });
		expect(`${result.items[1].json.error} ${result.items[1].json.description}`).toContain(
			'ghost-9',
		);
		expect(result.items[2].json.delivered).toEqual(['carol']);
	});

	test('a request whose accounts are all unknown fails the node, naming the accounts', async () => {
		const result = await ctx.run({
			parameters: sendToUsersParams({ toAccounts: 'ghost-1, ghost-2' }),
		});
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toContain('70107');
		expect(errorText(result)).toContain("'ghost-1'");
		expect(errorText(result)).toContain("'ghost-2'");
		// Not retried: one request.
		expect(await ctx.requests('timpush/batch')).toHaveLength(1);
	});

	test('Data ID and From Account are sent and recorded with the task', async () => {
		const result = await ctx.run({
			parameters: sendToUsersParams({
				toAccounts: 'carol, erin',
				additionalFields: { dataId: 'campaign-2025-春季', fromAccount: 'alice' },
			}),
		});
		expect(result.error).toBeUndefined();
		const [request] = await ctx.requests('timpush/batch');
		expect(request.json).toEqual({
			From_Account: 'alice',
			OfflinePushInfo: NOTIFICATION,
			DataId: 'campaign-2025-春季',
			To_Account: ['carol', 'erin'],
			MsgRandom: (result.items[0].json.msgRandoms as number[])[0],
		});
		const [task] = await ctx.tasks();
		expect(task.content.dataId).toBe('campaign-2025-春季');
		expect(task.fromAccount).toBe('alice');
		expect(recipients(task)).toEqual(['carol', 'erin']);
	});
});

describe('Recall', () => {
	test('a push, then its recall with an overwrite notification', async () => {
		const pushed = await ctx.run({
			parameters: sendParams({ audience: 'tags', tagsAnd: 'vip', tagsOr: '' }),
		});
		expect(pushed.error).toBeUndefined();
		const taskId = pushed.items[0].json.taskId as string;

		const recalled = await ctx.run({
			parameters: {
				resource: 'push',
				operation: 'recall',
				taskId: '={{ $json.taskId }}',
				overwriteTitle: '撤回',
				overwriteText: 'This message was withdrawn',
				overwriteExt: '{"recalled":true}',
				options: {},
			},
			items: [{ taskId }],
		});
		expect(recalled.error).toBeUndefined();

		const [request] = await ctx.requests('timpush/revoke');
		expect(request.errorCode).toBe(0);
		expect(request.json).toEqual({
			TaskId: taskId,
			OfflinePushInfo: {
				Title: '撤回',
				Desc: 'This message was withdrawn',
				Ext: '{"recalled":true}',
			},
		});
		const task = await ctx.task(taskId);
		expect(task.status).toBe('revoked');
		expect(task.revokeOfflinePushInfo).toEqual(request.json!.OfflinePushInfo);
		expect(task.deliveries.every((d) => d.revoked)).toBe(true);

		expect(recalled.items).toEqual([
			{
				json: { taskId, recalled: true, overwritten: true, api: 'v4/timpush/revoke', attempts: 1 },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('an unknown TaskId is a clear 90049 error, not retried', async () => {
		const result = await ctx.run({
			parameters: {
				resource: 'push',
				operation: 'recall',
				taskId: 'no-such-task',
				overwriteText: 'Withdrawn',
				options: {},
			},
		});
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe('Tencent error 90049: Invalid TaskId: no push record');
		expect(result.error?.description).toMatch(/Check the TaskId/);
		const requests = await ctx.requests('timpush/revoke');
		expect(requests).toHaveLength(1);
		expect(requests[0].json).toEqual({
			TaskId: 'no-such-task',
			OfflinePushInfo: { Desc: 'Withdrawn' },
		});
	});

	test('every recall request carries OfflinePushInfo; without a text nothing is sent', async () => {
		const pushed = await ctx.run({
			parameters: sendParams({ audience: 'tags', tagsAnd: 'vip', tagsOr: '' }),
		});
		const taskId = pushed.items[0].json.taskId as string;
		const refused = await ctx.run({
			parameters: {
				resource: 'push',
				operation: 'recall',
				taskId,
				overwriteTitle: 'Only a title',
				overwriteText: ' ',
				options: {},
			},
		});
		expect(errorText(refused)).toContain(
			'Notification Text: The overwrite notification needs a text (error 90053)',
		);
		// An empty required field: n8n itself refuses to run the node.
		await expect(
			ctx.run({ parameters: { resource: 'push', operation: 'recall', taskId, options: {} } }),
		).rejects.toThrow(/"Notification Text" is required/);
		expect(await ctx.requests('timpush/revoke')).toEqual([]);

		const recalled = await ctx.run({
			parameters: {
				resource: 'push',
				operation: 'recall',
				taskId,
				overwriteText: 'Gone',
				options: { maxAttempts: 1 },
			},
		});
		expect(recalled.error).toBeUndefined();
		const requests = await ctx.requests('timpush/revoke');
		expect(requests.map((r) => r.json!.OfflinePushInfo)).toEqual([{ Desc: 'Gone' }]);
	});
});
