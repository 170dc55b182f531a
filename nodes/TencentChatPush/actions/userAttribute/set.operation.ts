import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { param } from '../../helpers/parameters';
import { setAttrSchema } from '../../validation/limits';
import { accountsFields, assertKnownAttributes, readAccounts, requestOptionsField } from '../common';
import { type ManagementOperation, runManagement } from '../management';
import { attributeNameField } from '../push/fields';

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
					{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'At most 50 bytes' },
				],
			},
		],
	},
	requestOptionsField(),
];

export const description = updateDisplayOptions({ show: { resource: ['userAttribute'], operation: ['set'] } }, properties);

const operation: ManagementOperation = {
	command: { timpush: 'set_attr', legacy: 'im_set_attr' },
	usesAttributeNames: true,
	collect(itemIndex, _api, known) {
		const rows = param<IDataObject[]>(this, 'attributes.attribute', itemIndex, []);
		const attrs: IDataObject = {};
		for (const row of rows) attrs[String(row.name ?? '')] = typeof row.value === 'string' ? row.value : String(row.value ?? '');
		assertKnownAttributes.call(this, Object.keys(attrs), known, itemIndex);
		return readAccounts.call(this, itemIndex).map((account) => ({
			account,
			element: { To_Account: account, Attrs: attrs },
		}));
	},
	body: (elements) => ({ UserAttrs: elements }),
	schema: () => setAttrSchema,
	output(entries, _responses, api) {
		return [{ accounts: entries.map((e) => e.account), attributes: (entries[0].element as IDataObject).Attrs, api }];
	},
};

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await runManagement.call(this, items, operation);
}
