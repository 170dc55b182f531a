import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseStringList } from './lists';

/**
 * `getNodeParameter` deep-copies the value and resolves collection defaults on every call; with
 * 100,000 items that costs more than all the HTTP requests. A parameter without any expression has
 * the same value for every item, so it is read once per run; one with an expression is evaluated
 * per item as usual.
 */
interface RunParameters {
	/** The node's raw parameters: `getNode()` deep-copies them on every call, so they are read once. */
	raw: Record<string, unknown>;
	values: Map<string, unknown>;
}

const runs = new WeakMap<IExecuteFunctions, RunParameters>();

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

export function param<T = NodeParameterValueType>(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
): T {
	let run = runs.get(context);
	if (!run) {
		run = { raw: context.getNode().parameters as Record<string, unknown>, values: new Map() };
		runs.set(context, run);
	}
	if (run.values.has(name)) return run.values.get(name) as T;
	const value = context.getNodeParameter(name, itemIndex, fallback as never) as T;
	const raw = name
		.split('.')
		.reduce<unknown>(
			(v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
			run.raw,
		);
	if (!hasExpression(raw)) run.values.set(name, value);
	return value;
}

/** Reads a list parameter (accounts, tags) into strings, failing with the field's name. */
export function readStringList(
	context: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string[] {
	const parsed = parseStringList(param(context, name, itemIndex, ''), label);
	if (parsed.ok) return parsed.values;
	throw new NodeOperationError(context.getNode(), parsed.reason, {
		itemIndex,
		description: 'Nothing was sent to Tencent.',
	});
}
