/**
 * Scheduled pushes and statistics without a server: date-time conversion (time zones, both
 * daylight-saving changes), the request schemas of validation/, the field labels of their problems,
 * the statistics reader, and the pacing lanes of the new endpoints.
 */
import { DateTime } from 'luxon';

import { taskLossesOf } from '../../nodes/TencentChatPush/actions/push/getDeliveryLosses.operation';
import {
	RateLane,
	SpacedLane,
	resetLanes,
	schedLane,
	statisticsLane,
} from '../../nodes/TencentChatPush/helpers/pacing';
import {
	parseDateTime,
	tencentUtcToIso,
	toTencentUtc,
	toUnixSeconds,
} from '../../nodes/TencentChatPush/helpers/time';
import { mergeStatistics, statisticsOf } from '../../nodes/TencentChatPush/shared/statistics';
import { recentWindow } from '../../nodes/TencentChatPush/shared/taskReport';
import { LIMITS } from '../../nodes/TencentChatPush/validation/limits';
import {
	addSchedTaskSchema,
	isSchedTime,
	listSchedTaskSchema,
	modifySchedTaskSchema,
	schedTaskRefSchema,
} from '../../nodes/TencentChatPush/validation/scheduling';
import {
	lossSchema,
	statisticsSchema,
	traceSchema,
} from '../../nodes/TencentChatPush/validation/statistics';
import { findProblems, formatProblem } from '../../nodes/TencentChatPush/validation/validate';

/** Tencent's scheduled-task time of a value read in `zone`. */
function utc(value: unknown, zone: string): string {
	const parsed = parseDateTime(value, zone);
	if (!(parsed instanceof DateTime)) throw new Error(`not parsed: ${String(parsed)}`);
	return toTencentUtc(parsed);
}

describe('date-times → Tencent UTC', () => {
	test.each([
		// America/New_York, clocks go back on 2026-11-01 at 02:00 EDT → 01:00 EST.
		['2026-11-01T00:30:00', 'America/New_York', '2026-11-01 04:30:00'], // EDT (UTC−4)
		['2026-11-01T01:30:00', 'America/New_York', '2026-11-01 06:30:00'], // occurs twice: the second (EST)
		['2026-11-01T01:30:00-04:00', 'America/New_York', '2026-11-01 05:30:00'], // the first, by its offset
		['2026-11-01T03:00:00', 'America/New_York', '2026-11-01 08:00:00'], // EST (UTC−5)
		// Europe/Berlin, clocks go back on 2026-10-25 at 03:00 CEST → 02:00 CET.
		['2026-10-25T01:30:00', 'Europe/Berlin', '2026-10-24 23:30:00'], // CEST (UTC+2)
		['2026-10-25T02:30:00', 'Europe/Berlin', '2026-10-25 01:30:00'], // occurs twice: the second (CET)
		['2026-10-25T03:30:00', 'Europe/Berlin', '2026-10-25 02:30:00'], // CET (UTC+1)
		// Asia/Shanghai: no daylight saving, UTC+8 all year.
		['2026-11-01T09:00:00', 'Asia/Shanghai', '2026-11-01 01:00:00'],
		['2026-07-01T00:00:00', 'Asia/Shanghai', '2026-06-30 16:00:00'],
		// Clocks go forward: New York 2027-03-14 02:00 EST → 03:00 EDT; 02:30 does not exist.
		['2027-03-14T01:30:00', 'America/New_York', '2027-03-14 06:30:00'],
		['2027-03-14T02:30:00', 'America/New_York', '2027-03-14 07:30:00'], // moved forward to 03:30 EDT
		['2027-03-14T03:30:00', 'America/New_York', '2027-03-14 07:30:00'],
	])('%s in %s is %s UTC', (value, zone, expected) => {
		expect(utc(value, zone)).toBe(expected);
	});

	test('an offset or Z in the value wins over the zone', () => {
		expect(utc('2026-11-01T09:00:00+08:00', 'America/New_York')).toBe('2026-11-01 01:00:00');
		expect(utc('2026-11-01T09:00:00Z', 'Asia/Shanghai')).toBe('2026-11-01 09:00:00');
		expect(utc('2026-10-25T02:30:00+02:00', 'Asia/Shanghai')).toBe('2026-10-25 00:30:00');
	});

	test('SQL-style, RFC 2822, luxon DateTime, Date, Unix seconds and milliseconds are read', () => {
		expect(utc('2026-11-01 09:00:00', 'Asia/Shanghai')).toBe('2026-11-01 01:00:00');
		expect(utc('Sun, 01 Nov 2026 09:00:00 +0800', 'UTC')).toBe('2026-11-01 01:00:00');
		expect(
			utc(DateTime.fromISO('2026-11-01T01:30:00', { zone: 'America/New_York' }), 'Asia/Shanghai'),
		).toBe('2026-11-01 06:30:00');
		expect(utc(new Date(Date.UTC(2026, 10, 1, 1, 0, 0)), 'Europe/Berlin')).toBe(
			'2026-11-01 01:00:00',
		);
		expect(utc(1793494800, 'Europe/Berlin')).toBe('2026-11-01 01:00:00');
		expect(utc(1793494800000, 'Europe/Berlin')).toBe('2026-11-01 01:00:00');
		expect(utc('1793494800', 'Europe/Berlin')).toBe('2026-11-01 01:00:00');
	});

	test('milliseconds are truncated to the second', () => {
		expect(utc('2026-11-01T01:00:00.999Z', 'UTC')).toBe('2026-11-01 01:00:00');
		expect(toUnixSeconds(parseDateTime('2026-11-01T01:00:00.999Z', 'UTC') as DateTime)).toBe(
			1793494800,
		);
	});

	test('empty values are undefined; unreadable ones give a reason', () => {
		expect(parseDateTime('', 'UTC')).toBeUndefined();
		expect(parseDateTime('  ', 'UTC')).toBeUndefined();
		expect(parseDateTime(null, 'UTC')).toBeUndefined();
		expect(parseDateTime('next tuesday', 'UTC')).toMatch(/not a date and time/);
		expect(parseDateTime('2026-02-30T10:00:00', 'UTC')).toMatch(/not a date and time/);
		expect(parseDateTime({ a: 1 }, 'UTC')).toMatch(/object/);
		expect(parseDateTime(new Date('nope'), 'UTC')).toMatch(/invalid Date/);
	});

	test('Tencent times read back as ISO UTC', () => {
		expect(tencentUtcToIso('2026-11-01 06:30:00')).toBe('2026-11-01T06:30:00Z');
		expect(tencentUtcToIso('')).toBe('');
		expect(tencentUtcToIso(undefined)).toBe('');
	});

	test('isSchedTime accepts only real times in the exact format', () => {
		expect(isSchedTime('2026-11-01 06:30:00')).toBe(true);
		expect(isSchedTime('2028-02-29 23:59:59')).toBe(true);
		expect(isSchedTime('2027-02-29 10:00:00')).toBe(false);
		expect(isSchedTime('2026-11-01T06:30:00')).toBe(false);
		expect(isSchedTime('2026-11-01 6:30:00')).toBe(false);
		expect(isSchedTime('2026-11-01 24:00:00')).toBe(false);
	});
});

const problems = (schema: Parameters<typeof findProblems>[0], body: object) =>
	findProblems(schema, body as never).map(formatProblem);

describe('scheduled-task schemas', () => {
	const notification = { OfflinePushInfo: { Title: 'Hi', Desc: 'There' } };
	const add = (overrides: object) => ({
		Sdkappid: 1400000000,
		Type: 'All',
		SchedAt: '2027-01-01 00:00:00',
		Content: { ...notification, MsgRandom: 1 },
		...overrides,
	});

	test('valid All, Tag and User tasks pass', () => {
		expect(problems(addSchedTaskSchema, add({}))).toEqual([]);
		expect(
			problems(
				addSchedTaskSchema,
				add({
					Type: 'Tag',
					Content: { ...notification, MsgRandom: 1, Condition: { TagsOr: ['vip'] } },
				}),
			),
		).toEqual([]);
		expect(
			problems(
				addSchedTaskSchema,
				add({
					Type: 'Tag',
					Content: { ...notification, MsgRandom: 1, Condition: { AttrsAnd: { city: 'Shenzhen' } } },
				}),
			),
		).toEqual([]);
		expect(
			problems(
				addSchedTaskSchema,
				add({
					Type: 'User',
					Content: { ...notification, MsgRandom: 1, From_Account: 'admin', To_Account: ['alice'] },
				}),
			),
		).toEqual([]);
	});

	test('Type and Condition must agree; Content follows the push rules with its fields named', () => {
		expect(
			problems(
				addSchedTaskSchema,
				add({ Content: { ...notification, MsgRandom: 1, Condition: { TagsOr: ['vip'] } } }),
			),
		).toEqual(['Audience: An all-users task takes no audience condition (error 90104)']);
		expect(problems(addSchedTaskSchema, add({ Type: 'Tag' }))).toEqual([
			'Audience: A tag or attribute task needs an audience condition (error 90104)',
		]);
		expect(
			problems(
				addSchedTaskSchema,
				add({
					Type: 'Tag',
					Content: { ...notification, MsgRandom: 1, Condition: { TagsOr: ['x'.repeat(51)] } },
				}),
			),
		).toEqual([
			"Tags (Any Of): Tag 'xxxxxxxxxxxxxxxxxxxxxxxx…' is 51 bytes; Tencent allows 50 (error 90020)",
		]);
		const tooMany = Array.from({ length: LIMITS.accountsPerBatchPush + 1 }, (_, i) => `u${i}`);
		expect(
			problems(
				addSchedTaskSchema,
				add({
					Type: 'User',
					Content: { ...notification, MsgRandom: 1, From_Account: 'admin', To_Account: tooMany },
				}),
			),
		).toEqual(['Accounts: At most 500 accounts per request']);
		expect(problems(addSchedTaskSchema, add({ Content: { MsgRandom: 1 } }))).toEqual([
			'Notification and Message: Nothing to push: give a notification (title or text) or a message (error 90002)',
		]);
	});

	test('Send At, Sdkappid and Type are checked (90104)', () => {
		expect(
			problems(
				addSchedTaskSchema,
				add({ SchedAt: '2027-01-01T00:00:00Z', Sdkappid: '1400000000', Type: 'Everyone' }),
			),
		).toEqual([
			'SDKAppID (Credential): Sdkappid must be the SDKAppID of the credential (error 90104)',
			'Audience: Type must be All, Tag or User (error 90104)',
			'Send At: Send At must be a UTC time written YYYY-MM-DD HH:MM:SS (error 90104)',
		]);
	});

	test('a content over 10,000 bytes is refused', () => {
		const big = { OfflinePushInfo: { Title: 'Hi', Desc: 'd'.repeat(10_000) }, MsgRandom: 1 };
		expect(problems(addSchedTaskSchema, add({ Content: big }))[0]).toMatch(
			/^Notification and Message: The push content is 10,\d{3} bytes; Tencent allows 10,000 \(error 90104\)$/,
		);
	});

	test('modify needs something to change; get/delete need a positive Task ID', () => {
		expect(problems(modifySchedTaskSchema, { Sdkappid: 1, TaskID: 5, Type: 'All' })).toEqual([
			'Nothing to update: give a new Send At, new content, or both',
		]);
		expect(
			problems(modifySchedTaskSchema, {
				Sdkappid: 1,
				TaskID: 5,
				Type: 'All',
				SchedAt: '2027-01-01 00:00:00',
			}),
		).toEqual([]);
		expect(problems(schedTaskRefSchema, { Sdkappid: 1, TaskID: 0 })).toEqual([
			'Task ID: The Task ID must be positive (error 90104)',
		]);
		expect(problems(schedTaskRefSchema, { Sdkappid: 1, TaskID: 1.5, Type: 'User' })).toEqual([
			'Task ID: The Task ID must be a whole number (error 90104)',
		]);
	});

	test('list pages: Want at most 100, a window of at most 31 days, Begin before End', () => {
		const list = (overrides: object) => ({
			Sdkappid: 1,
			Offset: 0,
			Want: 100,
			OrderBy: 'createAt',
			Asc: true,
			BeginTime: '2026-10-01 00:00:00',
			EndTime: '2026-11-01 00:00:00',
			...overrides,
		});
		expect(problems(listSchedTaskSchema, list({}))).toEqual([]);
		expect(problems(listSchedTaskSchema, list({ Want: 101 }))).toEqual([
			'Limit: At most 100 tasks per page (error 90104)',
		]);
		expect(problems(listSchedTaskSchema, list({ EndTime: '2026-11-01 00:00:01' }))).toEqual([
			'End Time: A page covers at most 31 days (error 90104)',
		]);
		expect(problems(listSchedTaskSchema, list({ BeginTime: '2026-11-02 00:00:00' }))).toEqual([
			'Start Time: Start Time is later than End Time (error 90104)',
		]);
	});
});

describe('statistics, delivery loss and trace schemas', () => {
	const range = { StartTime: 1_000_000, EndTime: 1_000_000 + 86_400 };

	test('statistics: StartTime, EndTime and TaskID are all required; at most 5 Task IDs; at most 30 days', () => {
		expect(problems(statisticsSchema, { TaskID: ['a'], ...range })).toEqual([]);
		expect(problems(statisticsSchema, { TaskID: [], StartTime: 0, EndTime: 30 * 86_400 })).toEqual(
			[],
		);
		expect(problems(statisticsSchema, { TaskID: ['a', 'b', 'c', 'd', 'e'], ...range })).toEqual([]);
		// The shape the node used to send: Task IDs alone.
		expect(problems(statisticsSchema, { TaskID: ['a'] })).toEqual([
			'Start Time: Start Time must be a Unix time in seconds',
			'End Time: End Time must be a Unix time in seconds',
		]);
		expect(problems(statisticsSchema, range)).toEqual([
			'Task ID: Task IDs must be a list (an empty list asks for overall figures)',
		]);
		expect(
			problems(statisticsSchema, { TaskID: ['a', 'b', 'c', 'd', 'e', 'f'], ...range }),
		).toEqual(['Task ID: At most 5 Task IDs per request']);
		expect(problems(statisticsSchema, { TaskID: [], StartTime: 5, EndTime: 4 })).toEqual([
			'Start Time: Start Time is later than End Time',
		]);
		expect(
			problems(statisticsSchema, { TaskID: [], StartTime: 0, EndTime: 30 * 86_400 + 1 }),
		).toEqual([
			'End Time: The time range spans more than 30 days, the most Tencent reports at once',
		]);
		expect(problems(statisticsSchema, { TaskID: [' '], ...range })).toEqual([
			'Task ID: A Task ID is empty',
		]);
	});

	test('delivery losses: the same fields, at most 7 days', () => {
		expect(problems(lossSchema, { TaskID: ['a'], StartTime: 0, EndTime: 7 * 86_400 })).toEqual([]);
		expect(problems(lossSchema, { TaskID: [], StartTime: 0, EndTime: 7 * 86_400 + 1 })).toEqual([
			'End Time: The time range spans more than 7 days, the most Tencent reports at once',
		]);
		expect(
			problems(lossSchema, { TaskID: Array.from({ length: 6 }, (_, i) => `t${i}`), ...range }),
		).toEqual(['Task ID: At most 5 Task IDs per request']);
		expect(LIMITS.statisticsTaskIdsPerRequest).toBe(5);
	});

	test('trace needs both a Task ID and a User ID', () => {
		expect(problems(traceSchema, { TaskID: 't', UserID: 'alice' })).toEqual([]);
		expect(problems(traceSchema, { TaskID: '', UserID: '' })).toEqual([
			'Task ID: The Task ID is empty',
			'User ID: The User ID is empty',
		]);
	});
});

describe('statistics reader', () => {
	const row = (
		eventType: number,
		platform: number,
		total: number,
		sent: number,
		delivered: number,
		clicks: number,
	) => ({
		EventType: eventType,
		PushPlatform: platform,
		TotalCount: total,
		SentCount: sent,
		DeliveredCount: delivered,
		ClickCount: clicks,
	});
	const counts = (total: number, sent: number, delivered: number, clicks: number) => ({
		TotalCount: total,
		SentCount: sent,
		DeliveredCount: delivered,
		ClickCount: clicks,
	});

	test("reads Tencent's documented Results[] in the node's names, with platform and channel names", () => {
		// The example answer of intl.cloud.tencent.com/document/product/1047/71894.
		const statistics = statisticsOf({
			ActionStatus: 'OK',
			ErrorCode: 0,
			ErrorInfo: 'sucess',
			Results: [
				{
					TaskID: 'xxx-yyy-zzz',
					...counts(2670, 2213, 532, 206),
					PlatformStatistics: [row(1, 1, 532, 391, 0, 27)],
				},
			],
		});
		const apns = {
			platform: 'APNs',
			pushPlatform: 1,
			channel: 'offline',
			totalCount: 532,
			sentCount: 391,
			deliveredCount: 0,
			clickCount: 27,
		};
		expect(statistics).toEqual({
			totalCount: 2670,
			sentCount: 2213,
			deliveredCount: 532,
			clickCount: 206,
			platforms: [apns],
			tasks: [
				{
					taskId: 'xxx-yyy-zzz',
					totalCount: 2670,
					sentCount: 2213,
					deliveredCount: 532,
					clickCount: 206,
					platforms: [apns],
				},
			],
		});
	});

	test('every documented platform code has its name; online and unknown codes are told apart', () => {
		const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
			.map((p) => row(p === 0 ? 2 : 1, p, 1, 1, 1, 0))
			.concat([row(1, 0, 1, 0, 0, 0)]);
		const names = statisticsOf({
			Results: [{ TaskID: 't', ...counts(0, 0, 0, 0), PlatformStatistics: rows }],
		}).platforms.map((p) => `${p.pushPlatform}:${p.platform}:${p.channel}`);
		expect(names).toEqual([
			'0:Unknown:offline',
			'0:Online:online',
			'1:APNs:offline',
			'2:Xiaomi:offline',
			'3:Huawei:offline',
			'4:FCM:offline',
			'5:Meizu:offline',
			'6:OPPO:offline',
			'7:vivo:offline',
			'8:Honor:offline',
			'9:Unknown (9):offline',
		]);
	});

	test('answers of several requests add up, platform by platform; top-level fields are not read', () => {
		const a = statisticsOf({
			TotalCount: 999,
			Results: [
				{
					TaskID: 'a',
					...counts(3, 2, 1, 1),
					PlatformStatistics: [row(2, 0, 2, 2, 1, 1), row(1, 3, 1, 0, 0, 0)],
				},
			],
		});
		const b = statisticsOf({
			Results: [
				{
					TaskID: 'b',
					...counts(2, 2, 2, 0),
					PlatformStatistics: [row(1, 1, 1, 1, 1, 0), row(1, 3, 1, 1, 1, 0)],
				},
			],
		});
		const merged = mergeStatistics([a, b]);
		expect(merged).toMatchObject({ totalCount: 5, sentCount: 4, deliveredCount: 3, clickCount: 1 });
		expect(merged.platforms.map((p) => [p.platform, p.totalCount, p.sentCount])).toEqual([
			['Online', 2, 2],
			['APNs', 1, 1],
			['Huawei', 2, 1],
		]);
		expect(merged.tasks.map((t) => t.taskId)).toEqual(['a', 'b']);
	});

	test('a missing or odd answer reads as zeros', () => {
		expect(statisticsOf({})).toEqual({
			totalCount: 0,
			sentCount: 0,
			deliveredCount: 0,
			clickCount: 0,
			platforms: [],
			tasks: [],
		});
		expect(statisticsOf({ Results: 'x' }).tasks).toEqual([]);
		expect(statisticsOf({ Results: [null, 3] }).tasks).toEqual([]);
	});
});

describe('delivery losses reader', () => {
	test("reads Tencent's documented example: losses by stage and platform, ErrCode kept as text, reasons in one line", () => {
		// The example answer of trtc.io/document/71895 (all_member_push_loss).
		const row = {
			TaskID: 'xxx-yyy-zzz',
			ReadyToSendLoss: [
				{ ErrCode: '-1', ErrCount: 167, ErrInfo: 'Certificate id not set' },
				{ ErrCode: '-2', ErrCount: 125, ErrInfo: 'token not uploaded' },
			],
			PostSendDeliveredLoss: [
				{ ErrCode: '1', ErrCount: 217, ErrInfo: 'regid_invalid' },
				{ ErrCode: '410', ErrCount: 35, ErrInfo: 'Unregistered' },
			],
			PlatformReadyToSendLoss: [
				{
					EventType: 1,
					PushPlatform: 1,
					ErrCode: '-1',
					ErrCount: 5,
					ErrInfo: 'Certificate id not set',
				},
				{
					EventType: 1,
					PushPlatform: 2,
					ErrCode: '-1',
					ErrCount: 123,
					ErrInfo: 'Certificate id not set',
				},
			],
			PlatformPostSendDeliveredLoss: [
				{ EventType: 1, PushPlatform: 3, ErrCode: '410', ErrCount: 35, ErrInfo: 'Unregistered' },
			],
		};
		const losses = taskLossesOf(row, 'xxx-yyy-zzz');
		expect(losses).toMatchObject({
			taskId: 'xxx-yyy-zzz',
			found: true,
			lostBeforeSending: 292,
			lostAfterSending: 252,
			lost: 544,
		});
		expect(losses.reasons).toBe(
			'217 × regid_invalid (1, after sending); 167 × Certificate id not set (-1, before sending); 125 × token not uploaded (-2, before sending); 35 × Unregistered (410, after sending)',
		);
		expect(losses.beforeSending).toEqual([
			{ errorCode: '-1', reason: 'Certificate id not set', count: 167 },
			{ errorCode: '-2', reason: 'token not uploaded', count: 125 },
		]);
		expect(losses.platforms).toEqual([
			{
				stage: 'before sending',
				platform: 'APNs',
				pushPlatform: 1,
				channel: 'offline',
				errorCode: '-1',
				reason: 'Certificate id not set',
				count: 5,
			},
			{
				stage: 'before sending',
				platform: 'Xiaomi',
				pushPlatform: 2,
				channel: 'offline',
				errorCode: '-1',
				reason: 'Certificate id not set',
				count: 123,
			},
			{
				stage: 'after sending',
				platform: 'Huawei',
				pushPlatform: 3,
				channel: 'offline',
				errorCode: '410',
				reason: 'Unregistered',
				count: 35,
			},
		]);
	});

	test('a task without a row has lost nothing Tencent reports; numeric codes become text', () => {
		expect(taskLossesOf(undefined, 't')).toEqual({
			taskId: 't',
			found: false,
			lostBeforeSending: 0,
			lostAfterSending: 0,
			lost: 0,
			reasons: 'no losses reported',
			beforeSending: [],
			afterSending: [],
			platforms: [],
		});
		expect(
			taskLossesOf({ ReadyToSendLoss: [{ ErrCode: -2, ErrCount: '4' }] }, null).beforeSending,
		).toEqual([{ errorCode: '-2', reason: '', count: 4 }]);
	});
});

describe('the window sent with Task IDs alone', () => {
	test('ends now, never in the future, and stays an hour inside the limit', () => {
		const now = Date.UTC(2026, 10, 28, 12, 0, 0, 500);
		const statistics = recentWindow(LIMITS.statisticsRangeSeconds, now);
		expect(statistics).toEqual({
			StartTime: Math.floor(now / 1000) - 30 * 86_400 + 3_600,
			EndTime: Math.floor(now / 1000),
		});
		const losses = recentWindow(LIMITS.lossRangeSeconds, now);
		expect(losses.EndTime - losses.StartTime).toBe(7 * 86_400 - 3_600);
		expect(problems(statisticsSchema, { TaskID: ['a'], ...statistics })).toEqual([]);
		expect(problems(lossSchema, { TaskID: ['a'], ...losses })).toEqual([]);
	});
});

describe('lanes of the new endpoints', () => {
	afterEach(() => resetLanes());

	test('statistics: one spaced lane per app and endpoint; scheduled tasks: a 5/s rate lane per endpoint', () => {
		expect(statisticsLane('app', 'all_member_push_statistics')).toBeInstanceOf(SpacedLane);
		expect(statisticsLane('app', 'all_member_push_loss')).not.toBe(
			statisticsLane('app', 'all_member_push_statistics'),
		);
		expect(statisticsLane('app', 'all_member_push_statistics')).toBe(
			statisticsLane('app', 'all_member_push_statistics'),
		);
		expect(statisticsLane('app', 'all_member_push_trace')).not.toBe(
			statisticsLane('app', 'all_member_push_statistics'),
		);
		expect(statisticsLane('other', 'all_member_push_statistics')).not.toBe(
			statisticsLane('app', 'all_member_push_statistics'),
		);
		expect(schedLane('app', 'add_sched_task')).toBeInstanceOf(RateLane);
		expect(schedLane('app', 'add_sched_task')).toBe(schedLane('app', 'add_sched_task'));
		expect(schedLane('app', 'list_sched_task')).not.toBe(schedLane('app', 'add_sched_task'));
	});

	test('two statistics requests start more than a second apart', async () => {
		const starts: number[] = [];
		const lane = statisticsLane('app', 'all_member_push_statistics');
		await Promise.all([0, 1].map(async () => await lane.run(async () => starts.push(Date.now()))));
		expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(LIMITS.statisticsIntervalMs);
	});

	test('six scheduled-task requests: the sixth waits for the first to leave the one-second window', async () => {
		const starts: number[] = [];
		const lane = schedLane('app', 'get_sched_task');
		await Promise.all(
			Array.from({ length: 6 }, async () => await lane.run(async () => starts.push(Date.now()))),
		);
		expect(starts[4] - starts[0]).toBeLessThan(500);
		expect(starts[5] - starts[0]).toBeGreaterThanOrEqual(1000);
	});
});
