import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { type ApiFamily } from '../shared/apiFamily';
import { fetchAttributeNames } from '../shared/attributeNames';

/** loadOptions: the app's attribute names, so users pick instead of type them. */
export async function getAttributeNames(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const api = (this.getCurrentNodeParameter('api') as ApiFamily | undefined) ?? 'timpush';
	const { names } = await fetchAttributeNames.call(this, api);
	return Object.entries(names)
		.sort(([a], [b]) => Number(a) - Number(b))
		.map(([slot, name]) => ({ name, value: name, description: `Slot ${slot}` }));
}

/**
 * loadOptions for App Attribute Name → Set: the ten slots with the name each holds now, so that a
 * user sees which slots are free before renaming one. Without an answer (no credential yet, no
 * network) the plain slot numbers are still offered.
 */
export async function getAttributeSlots(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const api = (this.getCurrentNodeParameter('api') as ApiFamily | undefined) ?? 'timpush';
	const names = await fetchAttributeNames.call(this, api).then(
		(r) => r.names,
		() => undefined,
	);
	return Array.from({ length: 10 }, (_, slot) => {
		const current = names?.[String(slot)];
		return {
			name: names ? `Slot ${slot} (${current ? current : 'Unused'})` : `Slot ${slot}`,
			value: String(slot),
		};
	});
}
