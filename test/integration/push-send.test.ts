/**
 * Push → Send against the emulator, both API families: the exact body the emulator recorded,
 * the delivery list of the task it created, and the output item of the node.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import {
	type LoggedRequest,
	attributeRows,
	errorText,
	recipients,
	sendParams,
	useEmulator,
} from './setup';

const ctx = useEmulator({ fixture: 'integration-push.json' });

const NOTIFICATION = { Title: 'Hello', Desc: 'World' };
const TEXT_MESSAGE = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'Hi there' } }];
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** Every UserID of the fixture, and the RegistrationID that only notification pushes reach. */
const USER_IDS = ['administrator', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'];
const REGISTRATION_ID = 'reg-7f3a9c2e';

type Family = 'timpush' | 'legacy';
const ENDPOINT: Record<Family, string> = {
	timpush: 'timpush/push',
	legacy: 'all_member_push/im_push',
};
const API: Record<Family, string> = {
	timpush: 'v4/timpush/push',
	legacy: 'v4/all_member_push/im_push',
};

/** Legacy pushes always carry a message (and MsgLifeTime); new-family pushes here are notification-only. */
function familyParams(api: Family, overrides: IDataObject = {}): IDataObject {
	return sendParams({
		api,
		...(api === 'legacy' ? { message: 'text', messageText: 'Hi there' } : {}),
		...overrides,
	});
}

function expectedBody(
	api: Family,
	condition: IDataObject | undefined,
	msgRandom: number,
): IDataObject {
	return {
		...(condition ? { Condition: condition } : {}),
		...(api === 'legacy' ? { MsgLifeTime: 0, MsgBody: TEXT_MESSAGE } : {}),
		OfflinePushInfo: NOTIFICATION,
		MsgRandom: msgRandom,
	};
}

async function onlyRequest(endpoint: string): Promise<LoggedRequest> {
	const requests = await ctx.requests(endpoint);
	expect(requests).toHaveLength(1);
	expect(requests[0].errorCode).toBe(0);
	expect(requests[0].warnings).toEqual([]);
	return requests[0];
}

interface AudienceCase {
	name: string;
	params: IDataObject;
	condition?: IDataObject;
	words: string;
	recipients: Record<Family, string[]>;
}

const AUDIENCES: AudienceCase[] = [
	{
		name: 'all users',
		params: { audience: 'all' },
		words: 'all users',
		recipients: { timpush: [...USER_IDS, REGISTRATION_ID].sort(), legacy: USER_IDS },
	},
	{
		name: 'TagsAnd',
		params: { audience: 'tags', tagsAnd: 'vip, beta', tagsOr: '' },
		condition: { TagsAnd: ['vip', 'beta'] },
		words: 'users tagged with all of "vip", "beta"',
		recipients: { timpush: ['alice'], legacy: ['alice'] },
	},
	{
		name: 'TagsOr (JSON list, multi-byte tag)',
		params: { audience: 'tags', tagsAnd: '', tagsOr: '["ios", "会员"]' },
		condition: { TagsOr: ['ios', '会员'] },
		words: 'users tagged with any of "ios", "会员"',
		recipients: { timpush: ['dave', 'erin', 'frank'], legacy: ['dave', 'erin', 'frank'] },
	},
	{
		name: 'AttrsAnd',
		params: {
			audience: 'attributes',
			attributesAnd: attributeRows({ city: 'Shenzhen', level: 'gold' }),
			attributesOr: {},
		},
		condition: { AttrsAnd: { city: 'Shenzhen', level: 'gold' } },
		words: 'users whose city is "Shenzhen" and level is "gold"',
		recipients: { timpush: ['alice'], legacy: ['alice'] },
	},
	{
		name: 'AttrsOr',
		params: {
			audience: 'attributes',
			attributesAnd: {},
			attributesOr: attributeRows({ city: 'Beijing', level: 'platinum' }),
		},
		condition: { AttrsOr: { city: 'Beijing', level: 'platinum' } },
		words: 'users whose city is "Beijing" or level is "platinum"',
		recipients: { timpush: ['bob', 'erin', 'frank'], legacy: ['bob', 'erin', 'frank'] },
	},
	{
		name: 'AttrsAnd with a multi-byte attribute name and value',
		params: {
			audience: 'attributes',
			attributesAnd: attributeRows({ 地区: '华南' }),
			attributesOr: {},
		},
		condition: { AttrsAnd: { 地区: '华南' } },
		words: 'users whose 地区 is "华南"',
		recipients: { timpush: ['carol', 'erin'], legacy: ['carol', 'erin'] },
	},
];

describe.each<Family>(['timpush', 'legacy'])('Send (%s)', (api) => {
	test.each(AUDIENCES)('$name: exact body, delivery list and output item', async (audience) => {
		const result = await ctx.run({ parameters: familyParams(api, audience.params) });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const output = result.items[0];

		const request = await onlyRequest(ENDPOINT[api]);
		expect(request.json).toEqual(
			expectedBody(api, audience.condition, output.json.msgRandom as number),
		);

		const tasks = await ctx.tasks();
		expect(tasks).toHaveLength(1);
		expect(recipients(tasks[0])).toEqual(audience.recipients[api]);

		expect(output).toEqual({
			json: {
				taskId: tasks[0].taskId,
				api: API[api],
				msgRandom: request.json!.MsgRandom,
				audience: audience.words,
				attempts: 1,
				// Legacy MsgLifeTime 0 (Tencent's default) reaches online users only: the output says so.
				...(api === 'legacy'
					? {
							warnings: [
								expect.stringMatching(
									/^Message Lifetime is 0: on the legacy API that means online users only/,
								),
							],
						}
					: {}),
			},
			pairedItem: { item: 0 },
		});
		expect(request.taskId).toBe(tasks[0].taskId);

		// Attribute audiences are checked against the app's names first (one read), never otherwise.
		const reads = await ctx.requests(
			api === 'timpush' ? 'timpush/get_attr_name' : 'all_member_push/im_get_attr_name',
		);
		expect(reads).toHaveLength(audience.params.audience === 'attributes' ? 1 : 0);
		// docs/tencent-api.md#conventions: an API without fields still gets a body, `{}`.
		for (const read of reads) expect(read).toMatchObject({ body: '{}', errorCode: 0 });
	});
});

test('legacy: TagsAnd and TagsOr together select the intersection (both lists must hold)', async () => {
	const result = await ctx.run({
		parameters: familyParams('legacy', { audience: 'tags', tagsAnd: 'vip', tagsOr: 'ios, 会员' }),
	});
	expect(result.error).toBeUndefined();
	const request = await onlyRequest(ENDPOINT.legacy);
	expect(request.json!.Condition).toEqual({ TagsAnd: ['vip'], TagsOr: ['ios', '会员'] });
	expect(recipients((await ctx.tasks())[0])).toEqual(['erin']);
	expect(result.items[0].json.audience).toBe(
		'users tagged with all of "vip", and tagged with any of "ios", "会员"',
	);
});

test('legacy: From Account and Message Lifetime go into the body; stored for offline users', async () => {
	const result = await ctx.run({
		parameters: familyParams('legacy', {
			additionalFields: { fromAccount: 'alice', msgLifeTime: 3600, msgRandom: 123456 },
		}),
	});
	expect(result.error).toBeUndefined();
	const request = await onlyRequest(ENDPOINT.legacy);
	expect(request.json).toEqual({
		From_Account: 'alice',
		MsgLifeTime: 3600,
		MsgBody: TEXT_MESSAGE,
		OfflinePushInfo: NOTIFICATION,
		MsgRandom: 123456,
	});
	const [task] = await ctx.tasks();
	expect(task.fromAccount).toBe('alice');
	expect(task.deliveries.find((d) => d.userId === 'bob')).toMatchObject({
		online: false,
		stored: true,
	});
	expect(result.items[0].json.msgRandom).toBe(123456);
});

test('legacy requires a message: a clear error and nothing sent', async () => {
	const result = await ctx.run({ parameters: sendParams({ api: 'legacy', message: 'none' }) });
	expect(result.items).toHaveLength(0);
	expect(result.error?.message).toMatch(/^Message: .*message is required.*\(error 90002\)/);
	expect(await ctx.apiRequestCount()).toBe(0);
});

describe('message builder', () => {
	test('text message on the push service, with Online Only', async () => {
		const result = await ctx.run({
			parameters: sendParams({
				message: 'text',
				messageText: '你好 👋',
				additionalFields: { onlineOnly: true },
			}),
		});
		expect(result.error).toBeUndefined();
		const request = await onlyRequest(ENDPOINT.timpush);
		expect(request.json).toEqual({
			OnlineOnlyFlag: 1,
			MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '你好 👋' } }],
			OfflinePushInfo: NOTIFICATION,
			MsgRandom: result.items[0].json.msgRandom,
		});
		const [task] = await ctx.tasks();
		expect(task.variant).toBe('message');
		expect(task.stored).toBe(false);
		// An IM message reaches IM accounts only (no RegistrationID).
		expect(recipients(task)).toEqual(USER_IDS);
	});

	test('all eight element types reach the emulator in the documented shape', async () => {
		const element = [
			{ type: 'text', text: 'Order 42 shipped 📦' },
			{ type: 'location', desc: '腾讯滨海大厦', latitude: 22.5228, longitude: 113.9353 },
			{ type: 'face', index: 3, data: 'smile' },
			{
				type: 'custom',
				data: '{"order":42}',
				desc: 'Your order shipped',
				ext: '{"deeplink":"app://orders/42"}',
				sound: 'ding.caf',
			},
			{ type: 'sound', url: 'https://cdn.example.com/voice.m4a', uuid: '', size: 2048, second: 3 },
			{
				type: 'image',
				url: 'https://cdn.example.com/photo.png',
				uuid: 'img-uuid-1',
				size: 1024,
				imageFormat: 3,
				width: 640,
				height: 480,
			},
			{
				type: 'file',
				url: 'https://cdn.example.com/report.pdf',
				uuid: '',
				size: 4096,
				fileName: 'report.pdf',
			},
			{
				type: 'video',
				videoUrl: 'https://cdn.example.com/clip.mp4',
				videoUuid: '',
				videoSize: 1048576,
				videoSecond: 12,
				videoFormat: 'mp4',
				thumbUrl: 'https://cdn.example.com/clip.jpg',
				thumbUuid: 'thumb-uuid-1',
				thumbSize: 20480,
				thumbWidth: 320,
				thumbHeight: 180,
				thumbFormat: 'jpg',
			},
		];
		const result = await ctx.run({
			parameters: sendParams({ message: 'elements', messageElements: { element } }),
		});
		expect(result.error).toBeUndefined();

		const request = await onlyRequest(ENDPOINT.timpush);
		const expected = [
			{ MsgType: 'TIMTextElem', MsgContent: { Text: 'Order 42 shipped 📦' } },
			{
				MsgType: 'TIMLocationElem',
				MsgContent: { Desc: '腾讯滨海大厦', Latitude: 22.5228, Longitude: 113.9353 },
			},
			{ MsgType: 'TIMFaceElem', MsgContent: { Index: 3, Data: 'smile' } },
			{
				MsgType: 'TIMCustomElem',
				MsgContent: {
					Data: '{"order":42}',
					Desc: 'Your order shipped',
					Ext: '{"deeplink":"app://orders/42"}',
					Sound: 'ding.caf',
				},
			},
			{
				MsgType: 'TIMSoundElem',
				MsgContent: {
					Url: 'https://cdn.example.com/voice.m4a',
					UUID: md5('https://cdn.example.com/voice.m4a'),
					Size: 2048,
					Second: 3,
					Download_Flag: 2,
				},
			},
			{
				MsgType: 'TIMImageElem',
				MsgContent: {
					UUID: 'img-uuid-1',
					ImageFormat: 3,
					ImageInfoArray: [1, 2, 3].map((Type) => ({
						Type,
						Size: 1024,
						Width: 640,
						Height: 480,
						URL: 'https://cdn.example.com/photo.png',
					})),
				},
			},
			{
				MsgType: 'TIMFileElem',
				MsgContent: {
					Url: 'https://cdn.example.com/report.pdf',
					UUID: md5('https://cdn.example.com/report.pdf'),
					FileSize: 4096,
					FileName: 'report.pdf',
					Download_Flag: 2,
				},
			},
			{
				MsgType: 'TIMVideoFileElem',
				MsgContent: {
					VideoUrl: 'https://cdn.example.com/clip.mp4',
					VideoUUID: md5('https://cdn.example.com/clip.mp4'),
					VideoSize: 1048576,
					VideoSecond: 12,
					VideoFormat: 'mp4',
					VideoDownloadFlag: 2,
					ThumbUrl: 'https://cdn.example.com/clip.jpg',
					ThumbUUID: 'thumb-uuid-1',
					ThumbSize: 20480,
					ThumbWidth: 320,
					ThumbHeight: 180,
					ThumbFormat: 'jpg',
					ThumbDownloadFlag: 2,
				},
			},
		];
		expect(request.json!.MsgBody).toEqual(expected);
		// The emulator validated every element against docs/tencent-api.md#msgbody and stored the message as sent.
		const [task] = await ctx.tasks();
		expect(task.content.msgBody).toEqual(expected);
	});

	test('raw MsgBody JSON is sent as given (legacy)', async () => {
		const msgBody = [
			{ MsgType: 'TIMTextElem', MsgContent: { Text: 'raw' } },
			{ MsgType: 'TIMCustomElem', MsgContent: { Data: '{"k":"值"}', Desc: 'custom' } },
		];
		const result = await ctx.run({
			parameters: sendParams({
				api: 'legacy',
				message: 'json',
				messageJson: JSON.stringify(msgBody),
			}),
		});
		expect(result.error).toBeUndefined();
		const request = await onlyRequest(ENDPOINT.legacy);
		expect(request.json!.MsgBody).toEqual(msgBody);
	});
});

describe('OfflinePushInfo', () => {
	test('every Android and APNs option, Ext and Offline Push off land in the body', async () => {
		const additionalFields = {
			notificationExt: '{"entity":{"key1":"value1"}}',
			offlinePush: false,
			androidInfo: {
				extAsHuaweiIntentParam: 1,
				googleChannelId: 'fcm-channel',
				googleImage: 'https://img.example.com/g.png',
				honorImage: 'https://img.example.com/honor.png',
				honorImportance: 'NORMAL',
				huaweiCategory: 'IM',
				huaweiChannelId: 'hw-channel',
				huaweiImage: 'https://img.example.com/hw.png',
				huaweiImportance: 'NORMAL',
				meizuNoticeMsgType: 1,
				oppoCategory: 'IM',
				oppoChannelId: 'oppo-channel',
				oppoPrivateMsgTemplateId: 'tpl-1',
				sound: 'android_ring',
				vivoCategory: 'IM',
				vivoClassification: 1,
				xiaomiChannelId: 'mi-channel',
			},
			apnsInfo: {
				badgeMode: 1,
				image: 'https://img.example.com/ios.png',
				mutableContent: 1,
				sound: 'apns.caf',
				subTitle: '副标题',
				title: 'iOS title',
			},
		};
		const result = await ctx.run({ parameters: sendParams({ additionalFields }) });
		expect(result.error).toBeUndefined();
		const request = await onlyRequest(ENDPOINT.timpush);
		expect(request.json!.OfflinePushInfo).toEqual({
			PushFlag: 1,
			Title: 'Hello',
			Desc: 'World',
			Ext: '{"entity":{"key1":"value1"}}',
			AndroidInfo: {
				ExtAsHuaweiIntentParam: 1,
				GoogleChannelID: 'fcm-channel',
				GoogleImage: 'https://img.example.com/g.png',
				HonorImage: 'https://img.example.com/honor.png',
				HonorImportance: 'NORMAL',
				HuaWeiCategory: 'IM',
				HuaWeiChannelID: 'hw-channel',
				HuaWeiImage: 'https://img.example.com/hw.png',
				HuaWeiImportance: 'NORMAL',
				MeiZuNoticeMsgType: 1,
				OPPOCategory: 'IM',
				OPPOChannelID: 'oppo-channel',
				OPPOPrivateMsgTemplateId: 'tpl-1',
				Sound: 'android_ring',
				VIVOCategory: 'IM',
				VIVOClassification: 1,
				XiaoMiChannelID: 'mi-channel',
			},
			ApnsInfo: {
				BadgeMode: 1,
				Image: 'https://img.example.com/ios.png',
				MutableContent: 1,
				Sound: 'apns.caf',
				SubTitle: '副标题',
				Title: 'iOS title',
			},
		});
		// PushFlag 1: online delivery only, no vendor notification for offline users.
		const [task] = await ctx.tasks();
		expect(task.deliveries.filter((d) => d.offlinePush)).toEqual([]);
	});

	test('choosing only a sound sends only the sound (no vendor classification defaults)', async () => {
		const result = await ctx.run({
			parameters: sendParams({
				additionalFields: { androidInfo: { sound: 'ring' }, apnsInfo: { sound: 'a.caf' } },
			}),
		});
		expect(result.error).toBeUndefined();
		const request = await onlyRequest(ENDPOINT.timpush);
		expect(request.json!.OfflinePushInfo).toEqual({
			...NOTIFICATION,
			AndroidInfo: { Sound: 'ring' },
			ApnsInfo: { Sound: 'a.caf' },
		});
	});
});

test('two items make two pushes, each output item paired with its own input item', async () => {
	const result = await ctx.run({
		parameters: sendParams({ audience: 'tags', tagsAnd: '={{ $json.tag }}', tagsOr: '' }),
		items: [{ tag: 'android' }, { tag: 'ios' }],
	});
	expect(errorText(result).trim()).toBe('');
	const requests = await ctx.requests(ENDPOINT.timpush);
	expect(requests.map((r) => r.json!.Condition)).toEqual([
		{ TagsAnd: ['android'] },
		{ TagsAnd: ['ios'] },
	]);
	const tasks = await ctx.tasks();
	expect(tasks.map(recipients)).toEqual([
		['carol', 'frank'],
		['dave', 'erin'],
	]);
	expect(result.items.map((i) => [i.pairedItem, i.json.taskId])).toEqual([
		[{ item: 0 }, tasks[0].taskId],
		[{ item: 1 }, tasks[1].taskId],
	]);
});
