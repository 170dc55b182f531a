import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PacingMode } from './pacing';
import { param } from './parameters';

/** The Pacing option of tag and attribute operations (see helpers/pacing.ts, AdaptiveRateLane). */
export const pacingOption: INodeProperties = {
	displayName: 'Pacing',
	name: 'pacing',
	type: 'options',
	default: 'adaptive',
	description:
		"How fast to send when Tencent's limit of 100 requests per second for this API is shared with other clients of the app",
	options: [
		{
			name: 'Adaptive',
			value: 'adaptive',
			description:
				'Start at 100 requests/s; lower the rate when Tencent answers "too frequent" (60007: other queue-mode workers or systems use the app too) and raise it again while calls succeed',
		},
		{
			name: 'Fixed at 100 Requests/s',
			value: 'fixed',
			description:
				'Always send at up to 100 requests/s and retry "too frequent" answers with backoff (the pacing of earlier versions)',
		},
	],
};

/** The run's pacing mode; one lane per mode, so it is read once per run (first item). */
export function pacingModeOf(context: IExecuteFunctions): PacingMode {
	const value = param<IDataObject>(context, 'options', 0, {}).pacing ?? 'adaptive';
	if (value === 'adaptive' || value === 'fixed') return value;
	throw new NodeOperationError(
		context.getNode(),
		`Pacing is '${String(value)}'; it must be adaptive or fixed`,
		{
			description: 'Nothing was sent to Tencent.',
		},
	);
}
