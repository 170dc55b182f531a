import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { conditionAttributeNames, describeAudience } from '../../helpers/audience';
import { msgRandomFor } from '../../helpers/msgRandom';
import { clock, pushLane } from '../../helpers/pacing';
import { fetchAttributeNames } from '../../methods/attributeNames';
import { callTencent } from '../../transport';
import { LIMITS, legacyPushSchema, timpushPushSchema } from '../../validation/limits';
import { assertValid } from '../../validation/validate';
import {
	type ApiFamily,
	type AppIdentity,
	SERVICE,
	appIdentity,
	assertKnownAttributes,
	dryRunResult,
	forEachItem,
	readFlag,
	requestOptionsField,
	requestSettings,
} from '../common';
import { readReportSettings, reportOptionFields, waitForReport } from './getStatistics.operation';
import {
	additionalFieldsCollection,
	audienceFields,
	fromAccountField,
	messageFields,
	notificationFields,
	readCondition,
	readMsgBody,
	readOfflinePushInfo,
} from './fields';

const properties: INodeProperties[] = [
	...audienceFields,
	...notificationFields,
	...messageFields,
	additionalFieldsCollection([
		fromAccountField,
		{
			displayName: 'Message Lifetime (Seconds)',
			name: 'msgLifeTime',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0, maxValue: LIMITS.msgLifeTimeSeconds },
			description: 'How long offline users can still receive the message, up to 604800 (7 days). 0 delivers to online users only.',
			displayOptions: { show: { '/api': ['legacy'] } },
		},
		{
			displayName: 'MsgRandom',
			name: 'msgRandom',
			type: 'number',
			default: 0,
			description: 'Idempotency key (0–4294967295): Tencent treats pushes with the same MsgRandom as one. Leave 0 to derive it from the workflow, execution, node, item and content, so retries never push twice.',
		},
		{
			displayName: 'Online Only',
			name: 'onlineOnly',
			type: 'boolean',
			default: false,
			description: 'Whether to skip storing the message in history and unread counts (OnlineOnlyFlag 1); delivery is then not limited to 200 users per second',
			displayOptions: { show: { '/api': ['timpush'] } },
		},
	]),
	requestOptionsField(reportOptionFields),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['push'], operation: ['send'] } },
	properties,
);

export function buildPushBody(this: IExecuteFunctions, api: ApiFamily, itemIndex: number): IDataObject {
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	if (additional.fromAccount) body.From_Account = additional.fromAccount;
	const condition = readCondition.call(this, itemIndex);
	if (condition) body.Condition = condition;
	if (api === 'timpush' && readFlag(this, additional.onlineOnly, 'Online Only', itemIndex)) body.OnlineOnlyFlag = 1;
	if (api === 'legacy') body.MsgLifeTime = additional.msgLifeTime ?? 0;
	const msgBody = readMsgBody.call(this, itemIndex);
	if (msgBody) body.MsgBody = msgBody;
	const offlinePushInfo = readOfflinePushInfo.call(this, itemIndex, additional);
	if (offlinePushInfo) body.OfflinePushInfo = offlinePushInfo;
	body.MsgRandom = msgRandomFor.call(this, itemIndex, body, additional.msgRandom);
	return body;
}

/** Tencent answers 90033 for an unknown attribute name; checking first turns that into a clear message. */
async function assertAttributesExist(this: IExecuteFunctions, app: AppIdentity, api: ApiFamily, body: IDataObject, itemIndex: number, known: Map<string, Set<string>>) {
	const used = conditionAttributeNames(body.Condition as IDataObject | undefined);
	if (used.length === 0) return;
	const cacheKey = `${app.key}:${api}`;
	if (!known.has(cacheKey)) {
		known.set(cacheKey, new Set(Object.values((await fetchAttributeNames.call(this, api, requestSettings.call(this, itemIndex).call)).names)));
	}
	assertKnownAttributes.call(this, used, known.get(cacheKey)!, itemIndex);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	const knownAttributes = new Map<string, Set<string>>();
	return await forEachItem.call(this, items, async (i) => {
		const api = this.getNodeParameter('api', i) as ApiFamily;
		const service = SERVICE[api];
		const command = api === 'timpush' ? 'push' : 'im_push';
		const schema = api === 'timpush' ? timpushPushSchema : legacyPushSchema;
		const settings = requestSettings.call(this, i);
		const body = buildPushBody.call(this, api, i);
		if (settings.dryRun) return dryRunResult(app, service, command, body, schema, LIMITS.pushBodyBytes);

		assertValid(this.getNode(), schema, body, i, LIMITS.pushBodyBytes);
		await assertAttributesExist.call(this, app, api, body, i, knownAttributes);
		const pushedAt = clock.now();
		const { response, attempts } = await callTencent.call(this, service, command, body, {
			...settings.call,
			lane: pushLane(app.key),
		});
		const output: IDataObject = {
			taskId: response.TaskId as string,
			api: `v4/${service}/${command}`,
			msgRandom: body.MsgRandom as number,
			audience: describeAudience(body.Condition as IDataObject | undefined),
			attempts,
		};
		// Wait for Report: legacy im_push tasks are not in the Push service's statistics.
		const report = api === 'timpush' ? readReportSettings.call(this, this.getNodeParameter('options', i, {}) as IDataObject, i) : undefined;
		if (report) output.report = await waitForReport.call(this, app, output.taskId as string, pushedAt, report, settings.call);
		return output;
	});
}
