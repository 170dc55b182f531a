/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TencentChatPush } from '../../nodes/TencentChatPush/TencentChatPush.node';
import { TENCENT_ERRORS } from '../../nodes/TencentChatPush/transport/errorCodes';
import { LIMITS } from '../../nodes/TencentChatPush/validation/limits';
import { REGIONS } from '../../credentials/regions';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** Rows of the first Markdown table after `heading`. */
function table(heading: string): string[][] {
	// Prettier pads table cells, so the heading row is matched cell by cell, not character by character.
	const cells = (line: string) =>
		line
			.split('|')
			.map((cell) => cell.trim())
			.join('|');
	const headingLine = readme.split('\n').find((line) => cells(line) === cells(heading));
	const start = headingLine === undefined ? -1 : readme.indexOf(headingLine);
	expect(start).toBeGreaterThanOrEqual(0);
	const lines = readme.slice(start).split('\n');
	const first = lines.findIndex((line) => line.startsWith('|'));
	const rows: string[][] = [];
	for (const line of lines.slice(first + 2)) {
		if (!line.startsWith('|')) break;
		rows.push(
			line
				.split('|')
				.slice(1, -1)
				.map((cell) => cell.trim()),
		);
	}
	return rows;
}

describe('README is true to the code', () => {
	test('the error table lists exactly the codes of errorCodes.ts, with their meaning, action and retry', () => {
		const rows = table('## Error codes');
		expect(rows.map((r) => Number(r[0]))).toEqual(Object.keys(TENCENT_ERRORS).map(Number));
		for (const [code, meaning, action, retried] of rows) {
			const entry = TENCENT_ERRORS[Number(code)];
			expect({ code, meaning, action }).toEqual({
				code,
				meaning: entry.meaning,
				action: entry.action,
			});
			expect(retried.startsWith('yes')).toBe(entry.retry !== 'never');
		}
	});

	test('the operations table lists every resource and operation of the node', () => {
		const description = new TencentChatPush().description;
		const resources = description.properties.find((p) => p.name === 'resource')!.options as Array<{
			name: string;
			value: string;
		}>;
		const documented = table('## Operations').map(
			(r) => `${r[0]} → ${r[1].replace(/ \(.*\)$/, '')}`,
		);
		const actual = resources.flatMap((resource) => {
			const operation = description.properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value),
			)!;
			return (operation.options as Array<{ name: string }>).map(
				(o) => `${resource.name} → ${o.name}`,
			);
		});
		expect(documented.sort()).toEqual(actual.sort());
	});

	test('the limits table states the limits of limits.ts', () => {
		const limits = Object.fromEntries(
			table('### Limits checked before sending').map((r) => [r[0], r[1]]),
		);
		expect(limits['Tag length']).toContain(`${LIMITS.tagBytes} bytes`);
		expect(limits['Tags per condition list']).toBe(String(LIMITS.tagsPerCondition));
		expect(limits['Attribute name / value length']).toContain(
			`${LIMITS.attributeValueBytes} bytes`,
		);
		expect(limits['Attribute slots']).toContain(String(LIMITS.attributeSlots));
		expect(limits['MsgRandom']).toContain(LIMITS.uint32Max.toLocaleString('en-US'));
		expect(limits['Message Lifetime (legacy)']).toContain(
			LIMITS.msgLifeTimeSeconds.toLocaleString('en-US'),
		);
		expect(limits['Push request body']).toContain(
			`${LIMITS.pushBodyBytes.toLocaleString('en-US')} bytes`,
		);
		expect(limits['Accounts per Send to Users request']).toContain(
			String(LIMITS.accountsPerBatchPush),
		);
		expect(limits['Data ID']).toBe(`${LIMITS.dataIdBytes} bytes`);
		expect(limits['Users per tag/attribute request']).toContain(
			String(LIMITS.usersPerManagementCall),
		);
		expect(limits['Tags per user per Add']).toBe(
			`${LIMITS.tagsPerAdd}, or ${LIMITS.tagsPerAddWithReplace} with Replace`,
		);
		expect(limits['Tag/attribute requests']).toContain(`${LIMITS.managementRequestsPerSecond}/s`);
		const windowDays = LIMITS.schedListRangeSeconds / 86_400;
		expect(limits['Get Many range (Start Time to End Time)']).toBe(
			`${LIMITS.schedListMaxWindows * windowDays} days (${LIMITS.schedListMaxWindows} windows of ${windowDays} days)`,
		);
		const { free, standard, advanced } = LIMITS.batchPushUsersPerSecond;
		expect(limits['Send to Users recipients']).toContain(
			`${free}/s (Free or Trial), ${standard}/s (Standard), ${advanced}/s (Advanced)`,
		);
		expect(limits['Task IDs per statistics or loss request']).toContain(
			String(LIMITS.statisticsTaskIdsPerRequest),
		);
		expect(limits['Statistics time range']).toBe(`${LIMITS.statisticsRangeSeconds / 86_400} days`);
		expect(limits['Delivery loss time range']).toBe(`${LIMITS.lossRangeSeconds / 86_400} days`);
	});

	test('the region table lists every region of the credential', () => {
		const rows = table('| Region | Domain |');
		expect(rows.map((r) => `${r[0]} ${r[1]}`)).toEqual(
			REGIONS.map((r) => `${r.name} \`${r.domain}\``),
		);
	});
});
