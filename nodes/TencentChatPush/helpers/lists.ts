/**
 * Turns a list-like parameter into strings. Users fill lists by hand ("a, b"), paste JSON
 * ('["a","b"]') or map an expression that yields an array; numbers are common for account IDs
 * coming from a CRM, and Tencent wants them as text (60015).
 */
export function toStringList(value: unknown, field: string): string[] {
	if (value === undefined || value === null || value === '') return [];
	if (Array.isArray(value)) return value.flatMap((entry) => listEntry(entry, field));
	if (typeof value === 'number' || typeof value === 'bigint') return [String(value)];
	if (typeof value !== 'string') {
		throw new TypeError(
			`${field} must be text, a list of text or a JSON array, not ${describeType(value)}`,
		);
	}
	const text = value.trim();
	if (text.startsWith('[')) {
		const parsed = parseJson(text);
		if (!parsed.ok) throw new TypeError(`${field} starts with '[' but is not a valid JSON array`);
		return toStringList(parsed.value, field);
	}
	// One entry, the common case per item (an account, a tag): no split, map and filter garbage,
	// which with 100,000 items was the largest single source of it (issue 16).
	if (!text.includes(',') && !text.includes('\n')) return text.length > 0 ? [text] : [];
	return text
		.split(/[,\n]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry.length > 0);
}

/**
 * An entry of a list is taken as it is: it is never split again ("Shenzhen, CN" stays one tag), and
 * an empty one is kept, unlike a stray comma in text, so validation reports it (e.g. 90040)
 * instead of silently changing the audience.
 */
function listEntry(entry: unknown, field: string): string[] {
	if (entry === undefined || entry === null) return [];
	if (Array.isArray(entry)) return entry.flatMap((inner) => listEntry(inner, field));
	if (typeof entry === 'string') return [entry];
	if (typeof entry === 'number' || typeof entry === 'bigint') return [String(entry)];
	throw new TypeError(
		`${field} must be text, a list of text or a JSON array, not a list holding ${describeType(entry)}`,
	);
}

/** A value as it can be quoted in an error message: JSON, cut short (expressions can yield anything). */
export function quoteValue(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function chunk<T>(values: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
	return chunks;
}

/** Removes repeated entries, keeping the first occurrence's position. */
export function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}

export function parseJson(
	text: string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, reason: (error as Error).message };
	}
}

/** toStringList without throwing: node code turns the reason into a NodeOperationError. */
export function parseStringList(
	value: unknown,
	field: string,
): { ok: true; values: string[] } | { ok: false; reason: string } {
	try {
		return { ok: true, values: toStringList(value, field) };
	} catch (error) {
		return { ok: false, reason: (error as Error).message };
	}
}
