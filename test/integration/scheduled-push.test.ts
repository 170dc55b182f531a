/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * Scheduled Push (v4/timpush/*_sched_task) against the emulator on its manual clock, so that the
 * daylight-saving dates of the tests are always in the future: the emulator's clock starts at
 * 2026-10-20 00:00 UTC and the node's clock (helpers/pacing `clock`, which also decides what "in the
 * past" means) is moved to the same instant. Dispatch happens when a test advances the emulator's
 * clock. Each describe block has its own emulator, since a manual clock never goes back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { generateUserSig } from '../../credentials/userSig';
import { clock, resetLanes } from '../../nodes/TencentChatPush/helpers/pacing';
import { runNode, type RunOptions, type RunResult } from '../harness/engine';
import { type Emulator, FIXTURES_DIR, type LoggedRequest, type Task, errorText } from './setup';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulator } = require('../../emulator') as {
	startEmulator(options: IDataObject): Promise<Emulator & { callbacks: unknown }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PLATFORMS } = require('../../emulator/platforms') as {
	PLATFORMS: Record<string, { code: number }>;
};

const T0 = Date.UTC(2026, 9, 20, 0, 0, 0); // 2026-10-20 00:00:00 UTC
const HOUR = 3_600_000;
const NOTIFICATION = { Title: 'Sale', Desc: 'Starts now' };
const fixture = JSON.parse(
	fs.readFileSync(path.join(FIXTURES_DIR, 'integration-push.json'), 'utf8'),
) as { apps: IDataObject[] };
const APP = fixture.apps[0] as { sdkAppId: number; secretKey: string };

interface ManualContext {
	readonly emu: Emulator;
	credentials(): ICredentialDataDecryptedObject;
	run(options: Omit<RunOptions, 'credentials'>): Promise<RunResult>;
	requests(endpoint: string): Promise<LoggedRequest[]>;
	introspect<T = IDataObject>(route: string): Promise<T>;
	/** Signed API call straight to the emulator (to set up data faster than the node's pacing). */
	api(command: string, body: IDataObject): Promise<IDataObject>;
}

function manualEmulator(): ManualContext {
	jest.setTimeout(60_000);
	let emu: Emulator | undefined;
	const originalNow = clock.now;
	const current = () => {
		if (!emu) throw new Error('emulator not started');
		return emu;
	};
	beforeAll(async () => {
		emu = await startEmulator({
			host: '127.0.0.1',
			port: 0,
			fixture,
			config: { deliveryDelayMs: 0 },
			clock: { mode: 'manual', start: T0 },
		});
		const offset = T0 - Date.now();
		clock.now = () => Date.now() + offset;
	});
	afterAll(async () => {
		clock.now = originalNow;
		await emu?.stop();
		resetLanes();
	});
	beforeEach(async () => {
		await current().reset({ config: true });
		resetLanes();
	});
	const get = async <T>(route: string) =>
		(await (await fetch(`${current().url}/_emulator/${route}`)).json()) as T;
	const context: ManualContext = {
		get emu() {
			return current();
		},
		credentials: () => ({
			sdkAppId: APP.sdkAppId,
			region: 'custom',
			baseUrl: current().url,
			adminAccount: 'administrator',
			secretKey: APP.secretKey,
			userSigValidity: 86400,
		}),
		run: async (options) => await runNode({ ...options, credentials: context.credentials() }),
		async requests(endpoint) {
			const { requests } = await get<{ requests: LoggedRequest[] }>(
				`requests?endpoint=${encodeURIComponent(endpoint)}`,
			);
			return requests.map((r) => ({ ...r, json: JSON.parse(r.body) as IDataObject }));
		},
		introspect: get,
		async api(command, body) {
			const userSig = generateUserSig(
				{
					sdkAppId: APP.sdkAppId,
					identifier: 'administrator',
					secretKey: APP.secretKey,
					validitySeconds: 86400,
				},
				Math.floor(Date.now() / 1000),
			);
			const query = `sdkappid=${APP.sdkAppId}&identifier=administrator&usersig=${userSig}&random=${Math.floor(Math.random() * 2 ** 32)}&contenttype=json`;
			const response = await fetch(`${current().url}/v4/timpush/${command}?${query}`, {
				method: 'POST',
				body: JSON.stringify(body),
			});
			return (await response.json()) as IDataObject;
		},
	};
	return context;
}

const createParams = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'scheduledPush',
	operation: 'create',
	sendAt: '',
	audience: 'all',
	notificationTitle: NOTIFICATION.Title,
	notificationText: NOTIFICATION.Desc,
	message: 'none',
	additionalFields: {},
	options: {},
	...overrides,
});

const ref = (
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

interface SchedRecord extends IDataObject {
	taskId: number;
	status: string;
	schedAt: string;
	type: string;
	content: IDataObject;
}

describe('Create, Get, Update, Delete (emulator clock at 2026-10-20 00:00 UTC)', () => {
	const ctx = manualEmulator();

	/** Four tasks: all users in New York on the night clocks go back (before and inside the repeated hour), tags in Berlin, named users in Shanghai. */
	const ITEMS = [
		{
			audience: 'all',
			at: '2026-11-01T00:30:00',
			zone: 'America/New_York',
			expected: '2026-11-01 04:30:00',
		},
		{
			audience: 'all',
			at: '2026-11-01T01:30:00',
			zone: 'America/New_York',
			expected: '2026-11-01 06:30:00',
		},
		{
			audience: 'tags',
			tags: 'vip',
			at: '2026-10-25T02:30:00',
			zone: 'Europe/Berlin',
			expected: '2026-10-25 01:30:00',
		},
		{
			audience: 'users',
			accounts: 'alice, bob',
			at: '2026-11-01 09:00:00',
			zone: 'Asia/Shanghai',
			expected: '2026-11-01 01:00:00',
		},
	];

	/** Creates the four tasks; their TaskIDs (the emulator numbers tasks on across resets). */
	async function createFour(): Promise<number[]> {
		const { items } = await createFourRun();
		// taskId is text in every output, while Tencent's scheduled TaskID is an integer.
		for (const item of items) expect(item.json.taskId).toMatch(/^\d+$/);
		return items.map((item) => Number(item.json.taskId));
	}

	async function createFourRun(): Promise<RunResult> {
		const result = await ctx.run({
			parameters: createParams({
				sendAt: '={{ $json.at }}',
				audience: '={{ $json.audience }}',
				tagsAnd: '={{ $json.tags }}',
				schedAccounts: '={{ $json.accounts }}',
				options: { timeZone: '={{ $json.zone }}' },
			}),
			items: ITEMS,
		});
		expect(result.error).toBeUndefined();
		return result;
	}

	test("Send At in three zones across daylight-saving changes is sent as Tencent's UTC time; the bodies are exact", async () => {
		const result = await createFourRun();
		const taskIds = result.items.map((item) => Number(item.json.taskId));
		expect(taskIds[1] - taskIds[0]).toBe(1);
		const requests = await ctx.requests('timpush/add_sched_task');
		expect(requests.map((r) => r.errorCode)).toEqual([0, 0, 0, 0]);
		const bodies = requests.map((r) => r.json!);
		const msgRandoms = bodies.map((b) => (b.Content as IDataObject).MsgRandom);
		expect(bodies).toEqual([
			{
				Sdkappid: APP.sdkAppId,
				Type: 'All',
				SchedAt: ITEMS[0].expected,
				Content: { OfflinePushInfo: NOTIFICATION, MsgRandom: msgRandoms[0] },
			},
			{
				Sdkappid: APP.sdkAppId,
				Type: 'All',
				SchedAt: ITEMS[1].expected,
				Content: { OfflinePushInfo: NOTIFICATION, MsgRandom: msgRandoms[1] },
			},
			{
				Sdkappid: APP.sdkAppId,
				Type: 'Tag',
				SchedAt: ITEMS[2].expected,
				Content: {
					Condition: { TagsAnd: ['vip'] },
					OfflinePushInfo: NOTIFICATION,
					MsgRandom: msgRandoms[2],
				},
			},
			{
				Sdkappid: APP.sdkAppId,
				Type: 'User',
				SchedAt: ITEMS[3].expected,
				Content: {
					From_Account: 'administrator',
					To_Account: ['alice', 'bob'],
					OfflinePushInfo: NOTIFICATION,
					MsgRandom: msgRandoms[3],
				},
			},
		]);
		for (const m of msgRandoms) expect(Number.isInteger(m)).toBe(true);

		const { schedTasks } = await ctx.introspect<{ schedTasks: SchedRecord[] }>('sched-tasks');
		expect(schedTasks.map((t) => [t.taskId, t.type, t.schedAt, t.status])).toEqual([
			[taskIds[0], 'All', ITEMS[0].expected, 'pending'],
			[taskIds[1], 'All', ITEMS[1].expected, 'pending'],
			[taskIds[2], 'Tag', ITEMS[2].expected, 'pending'],
			[taskIds[3], 'User', ITEMS[3].expected, 'pending'],
		]);
		expect(result.items.map((item) => item.json)).toEqual(
			ITEMS.map((item, i) => ({
				taskId: String(taskIds[i]),
				type: ['All', 'All', 'Tag', 'User'][i],
				status: 'pending',
				sendAt: `${item.expected.replace(' ', 'T')}Z`,
				audience: ['all users', 'all users', 'users tagged with all of "vip"', '2 named accounts'][
					i
				],
				msgRandom: msgRandoms[i],
				api: 'v4/timpush/add_sched_task',
				attempts: 1,
			})),
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual(ITEMS.map((_, i) => ({ item: i })));
	});

	test('a luxon DateTime from an expression, with its own zone, needs no Time Zone', async () => {
		const result = await ctx.run({
			parameters: createParams({
				sendAt: "={{ DateTime.fromISO('2026-10-25T03:30:00', { zone: 'Europe/Berlin' }) }}",
				options: { timeZone: 'Asia/Tokyo' },
			}),
		});
		expect(result.error).toBeUndefined();
		const [request] = await ctx.requests('timpush/add_sched_task');
		expect(request.json!.SchedAt).toBe('2026-10-25 02:30:00'); // 03:30 CET
	});

	test('attributes, a message and the options of Send are reused for an all/tag task', async () => {
		const result = await ctx.run({
			parameters: createParams({
				sendAt: '2026-10-21T08:00:00Z',
				audience: 'attributes',
				attributesOr: { attribute: [{ name: 'city', value: 'Shenzhen' }] },
				message: 'text',
				messageText: 'Hi',
				additionalFields: {
					fromAccount: 'alice',
					onlineOnly: true,
					offlinePush: false,
					msgRandom: 42,
				},
			}),
		});
		expect(result.error).toBeUndefined();
		const [request] = await ctx.requests('timpush/add_sched_task');
		expect(request.json).toEqual({
			Sdkappid: APP.sdkAppId,
			Type: 'Tag',
			SchedAt: '2026-10-21 08:00:00',
			Content: {
				From_Account: 'alice',
				Condition: { AttrsOr: { city: 'Shenzhen' } },
				OnlineOnlyFlag: 1,
				MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'Hi' } }],
				OfflinePushInfo: { ...NOTIFICATION, PushFlag: 1 },
				MsgRandom: 42,
			},
		});
	});

	test("Get: the task in the node's names", async () => {
		const [, , tagTask] = await createFour();
		const result = await ctx.run({ parameters: ref('get', tagTask) });
		expect(result.error).toBeUndefined();
		const [add] = (await ctx.requests('timpush/add_sched_task')).slice(2, 3);
		expect(result.items[0].json).toEqual({
			taskId: String(tagTask),
			type: 'Tag',
			status: 'pending',
			sendAt: '2026-10-25T01:30:00Z',
			createdAt: '2026-10-20T00:00:00Z',
			title: 'Sale',
			text: 'Starts now',
			content: add.json!.Content,
			dispatchSuccess: 0,
			dispatchError: '',
			pushTaskId: '',
		});
		expect((await ctx.requests('timpush/get_sched_task')).map((r) => r.json)).toEqual([
			{ Sdkappid: APP.sdkAppId, TaskID: tagTask },
		]);
	});

	test('Update: a new Send At (read in its zone), then new content; Type comes from the task', async () => {
		const [, , tagTask] = await createFour();
		const moved = await ctx.run({
			parameters: ref('update', tagTask, {
				sendAt: '2026-10-25T03:30:00',
				updateContent: false,
				options: { timeZone: 'Europe/Berlin' },
			}),
		});
		expect(moved.error).toBeUndefined();
		expect(moved.items[0].json).toEqual({
			taskId: String(tagTask),
			updated: true,
			type: 'Tag',
			sendAt: '2026-10-25T02:30:00Z',
			contentUpdated: false,
			api: 'v4/timpush/modify_sched_task',
			attempts: 1,
		});
		const changed = await ctx.run({
			parameters: ref('update', tagTask, {
				sendAt: '',
				updateContent: true,
				audience: 'tags',
				tagsOr: 'ios, android',
				notificationTitle: 'New',
				notificationText: 'Text',
				message: 'none',
				additionalFields: {},
			}),
		});
		expect(changed.error).toBeUndefined();
		const modifies = (await ctx.requests('timpush/modify_sched_task')).map((r) => r.json!);
		expect(modifies[0]).toEqual({
			Sdkappid: APP.sdkAppId,
			TaskID: tagTask,
			Type: 'Tag',
			SchedAt: '2026-10-25 02:30:00',
		});
		expect(modifies[1]).toEqual({
			Sdkappid: APP.sdkAppId,
			TaskID: tagTask,
			Type: 'Tag',
			Content: {
				Condition: { TagsOr: ['ios', 'android'] },
				OfflinePushInfo: { Title: 'New', Desc: 'Text' },
				MsgRandom: expect.any(Number),
			},
		});
		const stored = await ctx.introspect<SchedRecord>(`sched-tasks/${tagTask}`);
		expect(stored).toMatchObject({
			schedAt: '2026-10-25 02:30:00',
			content: {
				Condition: { TagsOr: ['ios', 'android'] },
				OfflinePushInfo: { Title: 'New', Desc: 'Text' },
			},
		});
	});

	test('Update: another kind of audience is refused before modifying (90104); nothing to update too', async () => {
		const [, , tagTask] = await createFour();
		const result = await ctx.run({
			parameters: ref('update', tagTask, {
				updateContent: true,
				audience: 'all',
				notificationTitle: 'x',
				notificationText: 'y',
				message: 'none',
				additionalFields: {},
			}),
		});
		expect(result.error?.message).toBe(
			`Audience: task ${tagTask} is of Type Tag; the new content is for Type All (error 90104)`,
		);
		const nothing = await ctx.run({ parameters: ref('update', tagTask, { updateContent: false }) });
		expect(nothing.error?.message).toBe(
			'Nothing to update: give a new Send At, new content, or both',
		);
		expect(await ctx.requests('timpush/modify_sched_task')).toEqual([]);
	});

	test('Delete: reads the Type, deletes; the task is gone (Get then answers 90104)', async () => {
		const [allTask, , , userTask] = await createFour();
		const result = await ctx.run({
			parameters: ref('delete', '={{ $json.id }}'),
			items: [{ id: userTask }, { id: allTask }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			{
				taskId: String(userTask),
				deleted: true,
				type: 'User',
				api: 'v4/timpush/delete_sched_task',
				attempts: 1,
			},
			{
				taskId: String(allTask),
				deleted: true,
				type: 'All',
				api: 'v4/timpush/delete_sched_task',
				attempts: 1,
			},
		]);
		expect((await ctx.requests('timpush/delete_sched_task')).map((r) => r.json)).toEqual([
			{ Sdkappid: APP.sdkAppId, TaskID: userTask, Type: 'User' },
			{ Sdkappid: APP.sdkAppId, TaskID: allTask, Type: 'All' },
		]);
		const gone = await ctx.run({ parameters: ref('get', userTask) });
		expect(gone.error?.message).toBe(
			'Tencent error 90104: Scheduled task: invalid request parameters',
		);
		expect(gone.error?.description).toContain(`TaskID ${userTask} does not exist`);
	});

	test('a Send At in the past is refused before sending, naming 90104', async () => {
		const result = await ctx.run({ parameters: createParams({ sendAt: '2026-10-19T23:59:59Z' }) });
		expect(result.error?.message).toBe(
			'Send At 2026-10-19 23:59:59 UTC is not in the future (error 90104)',
		);
		expect(result.error?.description).toMatch(/It is now 2026-10-20 00:00:\d\d UTC/);
		const missing = await ctx.run({ parameters: createParams({ sendAt: '={{ $json.none }}' }) });
		expect(errorText(missing)).toContain('Send At is empty');
		expect(await ctx.requests('timpush/add_sched_task')).toEqual([]);
	});

	test('other problems are refused before sending with the field named; Dry Run shows the request', async () => {
		const noAccounts = await ctx.run({
			parameters: createParams({
				sendAt: '2026-10-21T00:00:00Z',
				audience: 'users',
				schedAccounts: '',
			}),
		});
		expect(noAccounts.error?.message).toBe('Accounts: Give at least one account (error 90001)');
		const badZone = await ctx.run({
			parameters: createParams({
				sendAt: '2026-10-21T00:00:00',
				options: { timeZone: 'Mars/Olympus' },
			}),
		});
		expect(badZone.error?.message).toBe(
			"Time Zone: 'Mars/Olympus' is not an IANA time zone such as Europe/Berlin",
		);
		const badId = await ctx.run({ parameters: ref('get', 'abc') });
		expect(badId.error?.message).toContain("Task ID: 'abc' is not a scheduled task ID");
		const dry = await ctx.run({
			parameters: createParams({ sendAt: '2026-10-21T00:00:00Z', options: { dryRun: true } }),
		});
		expect(dry.items[0].json).toMatchObject({
			dryRun: true,
			valid: true,
			request: {
				command: 'add_sched_task',
				body: { Sdkappid: APP.sdkAppId, Type: 'All', SchedAt: '2026-10-21 00:00:00' },
			},
		});
		expect(await ctx.requests('timpush/add_sched_task')).toEqual([]);
	});
});

describe('dispatch (the emulator clock moves on)', () => {
	const ctx = manualEmulator();

	test('a dispatched task can no longer be deleted (90106) or changed (90107); its push reports figures equal to its deliveries', async () => {
		const created = await ctx.run({
			parameters: createParams({
				sendAt: '={{ $json.at }}',
				audience: '={{ $json.audience }}',
				tagsAnd: '={{ $json.tags }}',
			}),
			items: [
				{ audience: 'tags', tags: 'vip', at: new Date(T0 + HOUR).toISOString() },
				{ audience: 'all', at: new Date(T0 + 3 * HOUR).toISOString() },
			],
		});
		expect(created.error).toBeUndefined();
		const [dueTask, laterTask] = created.items.map((item) => Number(item.json.taskId));
		ctx.emu.clock.advance(2 * HOUR); // the first is due, the second not yet

		const got = await ctx.run({
			parameters: ref('get', '={{ $json.id }}'),
			items: [{ id: dueTask }, { id: laterTask }],
		});
		expect(got.error).toBeUndefined();
		const [first, second] = got.items.map((item) => item.json);
		expect(first).toMatchObject({ status: 'dispatched', dispatchSuccess: 1, dispatchError: '' });
		expect(first.pushTaskId).not.toBe('');
		expect(second).toMatchObject({ status: 'pending', pushTaskId: '' });

		const deleted = await ctx.run({ parameters: ref('delete', dueTask) });
		expect(deleted.error?.message).toBe(
			`Scheduled task ${dueTask} cannot be deleted: it is dispatched, not pending (error 90106)`,
		);
		expect(deleted.error?.description).toContain(
			`The task became the push ${String(first.pushTaskId)}: use Push → Recall to stop it.`,
		);
		const updated = await ctx.run({
			parameters: ref('update', dueTask, {
				sendAt: new Date(T0 + 5 * HOUR).toISOString(),
				updateContent: false,
			}),
		});
		expect(updated.error?.message).toBe(
			`Scheduled task ${dueTask} cannot be updated: it is dispatched, not pending (error 90107)`,
		);
		expect(await ctx.requests('timpush/delete_sched_task')).toEqual([]);
		expect(await ctx.requests('timpush/modify_sched_task')).toEqual([]);

		// The emulator's clock is two hours ahead of the node's here, so the window is given explicitly.
		const stats = await ctx.run({
			parameters: {
				resource: 'push',
				operation: 'getStatistics',
				statisticsFilter: 'both',
				taskIds: first.pushTaskId,
				startTime: new Date(T0).toISOString(),
				endTime: new Date(T0 + 3 * HOUR).toISOString(),
				statisticsOutput: 'tasks',
				options: {},
			},
		});
		expect(stats.error).toBeUndefined();
		const task = await ctx.introspect<Task>(`tasks/${String(first.pushTaskId)}`);
		const platformOf = (d: IDataObject) =>
			d.channel === 'online' ? 0 : PLATFORMS[d.platform as string].code;
		expect(task.deliveries.map((d) => d.userId).sort()).toEqual(['alice', 'bob', 'erin']);
		expect(stats.items[0].json).toMatchObject({
			taskId: first.pushTaskId,
			totalCount: task.deliveries.length,
			sentCount: task.deliveries.filter((d) => d.sentAt !== null).length,
			deliveredCount: task.deliveries.filter((d) => d.deliveredAt !== null).length,
			clickCount: 0,
			platforms: [...new Set(task.deliveries.map(platformOf))]
				.sort((a, b) => a - b)
				.map((code) => expect.objectContaining({ pushPlatform: code })),
		});
	});

	test('a time the node thinks is ahead but Tencent does not is refused by Tencent: 90104 with its reason', async () => {
		// The emulator's clock is now 2 hours ahead of the node's.
		const result = await ctx.run({
			parameters: createParams({ sendAt: new Date(T0 + HOUR).toISOString() }),
		});
		expect(result.error?.message).toBe(
			'Tencent error 90104: Scheduled task: invalid request parameters',
		);
		expect(result.error?.description).toContain('is not in the future');
		expect(result.error?.description).toContain('(API v4/timpush/add_sched_task)');
	});
});

describe('Get Many: paging 250 tasks with Offset/Want', () => {
	const ctx = manualEmulator();
	const MINUTE = 60_000;
	const utc = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

	/** 250 tasks due one minute apart from T0 + 1 min, created straight through the API (no pacing). */
	async function seed250(): Promise<number[]> {
		ctx.emu.configure({ schedRatePerSecond: null } as never);
		const taskIds: number[] = [];
		for (let i = 0; i < 250; i++) {
			const answer = await ctx.api('add_sched_task', {
				Sdkappid: APP.sdkAppId,
				Type: 'All',
				SchedAt: utc(T0 + (i + 1) * MINUTE),
				Content: { OfflinePushInfo: { Title: `Task ${i}`, Desc: i % 2 ? 'odd' : 'even' } },
			});
			expect(answer.ErrorCode).toBe(0);
			taskIds.push(answer.TaskID as number);
		}
		ctx.emu.configure({ schedRatePerSecond: 5 });
		return taskIds;
	}

	const listParams = (overrides: IDataObject) => ({
		resource: 'scheduledPush',
		operation: 'getAll',
		returnAll: false,
		limit: 50,
		filters: { startTime: '2026-10-20T00:00:00Z', endTime: '2026-10-21T00:00:00Z' },
		sort: { orderBy: 'schedAt', ascending: true },
		options: {},
		...overrides,
	});

	test('Return All: pages of 100, 100 and 50, one item per task in Send At order', async () => {
		const ids = await seed250();
		const result = await ctx.run({ parameters: listParams({ returnAll: true }) });
		expect(result.error).toBeUndefined();
		const pages = await ctx.requests('timpush/list_sched_task');
		expect(pages.map((p) => p.json)).toEqual(
			[0, 100, 200].map((offset) => ({
				Sdkappid: APP.sdkAppId,
				OrderBy: 'schedAt',
				Asc: true,
				Offset: offset,
				Want: 100,
				BeginTime: '2026-10-20 00:00:00',
				EndTime: '2026-10-21 00:00:00',
			})),
		);
		expect(pages.map((p) => p.errorCode)).toEqual([0, 0, 0]);
		expect(result.items.map((item) => item.json.taskId)).toEqual(ids.map(String));
		expect(result.items[0].json).toMatchObject({
			type: 'All',
			status: 'pending',
			sendAt: '2026-10-20T00:01:00Z',
			title: 'Task 0',
		});
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(
			true,
		);
	});

	test('Limit 120: pages of 100 and 20; Limit 30 descending with a keyword: one page', async () => {
		const ids = await seed250();
		const limited = await ctx.run({ parameters: listParams({ limit: 120 }) });
		expect(limited.error).toBeUndefined();
		expect(limited.items.map((item) => item.json.taskId)).toEqual(ids.slice(0, 120).map(String));
		const pages = await ctx.requests('timpush/list_sched_task');
		expect(pages.map((p) => [p.json!.Offset, p.json!.Want])).toEqual([
			[0, 100],
			[100, 20],
		]);

		const odd = await ctx.run({
			parameters: listParams({
				limit: 30,
				sort: { orderBy: 'schedAt', ascending: false },
				filters: { ...listParams({}).filters, keyword: 'ODD' },
			}),
		});
		expect(odd.error).toBeUndefined();
		expect(odd.items.map((item) => item.json.taskId)).toEqual(
			Array.from({ length: 30 }, (_, i) => String(ids[249 - 2 * i])),
		);
		const last = (await ctx.requests('timpush/list_sched_task')).pop()!;
		expect(last.json).toMatchObject({ Offset: 0, Want: 30, Asc: false, Keyword: 'ODD' });
	});

	test('a range longer than 31 days is read in 31-day windows, latest first when descending', async () => {
		const ids = await seed250();
		const result = await ctx.run({
			parameters: listParams({
				returnAll: true,
				sort: {},
				// Created-at order (the default), newest first; 40 days around the tasks' creation.
				filters: { startTime: '2026-09-30T00:00:00', endTime: '2026-11-09T00:00:00' },
				options: { timeZone: 'Asia/Shanghai' },
			}),
		});
		expect(result.error).toBeUndefined();
		const pages = await ctx.requests('timpush/list_sched_task');
		expect(
			pages.map((p) => [
				p.json!.BeginTime,
				p.json!.EndTime,
				p.json!.Offset,
				p.json!.OrderBy,
				p.json!.Asc,
			]),
		).toEqual([
			['2026-10-30 16:00:00', '2026-11-08 16:00:00', 0, 'createAt', false],
			['2026-09-29 16:00:00', '2026-10-30 15:59:59', 0, 'createAt', false],
			['2026-09-29 16:00:00', '2026-10-30 15:59:59', 100, 'createAt', false],
			['2026-09-29 16:00:00', '2026-10-30 15:59:59', 200, 'createAt', false],
		]);
		// All were created at the same instant: Tencent's tie order (TaskID, descending here).
		expect(result.items.map((item) => item.json.taskId)).toEqual([...ids].reverse().map(String));
	});
});
