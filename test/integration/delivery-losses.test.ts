/**
 * Push → Get Delivery Losses (v4/timpush/all_member_push_loss, trtc.io/document/71895): the request
 * Tencent documents (StartTime, EndTime at most 7 days apart, TaskID at most 5, all required), and
 * one output item per task with the losses the emulator recorded: devices without a token (lost
 * before sending) and tokens the vendor refused (lost after sending).
 */
import type { IDataObject } from 'n8n-workflow';

import { errorText, sendParams, useEmulator } from './setup';

const ctx = useEmulator({ fixture: 'integration-push.json', config: { deliveryDelayMs: 0 } });

const LOSS = 'timpush/all_member_push_loss';

const lossParams = (overrides: IDataObject) => ({
	resource: 'push',
	operation: 'getDeliveryLosses',
	statisticsFilter: 'taskIds',
	taskIds: '',
	options: {},
	...overrides,
});

/** bob never uploaded a token; dave's APNs token and frank's (hashed) vendor token were refused. */
async function breakDevices() {
	await ctx.introspect('apps/1400700001/users/bob', { pushToken: 'missing' });
	await ctx.introspect('apps/1400700001/users/dave', { pushToken: 'invalid', platform: 'iOS' });
	await ctx.introspect('apps/1400700001/users/frank', { pushToken: 'invalid', platform: 'Huawei' });
}

function expectDocumentedShape(body: IDataObject | undefined) {
	expect(Object.keys(body ?? {}).sort()).toEqual(['EndTime', 'StartTime', 'TaskID']);
	const { StartTime, EndTime, TaskID } = body as {
		StartTime: number;
		EndTime: number;
		TaskID: string[];
	};
	expect(EndTime - StartTime).toBeLessThanOrEqual(7 * 86_400);
	expect(EndTime).toBeGreaterThanOrEqual(StartTime);
	expect(TaskID.length).toBeLessThanOrEqual(5);
}

test('one item per task: losses before and after sending, by reason and platform, readable in one line', async () => {
	await breakDevices();
	const pushed = await ctx.run({ parameters: sendParams() });
	const taskId = pushed.items[0].json.taskId as string;
	const result = await ctx.run({ parameters: lossParams({ taskIds: `${taskId}, unknown-task` }) });
	expect(result.error).toBeUndefined();

	const [request] = await ctx.requests(LOSS);
	expectDocumentedShape(request.json);
	expect(request.json!.TaskID).toEqual([taskId, 'unknown-task']);
	// Task IDs alone: the last 7 days less an hour, ending at the request.
	expect((request.json!.EndTime as number) - (request.json!.StartTime as number)).toBe(
		7 * 86_400 - 3_600,
	);

	expect(result.items.map((item) => [item.json.taskId, item.pairedItem])).toEqual([
		[taskId, { item: 0 }],
		['unknown-task', { item: 0 }],
	]);
	expect(result.items[0].json).toEqual({
		taskId,
		found: true,
		lostBeforeSending: 1,
		lostAfterSending: 2,
		lost: 3,
		reasons:
			'1 × token not uploaded (-2, before sending); 1 × regid_invalid (1, after sending); 1 × Unregistered (410, after sending)',
		beforeSending: [{ errorCode: '-2', reason: 'token not uploaded', count: 1 }],
		afterSending: [
			{ errorCode: '1', reason: 'regid_invalid', count: 1 },
			{ errorCode: '410', reason: 'Unregistered', count: 1 },
		],
		platforms: [
			expect.objectContaining({
				stage: 'before sending',
				channel: 'offline',
				errorCode: '-2',
				count: 1,
			}),
			{
				stage: 'after sending',
				platform: 'APNs',
				pushPlatform: 1,
				channel: 'offline',
				errorCode: '410',
				reason: 'Unregistered',
				count: 1,
			},
			{
				stage: 'after sending',
				platform: 'Huawei',
				pushPlatform: 3,
				channel: 'offline',
				errorCode: '1',
				reason: 'regid_invalid',
				count: 1,
			},
		],
		startTime: request.json!.StartTime,
		endTime: request.json!.EndTime,
		api: 'v4/timpush/all_member_push_loss',
		attempts: 1,
	});
	expect(result.items[1].json).toMatchObject({
		taskId: 'unknown-task',
		found: false,
		lost: 0,
		reasons: 'no losses reported',
	});
});

test('more than 5 Task IDs go in requests of 5, a second apart; a time range alone gives the overall losses', async () => {
	await breakDevices();
	const pushed = await ctx.run({ parameters: sendParams() });
	const taskId = pushed.items[0].json.taskId as string;
	const ids = [...Array.from({ length: 6 }, (_, i) => `other-${i}`), taskId];
	const many = await ctx.run({ parameters: lossParams({ taskIds: JSON.stringify(ids) }) });
	expect(many.error).toBeUndefined();
	const requests = await ctx.requests(LOSS);
	expect(requests.map((r) => (r.json!.TaskID as string[]).length)).toEqual([5, 2]);
	for (const r of requests) expectDocumentedShape(r.json);
	expect(requests[1].time - requests[0].time).toBeGreaterThan(1000);
	expect(many.items.map((item) => item.json.taskId)).toEqual(ids);
	expect(many.items[6].json.lost).toBe(3);

	const now = Date.now();
	const overall = await ctx.run({
		parameters: lossParams({
			statisticsFilter: 'timeRange',
			startTime: new Date(now - 3_600_000).toISOString(),
			endTime: new Date(now + 60_000).toISOString(),
		}),
	});
	expect(overall.error).toBeUndefined();
	const last = (await ctx.requests(LOSS)).at(-1)!;
	expect(last.json).toMatchObject({ TaskID: [] });
	expect(overall.items).toHaveLength(1);
	expect(overall.items[0].json).toMatchObject({
		taskId: null,
		lostBeforeSending: 1,
		lostAfterSending: 2,
	});
});

test('a range beyond 7 days is refused before sending, naming the field; Dry Run shows the request', async () => {
	const refused = await ctx.run({
		parameters: lossParams({
			statisticsFilter: 'both',
			taskIds: 'a',
			startTime: '2026-11-01T00:00:00Z',
			endTime: '2026-11-08T00:00:01Z',
		}),
	});
	expect(errorText(refused)).toContain(
		'End Time: The time range spans more than 7 days, the most Tencent reports at once',
	);
	const dry = await ctx.run({
		parameters: lossParams({ taskIds: 'a, b', options: { dryRun: true } }),
	});
	expect(dry.items[0].json).toMatchObject({
		dryRun: true,
		valid: true,
		request: { command: 'all_member_push_loss', body: { TaskID: ['a', 'b'] } },
	});
	expect(await ctx.apiRequestCount()).toBe(0);
});
