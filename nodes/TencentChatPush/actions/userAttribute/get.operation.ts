import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { accountsFields, requestOptionsField } from '../../shared/descriptions';
import { runManagement, userRecordsOperation } from '../../shared/managementBatch';
import { pacingOption } from '../../helpers/pacingOption';

const properties: INodeProperties[] = [
	...accountsFields('userAttribute', ['get']),
	requestOptionsField([pacingOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['userAttribute'], operation: ['get'] } },
	properties,
);

const operation = userRecordsOperation({
	command: { timpush: 'get_attr', legacy: 'im_get_attr' },
	list: 'UserAttrs',
	field: 'Attrs',
	output: 'attributes',
	empty: () => ({}),
});

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await runManagement.call(this, items, operation);
}
