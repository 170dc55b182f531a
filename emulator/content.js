'use strict';

const { fail } = require('./errors');
const { isPlainObject, hasOwn } = require('./util');

// MsgContent schemas of docs/tencent-api.md#msgbody. '!' marks a required field; 'flag2' is a download flag that
// must be 2; 'imageInfo' is the ImageInfoArray. Fields we do not know are left alone.
const ELEMENTS = {
	TIMTextElem: { Text: 'string!' },
	TIMLocationElem: { Desc: 'string!', Latitude: 'number!', Longitude: 'number!' },
	TIMFaceElem: { Index: 'number!', Data: 'string' },
	TIMCustomElem: { Data: 'string!', Desc: 'string', Ext: 'string', Sound: 'string' },
	TIMSoundElem: {
		Url: 'string!',
		UUID: 'string!',
		Size: 'number!',
		Second: 'number!',
		Download_Flag: 'flag2!',
	},
	TIMImageElem: { UUID: 'string!', ImageFormat: 'number!', ImageInfoArray: 'imageInfo!' },
	TIMFileElem: {
		Url: 'string!',
		UUID: 'string!',
		FileSize: 'number!',
		FileName: 'string!',
		Download_Flag: 'flag2!',
	},
	TIMVideoFileElem: {
		VideoUrl: 'string!',
		VideoUUID: 'string!',
		VideoSize: 'number!',
		VideoSecond: 'number!',
		VideoFormat: 'string!',
		VideoDownloadFlag: 'flag2!',
		ThumbUrl: 'string!',
		ThumbUUID: 'string!',
		ThumbSize: 'number!',
		ThumbWidth: 'number!',
		ThumbHeight: 'number!',
		ThumbFormat: 'string!',
		ThumbDownloadFlag: 'flag2!',
	},
};

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

function checkImageInfo(v, where) {
	if (!Array.isArray(v) || v.length === 0) fail(90010, `${where} must be a non-empty array`);
	for (const info of v) {
		const ok =
			isPlainObject(info) &&
			[1, 2, 3].includes(info.Type) &&
			isNumber(info.Size) &&
			isNumber(info.Width) &&
			isNumber(info.Height) &&
			typeof info.URL === 'string';
		if (!ok) fail(90010, `${where} entries need Type (1, 2 or 3), Size, Width, Height and URL`);
	}
}

function checkField(kind, v, where) {
	switch (kind) {
		case 'string':
			if (typeof v !== 'string') fail(90010, `${where} must be a string`);
			break;
		case 'number':
			if (!isNumber(v)) fail(90010, `${where} must be a number`);
			break;
		case 'flag2':
			if (v !== 2) fail(90010, `${where} must be 2`);
			break;
		case 'imageInfo':
			checkImageInfo(v, where);
			break;
		default:
			break;
	}
}

/** Validates MsgBody (90007 not an array, 90002 malformed element, 90010 bad MsgContent). */
function validateMsgBody(msgBody) {
	if (!Array.isArray(msgBody)) fail(90007);
	if (msgBody.length === 0) fail(90002, 'MsgBody must contain at least one message element.');
	let customCount = 0;
	msgBody.forEach((el, i) => {
		if (!isPlainObject(el) || typeof el.MsgType !== 'string' || !isPlainObject(el.MsgContent)) {
			fail(90002, `MsgBody[${i}] must be an object with a MsgType string and a MsgContent object.`);
		}
		const schema = ELEMENTS[el.MsgType];
		if (!schema) fail(90002, `MsgBody[${i}].MsgType ${el.MsgType} is not supported by push.`);
		if (el.MsgType === 'TIMCustomElem') customCount += 1;
		for (const [field, spec] of Object.entries(schema)) {
			const required = spec.endsWith('!');
			const where = `MsgBody[${i}].MsgContent.${field}`;
			if (!hasOwn(el.MsgContent, field)) {
				if (required) fail(90010, `${where} is required for ${el.MsgType}`);
				continue;
			}
			checkField(required ? spec.slice(0, -1) : spec, el.MsgContent[field], where);
		}
	});
	if (customCount > 1) fail(90010, 'A message can contain at most one TIMCustomElem.');
	return msgBody;
}

const ANDROID_FIELDS = {
	Sound: 'string',
	HuaWeiChannelID: 'string',
	XiaoMiChannelID: 'string',
	OPPOChannelID: 'string',
	GoogleChannelID: 'string',
	VIVOClassification: 'bit',
	HuaWeiImportance: 'importance',
	ExtAsHuaweiIntentParam: 'bit',
	HuaWeiCategory: 'string',
	HuaWeiImage: 'string',
	HonorImportance: 'importance',
	HonorImage: 'string',
	GoogleImage: 'string',
	OPPOCategory: 'string',
	OPPOPrivateMsgTemplateId: 'string',
	VIVOCategory: 'string',
	MeiZuNoticeMsgType: 'bit',
	PushStyle: 'int',
};
const APNS_FIELDS = {
	Sound: 'string',
	BadgeMode: 'bit',
	Title: 'string',
	SubTitle: 'string',
	Image: 'string',
	MutableContent: 'bit',
};
const TOP_FIELDS = {
	PushFlag: 'bit',
	Title: 'string',
	Desc: 'string',
	Ext: 'string',
	AndroidInfo: 'android',
	ApnsInfo: 'apns',
};

function checkInfoFields(obj, fields, where, warnings) {
	for (const [k, v] of Object.entries(obj)) {
		const kind = fields[k];
		const at = `${where}.${k}`;
		if (!kind) {
			warnings.push(`unknown field ${at}`);
			continue;
		}
		const ok =
			(kind === 'string' && typeof v === 'string') ||
			(kind === 'bit' && (v === 0 || v === 1)) ||
			(kind === 'int' && Number.isInteger(v)) ||
			(kind === 'importance' && (v === 'LOW' || v === 'NORMAL')) ||
			((kind === 'android' || kind === 'apns') && isPlainObject(v));
		if (!ok) {
			const expected =
				{ string: 'a string', bit: '0 or 1', int: 'an integer', importance: '"LOW" or "NORMAL"' }[
					kind
				] || 'an object';
			fail(90001, `${at} must be ${expected}`);
		}
		if (kind === 'android') checkInfoFields(v, ANDROID_FIELDS, at, warnings);
		if (kind === 'apns') checkInfoFields(v, APNS_FIELDS, at, warnings);
	}
}

/** Validates OfflinePushInfo (docs/tencent-api.md#offline-push-info); unknown fields are only warned about, as Tencent adds fields. */
function validateOfflinePushInfo(info, warnings) {
	if (info === undefined) return null;
	if (!isPlainObject(info)) fail(90001, 'OfflinePushInfo must be an object');
	checkInfoFields(info, TOP_FIELDS, 'OfflinePushInfo', warnings);
	return info;
}

/**
 * Whether an offline user gets a vendor notification. PushFlag 1 disables it; a message made only
 * of a TIMCustomElem has no push text unless a Desc is given somewhere (docs/tencent-api.md#offline-push-info, Desc).
 */
function offlinePushAllowed(info, msgBody) {
	if (info && info.PushFlag === 1) return false;
	if (!msgBody) return true;
	if (info && (info.Desc || info.Title)) return true;
	const onlyCustom = msgBody.every((el) => el.MsgType === 'TIMCustomElem');
	return !onlyCustom || msgBody.some((el) => el.MsgContent.Desc);
}

module.exports = { validateMsgBody, validateOfflinePushInfo, offlinePushAllowed, ELEMENTS };
