import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { describeType } from '../../helpers/lists';
import { param } from '../../helpers/parameters';
import { accountsFields, requestOptionsField, attributeNameField } from '../../shared/descriptions';
import { assertKnownAttributes, readAccounts } from '../../shared/execution';
import { type ManagementOperation, runManagement } from '../../shared/managementBatch';
import { setAttrSchema } from '../../validation/management';
import { pacingOption } from '../../helpers/pacingOption';

const properties: INodeProperties[] = [
	...accountsFields('userAttribute', ['set']),
	{
		displayName: 'Attributes',
		name: 'attributes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		required: true,
		placeholder: 'Add Attribute',
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
						description: 'At most 50 bytes',
					},
				],
			},
		],
	},
	requestOptionsField([pacingOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['userAttribute'], operation: ['set'] } },
	properties,
);

const operation: ManagementOperation = {
	command: { timpush: 'set_attr', legacy: 'im_set_attr' },
	usesAttributeNames: true,
	collect(itemIndex, _api, known) {
		const rows = param<IDataObject[]>(this, 'attributes.attribute', itemIndex, []);
		const attrs: IDataObject = {};
		for (const row of rows)
			attrs[String(row.name ?? '')] = attributeValue.call(this, row, itemIndex);
		assertKnownAttributes.call(this, Object.keys(attrs), known, itemIndex);
		return readAccounts.call(this, itemIndex).map((account) => ({
			account,
			element: { To_Account: account, Attrs: attrs },
		}));
	},
	body: (elements) => ({ UserAttrs: elements }),
	schema: () => setAttrSchema,
	output(entries, _responses, api) {
		return [
			{
				accounts: entries.map((e) => e.account),
				attributes: (entries[0].element as IDataObject).Attrs,
				api,
			},
		];
	},
};

/** Values are text at Tencent; numbers and booleans from expressions become text, objects are refused. */
function attributeValue(this: IExecuteFunctions, row: IDataObject, itemIndex: number): string {
	const value = row.value;
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	throw new NodeOperationError(
		this.getNode(),
		`Attribute '${String(row.name ?? '')}': the value is ${describeType(value)}; Tencent stores text of at most 50 bytes (error 90033)`,
		{
			itemIndex,
			description:
				'Nothing was sent to Tencent. Map one field of the object, e.g. {{ $json.address.city }}, or turn it into text with JSON.stringify().',
		},
	);
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runManagement.call(this, items, operation);
}
