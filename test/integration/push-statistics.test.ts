/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * Push → Get Statistics, Push → Trace User, Push → Send with Wait for Report, and the trigger fed
 * by the emulator's real Push.AllMemberPush callbacks. The emulator runs on the real clock here:
 * deliveries settle over `deliveryDelayMs` while the node polls at Tencent's one request per second.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import {
	ACCEPTED,
	replayMemory,
} from '../../nodes/TencentChatPushTrigger/TencentChatPushTrigger.node';
import { callTrigger } from '../harness/webhook';
import {
	type Delivery,
	type LoggedRequest,
	type Task,
	attributeRows,
	errorText,
	sendParams,
	useEmulator,
} from './setup';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PLATFORMS } = require('../../emulator/platforms') as {
	PLATFORMS: Record<string, { code: number }>;
};

const ctx = useEmulator({ fixture: 'integration-push.json', config: { deliveryDelayMs: 1500 } });

const STATS = 'timpush/all_member_push_statistics';
const TRACE = 'timpush/all_member_push_trace';

interface Counts {
	totalCount: number;
	sentCount: number;
	deliveredCount: number;
	clickCount: number;
}

const sent = (d: Delivery) => d.sentAt !== null && d.sentAt !== undefined;
const deliveredBy = (d: Delivery, at: number) =>
	d.deliveredAt !== null && d.deliveredAt !== undefined && (d.deliveredAt as number) <= at;
const platformOf = (d: Delivery) =>
	d.channel === 'online' ? 0 : (PLATFORMS[d.platform as string]?.code ?? 0);
/** Tencent's PushPlatform names (docs/tencent-api.md#callbacks), written here independently of the node. */
const PLATFORM_NAMES: Record<number, string> = {
	1: 'APNs',
	2: 'Xiaomi',
	3: 'Huawei',
	4: 'FCM',
	5: 'Meizu',
	6: 'OPPO',
	7: 'vivo',
	8: 'Honor',
};
const channelOf = (d: Delivery) => (d.channel === 'online' ? 'online' : 'offline');

/** The figures a task's delivery records give at emulator time `at`, computed here from the records. */
function figuresFromRecords(
	deliveries: Delivery[],
	at: number,
): Counts & {
	platforms: Array<Counts & { pushPlatform: number; platform: string; channel: string }>;
} {
	const counts = (list: Delivery[]): Counts => ({
		totalCount: list.length,
		sentCount: list.filter(sent).length,
		deliveredCount: list.filter((d) => deliveredBy(d, at)).length,
		clickCount: list.filter((d) => d.clickedAt !== null && d.clickedAt !== undefined).length,
	});
	const keys = [...new Set(deliveries.map((d) => `${platformOf(d)}|${channelOf(d)}`))].sort(
		(a, b) => parseInt(a) - parseInt(b) || a.localeCompare(b),
	);
	return {
		...counts(deliveries),
		platforms: keys.map((key) => {
			const [code, channel] = [Number(key.split('|')[0]), key.split('|')[1]];
			const platform =
				code === 0 ? (channel === 'online' ? 'Online' : 'Unknown') : PLATFORM_NAMES[code];
			return {
				platform,
				pushPlatform: code,
				channel,
				...counts(deliveries.filter((d) => `${platformOf(d)}|${channelOf(d)}` === key)),
			};
		}),
	};
}

async function onlyTask(): Promise<Task> {
	const tasks = await ctx.tasks();
	expect(tasks).toHaveLength(1);
	return tasks[0];
}

/**
 * What Tencent's page requires of every statistics request (intl 1047/71894): StartTime and EndTime,
 * at most 30 days apart, and TaskID, a list of at most 5.
 */
function expectDocumentedShape(body: IDataObject | undefined) {
	expect(Object.keys(body ?? {}).sort()).toEqual(['EndTime', 'StartTime', 'TaskID']);
	const { StartTime, EndTime, TaskID } = body as {
		StartTime: number;
		EndTime: number;
		TaskID: string[];
	};
	expect(Number.isInteger(StartTime) && Number.isInteger(EndTime)).toBe(true);
	expect(EndTime).toBeGreaterThanOrEqual(StartTime);
	expect(EndTime - StartTime).toBeLessThanOrEqual(30 * 86_400);
	expect(Array.isArray(TaskID) && TaskID.length <= 5).toBe(true);
}

/** Arrival times of consecutive requests are more than a second apart (Tencent: 1/s). */
function expectPaced(requests: LoggedRequest[]) {
	for (let i = 1; i < requests.length; i++)
		expect(requests[i].time - requests[i - 1].time).toBeGreaterThan(1000);
	for (const request of requests) expect(request.errorCode).toBe(0);
}

const waitParams = (options: IDataObject, overrides: IDataObject = {}) =>
	sendParams({
		options: { waitForReport: true, reportTimeout: 20, reportQuietPeriod: 10, ...options },
		...overrides,
	});

describe('Send → Wait for Report', () => {
	test('polls once a second until every sent notification is delivered; the figures are the delivery records', async () => {
		const result = await ctx.run({ parameters: waitParams({}) });
		expect(result.error).toBeUndefined();
		const task = await onlyTask();
		const polls = await ctx.requests(STATS);
		expect(polls.length).toBeGreaterThanOrEqual(3);
		expectPaced(polls);
		for (const poll of polls) {
			expectDocumentedShape(poll.json);
			// From five minutes before the push to the poll, never into the future.
			expect(poll.json).toEqual({
				TaskID: [task.taskId],
				StartTime: expect.any(Number),
				EndTime: expect.any(Number),
			});
			// The window starts 300 s before the node sent the push (which Tencent received a moment later).
			expect(poll.json!.StartTime).toBeLessThanOrEqual(Math.floor(task.createdAt / 1000) - 300);
			expect(poll.json!.StartTime).toBeGreaterThanOrEqual(
				Math.floor(task.createdAt / 1000) - 300 - 10,
			);
			expect(poll.json!.EndTime).toBeLessThanOrEqual(Math.floor(poll.time / 1000));
			// EndTime is the node's clock when it built the poll; on a loaded machine the poll may
			// arrive seconds later.
			expect(poll.json!.EndTime).toBeGreaterThanOrEqual(Math.floor(poll.time / 1000) - 5);
		}

		const report = result.items[0].json.report as IDataObject;
		const lastPoll = polls[polls.length - 1];
		expect(report).toEqual({
			settled: true,
			settledBy: 'delivered',
			polls: polls.length,
			waitedSeconds: expect.any(Number),
			...figuresFromRecords(task.deliveries, lastPoll.time),
		});
		// Everyone was reached: 5 users online, 3 offline users and a RegistrationID by their vendors.
		expect(report).toMatchObject({ totalCount: 9, sentCount: 9, deliveredCount: 9, clickCount: 0 });
		expect(
			await ctx.introspect(`apps/${ctx.sdkAppId}/tasks/${task.taskId}/statistics`),
		).toMatchObject({
			TotalCount: 9,
			SentCount: 9,
			DeliveredCount: 9,
		});
		// Delivery ended 1.5 s after the push; the node saw it settle and confirmed it on the next poll.
		expect(polls[polls.length - 2].time).toBeGreaterThanOrEqual(task.createdAt + 1500);
		expect(result.items[0].json).toMatchObject({
			taskId: task.taskId,
			api: 'v4/timpush/push',
			attempts: 1,
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	test('stops at the Report Timeout with the figures so far, marked settled: false', async () => {
		ctx.emu.configure({ deliveryDelayMs: 60_000 });
		const result = await ctx.run({ parameters: waitParams({ reportTimeout: 2 }) });
		expect(result.error).toBeUndefined();
		const task = await onlyTask();
		const polls = await ctx.requests(STATS);
		expectPaced(polls);
		const report = result.items[0].json.report as IDataObject;
		expect(report).toMatchObject({
			settled: false,
			settledBy: 'timeout',
			polls: polls.length,
			...figuresFromRecords(task.deliveries, polls[polls.length - 1].time),
		});
		expect(report.sentCount).toBe(9);
		expect(report.deliveredCount as number).toBeLessThan(9);
		expect(report.waitedSeconds as number).toBeGreaterThanOrEqual(2);
	});

	test('settles as quiet when figures stop changing with nothing sent (offline users, offline push off)', async () => {
		const result = await ctx.run({
			parameters: waitParams(
				{ reportQuietPeriod: 1 },
				{
					audience: 'attributes',
					attributesAnd: attributeRows({ city: 'Beijing' }),
					additionalFields: { offlinePush: false },
				},
			),
		});
		expect(result.error).toBeUndefined();
		const task = await onlyTask();
		expect(task.deliveries.map((d) => d.userId).sort()).toEqual(['bob', 'frank']);
		expect(result.items[0].json.report).toMatchObject({
			settled: true,
			settledBy: 'quiet',
			totalCount: 2,
			sentCount: 0,
			deliveredCount: 0,
		});
		expect((await ctx.requests(STATS)).length).toBe(2);
	});

	test('a failing statistics request ends the wait with the error; the push output is kept', async () => {
		ctx.emu.faults.set(STATS, { sequence: ['91000', '91000'] });
		const result = await ctx.run({
			parameters: waitParams(
				{},
				{ options: { waitForReport: true, maxAttempts: 2, timeout: 5000 } },
			),
		});
		expect(result.error).toBeUndefined();
		const task = await onlyTask();
		expect(result.items[0].json.taskId).toBe(task.taskId);
		expect(result.items[0].json.report).toMatchObject({
			settled: false,
			settledBy: 'error',
			errorCode: 91000,
			polls: 0,
		});
	});

	test('is not offered for the legacy API, and the option does nothing there', async () => {
		const result = await ctx.run({
			parameters: waitParams({}, { api: 'legacy', message: 'text', messageText: 'Hi' }),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.report).toBeUndefined();
		expect(await ctx.requests(STATS)).toEqual([]);
	});
});

const statsParams = (overrides: IDataObject) => ({
	resource: 'push',
	operation: 'getStatistics',
	statisticsFilter: 'taskIds',
	taskIds: '',
	statisticsOutput: 'summary',
	options: {},
	...overrides,
});

describe('Get Statistics', () => {
	beforeEach(() => {
		ctx.emu.configure({ deliveryDelayMs: 0 });
	});

	/** Two pushes (a second apart): all users, and users tagged vip. */
	async function twoPushes(): Promise<Task[]> {
		const result = await ctx.run({
			parameters: sendParams({ audience: '={{ $json.audience }}', tagsAnd: '={{ $json.tags }}' }),
			items: [
				{ audience: 'all', tags: '' },
				{ audience: 'tags', tags: 'vip' },
			],
		});
		expect(result.error).toBeUndefined();
		const tasks = await ctx.tasks();
		expect(tasks).toHaveLength(2);
		return tasks;
	}

	test('by Task IDs: per-task figures equal the delivery records; unknown IDs are left out', async () => {
		const tasks = await twoPushes();
		const result = await ctx.run({
			parameters: statsParams({ taskIds: `${tasks[0].taskId}, ${tasks[1].taskId}, no-such-task` }),
		});
		expect(result.error).toBeUndefined();
		const [request] = await ctx.requests(STATS);
		expectDocumentedShape(request.json);
		expect(request.json).toMatchObject({
			TaskID: [tasks[0].taskId, tasks[1].taskId, 'no-such-task'],
		});
		// Task IDs alone: the last 30 days less an hour, ending at the request.
		expect((request.json!.EndTime as number) - (request.json!.StartTime as number)).toBe(
			30 * 86_400 - 3_600,
		);
		expect(Math.abs((request.json!.EndTime as number) - request.time / 1000)).toBeLessThan(5);

		const perTask = tasks.map((task) => ({
			taskId: task.taskId,
			...figuresFromRecords(task.deliveries, request.time),
		}));
		const all = figuresFromRecords([...tasks[0].deliveries, ...tasks[1].deliveries], request.time);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toEqual({
			...all,
			tasks: perTask,
			startTime: request.json!.StartTime,
			endTime: request.json!.EndTime,
			api: 'v4/timpush/all_member_push_statistics',
			requests: 1,
			attempts: 1,
		});
		expect(perTask.map((t) => t.totalCount)).toEqual([9, 3]); // vip: alice, bob, erin
	});

	test('One Item per Task: an item per push, each paired with its input item', async () => {
		const tasks = await twoPushes();
		const result = await ctx.run({
			parameters: statsParams({ taskIds: '={{ $json.ids }}', statisticsOutput: 'tasks' }),
			items: [{ ids: [tasks[1].taskId] }, { ids: tasks.map((t) => t.taskId) }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.taskId, item.pairedItem])).toEqual([
			[tasks[1].taskId, { item: 0 }],
			[tasks[0].taskId, { item: 1 }],
			[tasks[1].taskId, { item: 1 }],
		]);
		expectPaced(await ctx.requests(STATS));
	});

	test('by time range: date-times in any zone become the right Unix seconds', async () => {
		const tasks = await twoPushes();
		const now = DateTime.utc();
		// Start written in Shanghai local time without an offset (read in the Time Zone option);
		// End as New York time with its offset (read as written).
		const start = now
			.minus({ hours: 1 })
			.setZone('Asia/Shanghai')
			.toFormat("yyyy-MM-dd'T'HH:mm:ss");
		const end = now.plus({ hours: 1 }).setZone('America/New_York').toISO()!;
		const result = await ctx.run({
			parameters: statsParams({
				statisticsFilter: 'timeRange',
				startTime: start,
				endTime: end,
				options: { timeZone: 'Asia/Shanghai' },
			}),
		});
		expect(result.error).toBeUndefined();
		const [request] = await ctx.requests(STATS);
		// A time range alone asks for the app's overall figures: TaskID is an empty list.
		expect(request.json).toEqual({
			StartTime: Math.floor(now.minus({ hours: 1 }).toSeconds()),
			EndTime: Math.floor(now.plus({ hours: 1 }).toSeconds()),
			TaskID: [],
		});
		expect(result.items[0].json).toMatchObject({
			...figuresFromRecords([...tasks[0].deliveries, ...tasks[1].deliveries], request.time),
			totalCount: 12,
			startTime: request.json!.StartTime,
			endTime: request.json!.EndTime,
		});
	});

	test('Task IDs within a time range: a range before the pushes matches none', async () => {
		const tasks = await twoPushes();
		const result = await ctx.run({
			parameters: statsParams({
				statisticsFilter: 'both',
				taskIds: tasks[0].taskId,
				startTime: '2026-11-01T00:30:00',
				endTime: '2026-11-01T03:00:00',
				options: { timeZone: 'America/New_York' },
			}),
		});
		expect(result.error).toBeUndefined();
		const [request] = await ctx.requests(STATS);
		// 00:30 EDT (UTC−4) and 03:00 EST (UTC−5): the night the clocks go back.
		expect(request.json).toEqual({
			TaskID: [tasks[0].taskId],
			StartTime: Date.UTC(2026, 10, 1, 4, 30) / 1000,
			EndTime: Date.UTC(2026, 10, 1, 8, 0) / 1000,
		});
		expect(result.items[0].json).toMatchObject({ totalCount: 0, tasks: [] });
	});

	test('more than 5 Task IDs go in requests of 5, a second apart, each with the same window, and add up', async () => {
		const tasks = await twoPushes();
		const ids = [...Array.from({ length: 10 }, (_, i) => `unknown-${i}`), tasks[1].taskId];
		const result = await ctx.run({ parameters: statsParams({ taskIds: JSON.stringify(ids) }) });
		expect(result.error).toBeUndefined();
		const requests = await ctx.requests(STATS);
		expect(requests.map((r) => (r.json!.TaskID as string[]).length)).toEqual([5, 5, 1]);
		for (const request of requests) {
			expectDocumentedShape(request.json);
			expect([request.json!.StartTime, request.json!.EndTime]).toEqual([
				requests[0].json!.StartTime,
				requests[0].json!.EndTime,
			]);
		}
		expectPaced(requests);
		expect(result.items[0].json).toMatchObject({
			...figuresFromRecords(tasks[1].deliveries, requests[2].time),
			requests: 3,
		});
	});

	test('ranges beyond 30 days are refused before sending, not split; an empty Task ID list is refused too', async () => {
		const long = await ctx.run({
			parameters: statsParams({
				statisticsFilter: 'both',
				taskIds: 'a',
				startTime: '2026-10-01T00:00:00Z',
				endTime: '2026-10-31T00:00:01Z',
			}),
		});
		expect(errorText(long)).toContain('End Time: The time range spans more than 30 days');
		const exactly = await ctx.run({
			parameters: statsParams({
				statisticsFilter: 'both',
				taskIds: 'a',
				startTime: '2026-10-01T00:00:00Z',
				endTime: '2026-10-31T00:00:00Z',
			}),
		});
		expect(exactly.error).toBeUndefined();
		const none = await ctx.run({ parameters: statsParams({ taskIds: '[]' }) });
		expect(errorText(none)).toContain('Task IDs is empty');
		const requests = await ctx.requests(STATS);
		expect(requests).toHaveLength(1);
		expectDocumentedShape(requests[0].json);
	});

	test('invalid input is refused before sending; Dry Run shows the request', async () => {
		const refused = await ctx.run({
			parameters: statsParams({
				statisticsFilter: 'timeRange',
				startTime: '2026-11-01T00:00:00Z',
				endTime: '2026-12-15T00:00:00Z',
			}),
		});
		expect(errorText(refused)).toContain('End Time: The time range spans more than 30 days');
		const unreadable = await ctx.run({
			parameters: statsParams({
				statisticsFilter: 'timeRange',
				startTime: 'yesterday-ish',
				endTime: '2026-12-15T00:00:00Z',
			}),
		});
		expect(errorText(unreadable)).toContain("Start Time: 'yesterday-ish' cannot be read");
		const dry = await ctx.run({
			parameters: statsParams({ taskIds: 'a, b', options: { dryRun: true } }),
		});
		expect(dry.items[0].json).toMatchObject({
			dryRun: true,
			valid: true,
			request: { command: 'all_member_push_statistics', body: { TaskID: ['a', 'b'] } },
		});
		expectDocumentedShape((dry.items[0].json.request as IDataObject).body as IDataObject);
		expect(await ctx.apiRequestCount()).toBe(0);
	});
});

describe('Trace User', () => {
	test('the trace of a recipient, an empty one for anyone else', async () => {
		ctx.emu.configure({ deliveryDelayMs: 0 });
		await ctx.run({ parameters: sendParams() });
		const task = await onlyTask();
		const result = await ctx.run({
			parameters: {
				resource: 'push',
				operation: 'traceUser',
				traceTaskId: task.taskId,
				traceUserId: '={{ $json.user }}',
				options: {},
			},
			items: [{ user: 'alice' }, { user: 'nobody' }],
		});
		expect(result.error).toBeUndefined();
		const requests = await ctx.requests(TRACE);
		expect(requests.map((r) => r.json)).toEqual([
			{ TaskID: task.taskId, UserID: 'alice' },
			{ TaskID: task.taskId, UserID: 'nobody' },
		]);
		expectPaced(requests);
		const [alice, nobody] = result.items.map((item) => item.json);
		expect(alice).toMatchObject({
			taskId: task.taskId,
			userId: 'alice',
			found: true,
			api: 'v4/timpush/all_member_push_trace',
		});
		const [instance] = alice.instances as IDataObject[];
		// alice is online; Tencent's codes stay, their names sit next to them, PushTime stays text.
		expect(instance).toMatchObject({
			EventType: 2,
			PushPlatform: 0,
			platform: 'Online',
			channel: 'online',
		});
		expect(instance.PushTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
		expect(nobody).toMatchObject({ userId: 'nobody', found: false, instances: [] });
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('an empty User ID is refused before sending', async () => {
		const result = await ctx.run({
			parameters: {
				resource: 'push',
				operation: 'traceUser',
				traceTaskId: 'x',
				traceUserId: ' ',
				options: {},
			},
		});
		expect(errorText(result)).toContain('User ID: The User ID is empty');
		expect(await ctx.apiRequestCount()).toBe(0);
	});
});

describe("Trigger with the emulator's callbacks", () => {
	const TOKEN = 'integration-callback-token';
	let server: http.Server;
	let received: Array<{ items: IDataObject[]; status: number; response: unknown }> = [];
	let credential: IDataObject = {};

	beforeAll(async () => {
		// A stand-in for n8n's webhook endpoint: each call goes to the trigger's webhook() and back.
		server = http.createServer((req, res) => {
			let raw = '';
			req.on('data', (chunk) => (raw += chunk));
			req.on('end', async () => {
				const query = Object.fromEntries(new URL(req.url!, 'http://x').searchParams);
				const outcome = await callTrigger({ query, body: JSON.parse(raw) as unknown, credential });
				received.push({ items: outcome.items, status: outcome.status, response: outcome.body });
				res.writeHead(outcome.status, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify(outcome.body));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	});
	afterAll(async () => await new Promise<void>((resolve) => server.close(() => resolve())));
	beforeEach(() => {
		received = [];
		replayMemory.clear();
		credential = { sdkAppId: ctx.sdkAppId, callbackToken: TOKEN };
		ctx.emu.configure({
			deliveryDelayMs: 300,
			callbackToken: TOKEN,
			callbackRetries: 0,
			callbackUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/tencent-chat-push`,
		});
	});

	/** Waits until the emulator has had answers to callbacks carrying `events` events (real clock, 300 ms settling). */
	async function callbacksAnswered(events: number, status = 'delivered') {
		type Log = { callbacks: Array<{ status: string; events: unknown[] }> };
		const answered = async () =>
			(await ctx.introspect<Log>('callbacks')).callbacks
				.filter((b) => b.status === status)
				.reduce((n, b) => n + b.events.length, 0);
		for (let i = 0; i < 100 && (await answered()) < events; i++)
			await new Promise((resolve) => setTimeout(resolve, 50));
		expect(await answered()).toBe(events);
	}

	test('one item per delivered recipient, each the event Tencent posted (signed); Tencent gets OK', async () => {
		await ctx.run({ parameters: sendParams({ audience: 'tags', tagsAnd: 'vip' }) });
		const task = await onlyTask();
		await callbacksAnswered(3);
		const items = received.flatMap((r) => r.items);
		expect(items.map((item) => item.userId).sort()).toEqual(['alice', 'bob', 'erin']);
		for (const item of items) {
			expect(item).toMatchObject({
				event: 'All-member push result',
				taskId: task.taskId,
				succeeded: true,
				stage: 'reached',
				taskTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[-+]\d\d:\d\d$/),
				eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				raw: expect.objectContaining({
					CallbackCommand: 'Push.AllMemberPush',
					TaskId: task.taskId,
					ErrCode: 0,
					PushStage: 2,
				}),
			});
			const raw = item.raw as IDataObject;
			const delivery = task.deliveries.find((d) => d.userId === item.userId)!;
			expect(Date.parse(item.eventTime as string)).toBe((raw.EventTime as number) * 1000);
			expect(raw.EventType).toBe(delivery.online ? 2 : 1);
			expect(item.channel).toBe(channelOf(delivery));
			expect(raw.PushPlatform).toBe(platformOf(delivery));
			expect(item.platform).toBe(delivery.online ? 'Online' : PLATFORM_NAMES[platformOf(delivery)]);
		}
		const log = await ctx.introspect<{
			callbacks: Array<{ status: string; attempts: Array<{ response: unknown; url: string }> }>;
		}>('callbacks');
		expect(log.callbacks.length).toBeGreaterThan(0);
		for (const batch of log.callbacks) {
			expect(batch.status).toBe('delivered');
			expect(batch.attempts.map((a) => a.response)).toEqual([ACCEPTED]);
			expect(batch.attempts[0].url).toMatch(/[?&]Sign=[0-9a-f]{64}&RequestTime=\d+/);
		}
	});

	test("callbacks of another app are refused with Tencent's failure envelope and start nothing", async () => {
		credential = { sdkAppId: 1400999999, callbackToken: TOKEN };
		await ctx.run({ parameters: sendParams({ audience: 'tags', tagsAnd: 'ios' }) });
		await callbacksAnswered(2, 'failed'); // dave and erin
		expect(received.length).toBeGreaterThan(0);
		for (const r of received) {
			expect(r.items).toEqual([]);
			expect(r.status).toBe(403);
			expect(r.response).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 1 });
		}
	});

	test('callbacks signed with another token, or not signed, are refused and start nothing', async () => {
		ctx.emu.configure({ callbackToken: 'not-the-credential-token' });
		await ctx.run({ parameters: sendParams({ audience: 'tags', tagsAnd: 'ios' }) });
		await callbacksAnswered(2, 'failed');
		ctx.emu.configure({ callbackToken: '' });
		await new Promise((resolve) => setTimeout(resolve, 1100)); // the next push, a second later
		await ctx.run({
			parameters: sendParams({ audience: 'tags', tagsAnd: 'ios', notificationText: 'again' }),
		});
		await callbacksAnswered(4, 'failed');
		expect(received.length).toBeGreaterThanOrEqual(2);
		for (const r of received) {
			expect(r.items).toEqual([]);
			expect(r.status).toBe(401);
			expect(r.response).toMatchObject({
				ActionStatus: 'FAIL',
				ErrorCode: 1,
				ErrorInfo: expect.stringMatching(/Sign does not match|not signed/),
			});
		}
	});
});
