import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { DateTime, IANAZone } from 'luxon';

import { clock } from './pacing';
import { param } from './parameters';

/**
 * Date-times from n8n (a Date & Time field, an expression returning a luxon DateTime or a Date, an
 * ISO 8601 or SQL string, Unix seconds or milliseconds) turned into the instants Tencent wants:
 * `YYYY-MM-DD HH:MM:SS` in UTC for scheduled tasks, Unix seconds for statistics.
 *
 * A value without an offset is read in the Time Zone option, else in the workflow's time zone.
 * Around daylight-saving changes luxon's rules apply, the same as in n8n expressions: a local time
 * that occurs twice (clocks go back) is read as its second occurrence (standard time); a local time
 * that does not exist (clocks go forward) is moved forward by the gap (02:30 becomes 03:30).
 */

/**
 * Every IANA zone the runtime knows (Node's ICU data, the same luxon uses), so that the dropdown
 * offers exactly the zones the node accepts; a short list if an unusual runtime lacks the API.
 */
function ianaZones(): string[] {
	const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
	const zones = intl.supportedValuesOf?.('timeZone') ?? [
		'Asia/Shanghai',
		'Asia/Singapore',
		'Europe/Berlin',
		'Europe/London',
		'America/New_York',
		'America/Los_Angeles',
	];
	return [...new Set([...zones, 'UTC'])].sort();
}

/** The Time Zone entry of an operation's Options: a searchable dropdown, or any zone by expression. */
export const timeZoneOption: INodeProperties = {
	displayName: 'Time Zone',
	name: 'timeZone',
	type: 'options',
	default: '',
	options: [
		{
			name: "Workflow's Time Zone",
			value: '',
			description:
				'Workflow settings; n8n defaults to America/New_York unless GENERIC_TIMEZONE is set',
		},
		...ianaZones().map((zone) => ({ name: zone.replace(/_/g, ' '), value: zone })),
	],
	description:
		"Zone of date-times written without an offset (such as Send At from the date picker); the workflow's time zone by default. Values with an offset or a Z keep their own.",
};

/** The zone in which an item's date-times without an offset are read. */
export function readTimeZone(this: IExecuteFunctions, itemIndex: number): string {
	const options = param<IDataObject>(this, 'options', itemIndex, {});
	const zone = String(options.timeZone ?? '').trim() || this.getTimezone();
	if (!IANAZone.isValidZone(zone)) {
		throw new NodeOperationError(
			this.getNode(),
			`Time Zone: '${zone}' is not an IANA time zone such as Europe/Berlin`,
			{
				itemIndex,
				description: 'Nothing was sent to Tencent.',
			},
		);
	}
	return zone;
}

const isDateTimeLike = (value: unknown): value is { toMillis(): number } =>
	typeof value === 'object' &&
	value !== null &&
	(value as { isLuxonDateTime?: unknown }).isLuxonDateTime === true;

/** Below this, a number is Unix seconds; from it on, Unix milliseconds (year 5138 vs 1973). */
const MILLIS_THRESHOLD = 100_000_000_000;

/**
 * Parses one date-time; `undefined` for an empty value, a string reason when it cannot be read.
 * Exported for tests.
 */
export function parseDateTime(value: unknown, zone: string): DateTime | undefined | string {
	if (value === undefined || value === null || value === '') return undefined;
	if (isDateTimeLike(value)) return DateTime.fromMillis(value.toMillis(), { zone: 'utc' });
	if (value instanceof Date) {
		return Number.isNaN(value.getTime())
			? 'it is an invalid Date'
			: DateTime.fromJSDate(value, { zone: 'utc' });
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return 'it is not a finite number';
		return DateTime.fromMillis(Math.abs(value) >= MILLIS_THRESHOLD ? value : value * 1000, {
			zone: 'utc',
		});
	}
	if (typeof value !== 'string')
		return `it is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not a date and time`;
	const text = value.trim();
	if (text === '') return undefined;
	if (/^-?\d+(\.\d+)?$/.test(text)) return parseDateTime(Number(text), zone);
	const options = { zone, setZone: true };
	const parsers = [
		() => DateTime.fromISO(text, options),
		() => DateTime.fromSQL(text, options),
		() => DateTime.fromRFC2822(text, options),
		() => DateTime.fromHTTP(text, options),
	];
	for (const parse of parsers) {
		const parsed = parse();
		if (parsed.isValid) return parsed;
	}
	return "it is not a date and time n8n understands; use ISO 8601 such as '2027-03-01T09:00:00' or '2027-03-01T09:00:00+08:00'";
}

/** Reads a date-time parameter of an item; undefined when the field is empty. */
export function readDateTime(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	zone: string,
): DateTime | undefined {
	const raw = this.getNodeParameter(name, itemIndex, '') as unknown;
	const parsed = parseDateTime(raw, zone);
	if (typeof parsed === 'string') {
		throw new NodeOperationError(
			this.getNode(),
			`${label}: '${String(raw)}' cannot be read: ${parsed}`,
			{
				itemIndex,
				description: 'Nothing was sent to Tencent.',
			},
		);
	}
	return parsed;
}

/** Tencent's scheduled-task time: UTC, `YYYY-MM-DD HH:MM:SS` (seconds are truncated). */
export const toTencentUtc = (instant: DateTime): string =>
	instant.toUTC().toFormat('yyyy-MM-dd HH:mm:ss');

/** Tencent's statistics time: Unix seconds (truncated). */
export const toUnixSeconds = (instant: DateTime): number => Math.floor(instant.toMillis() / 1000);

/** A time Tencent wrote (`YYYY-MM-DD HH:MM:SS`, UTC) as ISO 8601 with a Z; '' when it is not one. */
export function tencentUtcToIso(text: unknown): string {
	if (typeof text !== 'string' || text === '') return '';
	const parsed = DateTime.fromSQL(text, { zone: 'utc' });
	return parsed.isValid ? (parsed.toISO({ suppressMilliseconds: true }) ?? '') : '';
}

/** Now, from the same clock the pacing lanes use (replaceable in tests). */
export const now = (): DateTime => DateTime.fromMillis(clock.now(), { zone: 'utc' });
