import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod/v4';

import { utf8Bytes } from './limits';

export interface Problem {
	/** The node field a user would edit. */
	field: string;
	/** Where in Tencent's request body the problem is, e.g. `Condition.TagsAnd[2]`. */
	path: string;
	message: string;
}

/** Push body paths → the node field that fills them (more specific prefixes first). */
const PUSH_LABELS: Array<[string, string]> = [
	['Condition.TagsAnd', 'Tags (All Of)'],
	['Condition.TagsOr', 'Tags (Any Of)'],
	['Condition.AttrsAnd', 'Attributes (All Of)'],
	['Condition.AttrsOr', 'Attributes (Any Of)'],
	['Condition', 'Audience'],
	['MsgBody', 'Message'],
	['MsgRandom', 'MsgRandom'],
	['MsgLifeTime', 'Message Lifetime (Seconds)'],
	['OnlineOnlyFlag', 'Online Only'],
	['OfflinePushInfo.Title', 'Notification Title'],
	['OfflinePushInfo.Desc', 'Notification Text'],
	['OfflinePushInfo.Ext', 'Notification Ext'],
	['OfflinePushInfo.PushFlag', 'Offline Push'],
	['OfflinePushInfo.AndroidInfo', 'Android Options'],
	['OfflinePushInfo.ApnsInfo', 'iOS (APNs) Options'],
	['OfflinePushInfo', 'Notification'],
	['From_Account', 'From Account'],
	['To_Account', 'Accounts'],
	['DataId', 'Data ID'],
	['TaskId', 'Task ID'],
	['UserTags', 'Tags'],
	['UserAttrs', 'Attributes'],
	['AttrNames', 'Attribute Names'],
	['AttrTypes', 'Account Types'],
	['Replace', 'Replace'],
];

/** Body paths → the node field that fills them (the first matching prefix wins). */
const FIELD_LABELS: Array<[string, string]> = [
	// Scheduled tasks carry a push body in Content; statistics, trace and task lists their own fields.
	...PUSH_LABELS.map(([path, label]): [string, string] => [`Content.${path}`, label]),
	['Content', 'Notification and Message'],
	['SchedAt', 'Send At'],
	['Sdkappid', 'SDKAppID (Credential)'],
	['Type', 'Audience'],
	['TaskID', 'Task ID'],
	['UserID', 'User ID'],
	['StartTime', 'Start Time'],
	['BeginTime', 'Start Time'],
	['EndTime', 'End Time'],
	['Offset', 'Limit'],
	['Want', 'Limit'],
	['OrderBy', 'Order By'],
	['Asc', 'Ascending'],
	['Keyword', 'Keyword'],
	...PUSH_LABELS,
	['', 'Request'],
];

function describePath(path: PropertyKey[]): { field: string; path: string } {
	const dotted = path.filter((p) => typeof p === 'string').join('.');
	const field = FIELD_LABELS.find(
		([prefix]) => dotted === prefix || dotted.startsWith(`${prefix}.`) || prefix === '',
	)!;
	const printable = path.reduce<string>(
		(text, part) =>
			typeof part === 'number'
				? `${text}[${part}]`
				: text
					? `${text}.${String(part)}`
					: String(part),
		'',
	);
	return { field: field[1], path: printable || '(body)' };
}

/** All the reasons Tencent would refuse `body`; empty when it would accept it. */
export function findProblems(
	schema: z.ZodType,
	body: IDataObject,
	maxBodyBytes?: number,
): Problem[] {
	const result = schema.safeParse(body);
	const problems: Problem[] = result.success
		? []
		: result.error.issues.map((issue) => ({ ...describePath(issue.path), message: issue.message }));
	if (maxBodyBytes !== undefined) {
		const bytes = utf8Bytes(JSON.stringify(body));
		if (bytes > maxBodyBytes) {
			problems.push({
				field: 'Request',
				path: '(body)',
				message: `The request body is ${bytes.toLocaleString('en-US')} bytes; Tencent allows ${maxBodyBytes.toLocaleString('en-US')} (error 90056)`,
			});
		}
	}
	return problems;
}

/** "Field: reason"; a problem of the request as a whole is just its reason (no "Request:"). */
export function formatProblem(problem: Problem): string {
	return problem.field === 'Request' ? problem.message : `${problem.field}: ${problem.message}`;
}

/** Throws the error of validationError, if any. */
export function assertValid(
	node: INode,
	schema: z.ZodType,
	body: IDataObject,
	itemIndex: number,
	maxBodyBytes?: number,
): void {
	const error = validationError(node, schema, body, itemIndex, maxBodyBytes);
	if (error) throw error;
}

/**
 * The first problem as the message; the description lists the others, in the field names the user
 * sees (the internal body paths meant nothing in the editor and repeated the message). Undefined
 * when Tencent would accept `body`.
 */
export function validationError(
	node: INode,
	schema: z.ZodType,
	body: IDataObject,
	itemIndex: number,
	maxBodyBytes?: number,
): NodeOperationError | undefined {
	const problems = findProblems(schema, body, maxBodyBytes);
	if (problems.length === 0) return undefined;
	return new NodeOperationError(node, formatProblem(problems[0]), {
		itemIndex,
		description:
			problems.length > 1
				? `Nothing was sent to Tencent. Also: ${problems.slice(1).map(formatProblem).join('; ')}`
				: 'Nothing was sent to Tencent.',
	});
}
