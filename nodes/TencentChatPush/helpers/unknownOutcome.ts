import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { isUnknownOutcome, type UnknownOutcomePolicy } from '../transport';

/**
 * What users see when a push (or a scheduled task, a recall…) may or may not have happened: the
 * transport's outcome-unknown error, completed with what identifies the call, so that the person
 * reading it can check before sending again. Under Continue On Fail the same details become fields
 * of the error item (`outcome: 'unknown'`, `sentAt`, `msgRandom`, `audience`, `accounts`, `api`).
 */

export const ON_UNKNOWN_OUTCOME_OPTION: INodeProperties = {
	displayName: 'On Unknown Outcome',
	name: 'onUnknownOutcome',
	type: 'options',
	default: 'stop',
	description:
		'What to do when a request may or may not have reached Tencent (no answer within the timeout, connection lost after sending, HTTP 5xx). Tencent merges a repeated MsgRandom only within the same second, so sending again can push twice.',
	options: [
		{
			name: 'Send Again',
			value: 'sendAgain',
			description:
				'Retry like any temporary failure: a possible duplicate is better than a possible miss',
		},
		{
			name: 'Stop',
			value: 'stop',
			description:
				'Fail the item with an "outcome unknown" error that says what to check before sending again',
		},
	],
};

export function readOnUnknownOutcome(options: IDataObject): UnknownOutcomePolicy {
	return options.onUnknownOutcome === 'sendAgain' ? 'sendAgain' : 'stop';
}

export interface UnknownOutcomeSubject {
	/** "the push may have gone out", "the scheduled task may have been created"… */
	happened: string;
	msgRandom?: number;
	audience?: string;
	accounts?: string[];
	/** What to check before sending again. */
	check: string;
	/** Other fields for the error item (taskId of a recall…). */
	extra?: IDataObject;
}

/** Where to look for a push that may have gone out. */
export const CHECK_PUSH =
	'Before sending again, check whether it went out: Push → Get Statistics for the tasks of that time, or the Push.AllMemberPush callbacks the Tencent Chat Push Trigger received for it (TaskTime around the time above).';

/** Adds the subject to an outcome-unknown error; other errors are returned unchanged. */
export function withUnknownOutcomeSubject<T>(error: T, subject: UnknownOutcomeSubject): T {
	if (!isUnknownOutcome(error)) return error;
	const details = error.context.unknownOutcome as IDataObject;
	const sentAt = String(details.sentAt);
	const ids = subject.msgRandom !== undefined ? `MsgRandom ${subject.msgRandom}, ` : '';
	error.message = `Outcome unknown: ${subject.happened} (${ids}sent ${sentAt})`;
	const who = [
		subject.audience ? `Audience: ${subject.audience}.` : '',
		subject.accounts && subject.accounts.length > 0
			? `Accounts: ${describeAccounts(subject.accounts)}.`
			: '',
	]
		.filter(Boolean)
		.join(' ');
	(error as NodeApiError).description =
		`${String((error as NodeApiError).description ?? '')} ${who} API ${String(details.api)}. ${subject.check}`.trim();
	Object.assign(details, {
		...(subject.msgRandom !== undefined ? { msgRandom: subject.msgRandom } : {}),
		...(subject.audience ? { audience: subject.audience } : {}),
		...(subject.accounts ? { accounts: subject.accounts } : {}),
		...subject.extra,
	});
	return error;
}

function describeAccounts(accounts: string[]): string {
	const shown = accounts
		.slice(0, 20)
		.map((a) => `'${a}'`)
		.join(', ');
	return accounts.length > 20 ? `${shown} and ${accounts.length - 20} more` : shown;
}

/** For operations that want the policy together with the other request settings. */
export function unknownOutcomePolicy(
	this: IExecuteFunctions,
	itemIndex: number,
): UnknownOutcomePolicy {
	return readOnUnknownOutcome(this.getNodeParameter('options', itemIndex, {}) as IDataObject);
}

/** Where to look for a push to named accounts that may have gone out. */
export const CHECK_BATCH =
	'Before sending again, check whether it reached these accounts: the Push.AllMemberPush callbacks the Tencent Chat Push Trigger received for them (TaskTime around the time above).';

/**
 * A copy of an outcome-unknown error for one item: Send to Users pools the accounts of many items
 * into one request, and each item whose accounts were in it gets its own error naming its accounts.
 */
export function unknownOutcomeForItem(
	this: IExecuteFunctions,
	error: NodeApiError,
	itemIndex: number,
): NodeApiError {
	const copy = new NodeApiError(this.getNode(), { message: error.message } as JsonObject, {
		message: error.message,
		description: error.description ?? undefined,
		itemIndex,
	});
	copy.message = error.message;
	Object.assign(copy.context, error.context, {
		itemIndex,
		unknownOutcome: { ...(error.context.unknownOutcome as IDataObject) },
	});
	return copy;
}
