import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { type ApiFamily } from '../shared/apiFamily';
import { fetchAttributeNames } from '../shared/attributeNames';

/** loadOptions: the app's attribute names, so users pick instead of type them. */
export async function getAttributeNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const api = (this.getCurrentNodeParameter('api') as ApiFamily | undefined) ?? 'timpush';
	const { names } = await fetchAttributeNames.call(this, api);
	return Object.entries(names)
		.sort(([a], [b]) => Number(a) - Number(b))
		.map(([slot, name]) => ({ name, value: name, description: `Slot ${slot}` }));
}
