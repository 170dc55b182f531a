import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { accountsSchema } from '../../validation/limits';
import { accountsFields, requestOptionsField } from '../common';
import { type ManagementOperation, accountEntries, findUserRecord, runManagement } from '../management';

const properties: INodeProperties[] = [...accountsFields('userTag', ['get']), requestOptionsField()];

export const description = updateDisplayOptions({ show: { resource: ['userTag'], operation: ['get'] } }, properties);

const operation: ManagementOperation = {
	command: { timpush: 'get_tag', legacy: 'im_get_tag' },
	collect: accountEntries,
	body: (accounts) => ({ To_Account: accounts }),
	schema: () => accountsSchema,
	output(entries, responses) {
		return entries.map(({ account }) => ({
			account,
			tags: (findUserRecord(responses, 'UserTags', account)?.Tags as string[] | undefined) ?? [],
		}));
	},
};

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await runManagement.call(this, items, operation);
}

