/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

import {
	UserSigCache,
	adler32,
	computeTlsSig,
	generateUserSig,
	signatureContent,
	toUrlSafeBase64,
	zlibStore,
	type UserSigInput,
} from '../../credentials/userSig';

/** The test vector of docs/tencent-api.md#usersig; the key is Tencent's public demo key from its signing-library repos. */
const PUBLIC_DEMO_HEX = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const VECTOR: UserSigInput = {
	sdkAppId: 1400000000,
	identifier: 'xiaojun',
	secretKey: PUBLIC_DEMO_HEX,
	validitySeconds: 15552000,
};
const VECTOR_TIME = 1700000000;
const VECTOR_SIG = 'LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4=';

type SigDocument = Record<string, unknown>;

/** Reverses the URL-safe alphabet of docs/tencent-api.md#usersig step 6, base64-decodes and inflates with Node's zlib. */
function decodeUserSig(userSig: string): SigDocument {
	const base64 = userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
	const inflated = inflateSync(Buffer.from(base64, 'base64'));
	return JSON.parse(inflated.toString('utf8')) as SigDocument;
}

type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * A verifier written from the spec alone (like Tencent's Go/PHP `VerifyUserSig`), sharing no code
 * with the module under test: decode → inflate → parse → recompute the HMAC → compare → expiry.
 */
function verifyUserSig(
	userSig: string,
	expected: { sdkAppId: number; identifier: string; secretKey: string },
	nowSeconds: number,
): Verdict {
	let doc: SigDocument;
	try {
		doc = decodeUserSig(userSig);
	} catch {
		return { ok: false, reason: 'undecodable' };
	}
	if (doc['TLS.ver'] !== '2.0') return { ok: false, reason: 'version' };
	if (doc['TLS.sdkappid'] !== expected.sdkAppId) return { ok: false, reason: 'sdkappid' };
	if (doc['TLS.identifier'] !== expected.identifier) return { ok: false, reason: 'identifier' };
	const time = doc['TLS.time'];
	const expire = doc['TLS.expire'];
	if (typeof time !== 'number' || typeof expire !== 'number') return { ok: false, reason: 'types' };
	const content =
		`TLS.identifier:${expected.identifier}\n` +
		`TLS.sdkappid:${expected.sdkAppId}\n` +
		`TLS.time:${time}\n` +
		`TLS.expire:${expire}\n`;
	const wanted = createHmac('sha256', Buffer.from(expected.secretKey, 'utf8'))
		.update(content)
		.digest();
	const given = Buffer.from(String(doc['TLS.sig']), 'base64');
	if (given.length !== wanted.length || !timingSafeEqual(given, wanted))
		return { ok: false, reason: 'sig' };
	if (nowSeconds > time + expire) return { ok: false, reason: 'expired' };
	return { ok: true };
}

/** Adler-32 straight from RFC 1950 §8.2, reducing modulo 65521 after every byte. */
function referenceAdler32(data: Uint8Array): number {
	let a = 1;
	let b = 0;
	for (const byte of data) {
		a = (a + byte) % 65521;
		b = (b + a) % 65521;
	}
	return b * 65536 + a;
}

/** The Adler-32 Node's own zlib writes as the trailer of a zlib stream. */
const nodeZlibAdler32 = (data: Uint8Array): number =>
	deflateSync(data).readUInt32BE(deflateSync(data).length - 4);

describe('computeTlsSig / signatureContent (docs/tencent-api.md#usersig)', () => {
	test('matches the test vector of docs/tencent-api.md#usersig', () => {
		expect(computeTlsSig(VECTOR, VECTOR_TIME)).toBe(VECTOR_SIG);
	});

	test('content string is exactly the documented one: fixed order, LF after every line', () => {
		expect(signatureContent('xiaojun', 1400000000, 1700000000, 15552000)).toBe(
			'TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:15552000\n',
		);
	});

	test('the key is used as UTF-8 text, not hex-decoded', () => {
		const hexDecoded = createHmac('sha256', Buffer.from(VECTOR.secretKey, 'hex'))
			.update(signatureContent('xiaojun', 1400000000, VECTOR_TIME, 15552000))
			.digest('base64');
		expect(computeTlsSig(VECTOR, VECTOR_TIME)).not.toBe(hexDecoded);
	});

	test('every input changes the signature', () => {
		const base = computeTlsSig(VECTOR, VECTOR_TIME);
		expect(computeTlsSig(VECTOR, VECTOR_TIME + 1)).not.toBe(base);
		expect(computeTlsSig({ ...VECTOR, identifier: 'xiaojun2' }, VECTOR_TIME)).not.toBe(base);
		expect(computeTlsSig({ ...VECTOR, sdkAppId: 1400000001 }, VECTOR_TIME)).not.toBe(base);
		expect(computeTlsSig({ ...VECTOR, validitySeconds: 86400 }, VECTOR_TIME)).not.toBe(base);
		expect(computeTlsSig({ ...VECTOR, secretKey: `${VECTOR.secretKey}x` }, VECTOR_TIME)).not.toBe(
			base,
		);
	});
});

describe('generateUserSig', () => {
	test('uses only the URL-safe alphabet and decodes to the documented JSON', () => {
		const userSig = generateUserSig(VECTOR, VECTOR_TIME);
		expect(userSig).toMatch(/^[A-Za-z0-9*_-]+$/);
		expect(userSig).not.toMatch(/[+/=]/);
		const doc = decodeUserSig(userSig);
		// Parse, do not compare bytes: key order differs between libraries (docs/tencent-api.md#usersig step 4).
		expect(doc).toEqual(
			JSON.parse(
				'{"TLS.ver":"2.0","TLS.identifier":"xiaojun","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":15552000,"TLS.sig":"LvA7d/Iw7gSsnskvVzBDPOCCDbuNCw4GHwTC0bip+B4="}',
			),
		);
	});

	test('document fields have the types Tencent expects and nothing else', () => {
		const input: UserSigInput = {
			sdkAppId: 1400123456,
			identifier: 'administrator',
			secretKey: 'k'.repeat(64),
			validitySeconds: 86400,
		};
		const doc = decodeUserSig(generateUserSig(input, 1712345678));
		expect(Object.keys(doc).sort()).toEqual(
			['TLS.expire', 'TLS.identifier', 'TLS.sdkappid', 'TLS.sig', 'TLS.time', 'TLS.ver'].sort(),
		);
		expect(doc['TLS.ver']).toBe('2.0');
		expect(typeof doc['TLS.ver']).toBe('string');
		expect(doc['TLS.identifier']).toBe('administrator');
		expect(typeof doc['TLS.sdkappid']).toBe('number');
		expect(doc['TLS.sdkappid']).toBe(1400123456);
		expect(typeof doc['TLS.time']).toBe('number');
		expect(doc['TLS.time']).toBe(1712345678);
		expect(typeof doc['TLS.expire']).toBe('number');
		expect(doc['TLS.expire']).toBe(86400);
		expect(doc['TLS.sig']).toBe(computeTlsSig(input, 1712345678));
	});

	test('the signature is a valid zlib stream (header check bits) that Node inflates', () => {
		const base64 = generateUserSig(VECTOR, VECTOR_TIME)
			.replace(/\*/g, '+')
			.replace(/-/g, '/')
			.replace(/_/g, '=');
		const raw = Buffer.from(base64, 'base64');
		expect(raw[0] & 0x0f).toBe(8); // CM = deflate
		expect((raw[0] * 256 + raw[1]) % 31).toBe(0);
		expect(() => inflateSync(raw)).not.toThrow();
	});

	test('the secret key never appears in the signature or its decoded document', () => {
		const userSig = generateUserSig(VECTOR, VECTOR_TIME);
		expect(userSig).not.toContain(VECTOR.secretKey);
		expect(JSON.stringify(decodeUserSig(userSig))).not.toContain(VECTOR.secretKey);
	});

	test('identifiers with non-ASCII characters survive the round trip', () => {
		const input: UserSigInput = { ...VECTOR, identifier: '管理员_admin' };
		const userSig = generateUserSig(input, VECTOR_TIME);
		expect(decodeUserSig(userSig)['TLS.identifier']).toBe('管理员_admin');
		expect(verifyUserSig(userSig, input, VECTOR_TIME)).toEqual({ ok: true });
	});
});

describe('independent verifier', () => {
	const input: UserSigInput = {
		sdkAppId: 1400000000,
		identifier: 'administrator',
		secretKey: 'dummy-secret-0123456789',
		validitySeconds: 86400,
	};
	const now = 1_750_000_000;

	test('accepts a fresh signature', () => {
		expect(verifyUserSig(generateUserSig(input, now), input, now)).toEqual({ ok: true });
		expect(verifyUserSig(generateUserSig(VECTOR, VECTOR_TIME), VECTOR, VECTOR_TIME + 10)).toEqual({
			ok: true,
		});
	});

	test('accepts the last second of validity and rejects the next (now > time + expire)', () => {
		const userSig = generateUserSig(input, now);
		expect(verifyUserSig(userSig, input, now + 86400)).toEqual({ ok: true });
		expect(verifyUserSig(userSig, input, now + 86401)).toEqual({ ok: false, reason: 'expired' });
	});

	test('rejects an expired signature', () => {
		const userSig = generateUserSig({ ...input, validitySeconds: 300 }, now - 1000);
		expect(verifyUserSig(userSig, input, now)).toEqual({ ok: false, reason: 'expired' });
	});

	test('rejects a tampered document (time moved, sig kept)', () => {
		const doc = decodeUserSig(generateUserSig(input, now));
		doc['TLS.expire'] = 15552000;
		const forged = toUrlSafeBase64(deflateSync(Buffer.from(JSON.stringify(doc))));
		expect(verifyUserSig(forged, input, now)).toEqual({ ok: false, reason: 'sig' });
	});

	test('rejects a tampered signature value', () => {
		const doc = decodeUserSig(generateUserSig(input, now));
		const sig = Buffer.from(String(doc['TLS.sig']), 'base64');
		sig[0] ^= 0x01;
		doc['TLS.sig'] = sig.toString('base64');
		const forged = toUrlSafeBase64(deflateSync(Buffer.from(JSON.stringify(doc))));
		expect(verifyUserSig(forged, input, now)).toEqual({ ok: false, reason: 'sig' });
	});

	test('rejects corrupted bytes, another key, another app and another identifier', () => {
		const userSig = generateUserSig(input, now);
		const flipped = `${userSig.slice(0, 20)}${userSig[20] === 'A' ? 'B' : 'A'}${userSig.slice(21)}`;
		expect(verifyUserSig(flipped, input, now).ok).toBe(false);
		expect(verifyUserSig(userSig, { ...input, secretKey: 'another-key' }, now)).toEqual({
			ok: false,
			reason: 'sig',
		});
		expect(verifyUserSig(userSig, { ...input, sdkAppId: 1400000001 }, now)).toEqual({
			ok: false,
			reason: 'sdkappid',
		});
		expect(verifyUserSig(userSig, { ...input, identifier: 'someone' }, now)).toEqual({
			ok: false,
			reason: 'identifier',
		});
	});
});

describe('adler32', () => {
	test('known value: Adler-32 of "Wikipedia" is 0x11E60398', () => {
		expect(adler32(Buffer.from('Wikipedia', 'ascii'))).toBe(0x11e60398);
	});

	test('empty input is 1', () => {
		expect(adler32(new Uint8Array(0))).toBe(1);
	});

	test.each([
		['1 byte', Buffer.from([0xff])],
		['5551 × 0xff', Buffer.alloc(5551, 0xff)],
		['5552 × 0xff (one chunk)', Buffer.alloc(5552, 0xff)],
		['5553 × 0xff', Buffer.alloc(5553, 0xff)],
		['200 000 × 0xff (worst case sums)', Buffer.alloc(200_000, 0xff)],
		['100 000 random bytes', randomBytes(100_000)],
		['65 536 random bytes', randomBytes(65_536)],
	])('equals the RFC 1950 definition and Node zlib for %s', (_label, data) => {
		const value = adler32(data);
		expect(value).toBe(referenceAdler32(data));
		expect(value).toBe(nodeZlibAdler32(data));
		expect(Number.isInteger(value) && value >= 0 && value <= 0xffffffff).toBe(true);
	});
});

describe('zlibStore', () => {
	test.each([
		['0 bytes', 0],
		['1 byte', 1],
		['65 534 bytes', 65_534],
		['65 535 bytes (one full stored block)', 65_535],
		['65 536 bytes (two blocks)', 65_536],
		['131 070 bytes (exactly two full blocks)', 131_070],
		['200 000 bytes', 200_000],
	])('round-trips %s through zlib.inflateSync', (_label, size) => {
		const data = randomBytes(size);
		const stream = zlibStore(data);
		expect(inflateSync(stream).equals(data)).toBe(true);
		// Stored blocks: 2-byte header + 5 bytes per block + data + 4-byte Adler-32.
		expect(stream.length).toBe(2 + Math.max(1, Math.ceil(size / 65_535)) * 5 + size + 4);
		expect((stream[0] * 256 + stream[1]) % 31).toBe(0);
		expect(stream.readUInt32BE(stream.length - 4)).toBe(referenceAdler32(data));
	});

	test('an empty input is one final empty stored block', () => {
		expect([...zlibStore(new Uint8Array(0))]).toEqual([
			0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
		]);
	});

	test('only the last block carries BFINAL', () => {
		const stream = zlibStore(Buffer.alloc(65_536, 7));
		expect(stream[2]).toBe(0x00);
		expect(stream.readUInt16LE(3)).toBe(65_535);
		expect(stream.readUInt16LE(5)).toBe(0);
		const second = 2 + 5 + 65_535;
		expect(stream[second]).toBe(0x01);
		expect(stream.readUInt16LE(second + 1)).toBe(1);
		expect(stream.readUInt16LE(second + 3)).toBe(0xfffe);
	});

	test('does not read outside a subarray view', () => {
		const backing = Buffer.from('XXhelloYY');
		const view = backing.subarray(2, 7);
		expect(inflateSync(zlibStore(view)).toString()).toBe('hello');
	});
});

describe('UserSigCache', () => {
	const input: UserSigInput = {
		sdkAppId: 1400000000,
		identifier: 'administrator',
		secretKey: 'cache-secret-abcdef',
		validitySeconds: 86400,
	};
	const T0 = 1_750_000_000_000; // ms

	function fakeClock(startMs = T0) {
		const clock = { now: startMs };
		return { clock, cache: new UserSigCache(() => clock.now) };
	}

	test('reuses the signature until half of its validity has passed, then signs again', () => {
		const { clock, cache } = fakeClock();
		const first = cache.get(input);
		expect(cache.signings).toBe(1);
		expect(decodeUserSig(first)['TLS.time']).toBe(T0 / 1000);

		clock.now = T0 + 1000;
		expect(cache.get(input)).toBe(first);
		clock.now = T0 + 43_199_999;
		expect(cache.get(input)).toBe(first);
		expect(cache.signings).toBe(1);

		clock.now = T0 + 43_200_000;
		const second = cache.get(input);
		expect(second).not.toBe(first);
		expect(cache.signings).toBe(2);
		expect(decodeUserSig(second)['TLS.time']).toBe(T0 / 1000 + 43_200);
		expect(verifyUserSig(second, input, clock.now / 1000)).toEqual({ ok: true });

		clock.now = T0 + 43_200_000 + 1000;
		expect(cache.get(input)).toBe(second);
		expect(cache.signings).toBe(2);
	});

	test.each([61, 100, 119, 120, 121, 300, 3600, 86400])(
		'never hands out a signature with less than 60 s left (validity %i s)',
		(validitySeconds) => {
			const { clock, cache } = fakeClock(T0 + 123); // not on a second boundary
			const sigInput = { ...input, validitySeconds };
			// Odd step so that reads fall on many different sub-second offsets.
			const step = Math.max(337, Math.floor((validitySeconds * 1000) / 97));
			const end = clock.now + 2 * validitySeconds * 1000;
			for (; clock.now < end; clock.now += step) {
				const userSig = cache.get(sigInput);
				const doc = decodeUserSig(userSig);
				const remaining =
					(doc['TLS.time'] as number) + (doc['TLS.expire'] as number) - clock.now / 1000;
				expect(remaining).toBeGreaterThanOrEqual(60);
				expect(verifyUserSig(userSig, sigInput, Math.floor(clock.now / 1000))).toEqual({
					ok: true,
				});
			}
			expect(cache.signings).toBeGreaterThan(1);
		},
	);

	test('after a long pause (clock far ahead) a fresh, valid signature is signed', () => {
		const { clock, cache } = fakeClock();
		const first = cache.get(input);
		clock.now = T0 + 10 * 86_400_000;
		const later = cache.get(input);
		expect(later).not.toBe(first);
		expect(verifyUserSig(later, input, clock.now / 1000)).toEqual({ ok: true });
	});

	test('different keys, identifiers, apps and validities get their own signatures', () => {
		const { cache } = fakeClock();
		const a = cache.get(input);
		const b = cache.get({ ...input, secretKey: 'another-secret' });
		const c = cache.get({ ...input, identifier: 'admin2' });
		const d = cache.get({ ...input, sdkAppId: 1400000001 });
		const e = cache.get({ ...input, validitySeconds: 3600 });
		expect(new Set([a, b, c, d, e]).size).toBe(5);
		expect(cache.signings).toBe(5);
		expect(verifyUserSig(b, { ...input, secretKey: 'another-secret' }, T0 / 1000)).toEqual({
			ok: true,
		});
		expect(verifyUserSig(b, input, T0 / 1000)).toEqual({ ok: false, reason: 'sig' });
		// All reused afterwards.
		expect(cache.get({ ...input, secretKey: 'another-secret' })).toBe(b);
		expect(cache.get(input)).toBe(a);
		expect(cache.signings).toBe(5);
	});

	test('signings counts every generated signature and nothing else', () => {
		const { clock, cache } = fakeClock();
		expect(cache.signings).toBe(0);
		for (let i = 0; i < 10; i++) cache.get(input);
		expect(cache.signings).toBe(1);
		clock.now += 86_400_000;
		cache.get(input);
		expect(cache.signings).toBe(2);
	});

	test('the cache does not hold the secret key in clear', () => {
		const { cache } = fakeClock();
		cache.get(input);
		cache.get({ ...input, secretKey: 'second-secret-key' });
		// `entries` is private in TypeScript only; reading it is how we inspect what the cache holds.
		const entries = (cache as unknown as { entries: Map<string, unknown> }).entries;
		expect(entries).toBeInstanceOf(Map);
		expect(entries.size).toBe(2);
		for (const [key, value] of entries) {
			expect(key).toMatch(/^[0-9a-f]{64}$/);
			expect(key).not.toContain(input.secretKey);
			expect(JSON.stringify(value)).not.toContain(input.secretKey);
			expect(JSON.stringify(value)).not.toContain('second-secret-key');
		}
		expect(JSON.stringify(cache)).not.toContain(input.secretKey);
	});

	test('stays bounded: at most 64 entries, the oldest is forgotten', () => {
		const { cache } = fakeClock();
		const inputs = Array.from({ length: 70 }, (_, i) => ({ ...input, identifier: `admin${i}` }));
		for (const i of inputs) cache.get(i);
		expect(cache.signings).toBe(70);
		const entries = (cache as unknown as { entries: Map<string, unknown> }).entries;
		expect(entries.size).toBe(64);
		cache.get(inputs[69]);
		expect(cache.signings).toBe(70);
		cache.get(inputs[0]);
		expect(cache.signings).toBe(71);
	});
});
