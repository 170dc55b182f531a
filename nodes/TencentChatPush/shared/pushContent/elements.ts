/**
 * Why one file: one table row per element kind makes both the UI fields and the MsgBody; split, the
 * two could drift apart.
 */
import { createHash } from 'crypto';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * The message-element builder: one row per MsgContent field (docs/tencent-api.md#msgbody), from which both the UI
 * fields and the MsgBody are made, so the two cannot drift apart.
 */
type ElementKind = 'custom' | 'face' | 'file' | 'image' | 'location' | 'sound' | 'text' | 'video';

export const MSG_TYPES: Record<ElementKind, string> = {
	custom: 'TIMCustomElem',
	face: 'TIMFaceElem',
	file: 'TIMFileElem',
	image: 'TIMImageElem',
	location: 'TIMLocationElem',
	sound: 'TIMSoundElem',
	text: 'TIMTextElem',
	video: 'TIMVideoFileElem',
};

interface FieldRow {
	param: string;
	label: string;
	kinds: ElementKind[];
	/** MsgContent key; absent for fields that feed a computed value (image info). */
	key?: string;
	type: 'string' | 'number';
	description: string;
	required?: boolean;
}

const FIELDS: FieldRow[] = [
	{
		param: 'text',
		label: 'Text',
		kinds: ['text'],
		key: 'Text',
		type: 'string',
		required: true,
		description: 'The message text',
	},
	{
		param: 'data',
		label: 'Data',
		kinds: ['custom', 'face'],
		key: 'Data',
		type: 'string',
		description:
			'Custom payload (custom element) or face data (face element); not shown in notifications',
	},
	{
		param: 'desc',
		label: 'Description',
		kinds: ['custom', 'location'],
		key: 'Desc',
		type: 'string',
		description: 'Notification text of a custom message, or the place name of a location',
	},
	{
		param: 'ext',
		label: 'Ext',
		kinds: ['custom'],
		key: 'Ext',
		type: 'string',
		description: 'Extension passed in the APNs "ext" key',
	},
	{
		param: 'sound',
		label: 'Sound',
		kinds: ['custom'],
		key: 'Sound',
		type: 'string',
		description: 'APNs sound file name',
	},
	{
		param: 'latitude',
		label: 'Latitude',
		kinds: ['location'],
		key: 'Latitude',
		type: 'number',
		description: 'Latitude in degrees',
	},
	{
		param: 'longitude',
		label: 'Longitude',
		kinds: ['location'],
		key: 'Longitude',
		type: 'number',
		description: 'Longitude in degrees',
	},
	{
		param: 'index',
		label: 'Face Index',
		kinds: ['face'],
		key: 'Index',
		type: 'number',
		description: 'Index of the emoji/face',
	},
	{
		param: 'url',
		label: 'URL',
		kinds: ['sound', 'file', 'image'],
		type: 'string',
		required: true,
		description: 'Directly downloadable URL of the file',
	},
	{
		param: 'uuid',
		label: 'UUID',
		kinds: ['sound', 'file', 'image'],
		key: 'UUID',
		type: 'string',
		description: 'Globally unique ID of the file; leave empty to use the MD5 of the URL',
	},
	{
		param: 'size',
		label: 'Size (Bytes)',
		kinds: ['sound', 'file', 'image'],
		type: 'number',
		description: 'File size in bytes',
	},
	{
		param: 'second',
		label: 'Duration (Seconds)',
		kinds: ['sound'],
		key: 'Second',
		type: 'number',
		description: 'Length of the audio',
	},
	{
		param: 'fileName',
		label: 'File Name',
		kinds: ['file'],
		key: 'FileName',
		type: 'string',
		required: true,
		description: 'Name shown to the recipient',
	},
	{
		param: 'imageFormat',
		label: 'Image Format',
		kinds: ['image'],
		key: 'ImageFormat',
		type: 'number',
		description: 'JPG 1, GIF 2, PNG 3, BMP 4, other 255',
	},
	{
		param: 'width',
		label: 'Width',
		kinds: ['image'],
		type: 'number',
		description: 'Image width in pixels',
	},
	{
		param: 'height',
		label: 'Height',
		kinds: ['image'],
		type: 'number',
		description: 'Image height in pixels',
	},
	{
		param: 'videoUrl',
		label: 'Video URL',
		kinds: ['video'],
		key: 'VideoUrl',
		type: 'string',
		required: true,
		description: 'Directly downloadable URL of the video',
	},
	{
		param: 'videoUuid',
		label: 'Video UUID',
		kinds: ['video'],
		key: 'VideoUUID',
		type: 'string',
		description: 'Leave empty to use the MD5 of the video URL',
	},
	{
		param: 'videoSize',
		label: 'Video Size (Bytes)',
		kinds: ['video'],
		key: 'VideoSize',
		type: 'number',
		description: 'Video size in bytes',
	},
	{
		param: 'videoSecond',
		label: 'Video Duration (Seconds)',
		kinds: ['video'],
		key: 'VideoSecond',
		type: 'number',
		description: 'Length of the video',
	},
	{
		param: 'videoFormat',
		label: 'Video Format',
		kinds: ['video'],
		key: 'VideoFormat',
		type: 'string',
		description: 'Container format, e.g. mp4',
	},
	{
		param: 'thumbUrl',
		label: 'Thumbnail URL',
		kinds: ['video'],
		key: 'ThumbUrl',
		type: 'string',
		required: true,
		description: 'Directly downloadable URL of the thumbnail',
	},
	{
		param: 'thumbUuid',
		label: 'Thumbnail UUID',
		kinds: ['video'],
		key: 'ThumbUUID',
		type: 'string',
		description: 'Leave empty to use the MD5 of the thumbnail URL',
	},
	{
		param: 'thumbSize',
		label: 'Thumbnail Size (Bytes)',
		kinds: ['video'],
		key: 'ThumbSize',
		type: 'number',
		description: 'Thumbnail size in bytes',
	},
	{
		param: 'thumbWidth',
		label: 'Thumbnail Width',
		kinds: ['video'],
		key: 'ThumbWidth',
		type: 'number',
		description: 'Thumbnail width in pixels',
	},
	{
		param: 'thumbHeight',
		label: 'Thumbnail Height',
		kinds: ['video'],
		key: 'ThumbHeight',
		type: 'number',
		description: 'Thumbnail height in pixels',
	},
	{
		param: 'thumbFormat',
		label: 'Thumbnail Format',
		kinds: ['video'],
		key: 'ThumbFormat',
		type: 'string',
		description: 'Image format of the thumbnail, e.g. jpg',
	},
];

export const elementFields: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		default: 'text',
		options: [
			{
				name: 'Custom',
				value: 'custom',
				description: 'TIMCustomElem: data for your app, with its own notification text',
			},
			{ name: 'Face', value: 'face', description: 'TIMFaceElem: an emoji' },
			{ name: 'File', value: 'file', description: 'TIMFileElem' },
			{ name: 'Image', value: 'image', description: 'TIMImageElem' },
			{ name: 'Location', value: 'location', description: 'TIMLocationElem' },
			{ name: 'Sound', value: 'sound', description: 'TIMSoundElem: a voice message' },
			{ name: 'Text', value: 'text', description: 'TIMTextElem' },
			{ name: 'Video', value: 'video', description: 'TIMVideoFileElem' },
		],
	},
	...FIELDS.map(
		(field): INodeProperties => ({
			displayName: field.label,
			name: field.param,
			type: field.type,
			default: field.type === 'number' ? 0 : '',
			required: field.required,
			description: field.description,
			displayOptions: { show: { type: field.kinds } },
		}),
	),
];

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** One element of the builder → Tencent's `{MsgType, MsgContent}`. */
export function buildElement(values: IDataObject): IDataObject {
	const kind = String(values.type ?? 'text') as ElementKind;
	const content: IDataObject = {};
	for (const field of FIELDS) {
		if (!field.kinds.includes(kind) || !field.key) continue;
		const value = values[field.param];
		if (value === undefined || (value === '' && !field.required)) continue;
		content[field.key] = value;
	}
	const url = String(values.url ?? '');
	if (kind === 'sound' || kind === 'file') {
		content.Url = url;
		content[kind === 'sound' ? 'Size' : 'FileSize'] = Number(values.size ?? 0);
		content.Download_Flag = 2; // Tencent only accepts 2 ("download by URL") for REST-sent files
	}
	if (kind === 'sound' || kind === 'file' || kind === 'image')
		content.UUID = content.UUID || md5(url);
	if (kind === 'image') {
		content.ImageFormat = Number(values.imageFormat) || 255;
		// Clients pick the original, large or thumbnail rendition; one URL serves all three.
		content.ImageInfoArray = [1, 2, 3].map((type) => ({
			Type: type,
			Size: Number(values.size ?? 0),
			Width: Number(values.width ?? 0),
			Height: Number(values.height ?? 0),
			URL: url,
		}));
	}
	if (kind === 'video') {
		content.VideoUUID = content.VideoUUID || md5(String(values.videoUrl ?? ''));
		content.ThumbUUID = content.ThumbUUID || md5(String(values.thumbUrl ?? ''));
		content.VideoDownloadFlag = 2;
		content.ThumbDownloadFlag = 2;
	}
	return { MsgType: MSG_TYPES[kind] ?? String(values.type), MsgContent: content };
}
