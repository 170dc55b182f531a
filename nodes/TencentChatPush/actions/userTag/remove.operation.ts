import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readStringList } from '../../helpers/parameters';
import { accountsFields, requestOptionsField } from '../../shared/descriptions';
import { readAccounts } from '../../shared/execution';
import { type ManagementOperation, runManagement } from '../../shared/managementBatch';
import { removeTagSchema } from '../../validation/management';
import { pacingOption } from '../../helpers/pacingOption';

const properties: INodeProperties[] = [
	...accountsFields('userTag', ['remove']),
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'trial',
		description: 'Tags to remove: comma-separated, a JSON array or an expression returning a list',
	},
	requestOptionsField([pacingOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['userTag'], operation: ['remove'] } },
	properties,
);

const operation: ManagementOperation = {
	command: { timpush: 'remove_tag', legacy: 'im_remove_tag' },
	collect(itemIndex) {
		const tags = readStringList(this, 'tags', 'Tags', itemIndex);
		return readAccounts.call(this, itemIndex).map((account) => ({
			account,
			element: { To_Account: account, Tags: tags },
		}));
	},
	body: (elements) => ({ UserTags: elements }),
	schema: () => removeTagSchema,
	output(entries, _responses, api) {
		return [
			{
				accounts: entries.map((e) => e.account),
				removedTags: (entries[0].element as IDataObject).Tags,
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
