import type { IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * OfflinePushInfo (docs/tencent-api.md#offline-push-info): the notification shown by APNs and the Android vendor channels.
 * Android and iOS options are table rows so that the UI fields and the body keys share one list.
 */
interface OptionRow {
	param: string;
	label: string;
	key: string;
	description: string;
	type: 'string' | 'options';
	options?: Array<{ name: string; value: string | number }>;
}

const IMPORTANCE = [
	{ name: 'Low (Marketing)', value: 'LOW' },
	{ name: 'Normal (Service and Communication)', value: 'NORMAL' },
];
const ZERO_ONE = (zero: string, one: string) => [
	{ name: zero, value: 0 },
	{ name: one, value: 1 },
];

const ANDROID: OptionRow[] = [
	{
		param: 'extAsHuaweiIntentParam',
		label: 'Ext as Huawei Intent Param',
		key: 'ExtAsHuaweiIntentParam',
		type: 'options',
		options: ZERO_ONE('No (Pass Ext as Action)', 'Yes (Pass Ext as Intent Parameters)'),
		description:
			'How Huawei hands Ext to the app; needs "open in-app page" configured in the console',
	},
	{
		param: 'googleChannelId',
		label: 'Google Channel ID',
		key: 'GoogleChannelID',
		type: 'string',
		description: 'FCM notification channel on Android 8+',
	},
	{
		param: 'googleImage',
		label: 'Google Image',
		key: 'GoogleImage',
		type: 'string',
		description: 'Icon URL for FCM, JPG or PNG up to 1 MB',
	},
	{
		param: 'honorImage',
		label: 'Honor Image',
		key: 'HonorImage',
		type: 'string',
		description: 'HTTPS icon URL for Honor',
	},
	{
		param: 'honorImportance',
		label: 'Honor Importance',
		key: 'HonorImportance',
		type: 'options',
		options: IMPORTANCE,
		description: 'Honor message classification',
	},
	{
		param: 'huaweiCategory',
		label: 'Huawei Category',
		key: 'HuaWeiCategory',
		type: 'string',
		description: 'Huawei self-classification such as IM or MARKETING; overrides the console value',
	},
	{
		param: 'huaweiChannelId',
		label: 'Huawei Channel ID',
		key: 'HuaWeiChannelID',
		type: 'string',
		description: 'Huawei notification channel (EMUI 10+); overrides the console value',
	},
	{
		param: 'huaweiImage',
		label: 'Huawei Image',
		key: 'HuaWeiImage',
		type: 'string',
		description: 'HTTPS icon URL for Huawei, under 512 KB',
	},
	{
		param: 'huaweiImportance',
		label: 'Huawei Importance',
		key: 'HuaWeiImportance',
		type: 'options',
		options: IMPORTANCE,
		description: 'Huawei message classification',
	},
	{
		param: 'meizuNoticeMsgType',
		label: 'Meizu Notice Message Type',
		key: 'MeiZuNoticeMsgType',
		type: 'options',
		options: ZERO_ONE('Public (Marketing)', 'Private Message'),
		description: 'Meizu message classification',
	},
	{
		param: 'oppoCategory',
		label: 'OPPO Category',
		key: 'OPPOCategory',
		type: 'string',
		description: 'OPPO classification such as IM or MARKETING',
	},
	{
		param: 'oppoChannelId',
		label: 'OPPO Channel ID',
		key: 'OPPOChannelID',
		type: 'string',
		description: 'OPPO notification channel on Android 8+',
	},
	{
		param: 'oppoPrivateMsgTemplateId',
		label: 'OPPO Private Message Template ID',
		key: 'OPPOPrivateMsgTemplateId',
		type: 'string',
		description: 'OPPO private-message template',
	},
	{
		param: 'sound',
		label: 'Sound',
		key: 'Sound',
		type: 'string',
		description: 'Sound file name, without extension',
	},
	{
		param: 'vivoCategory',
		label: 'Vivo Category',
		key: 'VIVOCategory',
		type: 'string',
		description: 'Vivo classification such as IM or MARKETING (replaces Vivo Classification)',
	},
	{
		param: 'vivoClassification',
		label: 'Vivo Classification',
		key: 'VIVOClassification',
		type: 'options',
		options: ZERO_ONE('Operational Message', 'System Message'),
		description: 'Older vivo classification',
	},
	{
		param: 'xiaomiChannelId',
		label: 'Xiaomi Channel ID',
		key: 'XiaoMiChannelID',
		type: 'string',
		description: 'Xiaomi notification channel; needed on Android 8+ or Xiaomi drops the push',
	},
];

const APNS: OptionRow[] = [
	{
		param: 'badgeMode',
		label: 'Badge Mode',
		key: 'BadgeMode',
		type: 'options',
		options: ZERO_ONE('Increment Badge', 'Do Not Count'),
		description: 'Whether the app badge counts this push',
	},
	{
		param: 'image',
		label: 'Image',
		key: 'Image',
		type: 'string',
		description: 'Image URL for a rich notification',
	},
	{
		param: 'mutableContent',
		label: 'Mutable Content',
		key: 'MutableContent',
		type: 'options',
		options: ZERO_ONE('Off', 'On (Notification Service Extension)'),
		description: 'Lets an iOS 10+ notification service extension modify the push',
	},
	{
		param: 'sound',
		label: 'Sound',
		key: 'Sound',
		type: 'string',
		description: 'Sound file name with extension',
	},
	{
		param: 'subTitle',
		label: 'Subtitle',
		key: 'SubTitle',
		type: 'string',
		description: 'iOS subtitle',
	},
	{
		param: 'title',
		label: 'Title',
		key: 'Title',
		type: 'string',
		description: 'Overrides the notification title on iOS',
	},
];

/**
 * Each vendor option is added on its own (a collection), so a choice field never needs a "not set"
 * value: a field the user did not add is not sent, and the console setting stays in force.
 */
function toProperties(rows: OptionRow[]): INodeProperties[] {
	return rows.map((row) => ({
		displayName: row.label,
		name: row.param,
		type: row.type,
		default: row.options ? row.options[0].value : '',
		description: row.description,
		...(row.options ? { options: row.options } : {}),
	}));
}

const isObject = (v: unknown): v is IDataObject =>
	v !== null && typeof v === 'object' && !Array.isArray(v);

/** The vendor fields; also accepts the `values` group of the old fixedCollection shape when a caller passes it. */
function vendorValues(raw: unknown): IDataObject | undefined {
	if (!isObject(raw)) return undefined;
	return isObject(raw.values) ? raw.values : raw;
}

function pick(rows: OptionRow[], values: IDataObject | undefined): IDataObject | undefined {
	const picked: IDataObject = {};
	for (const row of rows) {
		const value = values?.[row.param];
		if (value !== undefined && value !== '') picked[row.key] = value;
	}
	return Object.keys(picked).length > 0 ? picked : undefined;
}

/**
 * Additional Fields entries for the vendor options. Collections, not fixedCollections: n8n prunes
 * an empty fixedCollection inside a collection as soon as another field is added, so "Android
 * Options" used to vanish; a collection also lets the user add one vendor field at a time.
 */
export const vendorOptionFields: INodeProperties[] = [
	{
		displayName: 'Android Options',
		name: 'androidInfo',
		type: 'collection',
		default: {},
		placeholder: 'Add Android Option',
		description: 'Sound, vendor channels and classification for Android vendor push (AndroidInfo)',
		options: toProperties(ANDROID),
	},
	{
		displayName: 'iOS (APNs) Options',
		name: 'apnsInfo',
		type: 'collection',
		default: {},
		placeholder: 'Add iOS Option',
		description: 'Sound, badge, subtitle and image for APNs (ApnsInfo)',
		options: toProperties(APNS),
	},
];

export interface NotificationInput {
	title?: string;
	text?: string;
	ext?: unknown;
	/** false → PushFlag 1: deliver online only, no vendor/APNs notification. */
	offlinePush?: boolean;
	androidInfo?: IDataObject;
	apnsInfo?: IDataObject;
}

/** Ext may be typed as text or produced by an expression as an object; Tencent wants a string. */
function extToString(ext: unknown): string | undefined {
	if (ext === undefined || ext === null || ext === '') return undefined;
	return typeof ext === 'string' ? ext : JSON.stringify(ext);
}

export function buildOfflinePushInfo(input: NotificationInput): IDataObject | undefined {
	const info: IDataObject = {};
	if (input.offlinePush === false) info.PushFlag = 1;
	if (input.title) info.Title = input.title;
	if (input.text) info.Desc = input.text;
	const ext = extToString(input.ext);
	if (ext !== undefined) info.Ext = ext;
	const android = pick(ANDROID, vendorValues(input.androidInfo));
	if (android) info.AndroidInfo = android;
	const apns = pick(APNS, vendorValues(input.apnsInfo));
	if (apns) info.ApnsInfo = apns;
	return Object.keys(info).length > 0 ? info : undefined;
}
