import type { IDataObject } from 'n8n-workflow';

export type AudienceKind = 'all' | 'attributes' | 'tags';

export interface AudienceInput {
	kind: AudienceKind;
	tagsAnd: string[];
	tagsOr: string[];
	attrsAnd: IDataObject;
	attrsOr: IDataObject;
}

/** Tencent's `Condition`; undefined means "all users" (Tencent's own meaning of no condition). */
export function buildCondition(input: AudienceInput): IDataObject | undefined {
	const condition: IDataObject = {};
	if (input.kind === 'tags') {
		if (input.tagsAnd.length > 0) condition.TagsAnd = input.tagsAnd;
		if (input.tagsOr.length > 0) condition.TagsOr = input.tagsOr;
	} else if (input.kind === 'attributes') {
		if (Object.keys(input.attrsAnd).length > 0) condition.AttrsAnd = input.attrsAnd;
		if (Object.keys(input.attrsOr).length > 0) condition.AttrsOr = input.attrsOr;
	} else {
		return undefined;
	}
	// A tags/attributes audience with no entries must not silently become "all users".
	return Object.keys(condition).length > 0
		? condition
		: { [input.kind === 'tags' ? 'TagsAnd' : 'AttrsAnd']: input.kind === 'tags' ? [] : {} };
}

const quoteAll = (values: string[]) => values.map((v) => `"${v}"`).join(', ');
const pairs = (attrs: IDataObject, joiner: string) =>
	Object.entries(attrs)
		.map(([name, value]) => `${name} is "${String(value)}"`)
		.join(joiner);

/** The audience in words, for the output item and the run log. */
export function describeAudience(condition: IDataObject | undefined): string {
	if (!condition) return 'all users';
	const parts: string[] = [];
	if (Array.isArray(condition.TagsAnd))
		parts.push(`tagged with all of ${quoteAll(condition.TagsAnd as string[])}`);
	if (Array.isArray(condition.TagsOr))
		parts.push(`tagged with any of ${quoteAll(condition.TagsOr as string[])}`);
	if (condition.AttrsAnd) parts.push(`whose ${pairs(condition.AttrsAnd as IDataObject, ' and ')}`);
	if (condition.AttrsOr) parts.push(`whose ${pairs(condition.AttrsOr as IDataObject, ' or ')}`);
	return `users ${parts.join(', and ')}`;
}

/** Attribute names used by a condition, to check them against the app's names before sending. */
export function conditionAttributeNames(condition: IDataObject | undefined): string[] {
	return [condition?.AttrsAnd, condition?.AttrsOr].flatMap((attrs) =>
		attrs && typeof attrs === 'object' ? Object.keys(attrs) : [],
	);
}
