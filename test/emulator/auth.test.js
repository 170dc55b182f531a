'use strict';

const zlib = require('node:zlib');
const {
	APP,
	start,
	call,
	expectCode,
	makeUserSig,
	tlsSig,
	storedZlib,
	contentString,
	introspect,
} = require('./helpers');

// The test vector of docs/tencent-api.md#usersig.
const VECTOR = {
	sdkAppId: 1400000000,
	key: '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e',
	identifier: 'xiaojun',
	time: 1700000000,
	expire: 15552000,
};
const VECTOR_FIXTURE = {
	apps: [
		{ sdkAppId: 1400000000, secretKey: VECTOR.key, admins: ['xiaojun'], users: [{ id: 'u1' }] },
	],
};

describe('docs/tencent-api.md#usersig test vector', () => {
	test('the test helper computes the documented TLS.sig', () => {
		expect(contentString(VECTOR)).toBe(
			'TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:15552000\n',
		);
		expect(tlsSig(VECTOR.key, VECTOR)).toBe('LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=');
		expect(tlsSig(VECTOR.key, { ...VECTOR, userbuf: 'YWJj' })).toBe(
			'QjT201xPkXk/aM1e+y0vakZb0K2iPrFue++0s5y6bFM=',
		);
	});

	test('the stored-block helper produces a valid zlib stream', () => {
		const data = Buffer.from('x'.repeat(70000));
		expect(zlib.inflateSync(storedZlib(data)).equals(data)).toBe(true);
		expect(zlib.inflateSync(storedZlib(Buffer.alloc(0))).length).toBe(0);
	});

	test('the emulator accepts the vector usersig (deflate and stored blocks, with and without userbuf)', async () => {
		const emu = await start({
			fixture: VECTOR_FIXTURE,
			clock: { mode: 'manual', start: (VECTOR.time + 3600) * 1000 },
		});
		try {
			const app = { sdkAppId: VECTOR.sdkAppId, identifier: 'xiaojun' };
			for (const extra of [
				{},
				{ compression: 'stored' },
				{ userbuf: 'YWJj' },
				{ order: 'go', compression: 'stored', blockSize: 7 },
			]) {
				const usersig = makeUserSig({ ...VECTOR, ...extra });
				expectCode(await call(emu, 'timpush/get_attr_name', {}, { app, usersig }), 0);
			}
		} finally {
			await emu.stop();
		}
	});
});

describe('auth checklist (docs/tencent-api.md#auth-checks)', () => {
	let emu;
	let nowSec;
	beforeAll(async () => {
		emu = await start();
		nowSec = Math.floor(emu.clock.now() / 1000);
	});
	afterAll(() => emu.stop());
	const sig = (extra) => makeUserSig({ ...APP, time: nowSec - 60, expire: 86400, ...extra });
	const getNames = (opts) => call(emu, 'timpush/get_attr_name', {}, opts);

	test('zlib.deflateSync usersig verifies', async () => {
		expectCode(await getNames({ usersig: sig() }), 0);
	});

	test('usersig made of stored deflate blocks verifies (one block and many blocks)', async () => {
		expectCode(await getNames({ usersig: sig({ compression: 'stored' }) }), 0);
		expectCode(await getNames({ usersig: sig({ compression: 'stored', blockSize: 1 }) }), 0);
	});

	test('missing sdkappid → 60012; non-numeric → 60006; unknown → 70020', async () => {
		expectCode(await getNames({ query: { sdkappid: undefined } }), 60012);
		expectCode(await getNames({ query: { sdkappid: '' } }), 60012);
		expectCode(await getNames({ query: { sdkappid: '14000x' } }), 60006);
		expectCode(await getNames({ query: { sdkappid: '1400009999' } }), 70020);
	});

	test('empty usersig → 70002, garbage → 70003', async () => {
		expectCode(await getNames({ usersig: '' }), 70002);
		expectCode(await getNames({ query: { usersig: undefined } }), 70002);
		expectCode(await getNames({ usersig: 'not a usersig!' }), 70003);
		expectCode(await getNames({ usersig: 'aGVsbG8gd29ybGQ_' }), 70003); // base64, not zlib
		expectCode(
			await getNames({
				usersig: zlib.deflateSync('not json').toString('base64').replace(/=/g, '_'),
			}),
			70003,
		);
		const truncated = sig();
		expectCode(await getNames({ usersig: truncated.slice(0, truncated.length - 12) }), 70003);
		expectCode(
			await getNames({ usersig: sig({ doc: { 'TLS.sdkappid': String(APP.sdkAppId) } }) }),
			70003,
		);
		expectCode(await getNames({ usersig: sig({ doc: { 'TLS.ver': '1.0' } }) }), 70003);
	});

	test('TLS.sdkappid ≠ query → 70014; TLS.identifier ≠ query → 70013', async () => {
		expectCode(await getNames({ usersig: sig({ sdkAppId: 1400000002 }) }), 70014);
		expectCode(await getNames({ usersig: sig({ identifier: 'ops' }) }), 70013);
		expectCode(await getNames({ query: { identifier: undefined } }), 70013);
	});

	test('expired → 70001, using the emulator clock (now > time + expire)', async () => {
		const usersig = sig({ time: nowSec - 100, expire: 100 });
		expectCode(await getNames({ usersig }), 0); // now == time + expire is still valid
		expectCode(await getNames({ usersig: sig({ time: nowSec - 101, expire: 100 }) }), 70001);
	});

	test('tampered or foreign-key usersig → 70009 with Tencent text', async () => {
		const good = tlsSig(APP.key, { ...APP, time: nowSec - 60, expire: 86400 });
		const tampered = (good[0] === 'A' ? 'B' : 'A') + good.slice(1);
		const res = expectCode(await getNames({ usersig: sig({ sig: tampered }) }), 70009);
		expect(res.ErrorInfo).toMatch(
			/^UserSig verification Failed\. The UserSig in use maybe generated by Secret Key from other SDKAppID/,
		);
		expectCode(await getNames({ usersig: sig({ key: 'another-app-secret-key' }) }), 70009);
		// The content string covers time: changing it after signing breaks the signature.
		expectCode(await getNames({ usersig: sig({ sig: good, time: nowSec - 61 }) }), 70009);
	});

	test('checks run in the documented order', async () => {
		// sdkappid mismatch wins over identifier mismatch; expiry is checked before the HMAC.
		expectCode(
			await getNames({ usersig: sig({ sdkAppId: 1400000002, identifier: 'ops' }) }),
			70014,
		);
		expectCode(
			await getNames({ usersig: sig({ time: nowSec - 1000, expire: 10, sig: 'bogus' }) }),
			70001,
		);
		expectCode(await getNames({ usersig: '', query: { sdkappid: '1400009999' } }), 70020);
	});

	test('valid signature by a non-admin → 90009', async () => {
		const app = { ...APP, identifier: 'alice' };
		expectCode(await call(emu, 'timpush/get_tag', { To_Account: ['alice'] }, { app }), 90009);
		expectCode(
			await call(emu, 'all_member_push/im_push', { MsgRandom: 1, MsgBody: [] }, { app }),
			90009,
		);
		expectCode(
			await call(emu, 'timpush/get_attr_name', {}, { app: { ...APP, identifier: 'ops' } }),
			0,
		);
	});

	test('random and contenttype are required in strict mode (60002), ignored otherwise', async () => {
		expectCode(await getNames({ query: { random: undefined } }), 60002);
		expectCode(await getNames({ query: { random: '4294967296' } }), 60002);
		expectCode(await getNames({ query: { random: 'abc' } }), 60002);
		expectCode(await getNames({ query: { contenttype: undefined } }), 60002);
		expectCode(await getNames({ query: { contenttype: 'JSON' } }), 60002);
		expectCode(await getNames({ query: { random: '4294967295' } }), 0);
		emu.configure({ strict: false });
		try {
			expectCode(await getNames({ query: { random: undefined, contenttype: undefined } }), 0);
		} finally {
			emu.configure({ strict: true });
		}
	});

	test('auth failures are counted and the usersig is never logged', async () => {
		const usersig = sig();
		await getNames({ usersig });
		const { json } = await introspect(emu, 'requests');
		const raw = JSON.stringify(json);
		expect(raw).not.toContain(usersig);
		expect(raw).not.toContain(APP.key);
		expect(json.requests.at(-1).query.usersig).toBe('[redacted]');
		expect(emu.state.counters.authFailures).toBeGreaterThan(10);
		expect(JSON.stringify(emu.state.requestLog)).not.toContain(usersig);
	});
});
