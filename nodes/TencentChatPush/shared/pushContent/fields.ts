/**
 * Why one file: the push content fields and their readers sit side by side, so that a field and the
 * way it is read change together.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeType, parseJson, quoteValue } from '../../helpers/lists';
import { param, readStringList } from '../../helpers/parameters';
import { attributeNameField } from '../descriptions';
import { type AudienceKind, buildCondition } from './audience';
import { buildElement, elementFields } from './elements';
import { buildOfflinePushInfo, vendorOptionFields } from './offlinePush';

/**
 * What a push says and to whom, as Push → Send, Push → Send to Users and Scheduled Push → Create
 * and Update show it: audience, notification, message, the additional fields; their readers sit
 * next to them. The request body is put together in `body.ts`.
 */

const attributePairs = (
	displayName: string,
	name: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add Attribute',
	description,
	displayOptions: { show: { audience: ['attributes'] } },
	options: [
		{
			displayName: 'Attribute',
			name: 'attribute',
			values: [
				attributeNameField,
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					description: "Value the user's attribute must equal (at most 50 bytes)",
				},
			],
		},
	],
});

export const audienceFields: INodeProperties[] = [
	{
		displayName: 'Audience',
		name: 'audience',
		type: 'options',
		default: 'all',
		description: 'Who receives the push',
		options: [
			{
				name: 'All Users',
				value: 'all',
				description: 'Every user of the app who has logged in once or was imported',
			},
			{
				name: 'Users With Attributes',
				value: 'attributes',
				description: 'Users whose attributes match',
			},
			{ name: 'Users With Tags', value: 'tags', description: 'Users carrying the given tags' },
		],
	},
	{
		displayName: 'Tags (All Of)',
		name: 'tagsAnd',
		type: 'string',
		default: '',
		placeholder: 'vip, shenzhen',
		description:
			'Users must carry every one of these tags (TagsAnd). Comma-separated, a JSON array, or an expression returning a list; at most 10 tags of at most 50 bytes.',
		displayOptions: { show: { audience: ['tags'] } },
	},
	{
		displayName: 'Tags (Any Of)',
		name: 'tagsOr',
		type: 'string',
		default: '',
		placeholder: 'gold, platinum',
		description:
			'Users must carry at least one of these tags (TagsOr). Same format and limits as Tags (All Of).',
		displayOptions: { show: { audience: ['tags'] } },
	},
	attributePairs(
		'Attributes (All Of)',
		'attributesAnd',
		'Users must match every one of these attribute values (AttrsAnd)',
	),
	attributePairs(
		'Attributes (Any Of)',
		'attributesOr',
		'Users must match at least one of these attribute values (AttrsOr)',
	),
];

export const notificationFields: INodeProperties[] = [
	{
		displayName: 'Notification Title',
		name: 'notificationTitle',
		type: 'string',
		default: '',
		description: 'Title of the system notification on iOS and Android (OfflinePushInfo.Title)',
	},
	{
		displayName: 'Notification Text',
		name: 'notificationText',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'Body of the system notification (OfflinePushInfo.Desc)',
	},
];

export const messageFields: INodeProperties[] = [
	{
		displayName: 'Message',
		name: 'message',
		type: 'options',
		default: 'none',
		description:
			'An in-app Chat message delivered with the push (MsgBody). The legacy API always needs one.',
		options: [
			{
				name: 'Build Elements',
				value: 'elements',
				description: 'Compose text, image, file, sound, video, location, face and custom elements',
			},
			{
				name: 'None (Notification Only)',
				value: 'none',
				description: 'Only the notification, no Chat message',
			},
			{
				name: 'Raw MsgBody JSON',
				value: 'json',
				description: 'A MsgBody array exactly as Tencent documents it',
			},
			{ name: 'Text', value: 'text', description: 'A single text element' },
		],
	},
	{
		displayName: 'Message Text',
		name: 'messageText',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: { show: { message: ['text'] } },
	},
	{
		displayName: 'Message Elements',
		name: 'messageElements',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Element',
		description: 'Elements in display order; a message may hold at most one custom element',
		displayOptions: { show: { message: ['elements'] } },
		options: [{ displayName: 'Element', name: 'element', values: elementFields }],
	},
	{
		displayName: 'MsgBody (JSON)',
		name: 'messageJson',
		type: 'json',
		default: '[{"MsgType": "TIMTextElem", "MsgContent": {"Text": "Hello"}}]',
		description: 'Array of {"MsgType", "MsgContent"} elements',
		displayOptions: { show: { message: ['json'] } },
	},
];

/** Additional Fields entry: the sender the recipients see. */
export const fromAccountField: INodeProperties = {
	displayName: 'From Account',
	name: 'fromAccount',
	type: 'string',
	default: '',
	description: 'Sender shown to recipients; the admin account when empty',
};

/** Additional Fields entry of pushes to named users: a label echoed in Tencent's callbacks. */
export const dataIdField: INodeProperties = {
	displayName: 'Data ID',
	name: 'dataId',
	type: 'string',
	default: '',
	description: 'Your own label for this push (at most 64 bytes), echoed in push callbacks',
};

/** Additional Fields entries that shape the notification (everything but title and text). */
export const notificationOptionFields: INodeProperties[] = [
	...vendorOptionFields,
	{
		displayName: 'Notification Ext',
		name: 'notificationExt',
		type: 'string',
		default: '',
		description:
			'Pass-through data for the app when the notification is opened (OfflinePushInfo.Ext). Use a JSON string: some Android vendors drop anything else.',
	},
	{
		displayName: 'Offline Push',
		name: 'offlinePush',
		type: 'boolean',
		default: true,
		description:
			'Whether users who are offline get a system notification through APNs or their Android vendor (PushFlag 0); off sends online delivery only (PushFlag 1)',
	},
];

/** "Additional Fields" of the push operations: the notification options, then each operation's own. */
export function additionalFieldsCollection(own: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		// One alphabetical list, as n8n users expect, not the shared fields followed by the operation's own.
		options: [...notificationOptionFields, ...own].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

function fail(context: IExecuteFunctions, message: string, itemIndex: number): never {
	throw new NodeOperationError(context.getNode(), message, {
		itemIndex,
		description: 'Nothing was sent to Tencent.',
	});
}

function readPairs(context: IExecuteFunctions, name: string, itemIndex: number): IDataObject {
	const rows =
		(context.getNodeParameter(`${name}.attribute`, itemIndex, []) as IDataObject[]) ?? [];
	const attrs: IDataObject = {};
	for (const row of rows) {
		const attrName = String(row.name ?? '').trim();
		if (!attrName)
			fail(context, 'An attribute condition has no name: choose one from the list', itemIndex);
		if (typeof row.value === 'object' && row.value !== null) {
			fail(
				context,
				`Attribute '${attrName}' must be compared with text, not ${describeType(row.value)}`,
				itemIndex,
			);
		}
		attrs[attrName] = String(row.value ?? '');
	}
	return attrs;
}

/**
 * The Audience option, which an expression can set to anything: an unknown value must stop the
 * item, because falling back to "all users" would push to everyone.
 */
export function readAudienceKind<K extends string>(
	context: IExecuteFunctions,
	itemIndex: number,
	allowed: readonly K[],
): K {
	const kind = param<unknown>(context, 'audience', itemIndex, 'all');
	if (typeof kind === 'string' && (allowed as readonly string[]).includes(kind)) return kind as K;
	return fail(
		context,
		`Audience is ${quoteValue(kind)}; it must be one of '${allowed.join("', '")}'`,
		itemIndex,
	);
}

const AUDIENCE_KINDS: readonly AudienceKind[] = ['all', 'tags', 'attributes'];

export function readCondition(this: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const kind = readAudienceKind(this, itemIndex, AUDIENCE_KINDS);
	const input = {
		kind,
		tagsAnd: kind === 'tags' ? readStringList(this, 'tagsAnd', 'Tags (All Of)', itemIndex) : [],
		tagsOr: kind === 'tags' ? readStringList(this, 'tagsOr', 'Tags (Any Of)', itemIndex) : [],
		attrsAnd: kind === 'attributes' ? readPairs(this, 'attributesAnd', itemIndex) : {},
		attrsOr: kind === 'attributes' ? readPairs(this, 'attributesOr', itemIndex) : {},
	};
	// Both lists empty: name both fields, either of which would do (not only the first one).
	if (kind === 'tags' && input.tagsAnd.length === 0 && input.tagsOr.length === 0)
		fail(
			this,
			'Tags (All Of) and Tags (Any Of) are both empty: give at least one tag in either (error 90040)',
			itemIndex,
		);
	if (
		kind === 'attributes' &&
		Object.keys(input.attrsAnd).length === 0 &&
		Object.keys(input.attrsOr).length === 0
	)
		fail(
			this,
			'Attributes (All Of) and Attributes (Any Of) are both empty: give at least one attribute in either (error 90033)',
			itemIndex,
		);
	return buildCondition(input);
}

export function readOfflinePushInfo(
	this: IExecuteFunctions,
	itemIndex: number,
	additional: IDataObject,
): IDataObject | undefined {
	return buildOfflinePushInfo({
		title: this.getNodeParameter('notificationTitle', itemIndex, '') as string,
		text: this.getNodeParameter('notificationText', itemIndex, '') as string,
		ext: additional.notificationExt,
		offlinePush: additional.offlinePush as boolean | undefined,
		androidInfo: additional.androidInfo as IDataObject | undefined,
		apnsInfo: additional.apnsInfo as IDataObject | undefined,
	});
}

export function readMsgBody(this: IExecuteFunctions, itemIndex: number): IDataObject[] | undefined {
	const mode = this.getNodeParameter('message', itemIndex, 'none') as string;
	if (mode === 'text') {
		return [
			{
				MsgType: 'TIMTextElem',
				MsgContent: { Text: this.getNodeParameter('messageText', itemIndex, '') as string },
			},
		];
	}
	if (mode === 'elements') {
		const rows = this.getNodeParameter('messageElements.element', itemIndex, []) as IDataObject[];
		return rows.map(buildElement);
	}
	if (mode === 'json') {
		const raw = this.getNodeParameter('messageJson', itemIndex, '[]') as unknown;
		let parsed = raw;
		if (typeof raw === 'string') {
			const result = parseJson(raw);
			if (!result.ok)
				fail(this, `MsgBody (JSON) is not valid JSON: ${result.reason} (error 90001)`, itemIndex);
			parsed = result.value;
		}
		if (!Array.isArray(parsed))
			fail(
				this,
				`MsgBody (JSON) must be an array of elements, not ${describeType(parsed)} (error 90007)`,
				itemIndex,
			);
		return parsed as IDataObject[];
	}
	return undefined;
}
