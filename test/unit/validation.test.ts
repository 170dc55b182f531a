import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod/v4';

import { LIMITS, utf8Bytes } from '../../nodes/TencentChatPush/validation/limits';
import {
	accountsSchema,
	addTagSchema,
	removeAttrSchema,
	removeTagSchema,
	setAttrNameSchema,
	setAttrSchema,
} from '../../nodes/TencentChatPush/validation/management';
import {
	MESSAGE_TYPES,
	batchPushSchema,
	legacyPushSchema,
	revokeSchema,
	timpushPushSchema,
} from '../../nodes/TencentChatPush/validation/pushContent';
import {
	assertValid,
	findProblems,
	formatProblem,
	type Problem,
} from '../../nodes/TencentChatPush/validation/validate';

const node: INode = {
	id: 'n1',
	name: 'Tencent Chat Push',
	type: 'n8n-nodes-tencent-chat-push.tencentChatPush',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const HAN = '标'; // 3 bytes in UTF-8
const range = (n: number, prefix = 'u') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const timpush = (overrides: IDataObject = {}): IDataObject => ({
	MsgRandom: 1,
	Condition: { TagsAnd: ['vip'] },
	OfflinePushInfo: { Title: 'Hi', Desc: 'There' },
	...overrides,
});

const legacy = (overrides: IDataObject = {}): IDataObject => ({
	MsgRandom: 1,
	MsgLifeTime: 0,
	MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'Hello' } }],
	...overrides,
});

const batch = (overrides: IDataObject = {}): IDataObject => ({
	From_Account: 'administrator',
	To_Account: ['alice'],
	MsgRandom: 1,
	OfflinePushInfo: { Title: 'Hi', Desc: 'There' },
	...overrides,
});

/** Asserts exactly one problem, on `field`, whose message contains every fragment. */
function expectOneProblem(
	schema: z.ZodType,
	body: IDataObject,
	field: string,
	...fragments: string[]
): Problem {
	const problems = findProblems(schema, body);
	expect(problems).toHaveLength(1);
	const [problem] = problems;
	expect(problem.field).toBe(field);
	for (const fragment of fragments) expect(problem.message).toContain(fragment);
	return problem;
}

/** Asserts some problem on `field` carries every fragment (other problems may exist). */
function expectProblem(
	schema: z.ZodType,
	body: IDataObject,
	field: string,
	...fragments: string[]
): Problem {
	const problems = findProblems(schema, body);
	const match = problems.find(
		(p) => p.field === field && fragments.every((f) => p.message.includes(f)),
	);
	if (!match)
		throw new Error(
			`no problem on ${field} with ${fragments.join(' & ')} in ${JSON.stringify(problems)}`,
		);
	return match;
}

const expectValid = (schema: z.ZodType, body: IDataObject, maxBytes?: number) =>
	expect(findProblems(schema, body, maxBytes)).toEqual([]);

describe('baseline bodies are valid', () => {
	test('timpush push, legacy push and batch push', () => {
		expectValid(timpushPushSchema, timpush(), LIMITS.pushBodyBytes);
		expectValid(timpushPushSchema, timpush({ Condition: undefined }), LIMITS.pushBodyBytes);
		expectValid(legacyPushSchema, legacy(), LIMITS.pushBodyBytes);
		expectValid(batchPushSchema, batch());
	});
});

describe('tags in a condition', () => {
	test('50 bytes of multi-byte UTF-8 are accepted, 51 are not (error 90020)', () => {
		const fifty = HAN.repeat(16) + 'ab';
		expect(utf8Bytes(fifty)).toBe(50);
		expectValid(timpushPushSchema, timpush({ Condition: { TagsAnd: [fifty] } }));

		const fiftyOne = HAN.repeat(16) + 'abc';
		expect(utf8Bytes(fiftyOne)).toBe(51);
		const problem = expectOneProblem(
			timpushPushSchema,
			timpush({ Condition: { TagsAnd: [fiftyOne] } }),
			'Tags (All Of)',
			'51 bytes',
			'allows 50',
			'(error 90020)',
		);
		expect(problem.path).toBe('Condition.TagsAnd[0]');
	});

	test('bytes are counted, not characters: 17 × 3-byte characters are refused', () => {
		const seventeen = HAN.repeat(17);
		expect(seventeen.length).toBe(17);
		expectOneProblem(
			timpushPushSchema,
			timpush({ Condition: { TagsOr: [seventeen] } }),
			'Tags (Any Of)',
			'51 bytes',
			'(error 90020)',
		);
	});

	test('an empty tag is refused (error 90040)', () => {
		expectOneProblem(
			timpushPushSchema,
			timpush({ Condition: { TagsAnd: ['vip', ''] } }),
			'Tags (All Of)',
			'empty',
			'(error 90040)',
		);
	});

	test('an empty tag list is refused (error 90040)', () => {
		expectOneProblem(
			timpushPushSchema,
			timpush({ Condition: { TagsAnd: [] } }),
			'Tags (All Of)',
			'(error 90040)',
		);
		expectOneProblem(
			legacyPushSchema,
			legacy({ Condition: { TagsOr: [] } }),
			'Tags (Any Of)',
			'(error 90040)',
		);
	});

	test('10 tags per list are accepted, 11 are not (error 90032)', () => {
		expectValid(timpushPushSchema, timpush({ Condition: { TagsAnd: range(10, 't') } }));
		expectOneProblem(
			timpushPushSchema,
			timpush({ Condition: { TagsAnd: range(11, 't') } }),
			'Tags (All Of)',
			'At most 10',
			'(error 90032)',
		);
		expectOneProblem(
			timpushPushSchema,
			timpush({ Condition: { TagsOr: range(11, 't') } }),
			'Tags (Any Of)',
			'At most 10',
			'(error 90032)',
		);
	});

	test('a tag in both TagsAnd and TagsOr is refused (error 90022)', () => {
		expectOneProblem(
			timpushPushSchema,
			timpush({ Condition: { TagsAnd: ['a', 'b'], TagsOr: ['b', 'c'] } }),
			'Audience',
			"'b'",
			'both',
			'(error 90022)',
		);
		expectValid(timpushPushSchema, timpush({ Condition: { TagsAnd: ['a'], TagsOr: ['c'] } }));
	});

	test('a tag twice in one list is refused (error 90022)', () => {
		expectOneProblem(
			timpushPushSchema,
			timpush({ Condition: { TagsAnd: ['a', 'a'] } }),
			'Tags (All Of)',
			"'a' appears twice",
			'(error 90022)',
		);
	});

	test('a non-text tag is refused', () => {
		expectProblem(
			timpushPushSchema,
			timpush({ Condition: { TagsAnd: [5] } }),
			'Tags (All Of)',
			'must be text',
		);
	});
});

describe('audience kinds', () => {
	test('tags and attributes together are refused (error 90039)', () => {
		const body = timpush({ Condition: { TagsAnd: ['vip'], AttrsAnd: { city: 'sz' } } });
		expectOneProblem(timpushPushSchema, body, 'Audience', 'cannot be combined', '(error 90039)');
		expectOneProblem(
			legacyPushSchema,
			legacy({ Condition: { TagsOr: ['vip'], AttrsOr: { city: 'sz' } } }),
			'Audience',
			'(error 90039)',
		);
	});

	test('timpush refuses AttrsAnd with AttrsOr; the legacy API accepts them', () => {
		const condition = { AttrsAnd: { city: 'sz' }, AttrsOr: { level: '3' } };
		expectOneProblem(
			timpushPushSchema,
			timpush({ Condition: condition }),
			'Audience',
			'not both',
			'legacy API',
		);
		expectValid(legacyPushSchema, legacy({ Condition: condition }));
	});

	test('an empty attribute condition is refused (error 90033)', () => {
		expectOneProblem(
			timpushPushSchema,
			timpush({ Condition: { AttrsAnd: {} } }),
			'Attributes (All Of)',
			'(error 90033)',
		);
	});

	test('an attribute value in a condition is at most 50 bytes', () => {
		expectValid(timpushPushSchema, timpush({ Condition: { AttrsOr: { city: 'x'.repeat(50) } } }));
		expectOneProblem(
			timpushPushSchema,
			timpush({ Condition: { AttrsOr: { city: `${'x'.repeat(48)}${HAN}` } } }),
			'Attributes (Any Of)',
			'51 bytes',
			'allows 50',
			'(error 90033)',
		);
	});

	test('unknown condition keys are refused', () => {
		expectProblem(
			timpushPushSchema,
			timpush({ Condition: { TagsNot: ['x'] } }),
			'Audience',
			'TagsNot',
		);
	});
});

describe('MsgRandom (error 90005)', () => {
	test.each([0, 1, 2 ** 31, LIMITS.uint32Max])('%p is accepted', (value) => {
		expectValid(timpushPushSchema, timpush({ MsgRandom: value }));
	});

	test.each([-1, 2 ** 32, 1.5])('%p is refused with the range', (value) => {
		expectOneProblem(
			timpushPushSchema,
			timpush({ MsgRandom: value }),
			'MsgRandom',
			'(error 90005)',
		);
		if (value !== 1.5)
			expectOneProblem(
				timpushPushSchema,
				timpush({ MsgRandom: value }),
				'MsgRandom',
				'between 0 and 4294967295',
			);
	});

	test('text and missing values are refused', () => {
		expectOneProblem(
			timpushPushSchema,
			timpush({ MsgRandom: '5' }),
			'MsgRandom',
			'whole number',
			'(error 90005)',
		);
		expectProblem(timpushPushSchema, timpush({ MsgRandom: undefined }), 'MsgRandom');
		expectProblem(batchPushSchema, batch({ MsgRandom: 2 ** 32 }), 'MsgRandom', '(error 90005)');
	});
});

describe('MsgLifeTime (legacy, error 90026)', () => {
	test('0 to 604800 seconds are accepted', () => {
		expectValid(legacyPushSchema, legacy({ MsgLifeTime: 0 }));
		expectValid(legacyPushSchema, legacy({ MsgLifeTime: 604800 }));
	});

	test('more than 604800, negative or fractional values are refused', () => {
		expectOneProblem(
			legacyPushSchema,
			legacy({ MsgLifeTime: 604801 }),
			'Message Lifetime (Seconds)',
			'604800',
			'(error 90026)',
		);
		expectOneProblem(
			legacyPushSchema,
			legacy({ MsgLifeTime: -1 }),
			'Message Lifetime (Seconds)',
			'(error 90026)',
		);
		expectOneProblem(
			legacyPushSchema,
			legacy({ MsgLifeTime: 1.5 }),
			'Message Lifetime (Seconds)',
			'(error 90026)',
		);
	});

	test('timpush has no MsgLifeTime', () => {
		expectProblem(timpushPushSchema, timpush({ MsgLifeTime: 10 }), 'Request', 'MsgLifeTime');
	});
});

describe('request body size (error 90056)', () => {
	/** A timpush body whose JSON is exactly `bytes` long. */
	function bodyOf(bytes: number): IDataObject {
		const body = timpush({ OfflinePushInfo: { Title: 'Hi', Desc: '' } });
		const base = utf8Bytes(JSON.stringify(body));
		(body.OfflinePushInfo as IDataObject).Desc = 'd'.repeat(bytes - base);
		expect(utf8Bytes(JSON.stringify(body))).toBe(bytes);
		return body;
	}

	test('10,000 bytes are accepted, 10,001 are not', () => {
		expectValid(timpushPushSchema, bodyOf(10_000), LIMITS.pushBodyBytes);
		const problems = findProblems(timpushPushSchema, bodyOf(10_001), LIMITS.pushBodyBytes);
		expect(problems).toHaveLength(1);
		expect(problems[0].field).toBe('Request');
		expect(problems[0].path).toBe('(body)');
		expect(problems[0].message).toContain('10,001 bytes');
		expect(problems[0].message).toContain('10,000');
		expect(problems[0].message).toContain('(error 90056)');
	});

	test('multi-byte text counts in bytes', () => {
		const body = timpush({ OfflinePushInfo: { Title: 'Hi', Desc: HAN.repeat(3400) } });
		expect(JSON.stringify(body).length).toBeLessThan(10_000);
		expect(findProblems(timpushPushSchema, body).length).toBe(0);
		expect(
			findProblems(timpushPushSchema, body, LIMITS.pushBodyBytes)
				.map((p) => p.message)
				.join(),
		).toContain('(error 90056)');
	});

	test('without a size limit the size is not checked', () => {
		expectValid(timpushPushSchema, bodyOf(20_000));
	});
});

describe('message elements', () => {
	const MINIMAL: Record<string, IDataObject> = {
		TIMTextElem: { Text: 'Hello' },
		TIMLocationElem: { Desc: 'Shenzhen', Latitude: 22.5, Longitude: 114.05 },
		TIMFaceElem: { Index: 1 },
		TIMCustomElem: { Data: '{"k":1}' },
		TIMSoundElem: { Url: 'https://x/a.mp3', UUID: 'u1', Size: 10, Second: 2, Download_Flag: 2 },
		TIMImageElem: {
			UUID: 'u2',
			ImageFormat: 1,
			ImageInfoArray: [{ Type: 1, Size: 10, Width: 10, Height: 10, URL: 'https://x/a.jpg' }],
		},
		TIMFileElem: {
			Url: 'https://x/a.pdf',
			UUID: 'u3',
			FileSize: 10,
			FileName: 'a.pdf',
			Download_Flag: 2,
		},
		TIMVideoFileElem: {
			VideoUrl: 'https://x/v.mp4',
			VideoUUID: 'u4',
			VideoSize: 10,
			VideoSecond: 3,
			VideoFormat: 'mp4',
			VideoDownloadFlag: 2,
			ThumbUrl: 'https://x/t.jpg',
			ThumbUUID: 'u5',
			ThumbSize: 10,
			ThumbWidth: 10,
			ThumbHeight: 10,
			ThumbFormat: 'jpg',
			ThumbDownloadFlag: 2,
		},
	};

	test('the eight documented types are the known ones', () => {
		expect([...MESSAGE_TYPES].sort()).toEqual(Object.keys(MINIMAL).sort());
	});

	test.each(Object.keys(MINIMAL))(
		'%s with minimal content is valid (timpush and legacy)',
		(type) => {
			const MsgBody = [{ MsgType: type, MsgContent: MINIMAL[type] }];
			expectValid(timpushPushSchema, timpush({ MsgBody }));
			expectValid(legacyPushSchema, legacy({ MsgBody }));
		},
	);

	test('all eight in one message are valid', () => {
		expectValid(
			legacyPushSchema,
			legacy({
				MsgBody: Object.entries(MINIMAL).map(([MsgType, MsgContent]) => ({ MsgType, MsgContent })),
			}),
		);
	});

	test.each(Object.keys(MINIMAL))('%s without its first field is refused (error 90010)', (type) => {
		const content = { ...MINIMAL[type] };
		const [first] = Object.keys(content);
		delete content[first];
		const problem = expectProblem(
			legacyPushSchema,
			legacy({ MsgBody: [{ MsgType: type, MsgContent: content }] }),
			'Message',
			type,
			'(error 90010)',
		);
		expect(problem.path).toBe(`MsgBody[0].MsgContent.${first}`);
	});

	test('an empty text is refused (error 90010)', () => {
		expectOneProblem(
			legacyPushSchema,
			legacy({ MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '' } }] }),
			'Message',
			'Text is empty',
			'(error 90010)',
		);
	});

	test('an unknown type is refused with the list of known ones (error 90010)', () => {
		expectOneProblem(
			legacyPushSchema,
			legacy({ MsgBody: [{ MsgType: 'TIMStickerElem', MsgContent: {} }] }),
			'Message',
			"Unknown message type 'TIMStickerElem'",
			'TIMTextElem',
			'(error 90010)',
		);
	});

	test('two custom elements are refused (error 90010)', () => {
		const custom = { MsgType: 'TIMCustomElem', MsgContent: { Data: 'x' } };
		expectOneProblem(
			legacyPushSchema,
			legacy({ MsgBody: [custom, custom] }),
			'Message',
			'at most one custom element',
			'(error 90010)',
		);
		expectValid(
			legacyPushSchema,
			legacy({ MsgBody: [custom, { MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }] }),
		);
	});

	test('wrong literal values are refused', () => {
		const sound = { ...MINIMAL.TIMSoundElem, Download_Flag: 1 };
		expectProblem(
			legacyPushSchema,
			legacy({ MsgBody: [{ MsgType: 'TIMSoundElem', MsgContent: sound }] }),
			'Message',
			'TIMSoundElem',
		);
		const image = { ...MINIMAL.TIMImageElem, ImageFormat: 7 };
		expectProblem(
			legacyPushSchema,
			legacy({ MsgBody: [{ MsgType: 'TIMImageElem', MsgContent: image }] }),
			'Message',
			'TIMImageElem',
		);
		const noInfo = { ...MINIMAL.TIMImageElem, ImageInfoArray: [] };
		expectProblem(
			legacyPushSchema,
			legacy({ MsgBody: [{ MsgType: 'TIMImageElem', MsgContent: noInfo }] }),
			'Message',
			'TIMImageElem',
		);
	});

	test('an empty MsgBody (90002), a non-array (90007) and extra element keys are refused', () => {
		expectOneProblem(legacyPushSchema, legacy({ MsgBody: [] }), 'Message', '(error 90002)');
		expectOneProblem(
			legacyPushSchema,
			legacy({ MsgBody: { MsgType: 'TIMTextElem' } }),
			'Message',
			'(error 90007)',
		);
		expectProblem(
			legacyPushSchema,
			legacy({ MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' }, Extra: 1 }] }),
			'Message',
			'Extra',
		);
	});

	test('legacy needs a MsgBody; timpush needs a notification or a message (error 90002)', () => {
		expectProblem(legacyPushSchema, legacy({ MsgBody: undefined }), 'Message');
		expectOneProblem(
			timpushPushSchema,
			timpush({ OfflinePushInfo: undefined }),
			'Request',
			'Nothing to push',
			'(error 90002)',
		);
	});
});

describe('batch push (v4/timpush/batch)', () => {
	test('1 and 500 accounts are accepted; 0 and 501 are not', () => {
		expectValid(batchPushSchema, batch({ To_Account: ['a'] }));
		expectValid(batchPushSchema, batch({ To_Account: range(500) }));
		expectOneProblem(
			batchPushSchema,
			batch({ To_Account: [] }),
			'Accounts',
			'at least one account',
		);
		expectOneProblem(batchPushSchema, batch({ To_Account: range(501) }), 'Accounts', 'At most 500');
	});

	test('a DataId of 64 bytes is accepted, 65 is not (error 90057)', () => {
		expectValid(batchPushSchema, batch({ DataId: 'd'.repeat(64) }));
		expectOneProblem(
			batchPushSchema,
			batch({ DataId: 'd'.repeat(65) }),
			'Data ID',
			'65 bytes',
			'allows 64',
			'(error 90057)',
		);
		expectOneProblem(
			batchPushSchema,
			batch({ DataId: HAN.repeat(22) }),
			'Data ID',
			'66 bytes',
			'(error 90057)',
		);
	});

	test('accounts must be non-empty text (60015 / 70107)', () => {
		expectOneProblem(batchPushSchema, batch({ To_Account: [12345] }), 'Accounts', '(error 60015)');
		expectOneProblem(batchPushSchema, batch({ To_Account: ['  '] }), 'Accounts', '(error 70107)');
		expectOneProblem(batchPushSchema, batch({ From_Account: 7 }), 'From Account', '(error 60015)');
	});

	test('OfflinePushInfo is required and strict', () => {
		expectProblem(batchPushSchema, batch({ OfflinePushInfo: undefined }), 'Notification');
		expectProblem(
			batchPushSchema,
			batch({ OfflinePushInfo: { Title: 'x', Color: 'red' } }),
			'Notification',
			'Color',
		);
	});
});

describe('flags and notification options', () => {
	test('flags are 0 or 1 and name their field', () => {
		expectOneProblem(
			timpushPushSchema,
			timpush({ OnlineOnlyFlag: 2 }),
			'Online Only',
			'Online Only must be 0 or 1',
		);
		expectOneProblem(
			timpushPushSchema,
			timpush({ OfflinePushInfo: { Title: 'x', PushFlag: 3 } }),
			'Offline Push',
			'Push Flag must be 0 or 1',
		);
		expectOneProblem(
			timpushPushSchema,
			timpush({ OfflinePushInfo: { Title: 'x', ApnsInfo: { BadgeMode: 2 } } }),
			'iOS (APNs) Options',
			'Badge Mode must be 0 or 1',
		);
		expectOneProblem(
			timpushPushSchema,
			timpush({ OfflinePushInfo: { Title: 'x', AndroidInfo: { HuaWeiImportance: 'HIGH' } } }),
			'Android Options',
		);
	});

	test('Title and Desc must be text and map to their fields', () => {
		expectOneProblem(
			timpushPushSchema,
			timpush({ OfflinePushInfo: { Title: 1 } }),
			'Notification Title',
		);
		expectOneProblem(
			timpushPushSchema,
			timpush({ OfflinePushInfo: { Desc: [] } }),
			'Notification Text',
		);
	});
});

describe('add_tag / remove_tag', () => {
	const addBody = (tags: string[], replace?: 0 | 1, users = 1): IDataObject => ({
		...(replace === undefined ? {} : { Replace: replace }),
		UserTags: range(users).map((To_Account) => ({ To_Account, Tags: tags })),
	});

	test('10 tags per user without Replace, 11 refused (error 90032)', () => {
		expectValid(addTagSchema(false), addBody(range(10, 't')));
		expectOneProblem(
			addTagSchema(false),
			addBody(range(11, 't')),
			'Tags',
			'At most 10',
			'Replace',
			'(error 90032)',
		);
	});

	test('100 tags per user with Replace, 101 refused (error 90032)', () => {
		expectValid(addTagSchema(true), addBody(range(100, 't'), 1));
		expectOneProblem(
			addTagSchema(true),
			addBody(range(101, 't'), 1),
			'Tags',
			'At most 100',
			'(error 90032)',
		);
	});

	test('a tag is needed with and without Replace (Tencent: 90001); Remove All is named as the way to clear', () => {
		expectOneProblem(addTagSchema(true), addBody([], 1), 'Tags', 'User Tag → Remove All');
		expectOneProblem(addTagSchema(false), addBody([]), 'Tags', 'at least one tag (error 90001)');
	});

	test('tags are checked like condition tags (50 bytes, empty, duplicates)', () => {
		expectOneProblem(addTagSchema(false), addBody([HAN.repeat(17)]), 'Tags', '(error 90020)');
		expectOneProblem(addTagSchema(false), addBody(['']), 'Tags', '(error 90040)');
		expectOneProblem(addTagSchema(false), addBody(['a', 'a']), 'Tags', 'appears twice');
	});

	test('at most 100 users per request (error 90018)', () => {
		expectValid(addTagSchema(false), addBody(['t'], undefined, 100));
		expectOneProblem(
			addTagSchema(false),
			addBody(['t'], undefined, 101),
			'Tags',
			'At most 100 accounts',
			'(error 90018)',
		);
		expectOneProblem(
			removeTagSchema,
			{ UserTags: range(101).map((To_Account) => ({ To_Account, Tags: ['t'] })) },
			'Tags',
			'(error 90018)',
		);
	});

	test('remove_tag needs at least one tag per user', () => {
		expectValid(removeTagSchema, { UserTags: [{ To_Account: 'a', Tags: ['t'] }] });
		expectOneProblem(
			removeTagSchema,
			{ UserTags: [{ To_Account: 'a', Tags: [] }] },
			'Tags',
			'at least one tag',
		);
	});
});

describe('accounts for get/remove-all (≤ 100 users, error 90018)', () => {
	test('1 and 100 accepted, 0 and 101 refused', () => {
		expectValid(accountsSchema, { To_Account: ['a'] });
		expectValid(accountsSchema, { To_Account: range(100) });
		expectOneProblem(accountsSchema, { To_Account: [] }, 'Accounts', 'at least one account');
		expectOneProblem(
			accountsSchema,
			{ To_Account: range(101) },
			'Accounts',
			'At most 100 accounts',
			'(error 90018)',
		);
	});
});

describe('user attributes', () => {
	test('a value of 50 bytes is accepted, 51 is not (error 90033)', () => {
		expectValid(setAttrSchema, {
			UserAttrs: [{ To_Account: 'a', Attrs: { city: HAN.repeat(16) + 'ab' } }],
		});
		expectOneProblem(
			setAttrSchema,
			{ UserAttrs: [{ To_Account: 'a', Attrs: { city: HAN.repeat(17) } }] },
			'Attributes',
			'Attribute value',
			'51 bytes',
			'allows 50',
			'(error 90033)',
		);
	});

	test('attribute names: not empty, at most 50 bytes', () => {
		expectOneProblem(
			setAttrSchema,
			{ UserAttrs: [{ To_Account: 'a', Attrs: { ' ': 'x' } }] },
			'Attributes',
			'name is empty',
			'(error 90033)',
		);
		expectOneProblem(
			setAttrSchema,
			{ UserAttrs: [{ To_Account: 'a', Attrs: { ['n'.repeat(51)]: 'x' } }] },
			'Attributes',
			'51 bytes',
			'(error 90033)',
		);
		expectOneProblem(
			removeAttrSchema,
			{ UserAttrs: [{ To_Account: 'a', Attrs: ['n'.repeat(51)] }] },
			'Attributes',
			'(error 90033)',
		);
	});

	test('at least one attribute, at most 100 users (error 90018)', () => {
		expectOneProblem(
			setAttrSchema,
			{ UserAttrs: [{ To_Account: 'a', Attrs: {} }] },
			'Attributes',
			'at least one attribute',
		);
		const many = range(101).map((To_Account) => ({ To_Account, Attrs: { city: 'x' } }));
		expectOneProblem(setAttrSchema, { UserAttrs: many }, 'Attributes', '(error 90018)');
		expectValid(setAttrSchema, { UserAttrs: many.slice(0, 100) });
	});
});

describe('set_attr_name', () => {
	test('slots 0 to 9 are accepted', () => {
		const names = Object.fromEntries(range(10, '').map((slot) => [slot, `name${slot}`]));
		expectValid(setAttrNameSchema('timpush'), { AttrNames: names });
		expectValid(setAttrNameSchema('legacy'), { AttrNames: names });
	});

	test('slot 10 or a non-numeric slot is refused', () => {
		expectOneProblem(
			setAttrNameSchema('timpush'),
			{ AttrNames: { '10': 'city' } },
			'Attribute Names',
			'numbered 0 to 9',
		);
		expectOneProblem(
			setAttrNameSchema('timpush'),
			{ AttrNames: { a: 'city' } },
			'Attribute Names',
			'numbered 0 to 9',
		);
	});

	test('duplicate names are refused (error 90033)', () => {
		expectOneProblem(
			setAttrNameSchema('timpush'),
			{ AttrNames: { '0': 'city', '1': 'city' } },
			'Attribute Names',
			"'city' appears twice",
			'(error 90033)',
		);
	});

	test('empty and over-long names are refused (error 90033)', () => {
		expectOneProblem(
			setAttrNameSchema('timpush'),
			{ AttrNames: { '0': '' } },
			'Attribute Names',
			'empty',
			'(error 90033)',
		);
		expectOneProblem(
			setAttrNameSchema('timpush'),
			{ AttrNames: { '0': HAN.repeat(17) } },
			'Attribute Names',
			'51 bytes',
			'(error 90033)',
		);
	});

	test('at least one name', () => {
		expectOneProblem(
			setAttrNameSchema('timpush'),
			{ AttrNames: {} },
			'Attribute Names',
			'at least one',
		);
	});

	test('an AttrTypes key without a name in the same slot is refused (error 90033)', () => {
		expectValid(setAttrNameSchema('timpush'), {
			AttrNames: { '0': 'city' },
			AttrTypes: { '0': 1 },
		});
		const problems = findProblems(setAttrNameSchema('timpush'), {
			AttrNames: { '0': 'city' },
			AttrTypes: { '2': 1 },
		});
		expect(problems).toHaveLength(1);
		expect(problems[0].message).toContain(
			'Every account type needs an attribute name in the same slot',
		);
		expect(problems[0].message).toContain('(error 90033)');
	});

	test('AttrTypes values are 0 or 1, and only on the push service', () => {
		expectOneProblem(
			setAttrNameSchema('timpush'),
			{ AttrNames: { '0': 'city' }, AttrTypes: { '0': 2 } },
			'Account Types',
			'Account Type must be 0 or 1',
		);
		expectProblem(
			setAttrNameSchema('legacy'),
			{ AttrNames: { '0': 'city' }, AttrTypes: { '0': 1 } },
			'Account Types',
		);
	});
});

describe('revoke', () => {
	const overwrite = { Title: 'Withdrawn', Desc: 'This message was withdrawn' };

	test('a Task ID is required (error 90049)', () => {
		expectValid(revokeSchema, { TaskId: 'task-1', OfflinePushInfo: overwrite });
		expectOneProblem(
			revokeSchema,
			{ TaskId: '  ', OfflinePushInfo: overwrite },
			'Task ID',
			'(error 90049)',
		);
	});

	test("OfflinePushInfo with a text is required: Tencent's current page (269/105123) makes it mandatory", () => {
		expectOneProblem(
			revokeSchema,
			{ TaskId: 'task-1' },
			'Notification',
			'OfflinePushInfo is required',
		);
		expectOneProblem(
			revokeSchema,
			{ TaskId: 'task-1', OfflinePushInfo: {} },
			'Notification Text',
			'needs a text',
		);
		expectOneProblem(
			revokeSchema,
			{ TaskId: 'task-1', OfflinePushInfo: { Title: 'x', Desc: '  ' } },
			'Notification Text',
			'needs a text',
		);
		expectValid(revokeSchema, {
			TaskId: 'task-1',
			OfflinePushInfo: { Desc: 'gone', Ext: '{"k":1}' },
		});
	});
});

describe('assertValid', () => {
	test('passes silently on a valid body', () => {
		expect(() =>
			assertValid(node, timpushPushSchema, timpush(), 0, LIMITS.pushBodyBytes),
		).not.toThrow();
	});

	test('throws a NodeOperationError: first problem as message, the others in the description without internal paths', () => {
		const body = timpush({ MsgRandom: -1, Condition: { TagsAnd: ['a', ''] } });
		let thrown: unknown;
		try {
			assertValid(node, timpushPushSchema, body, 3, LIMITS.pushBodyBytes);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(NodeOperationError);
		const error = thrown as NodeOperationError;
		const problems = findProblems(timpushPushSchema, body, LIMITS.pushBodyBytes);
		expect(problems).toHaveLength(2);
		expect(error.message).toBe(formatProblem(problems[0]));
		expect(error.description).toContain('Nothing was sent to Tencent.');
		// The message is the first problem; the description adds the others, without internal paths.
		expect(error.message).toBe(
			'MsgRandom: MsgRandom must be between 0 and 4294967295 (error 90005)',
		);
		expect(error.description).toBe(
			'Nothing was sent to Tencent. Also: Tags (All Of): A tag is empty; Tencent rejects empty tags (error 90040)',
		);
		expect(error.context.itemIndex).toBe(3);
	});

	test('a body-size problem alone is thrown as well', () => {
		const body = timpush({ OfflinePushInfo: { Title: 'x', Desc: 'y'.repeat(10_000) } });
		expect(() => assertValid(node, timpushPushSchema, body, 0, LIMITS.pushBodyBytes)).toThrow(
			/^The request body is .*\(error 90056\)$/,
		);
	});
});
