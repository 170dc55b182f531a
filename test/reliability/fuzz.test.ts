/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * R2: property tests over the node's parameters, run through n8n's real engine against
 * ONE in-process emulator: multi-byte UTF-8 at the byte limits, empty and huge lists, wrong types
 * arriving from expressions (numbers, objects, null, nested arrays), malformed JSON in raw fields
 * (MsgBody JSON, Ext), random attribute names. Real sends are the rule; Dry Run is one option.
 *
 * Properties, for every case:
 * - only NodeOperationError / NodeApiError ever escape the node (n8n's own WorkflowHasIssuesError,
 *   thrown before the node runs when a required parameter is empty, is accepted: nothing is sent);
 * - the emulator's `invalidRequests` stays 0: the node never sends what Tencent rejects for format;
 * - with Continue On Fail, every input item ends as an output or an error item;
 * - an audience other than "all" never goes out as a push to all users.
 * Every finding fails the case. The bugs this suite found (A–J) are fixed; each keeps a pinned
 * reproduction in regressions.test.ts.
 *
 * Seeded: FUZZ_SEED (default below; "random" for a new one), FUZZ_RUNS (default 10,000 in total).
 * On failure fast-check prints the seed and path, and the case is printed in full.
 */
import * as fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { resetLanes } from '../../nodes/TencentChatPush/helpers/pacing';
import { callbackSign } from '../../nodes/TencentChatPushTrigger/callbackAuth';
import { callbackClock } from '../../nodes/TencentChatPushTrigger/TencentChatPushTrigger.node';
import { type RunResult, runNode } from '../harness/engine';
import { TRIGGER_APP_ID, callTrigger } from '../harness/webhook';
import { pacingSettings } from './pacing-mock';
import {
	type FixtureApp,
	type InProcessEmulator,
	type LoggedRequest,
	credentialsFor,
	muteStdout,
	report,
	startInProcessEmulator,
} from './support';

jest.mock('../../nodes/TencentChatPush/helpers/pacing', () =>
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('./pacing-mock').pacingWithSettings(
		jest.requireActual('../../nodes/TencentChatPush/helpers/pacing'),
	),
);

const SEED =
	process.env.FUZZ_SEED === 'random'
		? Date.now() % 2 ** 31
		: Number(process.env.FUZZ_SEED ?? 20_261_122);
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/** An emulator-only key, not a secret. */
const EMULATOR_ONLY = { fuzzApp: 'reliability-fuzz-app-key-not-a-secret' };
const APP: FixtureApp = {
	sdkAppId: 1400907101,
	secretKey: EMULATOR_ONLY.fuzzApp,
	admins: ['administrator'],
	attrNames: { '0': 'city', '1': 'level', '2': '语言', '3': 'device' },
	attrTypes: { '3': 1 },
	users: [
		{ id: 'administrator' },
		{
			id: 'alice',
			online: true,
			tags: ['vip', 'beta'],
			attrs: { city: 'Shenzhen', level: 'gold' },
		},
		{ id: 'bob', tags: ['vip', '会员'], attrs: { city: 'Beijing', 语言: '中文' } },
		{ id: 'carol', online: true, tags: ['android'] },
		{ id: '12345', tags: ['numeric'] },
		{ id: '会员用户', tags: ['会员'] },
		{ id: 'reg-1', accountType: 'RegistrationID', attrs: { device: 'ios' } },
	],
};
const ACCOUNTS = APP.users.map((u) => u.id);
const TAGS = ['vip', 'beta', '会员', 'android', 'numeric'];
const ATTR_NAMES = Object.values(APP.attrNames!);

// ---------------------------------------------------------------------------------------------
// Generators

/** A value that reaches the node through an expression (`={{ $json.fN }}`), one per item. */
class Expr {
	constructor(readonly values: unknown[]) {}
}
const viaExpr = (arb: fc.Arbitrary<unknown>) =>
	fc.array(arb, { minLength: 1, maxLength: 3 }).map((values) => new Expr(values));

const WIDE = ['a', 'é', '会', '😀'] as const;
/** Text of exactly `bytes` UTF-8 bytes made of characters of `width` bytes (ASCII fill). */
const textOfBytes = (bytes: number, width: 1 | 2 | 3 | 4) =>
	WIDE[width - 1].repeat(Math.floor(Math.max(0, bytes) / width)) +
	'a'.repeat(Math.max(0, bytes) % width);
/** Text at, just under or just over a byte limit, in 1- to 4-byte characters. */
const atLimit = (limit: number) =>
	fc
		.tuple(fc.constantFrom(-1, 0, 1), fc.constantFrom<1 | 2 | 3 | 4>(1, 2, 3, 4))
		.map(([delta, width]) => textOfBytes(limit + delta, width));

const randomText = fc.oneof(
	fc.string({ maxLength: 12 }),
	fc.string({ unit: 'grapheme', maxLength: 12 }),
	fc.string({ unit: 'binary', maxLength: 8 }),
	fc.constantFrom(
		'',
		' ',
		'  x  ',
		'\n',
		'"',
		'\\',
		'a,b',
		'[',
		'[]',
		'{"a":',
		'null',
		'0',
		'-1',
		'\u0000',
		'\ud800',
		'__proto__',
		'constructor',
	),
);
const json = fc.jsonValue({ maxDepth: 3 });
/** Odd values only expressions produce (Infinity, NaN, undefined), and what they resolve to. */
const EXOTIC_VALUES: Record<string, unknown> = {
	'={{ 1/0 }}': Infinity,
	'={{ 0/0 }}': NaN,
	'={{ -1/0 }}': -Infinity,
	'={{ undefined }}': undefined,
	'={{ $json.nothing }}': undefined,
	'={{ [[["a"]], 1, null] }}': [[['a']], 1, null],
	'={{ {} }}': {},
};
const exoticExpression = fc.constantFrom(...Object.keys(EXOTIC_VALUES));

/** Mostly `good`, sometimes `bad`: most cases must pass validation, or real sends would be rare. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>, badWeight = 1) =>
	fc.oneof(
		{ weight: 6, arbitrary: good as fc.Arbitrary<T | U> },
		{ weight: badWeight, arbitrary: bad as fc.Arbitrary<T | U> },
	);
/** An optional field: usually absent (undefined keys are dropped when the case is built). */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
	fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const goodText = fc.oneof(
	fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
	fc.constantFrom('Hello', '会员 通知 😀', 'a "quoted" \\ text\nline'),
);
/** Text at a byte limit, random odd strings, any JSON value from an expression, or an expression oddity. */
const badText = (limit?: number) =>
	fc.oneof(
		{ weight: limit ? 3 : 0, arbitrary: limit ? atLimit(limit) : fc.constant('') },
		{ weight: 2, arbitrary: randomText },
		{ weight: 2, arbitrary: viaExpr(fc.oneof(randomText, json)) },
		{ weight: 1, arbitrary: exoticExpression },
	);
const text = (limit?: number) =>
	mostly(
		fc.oneof({ weight: 4, arbitrary: goodText }, { weight: 1, arbitrary: viaExpr(goodText) }),
		badText(limit),
		2,
	);

const listEntry = (known: string[], limit: number) =>
	fc.oneof(
		{ weight: 4, arbitrary: fc.constantFrom(...known) },
		{ weight: 2, arbitrary: atLimit(limit) },
		{ weight: 2, arbitrary: randomText },
		{ weight: 1, arbitrary: fc.integer({ min: -5, max: 99999 }) },
		{
			weight: 1,
			arbitrary: fc.constantFrom(
				null,
				true,
				1.5,
				[] as unknown,
				['nested', ['deep']] as unknown,
				{ a: 1 } as unknown,
			),
		},
	);

/** A list parameter (accounts, tags, attribute names): text, JSON text, an expression, huge, malformed. */
const list = (known: string[], limit: number, hugeMax: number) => {
	const some = fc.uniqueArray(fc.constantFrom(...known), {
		minLength: 1,
		maxLength: Math.min(4, known.length),
	});
	const good = fc.oneof(
		some.map((a) => a.join(', ')),
		some.map((a) => JSON.stringify(a)),
		viaExpr(some),
		viaExpr(fc.constantFrom(...known)),
	);
	const bad = fc.oneof(
		{
			weight: 2,
			arbitrary: fc.array(listEntry(known, limit), { maxLength: 12 }).map((a) => JSON.stringify(a)),
		},
		{
			weight: 2,
			arbitrary: viaExpr(
				fc.oneof(
					fc.array(listEntry(known, limit), { maxLength: 12 }),
					json,
					listEntry(known, limit),
				),
			),
		},
		{
			weight: 2,
			arbitrary: fc
				.tuple(fc.integer({ min: 0, max: hugeMax }), fc.boolean())
				.map(
					([n, knownOnly]) =>
						new Expr([
							Array.from({ length: n }, (_, i) =>
								knownOnly ? known[i % known.length] : `${known[i % known.length]}-${i}`,
							),
						]),
				),
		},
		{
			weight: 1,
			arbitrary: fc.constantFrom(
				' , ,',
				'["a",',
				'[1, {"x": 2}]',
				'[[["vip"]]]',
				'[null]',
				'[""]',
				' ',
			),
		},
		{ weight: 1, arbitrary: exoticExpression },
	);
	return mostly(good, bad, 3);
};

const options = fc.record({
	dryRun: fc.oneof(
		{ weight: 6, arbitrary: fc.constant(false) },
		{ weight: 1, arbitrary: fc.constant(true) },
		{ weight: 1, arbitrary: viaExpr(json) },
	),
	maxAttempts: fc.constantFrom(1, 2),
	timeout: fc.constant(5000),
});

const flag = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom('', 0, 1) },
	{ weight: 1, arbitrary: viaExpr(json) },
);
const vendorOptions = fc.record({
	androidInfo: rarely(
		fc.record({
			sound: rarely(text()),
			vivoClassification: rarely(flag),
			huaweiImportance: rarely(mostly(fc.constantFrom('', 'LOW', 'NORMAL'), viaExpr(json))),
			xiaomiChannelId: rarely(text()),
		}),
	),
	apnsInfo: rarely(
		fc.record({ badgeMode: rarely(flag), title: rarely(text()), mutableContent: rarely(flag) }),
	),
	notificationExt: rarely(
		fc.oneof(text(), fc.constantFrom('{"a":', '{"deep":{"x":[1,2]}}', 'not json'), viaExpr(json)),
	),
	offlinePush: rarely(mostly(fc.boolean(), viaExpr(json))),
});

const attributeRows = fc.record({
	attribute: mostly(
		fc.uniqueArray(
			fc.record({
				name: fc.constantFrom(...ATTR_NAMES),
				value: mostly(fc.constantFrom('Shenzhen', 'gold', '中文', 'ios', 'x'), badText(50)),
			}),
			{ minLength: 1, maxLength: 3, selector: (r) => r.name },
		),
		fc.array(
			fc.record({ name: mostly(fc.constantFrom(...ATTR_NAMES), badText(50)), value: badText(50) }),
			{ maxLength: 4 },
		),
		2,
	),
});

const element = fc.oneof(
	{ weight: 4, arbitrary: fc.record({ type: fc.constant('text'), text: text(30) }) },
	fc.record({
		type: fc.constant('custom'),
		data: text(),
		desc: rarely(text()),
		ext: rarely(text()),
		sound: rarely(text()),
	}),
	fc.record({
		type: fc.constant('location'),
		desc: text(),
		latitude: mostly(
			fc.double({ min: -90, max: 90, noNaN: true }),
			fc.oneof(viaExpr(json), exoticExpression),
		),
		longitude: mostly(fc.integer({ min: -180, max: 180 }), viaExpr(json)),
	}),
	fc.record({
		type: fc.constant('face'),
		index: mostly(fc.integer({ min: 0, max: 1000 }), fc.oneof(fc.double(), viaExpr(json))),
		data: rarely(text()),
	}),
	fc.record({
		type: fc.constantFrom('image', 'sound', 'file'),
		url: text(),
		uuid: rarely(text()),
		size: mostly(fc.nat(), viaExpr(json)),
		second: fc.nat(),
		fileName: text(),
		imageFormat: fc.constantFrom(0, 1, 3, 255, 7),
		width: fc.nat(),
		height: fc.nat(),
	}),
	fc.record({
		type: fc.constant('video'),
		videoUrl: text(),
		videoFormat: text(),
		thumbUrl: text(),
		thumbFormat: text(),
		videoSize: fc.nat(),
		videoSecond: fc.nat(),
		thumbSize: fc.nat(),
		thumbWidth: fc.nat(),
		thumbHeight: fc.nat(),
	}),
);

const validElementJson = [
	{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello 会员 😀' } },
	{ MsgType: 'TIMCustomElem', MsgContent: { Data: '{"k":1}', Desc: 'custom' } },
	{ MsgType: 'TIMLocationElem', MsgContent: { Desc: 'x', Latitude: 22.5, Longitude: 114 } },
	{ MsgType: 'TIMFaceElem', MsgContent: { Index: 1 } },
];
const messageJson = mostly(
	fc.oneof(
		fc.subarray(validElementJson, { minLength: 1 }).map((a) => JSON.stringify(a)),
		viaExpr(fc.subarray(validElementJson, { minLength: 1 })),
	),
	fc.oneof(
		fc
			.array(
				fc.record(
					{
						MsgType: fc.oneof(
							fc.constantFrom(
								'TIMTextElem',
								'TIMCustomElem',
								'TIMLocationElem',
								'TIMFaceElem',
								'TIMSoundElem',
								'Bogus',
							),
							json,
						),
						MsgContent: json,
					},
					{ requiredKeys: [] },
				),
				{ maxLength: 3 },
			)
			.map((a) => JSON.stringify(a)),
		fc.constantFrom(
			'',
			'[',
			'[]',
			'[{"MsgType":"TIMTextElem","MsgContent":{"Text":"a"}}',
			'{"MsgType":"TIMTextElem"}',
			'null',
			'[[]]',
			'[null]',
			'[{"MsgType":"TIMTextElem","MsgContent":{"Text":""}}]',
		),
		viaExpr(json),
		fc.string({ maxLength: 30 }),
	),
	3,
);

const push = fc.record({
	resource: fc.constant('push'),
	operation: fc.constant('send'),
	api: fc.constantFrom('timpush', 'legacy'),
	audience: mostly(
		fc.constantFrom('all', 'tags', 'tags', 'attributes', 'attributes'),
		viaExpr(fc.constantFrom('all', 'tags', 'attributes', 'Tags', 'everyone', '')),
		1,
	),
	tagsAnd: list(TAGS, 50, 15),
	tagsOr: fc.oneof(fc.constant(''), list(TAGS, 50, 15)),
	attributesAnd: attributeRows,
	attributesOr: fc.oneof(
		{ weight: 3, arbitrary: fc.constant({}) },
		{ weight: 1, arbitrary: attributeRows },
	),
	notificationTitle: text(),
	notificationText: fc.oneof(
		{ weight: 6, arbitrary: text() },
		{
			weight: 1,
			arbitrary: fc
				.integer({ min: 9_700, max: 10_300 })
				.chain((bytes) =>
					fc.constantFrom<1 | 2 | 3 | 4>(1, 2, 3, 4).map((w) => textOfBytes(bytes, w)),
				),
		},
	),
	message: fc.constantFrom('none', 'text', 'json', 'elements'),
	messageText: text(),
	messageJson,
	messageElements: fc.record({ element: fc.array(element, { minLength: 1, maxLength: 3 }) }),
	additionalFields: fc
		.tuple(
			vendorOptions,
			fc.record({
				fromAccount: rarely(mostly(fc.constantFrom(...ACCOUNTS), badText(32))),
				msgLifeTime: rarely(
					mostly(
						fc.constantFrom(0, 1, 604_800),
						fc.oneof(fc.constantFrom(604_801, -1, 1.5), viaExpr(json)),
					),
				),
				msgRandom: rarely(
					mostly(
						fc.integer({ min: 1, max: 4_294_967_295 }),
						fc.oneof(fc.constantFrom(4_294_967_296, -1, 2.5), viaExpr(json)),
					),
				),
				onlineOnly: rarely(mostly(fc.boolean(), viaExpr(json))),
			}),
		)
		.map(([a, b]) => ({ ...a, ...b })),
	options,
});

/** `hugeAccounts`: 1,200 for batch pushes (past 500 per request), 250 for the 100-user management requests. */
const accountsParams = (name = 'accounts', hugeAccounts = 250) =>
	fc.oneof(
		{
			weight: 3,
			arbitrary: list(ACCOUNTS, 32, hugeAccounts).map((value) => ({
				params: { accountsFrom: 'value', [name]: value } as IDataObject,
				fields: {} as Record<string, unknown[]>,
			})),
		},
		{
			weight: 1,
			arbitrary: fc
				.tuple(
					mostly(fc.constant('userId'), fc.constantFrom('user.id', 'missing', '')),
					fc.array(
						mostly(
							fc.constantFrom(...ACCOUNTS),
							fc.oneof(
								listEntry(ACCOUNTS, 32),
								fc.array(fc.constantFrom(...ACCOUNTS), { maxLength: 150 }),
								json,
							),
						),
						{ minLength: 1, maxLength: 3 },
					),
				)
				.map(([path, values]) => ({
					params: { accountsFrom: 'field', accountsField: path } as IDataObject,
					fields: { [path || 'userId']: values },
				})),
		},
	);

const sendToUsers = fc.record({
	base: fc.record({
		resource: fc.constant('push'),
		operation: fc.constant('sendToUsers'),
		notificationTitle: text(),
		notificationText: text(),
		additionalFields: fc
			.tuple(
				vendorOptions,
				fc.record({
					dataId: rarely(mostly(goodText, badText(64))),
					fromAccount: rarely(mostly(fc.constantFrom(...ACCOUNTS), badText(32))),
				}),
			)
			.map(([a, b]) => ({ ...a, ...b })),
		options,
	}),
	accounts: accountsParams('toAccounts', 1_200),
});

const recall = fc.record({
	resource: fc.constant('push'),
	operation: fc.constant('recall'),
	taskId: mostly(
		fc.constantFrom('53724e01_6b027662_2000000000001_5cb24051_9e3779b1', 'batch_1', 'unknown-task'),
		badText(),
	),
	overwriteTitle: rarely(text()),
	overwriteText: mostly(text(), fc.constantFrom('', ' ')),
	overwriteExt: rarely(fc.oneof(text(), viaExpr(json))),
	options,
});

const management = (resource: string, operation: string, extra: fc.Arbitrary<IDataObject>) =>
	fc.record({
		base: fc.record({
			resource: fc.constant(resource),
			operation: fc.constant(operation),
			api: fc.constantFrom('timpush', 'legacy'),
			options,
		}),
		extra,
		accounts: accountsParams(),
	});

const slotRows = fc.record({
	attribute: fc.array(
		fc.record({
			slot: mostly(
				fc.constantFrom('0', '1', '2', '3', '4', '9'),
				fc.oneof(fc.constantFrom('10', '-1', ''), viaExpr(json)),
			),
			name: fc.oneof(
				{ weight: 2, arbitrary: fc.constantFrom(...ATTR_NAMES, 'gender', 'tier', 'region') },
				{ weight: 2, arbitrary: goodText },
				{ weight: 1, arbitrary: badText(50) },
			),
			accountType: mostly(fc.constantFrom(0, 1), viaExpr(json)),
		}),
		{ minLength: 1, maxLength: 4 },
	),
});

/** A date-time parameter: mostly a valid ISO time within ±40 days, else text, numbers, objects, odd dates. */
const dateTime = (fromDays: number, toDays: number) =>
	mostly(
		fc
			.integer({ min: fromDays * 86_400, max: toDays * 86_400 })
			.map((s) => new Date(Date.now() + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z')),
		fc.oneof(
			fc.constantFrom(
				'',
				'tomorrow',
				'2026-13-40T25:61:00Z',
				'1969-12-31T23:59:59Z',
				'9999-12-31T23:59:59Z',
				'2026-10-25 03:30:00',
				'1700000000',
			),
			viaExpr(fc.oneof(json, fc.integer({ min: -1, max: 4_102_444_800_000 }))),
			exoticExpression,
		),
		2,
	);

const timeZone = fc.oneof(
	{ weight: 4, arbitrary: fc.constant(undefined) },
	{
		weight: 1,
		arbitrary: fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'UTC', 'Not/AZone', ''),
	},
);

const scheduledCreate = fc
	.record({
		// The push fields without API (scheduled tasks are always v4/timpush) and Audience (which adds 'users').
		base: push.map(
			(p) =>
				Object.fromEntries(
					Object.entries(p).filter(([key]) => key !== 'api' && key !== 'audience'),
				) as IDataObject,
		),
		audience: mostly(
			fc.constantFrom('all', 'tags', 'attributes', 'users'),
			viaExpr(fc.constantFrom('all', 'users', 'Users', 'everyone', '')),
			1,
		),
		sendAt: dateTime(1, 30),
		schedAccounts: list(ACCOUNTS, 32, 600),
		zone: timeZone,
	})
	.map(({ base, audience, sendAt, schedAccounts, zone }) => ({
		...base,
		resource: 'scheduledPush',
		operation: 'create',
		audience,
		sendAt,
		schedAccounts,
		options: {
			...(base.options as IDataObject),
			...(zone === undefined ? {} : { timeZone: zone }),
		},
	}));

const statistics = fc.record({
	resource: fc.constant('push'),
	operation: fc.constant('getStatistics'),
	statisticsFilter: fc.constantFrom('taskIds', 'timeRange', 'both'),
	taskIds: list(
		['53724e01_6b027662_2000000000001_5cb24051_9e3779b1', 'batch_1', 'unknown'],
		64,
		250,
	),
	startTime: dateTime(-40, 0),
	endTime: dateTime(-10, 1),
	statisticsOutput: fc.constantFrom('tasks', 'summary'),
	options,
});

const deliveryLosses = fc.record({
	resource: fc.constant('push'),
	operation: fc.constant('getDeliveryLosses'),
	statisticsFilter: fc.constantFrom('taskIds', 'timeRange', 'both'),
	taskIds: list(
		['53724e01_6b027662_2000000000001_5cb24051_9e3779b1', 'batch_1', 'unknown'],
		64,
		30,
	),
	startTime: dateTime(-10, 0),
	endTime: dateTime(-4, 1),
	options,
});

const trace = fc.record({
	resource: fc.constant('push'),
	operation: fc.constant('traceUser'),
	traceTaskId: mostly(
		fc.constantFrom('53724e01_6b027662_2000000000001_5cb24051_9e3779b1', 'unknown-task'),
		badText(),
	),
	traceUserId: mostly(fc.constantFrom(...ACCOUNTS), badText(32)),
	options,
});

interface Case {
	parameters: IDataObject;
	itemCount: number;
	itemFields: Record<string, unknown[]>;
	continueOnFail: boolean;
}

const withRun = (
	parameters: fc.Arbitrary<{ parameters: IDataObject; itemFields?: Record<string, unknown[]> }>,
) =>
	fc
		.record({
			p: parameters,
			itemCount: fc.oneof(
				{ weight: 5, arbitrary: fc.constant(1) },
				{ weight: 2, arbitrary: fc.constant(2) },
				{ weight: 1, arbitrary: fc.constant(3) },
			),
			continueOnFail: fc.boolean(),
		})
		.map(
			({ p, itemCount, continueOnFail }): Case => ({
				parameters: p.parameters,
				itemFields: p.itemFields ?? {},
				itemCount,
				continueOnFail,
			}),
		);

const OPERATIONS: Array<{ name: string; share: number; arbitrary: fc.Arbitrary<Case> }> = [
	{
		name: 'push send',
		share: 0.25,
		arbitrary: withRun(push.map((parameters) => ({ parameters }))),
	},
	{
		name: 'push sendToUsers',
		share: 0.1,
		arbitrary: withRun(
			sendToUsers.map(({ base, accounts }) => ({
				parameters: { ...base, ...accounts.params },
				itemFields: accounts.fields,
			})),
		),
	},
	{
		name: 'push recall',
		share: 0.05,
		arbitrary: withRun(recall.map((parameters) => ({ parameters }))),
	},
	{
		name: 'push getStatistics',
		share: 0.02,
		arbitrary: withRun(statistics.map((parameters) => ({ parameters }))),
	},
	{
		name: 'push getDeliveryLosses',
		share: 0.01,
		arbitrary: withRun(deliveryLosses.map((parameters) => ({ parameters }))),
	},
	{
		name: 'push traceUser',
		share: 0.02,
		arbitrary: withRun(trace.map((parameters) => ({ parameters }))),
	},
	{
		name: 'scheduledPush create',
		share: 0.06,
		arbitrary: withRun(scheduledCreate.map((parameters) => ({ parameters }))),
	},
	...(
		[
			[
				'userTag',
				'add',
				0.1,
				fc.record({ tags: list(TAGS, 50, 110), replace: fc.oneof(fc.boolean(), viaExpr(json)) }),
			],
			['userTag', 'get', 0.05, fc.constant({})],
			['userTag', 'remove', 0.06, fc.record({ tags: list(TAGS, 50, 110) })],
			['userTag', 'removeAll', 0.04, fc.constant({})],
			['userAttribute', 'set', 0.09, fc.record({ attributes: attributeRows })],
			['userAttribute', 'get', 0.03, fc.constant({})],
			[
				'userAttribute',
				'remove',
				0.05,
				fc.record({ attributeNames: fc.oneof(fc.subarray(ATTR_NAMES), list(ATTR_NAMES, 50, 12)) }),
			],
		] as Array<[string, string, number, fc.Arbitrary<IDataObject>]>
	).map(([resource, operation, share, extra]) => ({
		name: `${resource} ${operation}`,
		share,
		arbitrary: withRun(
			management(resource, operation, extra).map(({ base, extra: more, accounts }) => ({
				parameters: { ...base, ...more, ...accounts.params },
				itemFields: accounts.fields,
			})),
		),
	})),
	{
		name: 'appAttributeName set',
		share: 0.06,
		arbitrary: withRun(
			fc
				.record({
					resource: fc.constant('appAttributeName'),
					operation: fc.constant('set'),
					api: fc.constantFrom('timpush', 'legacy'),
					attributeNames: slotRows,
					options,
				})
				.map((parameters) => ({ parameters })),
		),
	},
	{
		name: 'appAttributeName get',
		share: 0.01,
		arbitrary: withRun(
			fc
				.record({
					resource: fc.constant('appAttributeName'),
					operation: fc.constant('get'),
					api: fc.constantFrom('timpush', 'legacy'),
					options,
				})
				.map((parameters) => ({ parameters })),
		),
	},
];

// ---------------------------------------------------------------------------------------------
// Running a case

function materialize(c: Case): { parameters: IDataObject; items: IDataObject[] } {
	const items: IDataObject[] = Array.from({ length: c.itemCount }, () => ({}));
	let next = 0;
	const walk = (value: unknown): unknown => {
		if (value instanceof Expr) {
			const field = `f${next++}`;
			items.forEach((item, i) => {
				const v = value.values[i % value.values.length];
				if (v !== undefined) item[field] = v as IDataObject;
			});
			return `={{ $json.${field} }}`;
		}
		if (Array.isArray(value)) return value.map(walk);
		if (value && typeof value === 'object')
			return Object.fromEntries(
				Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, walk(v)]])),
			);
		return value;
	};
	const parameters = walk(c.parameters) as IDataObject;
	for (const [path, values] of Object.entries(c.itemFields)) {
		items.forEach((item, i) => {
			const keys = path.split('.');
			let target = item;
			for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as IDataObject;
			target[keys[keys.length - 1]] = values[i % values.length] as IDataObject;
		});
	}
	return { parameters, items };
}

/** What the node asked for audience for item `i` (the literal, or the expression's value). */
function audienceOf(c: Case, i: number): unknown {
	const a = c.parameters.audience;
	return a instanceof Expr ? a.values[i % a.values.length] : a;
}

interface Finding {
	text: string;
}

/** Whether Dry Run is on for every item (the literal, or each item's expression value). */
function allDryRun(c: Case): boolean {
	const dryRun = (c.parameters.options as IDataObject | undefined)?.dryRun;
	const on = (value: unknown) =>
		value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
	if (dryRun instanceof Expr)
		return Array.from(
			{ length: c.itemCount },
			(_, i) => dryRun.values[i % dryRun.values.length],
		).every(on);
	return on(dryRun);
}

function invalidFindings(log: LoggedRequest[]): Finding[] {
	const out: Finding[] = [];
	for (const entry of log) {
		if (entry.errorCode === null || entry.errorCode === 0 || entry.fault) continue;
		const text = `invalid request ${entry.service}/${entry.command} → ${entry.errorCode ?? `HTTP ${entry.httpStatus}`}: ${entry.body.slice(0, 400)}`;
		if (
			![
				60002, 60003, 60006, 60009, 60012, 90001, 90002, 90005, 90007, 90010, 90018, 90020, 90022,
				90026, 90032, 90033, 90039, 90040, 90056, 90057,
			].includes(entry.errorCode) &&
			entry.httpStatus !== 413
		)
			continue;
		out.push({ text });
	}
	return out;
}

function checkCase(
	c: Case,
	result: RunResult | undefined,
	thrown: Error | undefined,
	log: LoggedRequest[],
	invalidRequests: number,
): Finding[] {
	const findings: Finding[] = [];
	if (thrown) {
		if (thrown.name !== 'WorkflowHasIssuesError')
			findings.push({ text: `runNode threw ${thrown.name}: ${thrown.message}` });
		else if (log.length > 0)
			findings.push({ text: 'n8n refused the parameters, yet requests were sent' });
		return findings;
	}
	const error = result!.error;
	if (error && error.name !== 'NodeOperationError' && error.name !== 'NodeApiError') {
		findings.push({
			text: `${error.name ?? '(no name: a plain Error/TypeError)'} escaped: ${error.message}\n${String(
				error.stack ?? '',
			)
				.split('\n')
				.slice(0, 4)
				.join('\n')}`,
		});
	}
	const invalid = invalidFindings(log);
	findings.push(...invalid);
	if (invalidRequests !== invalid.length)
		findings.push({
			text: `emulator counted ${invalidRequests} invalid requests (${invalid.length} found in the log)`,
		});
	if (c.continueOnFail && !error) {
		const seen = new Set(
			(result!.items as INodeExecutionData[]).map(
				(item) => (item.pairedItem as { item: number }).item,
			),
		);
		for (let i = 0; i < c.itemCount; i++) {
			if (!seen.has(i)) findings.push({ text: `item ${i} ended with no output and no error item` });
		}
	}
	// Dry Run is per item: when every item asked for it (true or "true"), nothing reaches Tencent.
	if (allDryRun(c) && log.length > 0) {
		findings.push({
			text: `every item was in Dry Run, yet ${log.length} request(s) were sent: ${log.map((e) => `${e.service}/${e.command}`).join(', ')}`,
		});
	}
	if (c.parameters.resource === 'scheduledPush' && !error) {
		for (const item of result!.items) {
			const i = (item.pairedItem as { item: number }).item;
			if (item.json.type === 'All' && audienceOf(c, i) !== 'all') {
				findings.push({
					text: `item ${i} with Audience ${JSON.stringify(audienceOf(c, i))} was scheduled for all users (task ${String(item.json.taskId)})`,
				});
			}
		}
	}
	if (c.parameters.operation === 'send' && !error) {
		for (const item of result!.items) {
			const i = (item.pairedItem as { item: number }).item;
			if (item.json.audience === 'all users' && audienceOf(c, i) !== 'all') {
				findings.push({
					text: `item ${i} with Audience ${JSON.stringify(audienceOf(c, i))} was pushed to all users (task ${String(item.json.taskId)})`,
				});
			}
		}
	}
	return findings;
}

// ---------------------------------------------------------------------------------------------

let emu: InProcessEmulator;
const stats: Record<
	string,
	{
		cases: number;
		ok: number;
		operationError: number;
		apiError: number;
		refusedByN8n: number;
		successItems: number;
		errorItems: number;
		requests: number;
		seconds: number;
	}
> = {};

beforeAll(async () => {
	emu = await startInProcessEmulator([APP], {
		pushIntervalMs: 0,
		dailyPushQuota: 1_000_000_000,
		revokeIntervalMs: 0,
		batchRatePerSecond: 0,
		batchUserRatePerSecond: 0,
		managementRatePerSecond: 0,
		statisticsRatePerSecond: 0,
		schedRatePerSecond: 0,
		deliveryDelayMs: 0,
		requestLogLimit: 5_000,
	});
	pacingSettings.pushGapMs = 0;
	pacingSettings.revokeGapMs = 0;
	pacingSettings.statisticsGapMs = 0;
	pacingSettings.batchDirect = true;
	report(`R2 fuzz seed ${SEED} (FUZZ_SEED=${SEED} reproduces), ${TOTAL_RUNS} cases`);
});

afterAll(async () => {
	pacingSettings.pushGapMs = undefined;
	pacingSettings.revokeGapMs = undefined;
	pacingSettings.statisticsGapMs = undefined;
	pacingSettings.batchDirect = false;
	await emu?.stop();
	resetLanes();
	const rows = Object.entries(stats).map(
		([name, s]) =>
			`  ${name.padEnd(22)} ${String(s.cases).padStart(6)} cases ${String(s.ok).padStart(6)} ran (${String(s.successItems).padStart(5)} output / ${String(s.errorItems).padStart(5)} error items) ${String(s.operationError).padStart(5)} NodeOperationError ${String(s.apiError).padStart(5)} NodeApiError ${String(s.refusedByN8n).padStart(5)} refused by n8n ${String(s.requests).padStart(6)} requests ${s.seconds.toFixed(1).padStart(6)} s`,
	);
	const total = Object.values(stats).reduce(
		(t, s) => ({ cases: t.cases + s.cases, seconds: t.seconds + s.seconds }),
		{ cases: 0, seconds: 0 },
	);
	report(
		[`R2 fuzz: ${total.cases} cases in ${total.seconds.toFixed(1)} s (seed ${SEED})`, ...rows].join(
			'\n',
		),
	);
});

describe.each(OPERATIONS.map((op, index) => [op.name, op, index] as const))(
	'%s',
	(name, op, index) => {
		const runs = Math.max(1, Math.round(TOTAL_RUNS * op.share));
		test(
			`${runs} cases: only n8n errors escape, no invalid request, no item lost`,
			async () => {
				const s = (stats[name] = {
					cases: 0,
					ok: 0,
					operationError: 0,
					apiError: 0,
					refusedByN8n: 0,
					successItems: 0,
					errorItems: 0,
					requests: 0,
					seconds: 0,
				});
				const started = performance.now();
				// n8n's error reporter prints every node error; 10,000 of them would drown the report.
				const unmute = muteStdout();
				try {
					await fc.assert(
						fc.asyncProperty(op.arbitrary, async (c) => {
							await emu.reset();
							resetLanes();
							const { parameters, items } = materialize(c);
							let result: RunResult | undefined;
							let thrown: Error | undefined;
							try {
								result = await runNode({
									parameters,
									items,
									credentials: credentialsFor(emu.url, APP),
									continueOnFail: c.continueOnFail,
								});
							} catch (error) {
								thrown = error as Error;
							}
							const log = [...emu.state.requestLog];
							const findings = checkCase(
								c,
								result,
								thrown,
								log,
								emu.state.counters.invalidRequests,
							);
							s.cases++;
							s.requests += log.length;
							if (thrown) s.refusedByN8n++;
							else if (result!.error?.name === 'NodeOperationError') s.operationError++;
							else if (result!.error?.name === 'NodeApiError') s.apiError++;
							else s.ok++;
							for (const item of result?.error ? [] : (result?.items ?? [])) {
								if (typeof item.json.error === 'string') s.errorItems++;
								else s.successItems++;
							}
							if (findings.length > 0) {
								throw new Error(
									`${findings.map((f) => f.text).join('\n')}\nparameters: ${JSON.stringify(parameters)}\nitems: ${JSON.stringify(items).slice(0, 2000)}\ncontinueOnFail: ${c.continueOnFail}`,
								);
							}
						}),
						{ seed: SEED + index, numRuns: runs, endOnFailure: process.env.FUZZ_SHRINK !== '1' },
					);
				} finally {
					unmute();
					s.seconds = (performance.now() - started) / 1000;
				}
			},
			15 * 60_000,
		);
	},
);

// ---------------------------------------------------------------------------------------------
// The Tencent Chat Push Trigger: generated callbacks against webhook(), signed mode (the default).
//
// Properties, for every callback: webhook() never throws; an execution starts if and only if the
// call is correctly signed with the credential's token, at most 60 s from the server's clock, for
// the credential's SDKAppID, with a readable body, holding a chosen event, and not a body that
// already started one; every refusal is a FAIL envelope with the status of its reason.

const TRIGGER_RUNS = Number(process.env.TRIGGER_FUZZ_RUNS ?? 2_500);
const CALLBACK_TOKEN = 'fuzz-callback-token-✓';
const NOW_S = 1_767_225_600;
const QUERY_COMMANDS = ['Push.AllMemberPush', 'Push.OfflinePush', 'Push.Unknown', ''];

type CallbackKind =
	| 'valid'
	| 'unsigned'
	| 'wrong-sign'
	| 'stale'
	| 'future'
	| 'bad-time'
	| 'wrong-app'
	| 'malformed'
	| 'replay-in-window'
	| 'replay-stale';

interface CallbackCase {
	kind: CallbackKind;
	query: IDataObject;
	body: unknown;
	/** For replays: how far the clock moved between the original and the copy (s). */
	replayAfter?: number;
}

const callbackEvent = fc.record(
	{
		CallbackCommand: fc.constantFrom(
			'Push.AllMemberPush',
			'Push.AllMemberPush',
			'Push.OfflinePush',
			'Push.Unknown',
		),
		EventType: fc.constantFrom(1, 2),
		TaskId: fc.string({ minLength: 1, maxLength: 40 }),
		To_Account: fc.string({ unit: 'grapheme', maxLength: 16 }),
		EventTime: fc.integer({ min: 0, max: 2 ** 31 }),
		PushPlatform: fc.integer({ min: 0, max: 9 }),
		ErrCode: fc.integer({ min: 0, max: 100_000 }),
		DataId: fc.string({ maxLength: 64 }),
		extra: json,
	},
	{ requiredKeys: ['TaskId', 'To_Account'] },
);
const goodBody = fc.oneof(
	{
		weight: 5,
		arbitrary: fc
			.array(callbackEvent, { minLength: 1, maxLength: 100 })
			.map((Events) => ({ Events }) as unknown),
	},
	{
		weight: 1,
		arbitrary: callbackEvent.map(
			(event) =>
				({ ...event, CallbackCommand: event.CallbackCommand ?? 'Push.AllMemberPush' }) as unknown,
		),
	},
);
const malformedBody = fc.oneof(
	fc.constantFrom<unknown>(
		{},
		{ Events: [] },
		{ Events: null },
		{ Events: 'x' },
		{ Events: {} },
		{ Events: [null] },
		{ Events: [[]] },
		{ Events: [1, 2] },
		[],
		'text',
		42,
		null,
		{ CallbackCommand: '' },
		{ CallbackCommand: 5 },
	),
	fc
		.array(callbackEvent, { minLength: 101, maxLength: 120 })
		.map((Events) => ({ Events }) as unknown),
	fc.array(callbackEvent, { minLength: 1, maxLength: 5 }).map((Events) => Events as unknown),
	fc
		.tuple(
			fc.array(callbackEvent, { maxLength: 3 }),
			fc.constantFrom<unknown>(null, 'x', 7, [], true),
			fc.array(callbackEvent, { maxLength: 3 }),
		)
		.map(([a, bad, b]) => ({ Events: [...a, bad, ...b] }) as unknown),
	fc
		.tuple(callbackEvent, fc.constantFrom<unknown>(7, '', null, [], {}))
		.map(([event, command]) => ({ Events: [{ ...event, CallbackCommand: command }] }) as unknown),
	json.filter(
		(value) =>
			typeof value !== 'object' ||
			value === null ||
			Array.isArray(value) ||
			(!('Events' in value) && !('CallbackCommand' in value)),
	),
);

const signedQuery = (
	requestTime: string,
	token = CALLBACK_TOKEN,
	command = 'Push.AllMemberPush',
	sdkAppId: unknown = String(TRIGGER_APP_ID),
): IDataObject => ({
	SdkAppid: sdkAppId as string,
	CallbackCommand: command,
	contenttype: 'json',
	Sign: callbackSign(token, requestTime),
	RequestTime: requestTime,
});
const inWindow = fc.integer({ min: -60, max: 60 });
const command = fc.constantFrom(...QUERY_COMMANDS);

const callbackCases: fc.Arbitrary<CallbackCase> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc
			.record({ skew: inWindow, command, body: goodBody })
			.map(({ skew, command: c, body }) => ({
				kind: 'valid' as const,
				query: signedQuery(String(NOW_S + skew), CALLBACK_TOKEN, c),
				body,
			})),
	},
	{
		weight: 1,
		arbitrary: fc
			.record({
				drop: fc.constantFrom<string[]>(['Sign'], ['RequestTime'], ['Sign', 'RequestTime']),
				empty: fc.boolean(),
				body: goodBody,
			})
			.map(({ drop, empty, body }) => {
				const query = signedQuery(String(NOW_S));
				for (const key of drop) {
					if (empty) query[key] = '';
					else delete query[key];
				}
				return { kind: 'unsigned' as const, query, body };
			}),
	},
	{
		weight: 3,
		arbitrary: fc
			.record({
				skew: inWindow,
				body: goodBody,
				sign: fc.oneof(
					fc.stringMatching(/^[0-9a-f]{64}$/),
					fc
						.string({ minLength: 1, maxLength: 80 })
						.filter((t) => t !== CALLBACK_TOKEN)
						.map((t) => ({ token: t })),
					fc.constantFrom(
						{ token: `${CALLBACK_TOKEN} ` },
						{ token: CALLBACK_TOKEN.slice(0, -1) },
						{ token: '' },
						{ token: CALLBACK_TOKEN.toUpperCase() },
						{ other: 1 },
						{ other: -1 },
						{ other: 3600 },
					),
					fc.constantFrom('truncate', 'extend', 'token', 'array', 'flip'),
					fc.string({ maxLength: 100 }).filter((t) => t.length > 0),
				),
			})
			.map(({ skew, body, sign }) => {
				const time = String(NOW_S + skew);
				const query = signedQuery(time);
				const right = String(query.Sign);
				if (typeof sign === 'object' && 'token' in sign)
					query.Sign = callbackSign(String(sign.token), time);
				else if (typeof sign === 'object')
					query.Sign = callbackSign(CALLBACK_TOKEN, String(NOW_S + skew + Number(sign.other)));
				else if (sign === 'truncate') query.Sign = right.slice(0, 63);
				else if (sign === 'extend') query.Sign = `${right}0`;
				else if (sign === 'token') query.Sign = CALLBACK_TOKEN;
				else if (sign === 'array') query.Sign = [right, right] as unknown as string;
				else if (sign === 'flip')
					query.Sign = right.slice(0, 10) + (right[10] === '0' ? '1' : '0') + right.slice(11);
				else query.Sign = sign;
				if (query.Sign === right) query.Sign = `${right}x`;
				return { kind: 'wrong-sign' as const, query, body };
			}),
	},
	{
		weight: 1,
		arbitrary: fc
			.record({ age: fc.integer({ min: 61, max: 10 ** 8 }), body: goodBody })
			.map(({ age, body }) => ({
				kind: 'stale' as const,
				query: signedQuery(String(NOW_S - age)),
				body,
			})),
	},
	{
		weight: 1,
		arbitrary: fc
			.record({ ahead: fc.integer({ min: 61, max: 10 ** 8 }), body: goodBody })
			.map(({ ahead, body }) => ({
				kind: 'future' as const,
				query: signedQuery(String(NOW_S + ahead)),
				body,
			})),
	},
	{
		weight: 1,
		arbitrary: fc
			.record({
				time: fc.constantFrom(
					`${NOW_S}.5`,
					`-${NOW_S}`,
					` ${NOW_S}`,
					`${NOW_S} `,
					'1e9',
					'0x69',
					`${NOW_S}000000`,
					'now',
					`+${NOW_S}`,
					'٣٣',
				),
				body: goodBody,
			})
			.map(({ time, body }) => ({ kind: 'bad-time' as const, query: signedQuery(time), body })),
	},
	{
		weight: 1,
		arbitrary: fc
			.record({
				app: fc.oneof(
					fc
						.integer({ min: 0, max: 2 ** 32 })
						.filter((n) => n !== TRIGGER_APP_ID)
						.map(String),
					fc.constantFrom(undefined, '', ` x`, `${TRIGGER_APP_ID}0`, `0${TRIGGER_APP_ID}`),
				),
				body: goodBody,
			})
			.map(({ app, body }) => {
				const query = signedQuery(String(NOW_S), CALLBACK_TOKEN, 'Push.AllMemberPush', app);
				if (app === undefined) delete query.SdkAppid;
				return { kind: 'wrong-app' as const, query, body };
			}),
	},
	{
		weight: 2,
		arbitrary: fc
			.record({ skew: inWindow, command, body: malformedBody })
			.map(({ skew, command: c, body }) => ({
				kind: 'malformed' as const,
				query: signedQuery(String(NOW_S + skew), CALLBACK_TOKEN, c),
				body,
			})),
	},
	{
		weight: 2,
		arbitrary: fc
			.record({ skew: inWindow, after: fc.integer({ min: 0, max: 240 }), body: goodBody })
			.map(({ skew, after, body }) => ({
				// The copy arrives `after` s later: within the window it starts nothing, past it it is stale.
				kind:
					NOW_S + after - (NOW_S + skew) > 60
						? ('replay-stale' as const)
						: ('replay-in-window' as const),
				query: signedQuery(String(NOW_S + skew)),
				body,
				replayAfter: after,
			})),
	},
);

/** Whether the body holds an event the trigger listens for (every command but Push.Unknown). */
function hasChosenEvent(query: IDataObject, body: unknown): boolean {
	const object = body as IDataObject;
	const events = Array.isArray(object.Events) ? (object.Events as IDataObject[]) : [object];
	return events.some((event) =>
		['Push.AllMemberPush', 'Push.OfflinePush'].includes(
			String(event.CallbackCommand ?? query.CallbackCommand),
		),
	);
}

/** A valid body whose events all lack a usable CallbackCommand is unreadable too. */
function readable(query: IDataObject, body: unknown): boolean {
	const object = body as IDataObject;
	if (!Array.isArray(object.Events)) return true;
	return (object.Events as IDataObject[]).every(
		(event) => event.CallbackCommand !== undefined || query.CallbackCommand !== '',
	);
}

const EXPECTED_STATUS: Record<CallbackKind, number> = {
	valid: 200,
	unsigned: 401,
	'wrong-sign': 401,
	stale: 401,
	future: 401,
	'bad-time': 401,
	'wrong-app': 403,
	malformed: 400,
	'replay-in-window': 200,
	'replay-stale': 401,
};

describe('Tencent Chat Push Trigger', () => {
	afterEach(() => {
		callbackClock.now = () => Date.now();
	});

	test(
		`${TRIGGER_RUNS} generated callbacks: none accepted that should not be, no crash, every correctly signed one accepted`,
		async () => {
			const tally: Record<string, { cases: number; started: number }> = {};
			let caseNumber = 0;
			await fc.assert(
				fc.asyncProperty(callbackCases, async (c) => {
					// Each case in a workflow of its own, so that only intended replays meet the replay memory.
					const workflowId = `wf-fuzz-${++caseNumber}`;
					const call = (atSeconds: number) => {
						callbackClock.now = () => atSeconds * 1000;
						return callTrigger({
							query: c.query,
							body: c.body,
							workflowId,
							events: ['Push.AllMemberPush', 'Push.OfflinePush'],
							credential: { callbackToken: CALLBACK_TOKEN },
						});
					};
					const findings: string[] = [];
					let outcome;
					try {
						if (c.replayAfter !== undefined) {
							const original = await call(NOW_S);
							const startsAtAll = readable(c.query, c.body) && hasChosenEvent(c.query, c.body);
							if (original.started !== startsAtAll)
								findings.push(
									`the original of a replay: started ${original.started}, expected ${startsAtAll}`,
								);
							outcome = await call(NOW_S + c.replayAfter);
						} else {
							outcome = await call(NOW_S);
						}
					} catch (error) {
						findings.push(`webhook() threw: ${(error as Error).stack}`);
					}
					if (outcome) {
						const readableValid = c.kind === 'valid' && readable(c.query, c.body);
						const shouldStart = readableValid && hasChosenEvent(c.query, c.body);
						const expectedStatus =
							c.kind === 'valid' && !readable(c.query, c.body) ? 400 : EXPECTED_STATUS[c.kind];
						if (outcome.started !== shouldStart)
							findings.push(`started ${outcome.started}, expected ${shouldStart}`);
						if (outcome.status !== expectedStatus)
							findings.push(`HTTP ${outcome.status}, expected ${expectedStatus}`);
						const envelope = outcome.body;
						if (
							expectedStatus === 200 &&
							(envelope.ActionStatus !== 'OK' || envelope.ErrorCode !== 0)
						)
							findings.push(`answer ${JSON.stringify(envelope)}, expected OK`);
						if (
							expectedStatus !== 200 &&
							(envelope.ActionStatus !== 'FAIL' || envelope.ErrorCode !== 1 || !envelope.ErrorInfo)
						)
							findings.push(
								`answer ${JSON.stringify(envelope)}, expected a FAIL envelope with a reason`,
							);
						if (JSON.stringify(envelope).includes(CALLBACK_TOKEN))
							findings.push('the answer contains the token');
						const t = (tally[c.kind] ??= { cases: 0, started: 0 });
						t.cases++;
						if (outcome.started) t.started++;
					}
					if (findings.length > 0) {
						throw new Error(
							`${c.kind}: ${findings.join('; ')}\nquery: ${JSON.stringify(c.query)}\nbody: ${JSON.stringify(c.body).slice(0, 1000)}\nreplayAfter: ${c.replayAfter}`,
						);
					}
				}),
				{
					seed: SEED + OPERATIONS.length,
					numRuns: TRIGGER_RUNS,
					endOnFailure: process.env.FUZZ_SHRINK !== '1',
				},
			);
			const total = Object.values(tally).reduce((n, t) => n + t.cases, 0);
			report(
				[
					`R2 trigger fuzz: ${total} callbacks (seed ${SEED + OPERATIONS.length}); started only when correctly signed, fresh, for this app, readable and new`,
					...Object.entries(tally)
						.sort(([a], [b]) => a.localeCompare(b))
						.map(
							([kind, t]) =>
								`  ${kind.padEnd(17)} ${String(t.cases).padStart(5)} callbacks ${String(t.started).padStart(5)} started`,
						),
				].join('\n'),
			);
			expect(total).toBe(TRIGGER_RUNS);
			expect(total).toBeGreaterThanOrEqual(2_000);
		},
		5 * 60_000,
	);
});
