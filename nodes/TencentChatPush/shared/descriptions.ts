import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS } from '../transport';

/**
 * Parameter descriptions that several resources show the same way: the API family, the Options
 * collection, the accounts an operation acts on, an attribute name. Their readers are in
 * `execution.ts`; the push content fields are in `pushContent/`.
 */

export function apiFamilyField(resources: string[], operations?: string[]): INodeProperties {
	return {
		displayName: 'Push API',
		name: 'api',
		type: 'options',
		noDataExpression: true,
		default: 'timpush',
		description:
			'Which of Tencent\'s two push APIs to call: the Push service (v4/timpush, the current one) or, only for apps set up with "push to all users" before the Push service existed, the legacy all-member push (v4/all_member_push)',
		options: [
			{
				name: 'Legacy All-Member Push',
				value: 'legacy',
				description: 'Endpoints under v4/all_member_push, for apps set up before the Push service',
			},
			{
				name: 'Push Service (Current)',
				value: 'timpush',
				description: 'Endpoints under v4/timpush',
			},
		],
		displayOptions: {
			show: { resource: resources, ...(operations ? { operation: operations } : {}) },
		},
	};
}

/** "Options" shared by every operation: how hard to try, and whether to send at all. */
export function requestOptionsField(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to only validate and return the exact request that would be sent, without sending it (no quota is used)',
			},
			...extra,
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				default: DEFAULT_MAX_ATTEMPTS,
				typeOptions: { minValue: 1, maxValue: 10 },
				description:
					'Attempts per request, counting the first. Temporary failures (network, HTTP 5xx, Tencent 91000) are retried with backoff; "too soon" and rate-limit answers (90024, 90051, 60007) are waited out for up to 60 s without using up attempts. A push, recall or scheduled-task change whose request may already have reached Tencent (no answer, connection lost after sending) is not simply sent again (see Delivery guarantees in the README). 1 turns retries off.',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				default: DEFAULT_TIMEOUT_MS,
				typeOptions: { minValue: 100, maxValue: 600000 },
				description:
					'How long to wait for each response. A read is then retried; a push or another change may have reached Tencent, so its outcome is unknown and it is not simply sent again.',
			},
		],
	};
}

/**
 * The users an operation acts on, one or many per item. "Input Field" reads them straight from the
 * item: with 100,000 items, evaluating an expression per item costs n8n far more than the requests.
 */
export function accountsFields(
	resource: string,
	operations: string[],
	name = 'accounts',
): INodeProperties[] {
	const show = { resource: [resource], operation: operations };
	return [
		{
			displayName: 'Accounts From',
			name: 'accountsFrom',
			type: 'options',
			default: 'value',
			options: [
				{
					name: 'Input Field',
					value: 'field',
					description: 'A field of each input item holds the account (or a list of accounts)',
				},
				{
					name: 'Value or Expression',
					value: 'value',
					description: 'Type the accounts or map them with an expression',
				},
			],
			displayOptions: { show },
		},
		{
			displayName: 'Input Field',
			name: 'accountsField',
			type: 'string',
			required: true,
			default: 'userId',
			placeholder: 'userId',
			description:
				'Name of the item field holding the account; a dot path such as user.ID works too',
			displayOptions: { show: { ...show, accountsFrom: ['field'] } },
		},
		{
			displayName: 'Accounts',
			name,
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. {{ $json.userId }}',
			description:
				'UserIDs (or RegistrationIDs on the push service): one per item from an expression, or several, comma-separated or as a JSON array. Items are sent together in as few requests as Tencent allows.',
			displayOptions: { show: { ...show, accountsFrom: ['value'] } },
		},
	];
}

/** An attribute name picked from the app's names (loadOptions), or given by expression. */
export const attributeNameField: INodeProperties = {
	displayName: 'Name or ID',
	name: 'name',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getAttributeNames', loadOptionsDependsOn: ['api'] },
	default: '',
	description:
		'Attribute name defined for the app. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};
