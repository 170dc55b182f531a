/**
 * What n8n registers, byte for byte: `JSON.stringify` of both nodes' descriptions and of the
 * credential must equal the committed fixture. Moving code between files must not change a single
 * option, default or display condition users see; a deliberate change to the UI regenerates the
 * fixture with `UPDATE_DESCRIPTION_SNAPSHOT=1 npx jest test/unit/description-snapshot.test.ts`
 * and the diff of `test/fixtures/descriptions.json` shows it in review.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { TencentChatApi } from '../../credentials/TencentChatApi.credentials';
import { TencentChatPush } from '../../nodes/TencentChatPush/TencentChatPush.node';
import { TencentChatPushTrigger } from '../../nodes/TencentChatPushTrigger/TencentChatPushTrigger.node';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'descriptions.json');

/**
 * The Time Zone dropdown lists the zones of the runtime's ICU data, which differ between Node
 * versions: the fixture keeps its first entry ("Workflow's Time Zone") and stands in for the rest.
 */
function withoutRuntimeZones(key: string, value: unknown): unknown {
	const property = value as { name?: unknown; options?: unknown[] };
	if (
		property &&
		property.name === 'timeZone' &&
		Array.isArray(property.options) &&
		property.options.length > 1
	) {
		return {
			...property,
			options: [property.options[0], { name: '(every IANA zone of the runtime)' }],
		};
	}
	return value;
}

/** The serialised form n8n sends to the editor; functions (authenticate, methods) are not part of it. */
const serialise = (value: unknown) => JSON.stringify(value, withoutRuntimeZones);
const current: Record<string, string> = {
	TencentChatPush: serialise(new TencentChatPush().description),
	TencentChatPushTrigger: serialise(new TencentChatPushTrigger().description),
	TencentChatApi: serialise(new TencentChatApi()),
};

if (process.env.UPDATE_DESCRIPTION_SNAPSHOT === '1') {
	const pretty = Object.fromEntries(
		Object.entries(current).map(([name, json]) => [name, JSON.parse(json)]),
	);
	fs.writeFileSync(FIXTURE, `${JSON.stringify(pretty, null, '\t')}\n`);
}

const stored = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;

describe('descriptions n8n registers', () => {
	it('the fixture holds exactly the two nodes and the credential', () => {
		expect(Object.keys(stored).sort()).toEqual(Object.keys(current).sort());
	});

	it.each(Object.keys(current))(
		'%s serialises byte-identically to the committed fixture',
		(name) => {
			// Re-serialising the parsed fixture gives the compact form back (key order is kept by JSON.parse).
			const expected = JSON.stringify(stored[name]);
			if (current[name] !== expected) {
				// toEqual on the parsed objects names the first differing path instead of two long strings.
				expect(JSON.parse(current[name])).toEqual(stored[name]);
			}
			expect(current[name]).toBe(expected);
		},
	);
});
