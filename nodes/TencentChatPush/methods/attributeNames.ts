import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { SERVICE, type ApiFamily } from '../actions/common';
import { callTencent, type CallOptions, type TencentContext } from '../transport';

export interface AppAttributeNames {
	/** slot ("0".."9") → name */
	names: Record<string, string>;
	/** slot → 0 (UserID) or 1 (RegistrationID); the legacy family has none */
	types: Record<string, number>;
}

export const ATTR_NAME_COMMAND: Record<ApiFamily, string> = { timpush: 'get_attr_name', legacy: 'im_get_attr_name' };

export async function fetchAttributeNames(this: TencentContext, api: ApiFamily, options: CallOptions = {}): Promise<AppAttributeNames> {
	const { response } = await callTencent.call(this, SERVICE[api], ATTR_NAME_COMMAND[api], {}, options);
	return {
		names: ((response.AttrNames as IDataObject) ?? {}) as Record<string, string>,
		types: ((response.AttrTypes as IDataObject) ?? {}) as Record<string, number>,
	};
}

/** loadOptions: the app's attribute names, so users pick instead of type them. */
export async function getAttributeNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
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
export async function getAttributeSlots(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
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
