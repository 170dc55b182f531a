import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { fetchAttributeNames } from '../../methods/attributeNames';
import { type ApiFamily, forEachItem, requestOptionsField } from '../common';

const properties: INodeProperties[] = [requestOptionsField()];

export const description = updateDisplayOptions({ show: { resource: ['appAttributeName'], operation: ['get'] } }, properties);

const ACCOUNT_TYPES = ['UserID', 'RegistrationID'];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const api = this.getNodeParameter('api', i) as ApiFamily;
		const { names, types } = await fetchAttributeNames.call(this, api);
		return {
			attributeNames: names,
			attributes: Object.entries(names)
				.sort(([a], [b]) => Number(a) - Number(b))
				.map(([slot, name]) => ({ slot: Number(slot), name, accountType: ACCOUNT_TYPES[Number(types[slot] ?? 0)] })),
			api,
		};
	});
}
