import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { param, readStringList } from '../../helpers/parameters';
import { accountsFields, requestOptionsField } from '../../shared/descriptions';
import { readAccounts, readFlag } from '../../shared/execution';
import { type ManagementOperation, runManagement } from '../../shared/managementBatch';
import { addTagSchema } from '../../validation/management';
import { pacingOption } from '../../helpers/pacingOption';

const properties: INodeProperties[] = [
	...accountsFields('userTag', ['add']),
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'vip, shenzhen',
		description:
			'Tags to add: comma-separated, a JSON array or an expression returning a list. At most 10 per user per request (100 with Replace), 50 bytes each.',
	},
	{
		displayName: 'Replace',
		name: 'replace',
		type: 'boolean',
		default: false,
		description: "Whether to replace all of the user's tags with these instead of adding them",
		displayOptions: { show: { api: ['timpush'] } },
	},
	requestOptionsField([pacingOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['userTag'], operation: ['add'] } },
	properties,
);

const replaceOn = (context: IExecuteFunctions, api: string, itemIndex: number) =>
	api === 'timpush' &&
	readFlag(context, param(context, 'replace', itemIndex, false), 'Replace', itemIndex);

const operation: ManagementOperation = {
	command: { timpush: 'add_tag', legacy: 'im_add_tag' },
	collect(itemIndex) {
		const tags = readStringList(this, 'tags', 'Tags', itemIndex);
		return readAccounts.call(this, itemIndex).map((account) => ({
			account,
			element: { To_Account: account, Tags: tags },
		}));
	},
	requestKey(itemIndex) {
		return String(replaceOn(this, param<string>(this, 'api', itemIndex), itemIndex));
	},
	body(elements, api, itemIndex) {
		return api === 'timpush'
			? { Replace: replaceOn(this, api, itemIndex) ? 1 : 0, UserTags: elements }
			: { UserTags: elements };
	},
	schema(api, itemIndex) {
		return addTagSchema(replaceOn(this, api, itemIndex));
	},
	output(entries, _responses, api) {
		return [
			{
				accounts: entries.map((e) => e.account),
				tags: (entries[0].element as IDataObject).Tags,
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
