import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { managementLane } from '../../helpers/pacing';
import { callTencent } from '../../transport';
import { setAttrNameSchema } from '../../validation/limits';
import { assertValid } from '../../validation/validate';
import { type ApiFamily, SERVICE, appIdentity, dryRunResult, forEachItem, requestOptionsField, requestSettings } from '../common';

const SLOTS = Array.from({ length: 10 }, (_, slot) => ({ name: `Slot ${slot}`, value: String(slot) }));

const properties: INodeProperties[] = [
	{
		displayName: 'Attribute Names',
		name: 'attributeNames',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		required: true,
		placeholder: 'Add Attribute Name',
		description: 'Each app has ten attribute slots (0–9); give each slot you use a name of at most 50 bytes',
		options: [
			{
				displayName: 'Attribute',
				name: 'attribute',
				values: [
					{
						displayName: 'Account Type',
						name: 'accountType',
						type: 'options',
						default: 0,
						description: 'Which accounts the attribute applies to; Tencent does not allow changing it later',
						displayOptions: { show: { '/api': ['timpush'] } },
						options: [
							{ name: 'RegistrationID', value: 1 },
							{ name: 'UserID', value: 0 },
						],
					},
					{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Attribute name, e.g. city' },
					{ displayName: 'Slot', name: 'slot', type: 'options', default: '0', options: SLOTS },
				],
			},
		],
	},
	requestOptionsField(),
];

export const description = updateDisplayOptions({ show: { resource: ['appAttributeName'], operation: ['set'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const api = this.getNodeParameter('api', i) as ApiFamily;
		const command = api === 'timpush' ? 'set_attr_name' : 'im_set_attr_name';
		const rows = this.getNodeParameter('attributeNames.attribute', i, []) as IDataObject[];
		const body: IDataObject = { AttrNames: Object.fromEntries(rows.map((r) => [String(r.slot), String(r.name ?? '')])) };
		if (api === 'timpush') body.AttrTypes = Object.fromEntries(rows.map((r) => [String(r.slot), Number(r.accountType ?? 0)]));
		const settings = requestSettings.call(this, i);
		const schema = setAttrNameSchema(api);
		if (settings.dryRun) return dryRunResult(app, SERVICE[api], command, body, schema);

		assertValid(this.getNode(), schema, body, i);
		const { attempts } = await callTencent.call(this, SERVICE[api], command, body, {
			...settings.call,
			lane: managementLane(app.key, `${SERVICE[api]}/${command}`),
		});
		return { attributeNames: body.AttrNames as IDataObject, ...(body.AttrTypes ? { accountTypes: body.AttrTypes as IDataObject } : {}), api, attempts };
	});
}
