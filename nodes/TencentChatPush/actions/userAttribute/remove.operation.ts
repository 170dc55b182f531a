import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readStringList } from '../../helpers/parameters';
import { accountsFields, requestOptionsField } from '../../shared/descriptions';
import { assertKnownAttributes, readAccounts } from '../../shared/execution';
import { type ManagementOperation, runManagement } from '../../shared/managementBatch';
import { removeAttrSchema } from '../../validation/management';
import { pacingOption } from '../../helpers/pacingOption';

const properties: INodeProperties[] = [
	...accountsFields('userAttribute', ['remove']),
	{
		displayName: 'Attribute Names or IDs',
		name: 'attributeNames',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getAttributeNames', loadOptionsDependsOn: ['api'] },
		required: true,
		default: [],
		description:
			'Attributes to delete from the users. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	requestOptionsField([pacingOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['userAttribute'], operation: ['remove'] } },
	properties,
);

const operation: ManagementOperation = {
	command: { timpush: 'remove_attr', legacy: 'im_remove_attr' },
	usesAttributeNames: true,
	collect(itemIndex, _api, known) {
		const names = readStringList(this, 'attributeNames', 'Attribute Names', itemIndex);
		assertKnownAttributes.call(this, names, known, itemIndex);
		return readAccounts.call(this, itemIndex).map((account) => ({
			account,
			element: { To_Account: account, Attrs: names },
		}));
	},
	body: (elements) => ({ UserAttrs: elements }),
	schema: () => removeAttrSchema,
	output(entries, _responses, api) {
		return [
			{
				accounts: entries.map((e) => e.account),
				removedAttributes: (entries[0].element as IDataObject).Attrs,
				api,
			},
		];
	},
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runManagement.call(this, items, operation);
}
