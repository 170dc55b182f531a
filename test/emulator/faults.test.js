'use strict';

const { start, call, expectCode, introspect, nextRandom } = require('./helpers');

let emu;
beforeAll(async () => {
	emu = await start({ config: { pushIntervalMs: 0 } });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const addTag = (tag) =>
	call(emu, 'timpush/add_tag', { UserTags: [{ To_Account: 'bob', Tags: [tag] }] });
const bobTags = () => emu.state.getUser(1400000001, 'bob').tags;

describe('fault kinds', () => {
	test("'502': HTTP 502 with an HTML body, request not processed", async () => {
		emu.faults.set('timpush/add_tag', { sequence: ['502'] });
		const res = await addTag('x');
		expect(res.status).toBe(502);
		expect(res.headers['content-type']).toMatch(/text\/html/);
		expect(res.text).toContain('502 Bad Gateway');
		expect(bobTags()).toEqual([]);
		expectCode(await addTag('y'), 0); // sequence exhausted → ok
		expect(bobTags()).toEqual(['y']);
		expect(emu.state.counters.faultsInjected).toEqual({ 502: 1 });
		expect(emu.state.requestLog.map((e) => [e.httpStatus, e.fault])).toEqual([
			[502, '502'],
			[200, null],
		]);
	});

	test("'502-after' + retry with the same MsgRandom leaves exactly one task", async () => {
		emu.faults.set('timpush/push', { sequence: ['502-after'] });
		const body = { MsgRandom: 4242, Condition: { TagsOr: ['gold'] } };
		const lost = await call(emu, 'timpush/push', body);
		expect(lost.status).toBe(502);
		expect(emu.state.tasks.size).toBe(1);
		emu.configure({ pushIntervalMs: 1000 }); // the retry comes immediately: dedup must answer before the interval check
		const retry = expectCode(await call(emu, 'timpush/push', body), 0);
		expect(emu.state.tasks.size).toBe(1);
		expect([...emu.state.tasks.keys()]).toEqual([retry.TaskId]);
		expect(emu.state.counters).toMatchObject({
			duplicatePushes: 1,
			pushesAccepted: 1,
			faultsInjected: { '502-after': 1 },
		});
	});

	test("'reset': connection dropped without a response, not processed", async () => {
		emu.faults.set('timpush/add_tag', { sequence: ['reset'] });
		await expect(addTag('x')).rejects.toThrow();
		expect(bobTags()).toEqual([]);
		expect(emu.state.requestLog.at(-1)).toMatchObject({ fault: 'reset', httpStatus: null });
	});

	test("'reset-after': processed, then the connection is dropped", async () => {
		emu.faults.set('timpush/add_tag', { sequence: ['reset-after'] });
		await expect(addTag('x')).rejects.toThrow();
		expect(bobTags()).toEqual(['x']);
	});

	test("'delay:<ms>': processed, response delayed (past a client timeout when long enough)", async () => {
		emu.faults.set('timpush/add_tag', { sequence: ['delay:20', 'delay:60000'] });
		expectCode(await addTag('a'), 0);
		expect(bobTags()).toEqual(['a']);
		await expect(
			call(
				emu,
				'timpush/add_tag',
				{ UserTags: [{ To_Account: 'bob', Tags: ['b'] }] },
				{ headersTimeout: 200 },
			),
		).rejects.toThrow();
		expect(bobTags()).toEqual(['a', 'b']);
		expect(emu.state.counters.faultsInjected).toEqual({ delay: 2 });
	});

	test.each(['91000', '60007', '90024'])("'%s': envelope error, not processed", async (kind) => {
		emu.faults.set('timpush/push', { sequence: [kind] });
		const res = expectCode(
			await call(emu, 'timpush/push', { MsgRandom: nextRandom() }),
			Number(kind),
		);
		expect(res.TaskId).toBe('');
		expect(emu.state.tasks.size).toBe(0);
		emu.faults.set('timpush/add_tag', { sequence: [kind] });
		expectCode(await addTag('x'), Number(kind));
		expect(bobTags()).toEqual([]);
		// Injected errors are not counted as client mistakes.
		expect(emu.state.counters).toMatchObject({
			invalidRequests: 0,
			limitRejections: 0,
			faultsInjected: { [kind]: 2 },
		});
	});

	test("'ok' entries, '*' rules, and specific rules taking precedence", async () => {
		emu.faults.set('*', { sequence: ['ok', '91000', '91000'] });
		emu.faults.set('timpush/get_tag', { sequence: ['60007'] });
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['bob'] }), 60007);
		expectCode(await call(emu, 'timpush/get_attr_name', {}), 0);
		expectCode(await call(emu, 'all_member_push/im_get_tag', { To_Account: ['bob'] }), 91000);
		// get_tag's own rule is exhausted, and a spent specific rule still shadows '*'.
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['bob'] }), 0);
		expectCode(await call(emu, 'timpush/get_attr', { To_Account: ['bob'] }), 91000);
		expectCode(await call(emu, 'timpush/get_attr', { To_Account: ['bob'] }), 0);
	});

	test('faults are not applied to unknown commands or non-POST requests', async () => {
		emu.faults.set('*', { sequence: ['502', '502'] });
		expectCode(await call(emu, 'timpush/unknown', {}), 60009);
		expect((await call(emu, 'timpush/get_tag', undefined, { method: 'GET' })).status).toBe(405);
		expect(emu.state.counters.faultsInjected).toEqual({});
	});

	test('probabilistic faults are reproducible with a seed', async () => {
		const run = async (target) => {
			target.faults.set('timpush/get_attr_name', {
				probability: 0.5,
				kinds: ['91000', '502'],
				seed: 7,
			});
			const out = [];
			for (let i = 0; i < 30; i += 1) {
				const res = await call(target, 'timpush/get_attr_name', {});
				out.push(res.status === 502 ? 502 : res.json.ErrorCode);
			}
			return out;
		};
		const other = await start();
		try {
			const a = await run(emu);
			const b = await run(other);
			expect(a).toEqual(b);
			expect(new Set(a)).toEqual(new Set([0, 91000, 502]));
			const injected = emu.state.counters.faultsInjected;
			expect((injected['91000'] || 0) + (injected['502'] || 0)).toBe(
				a.filter((x) => x !== 0).length,
			);
		} finally {
			await other.stop();
		}
	});

	test('invalid fault specs are rejected; reset and clear remove faults', async () => {
		expect(() => emu.faults.set('timpush/push', { sequence: ['503'] })).toThrow(
			/unknown fault kind/,
		);
		expect(() => emu.faults.set('timpush/nope', { sequence: ['502'] })).toThrow(/unknown endpoint/);
		expect(() => emu.faults.set('timpush/push', { probability: 2 })).toThrow();
		expect(() => emu.faults.set('timpush/push', {})).toThrow();
		emu.faults.set('timpush/push', { sequence: ['502'] });
		emu.faults.clear('timpush/push');
		expect(emu.faults.list()).toEqual({});
		emu.faults.set('*', { probability: 1, kinds: ['502'] });
		await emu.reset();
		expectCode(await addTag('x'), 0);
		const over = await introspect(emu, 'faults', {
			endpoint: 'timpush/add_tag',
			sequence: ['delay:5', 'reset'],
		});
		expect(over.json.faults).toEqual({ 'timpush/add_tag': { sequence: ['delay:5', 'reset'] } });
	});
});
