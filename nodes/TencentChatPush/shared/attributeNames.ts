import type { IDataObject } from 'n8n-workflow';

import { callTencent, type CallOptions, type TencentContext } from '../transport';
import { type ApiFamily, SERVICE } from './apiFamily';

/**
 * The app's ten attribute names, read from Tencent: the editor's list (methods/attributeNames.ts),
 * App Attribute Name → Get and Set, and the checks that a push or an attribute change names only
 * attributes the app has (Tencent would answer 90033).
 */

export interface AppAttributeNames {
	/** slot ("0".."9") → name */
	names: Record<string, string>;
	/** slot → 0 (UserID) or 1 (RegistrationID); the legacy family has none */
	types: Record<string, number>;
}

export const ATTR_NAME_COMMAND: Record<ApiFamily, string> = {
	timpush: 'get_attr_name',
	legacy: 'im_get_attr_name',
};

export async function fetchAttributeNames(
	this: TencentContext,
	api: ApiFamily,
	options: CallOptions = {},
): Promise<AppAttributeNames> {
	const { response } = await callTencent.call(
		this,
		SERVICE[api],
		ATTR_NAME_COMMAND[api],
		{},
		options,
	);
	return {
		names: ((response.AttrNames as IDataObject) ?? {}) as Record<string, string>,
		types: ((response.AttrTypes as IDataObject) ?? {}) as Record<string, number>,
	};
}
