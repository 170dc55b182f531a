import { createHash, createHmac } from 'crypto';

/**
 * Tencent's TLS v2 UserSig (docs/tencent-api.md#usersig): an HMAC-SHA256 signature wrapped in a zlib-compressed JSON
 * document, base64-encoded with a URL-safe alphabet.
 *
 * n8n's cloud rules allow no `zlib` import, so the zlib stream is built here from *stored*
 * (uncompressed) deflate blocks. That is a valid RFC 1950 stream: any inflater, including
 * Tencent's, reads it, and Tencent's own Go signer emits uncompressed streams too.
 */

export interface UserSigInput {
	sdkAppId: number;
	identifier: string;
	secretKey: string;
	/** Seconds the signature stays valid after `now`. */
	validitySeconds: number;
}

const STORED_BLOCK_MAX = 65535;
const ADLER_MOD = 65521;
/** Adler-32 sums stay below 2^53 for this many bytes, so the modulo can wait until then. */
const ADLER_CHUNK = 5552;

export function adler32(data: Uint8Array): number {
	let a = 1;
	let b = 0;
	for (let start = 0; start < data.length; start += ADLER_CHUNK) {
		const end = Math.min(start + ADLER_CHUNK, data.length);
		for (let i = start; i < end; i++) {
			a += data[i];
			b += a;
		}
		a %= ADLER_MOD;
		b %= ADLER_MOD;
	}
	return ((b << 16) | a) >>> 0;
}

/** Wraps `data` in a zlib stream of stored deflate blocks (no compression). */
export function zlibStore(data: Uint8Array): Buffer {
	const blockCount = Math.max(1, Math.ceil(data.length / STORED_BLOCK_MAX));
	const out = Buffer.alloc(2 + blockCount * 5 + data.length + 4);
	// CMF 0x78 = deflate with a 32 KiB window; FLG 0x01 makes (CMF*256 + FLG) a multiple of 31.
	out[0] = 0x78;
	out[1] = 0x01;
	let offset = 2;
	for (let block = 0; block < blockCount; block++) {
		const start = block * STORED_BLOCK_MAX;
		const length = Math.min(STORED_BLOCK_MAX, data.length - start);
		out[offset] = block === blockCount - 1 ? 0x01 : 0x00; // BFINAL on the last block, BTYPE=00
		out.writeUInt16LE(length, offset + 1);
		out.writeUInt16LE(~length & 0xffff, offset + 3);
		offset += 5;
		out.set(data.subarray(start, start + length), offset);
		offset += length;
	}
	out.writeUInt32BE(adler32(data), offset);
	return out;
}

/** The HMAC input of docs/tencent-api.md#usersig: fixed line order, each line ending in a single LF. */
export function signatureContent(
	identifier: string,
	sdkAppId: number,
	time: number,
	expire: number,
): string {
	return (
		`TLS.identifier:${identifier}\n` +
		`TLS.sdkappid:${sdkAppId}\n` +
		`TLS.time:${time}\n` +
		`TLS.expire:${expire}\n`
	);
}

export function computeTlsSig(input: UserSigInput, time: number): string {
	return createHmac('sha256', input.secretKey)
		.update(signatureContent(input.identifier, input.sdkAppId, time, input.validitySeconds))
		.digest('base64');
}

export function toUrlSafeBase64(data: Uint8Array): string {
	return Buffer.from(data)
		.toString('base64')
		.replace(/\+/g, '*')
		.replace(/\//g, '-')
		.replace(/=/g, '_');
}

/** Generates a UserSig as of `nowSeconds` (Unix seconds). */
export function generateUserSig(input: UserSigInput, nowSeconds: number): string {
	const document = {
		'TLS.ver': '2.0',
		'TLS.identifier': input.identifier,
		'TLS.sdkappid': input.sdkAppId,
		'TLS.expire': input.validitySeconds,
		'TLS.time': nowSeconds,
		'TLS.sig': computeTlsSig(input, nowSeconds),
	};
	return toUrlSafeBase64(zlibStore(Buffer.from(JSON.stringify(document), 'utf8')));
}

interface CachedSig {
	userSig: string;
	refreshAtMs: number;
}

const MAX_CACHED_SIGNATURES = 64;
/** Never hand out a signature with less than this left, whatever the validity. */
const MIN_REMAINING_SECONDS = 60;

/**
 * Signing on every request would cost an HMAC and a JSON document per call; one signature per
 * credential is reused until half of its validity has passed, so a cached UserSig always has at
 * least half its lifetime left when it is sent (clock skew between n8n and Tencent stays harmless).
 */
export class UserSigCache {
	private readonly entries = new Map<string, CachedSig>();

	/** Number of signatures generated since creation (benchmarks read it). */
	signings = 0;

	constructor(private readonly nowMs: () => number = () => Date.now()) {}

	get(input: UserSigInput): string {
		// The key is a digest: the cache must not become one more place that holds the secret in clear.
		const key = createHash('sha256')
			.update(
				`${input.sdkAppId}\u0000${input.identifier}\u0000${input.validitySeconds}\u0000${input.secretKey}`,
			)
			.digest('hex');
		const now = this.nowMs();
		const cached = this.entries.get(key);
		if (cached && now < cached.refreshAtMs) return cached.userSig;

		const nowSeconds = Math.floor(now / 1000);
		const userSig = generateUserSig(input, nowSeconds);
		this.signings++;
		const reuseSeconds = Math.max(
			0,
			Math.min(input.validitySeconds / 2, input.validitySeconds - MIN_REMAINING_SECONDS),
		);
		this.entries.delete(key);
		this.entries.set(key, { userSig, refreshAtMs: (nowSeconds + reuseSeconds) * 1000 });
		if (this.entries.size > MAX_CACHED_SIGNATURES) {
			this.entries.delete(this.entries.keys().next().value as string);
		}
		return userSig;
	}
}

export const userSigCache = new UserSigCache();
