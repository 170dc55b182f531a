import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { accountsSchema } from '../../validation/limits';
import { accountsFields, requestOptionsField } from '../common';
import { type ManagementOperation, accountEntries, findUserRecord, runManagement } from '../management';

const properties: INodeProperties[] = [...accountsFields('userAttribute', ['get']), requestOptionsField()];

export const description = updateDisplayOptions({ show: { resource: ['userAttribute'], operation: ['get'] } }, properties);

const operation: ManagementOperation = {
	command: { timpush: 'get_attr', legacy: 'im_get_attr' },
	collect: accountEntries,
	body: (accounts) => ({ To_Account: accounts }),
	schema: () => accountsSchema,
	output(entries, responses) {
		return entries.map(({ account }) => ({
			account,
			attributes: (findUserRecord(responses, 'UserAttrs', account)?.Attrs as IDataObject | undefined) ?? {},
		}));
	},
};

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await runManagement.call(this, items, operation);
}
