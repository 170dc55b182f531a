import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { accountsFields, requestOptionsField } from '../../shared/descriptions';
import {
	type ManagementOperation,
	accountEntries,
	runManagement,
} from '../../shared/managementBatch';
import { accountsSchema } from '../../validation/management';
import { pacingOption } from '../../helpers/pacingOption';

const properties: INodeProperties[] = [
	...accountsFields('userTag', ['removeAll']),
	requestOptionsField([pacingOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['userTag'], operation: ['removeAll'] } },
	properties,
);

const operation: ManagementOperation = {
	command: { timpush: 'clear_all_tags', legacy: 'im_remove_all_tags' },
	collect: accountEntries,
	body: (accounts) => ({ To_Account: accounts }),
	schema: () => accountsSchema,
	output(entries, _responses, api) {
		return [{ accounts: entries.map((e) => e.account), removedAllTags: true, api }];
	},
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runManagement.call(this, items, operation);
}
