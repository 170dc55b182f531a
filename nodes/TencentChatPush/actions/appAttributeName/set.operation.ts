import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { managementLane } from '../../helpers/pacing';
import { withUnknownOutcomeSubject } from '../../helpers/unknownOutcome';
import { type ApiFamily, SERVICE } from '../../shared/apiFamily';
import { type AppAttributeNames, fetchAttributeNames } from '../../shared/attributeNames';
import { requestOptionsField } from '../../shared/descriptions';
import {
	appIdentity,
	dryRunResult,
	forEachItem,
	requestSettings,
	withItemIndex,
} from '../../shared/execution';
import { type CallOptions, callTencent, isUnknownOutcome } from '../../transport';
import { setAttrNameSchema } from '../../validation/management';
import { assertValid } from '../../validation/validate';
import { ACCOUNT_TYPES } from './get.operation';

/** Account Type's default: no AttrTypes for the slot, so Tencent keeps (or, for a new slot, defaults) it. */
const KEEP = 'keep';

const properties: INodeProperties[] = [
	{
		displayName: 'Attribute Names',
		name: 'attributeNames',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		required: true,
		placeholder: 'Add Attribute Name',
		description:
			'Each app has ten attribute slots (0–9); give each slot you use a name of at most 50 bytes',
		options: [
			{
				displayName: 'Attribute',
				name: 'attribute',
				values: [
					// Read left to right as a sentence: name this slot, for these accounts.
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'Attribute name, e.g. city',
					},
					{
						displayName: 'Slot Name or ID',
						name: 'slot',
						type: 'options',
						default: '0',
						// With the name each slot holds now, read from the app.
						typeOptions: { loadOptionsMethod: 'getAttributeSlots', loadOptionsDependsOn: ['/api'] },
						description:
							'Which of the ten slots to name; the list shows the name each holds now. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Account Type',
						name: 'accountType',
						type: 'options',
						default: KEEP,
						description:
							'Which accounts the attribute applies to. Tencent fixes it when a slot is first named; renaming keeps it.',
						displayOptions: { show: { '/api': ['timpush'] } },
						options: [
							{ name: 'Keep Current (UserID if the Slot Is New)', value: KEEP },
							{ name: 'RegistrationID', value: 1 },
							{ name: 'UserID', value: 0 },
						],
					},
				],
			},
		],
	},
	requestOptionsField(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['appAttributeName'], operation: ['set'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	const current = new Map<ApiFamily, Promise<AppAttributeNames>>();
	return await forEachItem.call(this, items, async (i) => {
		const api = this.getNodeParameter('api', i) as ApiFamily;
		const command = api === 'timpush' ? 'set_attr_name' : 'im_set_attr_name';
		const settings = requestSettings.call(this, i);
		const rows = this.getNodeParameter('attributeNames.attribute', i, []) as IDataObject[];
		assertOneRowPerSlot.call(this, rows, i);
		const schema = setAttrNameSchema(api);
		if (settings.dryRun) {
			// A dry run calls nothing, not even get_attr_name: the rows are shown as they would go to
			// Tencent for slots named for the first time, without the checks against the app's names.
			return {
				...dryRunResult(
					app,
					SERVICE[api],
					command,
					buildBody.call(this, rows, api, undefined, i),
					schema,
				),
				notChecked:
					"The app's current names and account types (read only when sending): a name another slot holds, or a changed account type, is refused then (error 90033).",
			};
		}
		if (!current.has(api)) current.set(api, fetchAttributeNames.call(this, api, settings.call));
		const body = buildBody.call(this, rows, api, await current.get(api)!, i);

		assertValid(this.getNode(), schema, body, i);
		const { attempts, confirmedAfterUnknown } = await setNames.call(this, api, command, body, {
			...settings.call,
			lane: managementLane(app.key, `${SERVICE[api]}/${command}`),
		});
		// Later items see this item's names, as Tencent will.
		const after = await current.get(api)!;
		Object.assign(after.names, body.AttrNames);
		Object.assign(after.types, body.AttrTypes ?? {});
		return {
			attributeNames: body.AttrNames as IDataObject,
			...(body.AttrTypes ? { accountTypes: body.AttrTypes as IDataObject } : {}),
			api: `v4/${SERVICE[api]}/${command}`,
			attempts,
			...(confirmedAfterUnknown ? { confirmedAfterUnknown: true } : {}),
		};
	});
}

/**
 * set_attr_name is not idempotent (a copy may meet 90033), so an attempt whose outcome is unknown is
 * not sent again: the app's names are read back instead, and if they are what was sent, it worked.
 */
async function setNames(
	this: IExecuteFunctions,
	api: ApiFamily,
	command: string,
	body: IDataObject,
	call: CallOptions,
): Promise<{ attempts: number; confirmedAfterUnknown?: boolean }> {
	try {
		return await callTencent.call(this, SERVICE[api], command, body, call);
	} catch (error) {
		if (!isUnknownOutcome(error)) throw withItemIndex(this, error, call.itemIndex ?? 0);
		const now = await fetchAttributeNames
			.call(this, api, { ...call, lane: undefined })
			.catch(() => undefined);
		const same = (sent: unknown, held: Record<string, unknown>) =>
			Object.entries((sent ?? {}) as IDataObject).every(
				([slot, value]) => String(held[slot]) === String(value),
			);
		if (now && same(body.AttrNames, now.names) && same(body.AttrTypes, now.types)) {
			return { attempts: Number(error.context.attempts ?? 1), confirmedAfterUnknown: true };
		}
		throw withUnknownOutcomeSubject(error, {
			happened: 'the attribute names may have been set',
			check:
				'Reading the names back did not show them. Check them with App Attribute Name → Get before setting them again.',
		});
	}
}

/**
 * Checks the rows against the app's current names, which is where Tencent's 90033 comes from: a
 * name another slot keeps, or a different account type for a slot that is already named (Tencent
 * fixes the type then). AttrTypes is sent only for slots being named for the first time.
 */
function buildBody(
	this: IExecuteFunctions,
	rows: IDataObject[],
	api: ApiFamily,
	current: AppAttributeNames | undefined,
	itemIndex: number,
): IDataObject {
	const names = Object.fromEntries(rows.map((r) => [String(r.slot), String(r.name ?? '')]));
	const body: IDataObject = { AttrNames: names };
	// Unknown current names (Dry Run): every slot counts as new.
	const app = current ?? { names: {}, types: {} };
	const fail = (message: string): never => {
		throw new NodeOperationError(this.getNode(), `${message} (error 90033)`, {
			itemIndex,
			description: `Nothing was sent to Tencent. The app's attribute names now: ${describeSlots(app)}.`,
		});
	};
	for (const [slot, name] of Object.entries(names)) {
		const holder = Object.keys(app.names).find(
			(other) => other !== slot && app.names[other] === name && !(other in names),
		);
		if (holder !== undefined)
			fail(
				`Attribute name '${name}' is already used by slot ${holder}; rename that slot in the same step or choose another name`,
			);
	}
	if (api !== 'timpush') return body;
	const types: IDataObject = {};
	for (const row of rows) {
		const slot = String(row.slot);
		const wanted =
			row.accountType === undefined || row.accountType === KEEP
				? undefined
				: Number(row.accountType);
		if (!(slot in app.names)) {
			if (wanted !== undefined) types[slot] = wanted;
			continue;
		}
		const fixed = Number(app.types[slot] ?? 0);
		if (wanted !== undefined && wanted !== fixed) {
			fail(
				`Slot ${slot} ('${app.names[slot]}') is for ${ACCOUNT_TYPES[fixed]} accounts and Tencent does not allow changing that; set Account Type to Keep`,
			);
		}
	}
	if (Object.keys(types).length > 0) body.AttrTypes = types;
	return body;
}

/** Two rows for one slot would leave only the last in the request: the first would vanish unsaid. */
function assertOneRowPerSlot(
	this: IExecuteFunctions,
	rows: IDataObject[],
	itemIndex: number,
): void {
	const seen = new Map<string, string>();
	for (const row of rows) {
		const slot = String(row.slot);
		const name = String(row.name ?? '');
		if (seen.has(slot)) {
			throw new NodeOperationError(
				this.getNode(),
				`Attribute Names: slot ${slot} appears twice ('${seen.get(slot)}' and '${name}'); each slot takes one name`,
				{
					itemIndex,
					description:
						'Nothing was sent to Tencent. Remove one of the two rows, or move one name to a free slot.',
				},
			);
		}
		seen.set(slot, name);
	}
}

function describeSlots(app: AppAttributeNames): string {
	const slots = Object.keys(app.names).sort((a, b) => Number(a) - Number(b));
	return (
		slots
			.map((slot) => `${slot}: ${app.names[slot]} (${ACCOUNT_TYPES[Number(app.types[slot] ?? 0)]})`)
			.join(', ') || '(none)'
	);
}
