import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { type ApiFamily, SERVICE } from '../../shared/apiFamily';
import { ATTR_NAME_COMMAND, fetchAttributeNames } from '../../shared/attributeNames';
import { requestOptionsField } from '../../shared/descriptions';
import { appIdentity, dryRunResult, forEachItem, requestSettings } from '../../shared/execution';
import { emptyBodySchema } from '../../validation/management';

const properties: INodeProperties[] = [requestOptionsField()];

export const description = updateDisplayOptions(
	{ show: { resource: ['appAttributeName'], operation: ['get'] } },
	properties,
);

export const ACCOUNT_TYPES = ['UserID', 'RegistrationID'];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const api = this.getNodeParameter('api', i) as ApiFamily;
		const settings = requestSettings.call(this, i);
		if (settings.dryRun)
			return dryRunResult(app, SERVICE[api], ATTR_NAME_COMMAND[api], {}, emptyBodySchema);
		const { names, types } = await fetchAttributeNames.call(this, api, settings.call);
		return {
			attributeNames: names,
			attributes: Object.entries(names)
				.sort(([a], [b]) => Number(a) - Number(b))
				.map(([slot, name]) => ({
					slot: Number(slot),
					name,
					accountType: ACCOUNT_TYPES[Number(types[slot] ?? 0)],
				})),
			api: `v4/${SERVICE[api]}/${ATTR_NAME_COMMAND[api]}`,
		};
	});
}
