'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { APP, BASE_FIXTURE, START_MS, start, call, expectCode, text } = require('./helpers');

let dir;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-persist-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function waitFor(predicate) {
	for (let i = 0; i < 500 && !predicate(); i += 1) await new Promise((r) => setTimeout(r, 10));
	return predicate();
}

test('state survives stop/start with the same persist file', async () => {
	const file = path.join(dir, 'state.json');
	const first = await start({ persistPath: file });
	let taskId;
	try {
		expectCode(
			await call(first, 'timpush/set_attr_name', {
				AttrNames: { 3: 'level' },
				AttrTypes: { 3: 0 },
			}),
			0,
		);
		expectCode(
			await call(first, 'timpush/set_attr', {
				UserAttrs: [{ To_Account: 'bob', Attrs: { level: 'gold' } }],
			}),
			0,
		);
		expectCode(
			await call(first, 'timpush/add_tag', {
				UserTags: [{ To_Account: 'bob', Tags: ['persisted'] }],
			}),
			0,
		);
		taskId = expectCode(
			await call(first, 'timpush/push', {
				MsgRandom: 5150,
				MsgBody: text('x'),
				Condition: { TagsOr: ['persisted'] },
			}),
			0,
		).TaskId;
	} finally {
		await first.stop();
	}
	const saved = fs.readFileSync(file, 'utf8');
	expect(saved).not.toContain(APP.key);
	expect(saved).not.toMatch(/usersig/i);
	expect(fs.readdirSync(dir)).toEqual(['state.json']); // no temp file left behind

	const second = await start({ persistPath: file, clock: { mode: 'manual', start: START_MS } });
	try {
		expect(second.state.userView(1400000001, 'bob')).toMatchObject({
			tags: ['persisted'],
			attrs: { level: 'gold' },
		});
		expect(second.state.getApp(1400000001).attrSlots[3]).toEqual({
			name: 'level',
			type: 0,
			typeLocked: true,
		});
		const task = second.state.tasks.get(taskId);
		expect(task.deliveries.map((d) => d.userId)).toEqual(['bob']);
		expect(task.deliveries[0]).toMatchObject({ taskId, family: 'timpush', msgRandom: 5150 });
		// Dedup memory survives: a client retrying after the restart gets the same TaskId.
		expect(expectCode(await call(second, 'timpush/push', { MsgRandom: 5150 }), 0).TaskId).toBe(
			taskId,
		);
		// Task ids keep increasing after the restart.
		second.clock.advance(5000);
		const next = expectCode(await call(second, 'timpush/push', { MsgRandom: 5151 }), 0).TaskId;
		expect(next).not.toBe(taskId);
		expect(second.state.tasks.size).toBe(2);
	} finally {
		await second.stop();
	}
});

test('writes are debounced and happen without stop; reset goes back to the fixture', async () => {
	const file = path.join(dir, 'nested', 'state.json');
	const emu = await start({ persistPath: file, config: { persistDebounceMs: 5 } });
	try {
		expectCode(
			await call(emu, 'timpush/add_tag', { UserTags: [{ To_Account: 'bob', Tags: ['early'] }] }),
			0,
		);
		expect(
			await waitFor(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('early')),
		).toBe(true);
		await emu.reset();
		expect(emu.state.userView(1400000001, 'bob').tags).toEqual([]);
		expect(await waitFor(() => !fs.readFileSync(file, 'utf8').includes('early'))).toBe(true);
	} finally {
		await emu.stop();
	}
});

test('a persisted app unknown to the fixture is dropped; keys always come from the fixture', async () => {
	const file = path.join(dir, 'state.json');
	const emu = await start({ persistPath: file });
	await emu.stop();
	const only = JSON.parse(fs.readFileSync(BASE_FIXTURE, 'utf8'));
	only.apps = only.apps.slice(0, 1);
	const again = await start({ persistPath: file, fixture: only });
	try {
		expect([...again.state.apps.keys()]).toEqual([1400000001]);
		expectCode(await call(again, 'timpush/get_attr_name', {}), 0);
	} finally {
		await again.stop();
	}
});
