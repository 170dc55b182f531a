/**
 * Push → Send to Users paced by recipients, as Tencent's push rate-limit summary counts them
 * (cloud.tencent.com/document/product/269/137903): 30 users/s on the free and trial editions, 500
 * on standard, 800 on advanced (the node keeps 10 % below). The emulator enforces Tencent's budget
 * on arrival over any second (60007 beyond it); the assertions read its recorded arrival times,
 * not the client's clock, and bound the pacing from below only.
 */
import type { IDataObject } from 'n8n-workflow';

import { type LoggedRequest, bulkIds, sendToUsersParams, useEmulator } from './setup';

const ctx = useEmulator({
	fixture: 'integration-push.json',
	bulkUsers: { prefix: 'u', count: 5000 },
});
jest.setTimeout(120_000);

/** The most recipients whose requests arrived within any 1,000 ms at the emulator. */
function busiestSecond(requests: LoggedRequest[]): number {
	const sizes = requests.map((r) => ({
		at: r.time,
		users: (r.json!.To_Account as string[]).length,
	}));
	return Math.max(
		...sizes.map((r) =>
			sizes.filter((o) => o.at >= r.at && o.at < r.at + 1000).reduce((n, o) => n + o.users, 0),
		),
	);
}

/** One item per account, read from a field of the item (the fast path for many items). */
const perItem = (accounts: string[]) => ({
	parameters: sendToUsersParams({ accountsFrom: 'field', accountsField: 'userId' }),
	items: accounts.map((userId): IDataObject => ({ userId })),
});

async function expectNoRejection() {
	const counters = await ctx.counters();
	expect(counters.responsesByCode['60007']).toBeUndefined();
	expect(counters.limitRejections).toBe(0);
}

test('standard edition: 5,000 accounts take at least 10 s at the emulator (≤ 500 users/s), with no rate-limit rejection and no failed item', async () => {
	ctx.emu.configure({ batchUserRatePerSecond: 500 });
	const accounts = bulkIds('u', 5000);
	const result = await ctx.run({
		...perItem(accounts),
		credentials: ctx.credentials({ pushEdition: 'standard' }),
	});
	expect(result.error).toBeUndefined();

	const requests = await ctx.requests('timpush/batch');
	// 450 users per second (90 % of 500): 11 requests of 450 and one of 50.
	expect(requests.map((r) => (r.json!.To_Account as string[]).length)).toEqual([
		...Array.from({ length: 11 }, () => 450),
		50,
	]);
	expect(requests.every((r) => r.errorCode === 0)).toBe(true);
	await expectNoRejection();
	expect(busiestSecond(requests)).toBeLessThanOrEqual(450);
	// 5,000 users at no more than 500 per second however it is measured: from the first arrival to the last.
	const first = requests[0].time;
	const last = requests[requests.length - 1].time;
	expect(last - first).toBeGreaterThanOrEqual(10_000);
	expect((5000 / (last - first)) * 1000).toBeLessThanOrEqual(500);

	expect(result.items).toHaveLength(5000);
	expect(
		result.items.filter(
			(item) => item.json.error !== undefined || (item.json.failed as unknown[]).length > 0,
		),
	).toEqual([]);
	expect(
		result.items.every((item, i) => (item.json.delivered as string[])[0] === accounts[i]),
	).toBe(true);
	expect((await ctx.tasks()).reduce((n, t) => n + t.deliveries.length, 0)).toBe(5000);
});

test('free edition (the default): requests of 27 accounts, at most 30 users/s at the emulator, no rejection', async () => {
	expect(ctx.emu.config.batchUserRatePerSecond).toBe(30); // the emulator's default: the free/trial edition
	const accounts = bulkIds('u', 90);
	const result = await ctx.run(perItem(accounts)); // the credential names no edition: free/trial
	expect(result.error).toBeUndefined();

	const requests = await ctx.requests('timpush/batch');
	expect(requests.map((r) => (r.json!.To_Account as string[]).length)).toEqual([27, 27, 27, 9]);
	await expectNoRejection();
	expect(busiestSecond(requests)).toBeLessThanOrEqual(27);
	expect(requests[3].time - requests[0].time).toBeGreaterThanOrEqual(3000); // 90 users at ≤ 30/s
	expect(result.items.filter((item) => (item.json.failed as unknown[]).length > 0)).toEqual([]);
});

test("Dry Run shows a request of the edition's size and sends nothing", async () => {
	const result = await ctx.run({
		parameters: sendToUsersParams({
			toAccounts: JSON.stringify(bulkIds('u', 100)),
			options: { dryRun: true },
		}),
	});
	const request = result.items[0].json.request as IDataObject;
	expect(((request.body as IDataObject).To_Account as string[]).length).toBe(27);
	expect(await ctx.apiRequestCount()).toBe(0);
});
