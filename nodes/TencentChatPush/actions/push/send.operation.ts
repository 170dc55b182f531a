/**
 * Why one file: one file per operation, its description next to its execute (the project's rule); every step it
 * takes (audience check, all-user guard, idempotency key, wait for report) is a call into a shared module.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { AllUserGuard, type FirstPush, contentKey } from '../../helpers/allUserGuard';
import { isCancellation } from '../../helpers/cancel';
import {
	IDEMPOTENCY_OPTIONS,
	IdempotencyGuard,
	duplicateOutput,
	readIdempotency,
} from '../../helpers/idempotencyKey';
import { clock, pushLane } from '../../helpers/pacing';
import {
	CHECK_PUSH,
	ON_UNKNOWN_OUTCOME_OPTION,
	unknownOutcomePolicy,
	withUnknownOutcomeSubject,
} from '../../helpers/unknownOutcome';
import { type ApiFamily, SERVICE } from '../../shared/apiFamily';
import { fetchAttributeNames } from '../../shared/attributeNames';
import { requestOptionsField } from '../../shared/descriptions';
import {
	type AppIdentity,
	appIdentity,
	assertKnownAttributes,
	dryRunResult,
	forEachItem,
	readFlag,
	requestSettings,
	withItemIndex,
} from '../../shared/execution';
import { conditionAttributeNames, describeAudience } from '../../shared/pushContent/audience';
import { buildPushBody } from '../../shared/pushContent/body';
import {
	additionalFieldsCollection,
	audienceFields,
	fromAccountField,
	messageFields,
	notificationFields,
} from '../../shared/pushContent/fields';
import { readReportSettings, reportOptionFields, waitForReport } from '../../shared/reportPoller';
import { callTencent, isUnknownOutcome } from '../../transport';
import { LIMITS } from '../../validation/limits';
import { legacyPushSchema, timpushPushSchema } from '../../validation/pushContent';
import { assertValid } from '../../validation/validate';

const properties: INodeProperties[] = [
	{
		displayName:
			"All Users puts a notification on every device of the app and uses one of its pushes to all users, tags or attributes for the day (100 by default; error 90047 beyond). Items with the same content are pushed once per execution: the others output that push's TaskId with duplicateOf, unless the option Allow Repeated All-User Pushes is on.",
		name: 'allUsersNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { audience: ['all'] } },
	},
	{
		displayName:
			'Legacy API: Message Lifetime 0, the default, means online users only, so no offline device gets a notification, whatever the Notification Title and Text. Set Message Lifetime in Additional Fields to how long the push stays relevant (up to 7 days).',
		name: 'legacyLifetimeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { '/api': ['legacy'] } },
	},
	...audienceFields,
	...notificationFields,
	...messageFields,
	{
		displayName:
			'The legacy API always needs a Chat message with the push: choose Text, Build Elements or Raw MsgBody JSON under Message (Tencent refuses a push without one, error 90002)',
		name: 'legacyMessageNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { '/api': ['legacy'], message: ['none'] } },
	},
	additionalFieldsCollection([
		fromAccountField,
		{
			displayName: 'Message Lifetime (Seconds)',
			name: 'msgLifeTime',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0, maxValue: LIMITS.msgLifeTimeSeconds },
			description:
				'How long offline users can still receive the message and its notification, up to 604800 (7 days). 0, the default, delivers to online users only: no offline device is notified.',
			displayOptions: { show: { '/api': ['legacy'] } },
		},
		{
			displayName: 'MsgRandom',
			name: 'msgRandom',
			type: 'number',
			default: 0,
			description:
				"The push's random number (0–4294967295), which Tencent uses to merge a repeated request within the same second only. Leave 0 to derive it from the workflow, execution (or Idempotency Key), node, item and content. To avoid sending the same push twice across executions, use the Idempotency Key option.",
		},
		{
			displayName: 'Online Only',
			name: 'onlineOnly',
			type: 'boolean',
			default: false,
			description:
				'Whether to skip storing the message in history and unread counts (OnlineOnlyFlag 1); delivery is then not limited to 200 users per second',
			displayOptions: { show: { '/api': ['timpush'] } },
		},
	]),
	requestOptionsField([
		{
			displayName: 'Allow Repeated All-User Pushes',
			name: 'allowRepeats',
			type: 'boolean',
			default: false,
			description:
				"Whether items with the same content and Audience All Users are each pushed. Off: the first is pushed and the others in the same execution output its TaskId with duplicateOf, since each all-user push notifies every user and uses one of the day's pushes.",
			displayOptions: { show: { '/audience': ['all'] } },
		},
		...IDEMPOTENCY_OPTIONS,
		ON_UNKNOWN_OUTCOME_OPTION,
		...reportOptionFields,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['push'], operation: ['send'] } },
	properties,
);

/** Tencent answers 90033 for an unknown attribute name; checking first turns that into a clear message. */
async function assertAttributesExist(
	this: IExecuteFunctions,
	app: AppIdentity,
	api: ApiFamily,
	body: IDataObject,
	itemIndex: number,
	known: Map<string, Set<string>>,
) {
	const used = conditionAttributeNames(body.Condition as IDataObject | undefined);
	if (used.length === 0) return;
	const cacheKey = `${app.key}:${api}`;
	if (!known.has(cacheKey)) {
		known.set(
			cacheKey,
			new Set(
				Object.values(
					(await fetchAttributeNames.call(this, api, requestSettings.call(this, itemIndex).call))
						.names,
				),
			),
		);
	}
	assertKnownAttributes.call(this, used, known.get(cacheKey)!, itemIndex);
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const app = await appIdentity.call(this);
	const knownAttributes = new Map<string, Set<string>>();
	const guard = new AllUserGuard(this);
	const keys = new IdempotencyGuard(this, `${app.key}\npush/send`);
	try {
		return await forEachItem.call(this, items, async (i) => {
			const api = this.getNodeParameter('api', i) as ApiFamily;
			const service = SERVICE[api];
			const command = api === 'timpush' ? 'push' : 'im_push';
			const schema = api === 'timpush' ? timpushPushSchema : legacyPushSchema;
			const settings = requestSettings.call(this, i);
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			const onUnknownOutcome = unknownOutcomePolicy.call(this, i);
			const idempotency = readIdempotency.call(this, i);
			const body = buildPushBody.call(this, api, i);
			const warnings = pushWarnings(api, body);
			// No Condition is Tencent's "all users"; only those pushes are held to one per content.
			const guardKey =
				body.Condition === undefined &&
				!readFlag(this, options.allowRepeats, 'Allow Repeated All-User Pushes', i)
					? contentKey(api, body)
					: undefined;
			if (settings.dryRun) {
				const result = dryRunResult(app, service, command, body, schema, LIMITS.pushBodyBytes);
				const earlier = guardKey ? guard.earlierForDryRun(guardKey, i) : undefined;
				if (earlier) result.duplicateOf = { item: earlier.item, run: earlier.run };
				return warnings.length > 0 ? { ...result, warnings } : result;
			}

			const earlier = guardKey ? guard.earlier(guardKey) : undefined;
			if (earlier) return repeatOf.call(this, earlier, service, command, i);
			assertValid(this.getNode(), schema, body, i, LIMITS.pushBodyBytes);
			const begin = idempotency ? await keys.begin(idempotency, onUnknownOutcome, i) : undefined;
			if (begin && 'earlier' in begin)
				return duplicateOutput.call(this, begin.earlier, idempotency!.key);
			const claim = begin?.claim;
			const audience = describeAudience(body.Condition as IDataObject | undefined);
			let sent;
			const pushedAt = clock.now();
			try {
				await assertAttributesExist.call(this, app, api, body, i, knownAttributes);
				sent = await callTencent.call(this, service, command, body, {
					...settings.call,
					lane: pushLane(app.key),
					onUnknownOutcome,
				});
			} catch (error) {
				if (guardKey && !isCancellation(error))
					guard.record(guardKey, i, { error: error as Error });
				if (claim && isUnknownOutcome(error)) keys.unknown(claim);
				else if (claim) keys.release(claim);
				throw withItemIndex(
					this,
					withUnknownOutcomeSubject(error, {
						happened: 'the push may have gone out',
						msgRandom: body.MsgRandom as number,
						audience,
						check: CHECK_PUSH,
					}),
					i,
				);
			}
			const output: IDataObject = {
				taskId: sent.response.TaskId as string,
				api: `v4/${service}/${command}`,
				msgRandom: body.MsgRandom as number,
				audience,
				attempts: sent.attempts,
			};
			if (guardKey)
				guard.record(guardKey, i, {
					taskId: output.taskId as string,
					msgRandom: output.msgRandom as number,
				});
			if (warnings.length > 0) output.warnings = warnings;
			if (claim) {
				keys.accepted(claim, {
					taskId: output.taskId,
					api: output.api,
					msgRandom: output.msgRandom,
					audience,
				});
				Object.assign(output, { idempotencyKey: claim.key, duplicate: false });
				// Other processes learn at once that this key was accepted (n8n's store).
				await keys.settleStore();
			}
			// Send Again after an unknown outcome: the earlier attempt may have pushed too.
			if (sent.sentAgainAfterUnknown) output.sentAgainAfterUnknown = true;
			// Wait for Report: legacy im_push tasks are not in the Push service's statistics.
			const report = api === 'timpush' ? readReportSettings.call(this, options, i) : undefined;
			if (report)
				output.report = await waitForReport.call(
					this,
					app,
					output.taskId as string,
					pushedAt,
					report,
					settings.call,
				);
			return output;
		});
	} finally {
		await keys.flush();
	}
}

/** An item whose all-user push was already made in this execution gets that push's outcome. */
function repeatOf(
	this: IExecuteFunctions,
	earlier: FirstPush,
	service: string,
	command: string,
	itemIndex: number,
): IDataObject {
	const where = `item ${earlier.item}${earlier.run > 0 ? ` of run ${earlier.run + 1}` : ''}`;
	if (earlier.error) {
		throw new NodeOperationError(
			this.getNode(),
			`Not sent: the same push to all users, by ${where}, failed: ${earlier.error.message}`,
			{
				itemIndex,
				description:
					'An all-user push with the same content is made at most once per execution, and that one did not succeed (its outcome may even be unknown). Turn on the option Allow Repeated All-User Pushes to push each item anyway.',
			},
		);
	}
	return {
		taskId: earlier.taskId!,
		duplicateOf: { item: earlier.item, run: earlier.run },
		sent: false,
		api: `v4/${service}/${command}`,
		msgRandom: earlier.msgRandom!,
		audience: describeAudience(undefined),
		attempts: 0,
		note: `Same content as the push to all users made by ${where} in this execution: not pushed again (option Allow Repeated All-User Pushes).`,
	};
}

/**
 * What the user should know before or after pushing. Legacy im_push: Message Lifetime 0 (Tencent's
 * default, seed 002) stores nothing, so only online users get the message and no offline device a
 * notification; the node keeps Tencent's default (how long a push stays relevant is the user's
 * call) and says so in the panel, in Dry Run and in the output.
 */
export function pushWarnings(api: ApiFamily, body: IDataObject): string[] {
	const offlinePush = (body.OfflinePushInfo as IDataObject | undefined)?.PushFlag !== 1;
	if (api === 'legacy' && Number(body.MsgLifeTime ?? 0) === 0 && offlinePush) {
		return [
			'Message Lifetime is 0: on the legacy API that means online users only, so no offline device gets a notification. Set Message Lifetime (Additional Fields) to how long the push stays relevant, up to 604800 seconds.',
		];
	}
	return [];
}
