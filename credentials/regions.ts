/**
 * Tencent Chat REST domains by data centre (docs/tencent-api.md#regions). An SDKAppID lives in exactly one region;
 * calling another region's domain fails with 70016/70020, so the region is part of the credential.
 */
export const CUSTOM_ENDPOINT = 'custom';

export const REGIONS = [
	{ name: 'China (Chinese Mainland)', domain: 'console.tim.qq.com' },
	{ name: 'Frankfurt', domain: 'adminapiger.im.qcloud.com' },
	{ name: 'Jakarta', domain: 'adminapiidn.im.qcloud.com' },
	{ name: 'Mumbai', domain: 'adminapiind.im.qcloud.com' },
	{ name: 'Riyadh', domain: 'adminapiksa.im.qcloud.com' },
	{ name: 'Seoul', domain: 'adminapikr.im.qcloud.com' },
	{ name: 'Silicon Valley', domain: 'adminapiusa.im.qcloud.com' },
	{ name: 'Singapore', domain: 'adminapisgp.im.qcloud.com' },
	{ name: 'Tokyo', domain: 'adminapijpn.im.qcloud.com' },
] as const;

/** The origin every request goes to: `https://<region domain>` or the custom Base URL. */
export function resolveBaseUrl(region: unknown, customBaseUrl: unknown): string {
	if (region === CUSTOM_ENDPOINT) {
		const url = String(customBaseUrl ?? '')
			.trim()
			.replace(/\/+$/, '');
		if (!/^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/i.test(url)) {
			throw new Error(
				`Base URL '${url}' is not an http(s) URL without query string; set it like http://127.0.0.1:8787`,
			);
		}
		if (/^http:/i.test(url) && !isLocalNetworkHost(new URL(url).hostname)) {
			throw new Error(
				`Base URL '${url}' uses plain http:// to a host that is not on a loopback or private network. Every request carries the UserSig (a signed admin credential) in its query string, so it would cross the network in clear: use https://, or http:// only for localhost, 127.0.0.0/8, ::1, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, link-local (169.254.0.0/16, fe80::/10), fc00::/7, or a local name (one label, .localhost, .local, .internal, .home.arpa).`,
			);
		}
		return url;
	}
	const known = REGIONS.find((r) => r.domain === region);
	if (!known) throw new Error(`Unknown region '${String(region)}'; pick one of the listed regions`);
	return `https://${known.domain}`;
}

/** Names that never leave the local network: one label (resolved by hosts files or a local DNS) or a reserved suffix. */
const LOCAL_NAME = /^(localhost|[a-z0-9_-]+)$|\.(localhost|local|internal|home\.arpa)$/i;

/**
 * Whether plain http may carry the UserSig to this host: loopback, private networks (RFC 1918,
 * RFC 4193 fc00::/7), link-local addresses, and names that cannot be resolved on the public
 * Internet. `hostname` is as the WHATWG URL parser gives it (IPv4 normalised, IPv6 in brackets).
 */
export function isLocalNetworkHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	if (host.startsWith('[')) return isLocalIpv6(host.slice(1, -1));
	const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
	if (v4) return isLocalIpv4(v4.slice(1).map(Number));
	return LOCAL_NAME.test(host);
}

function isLocalIpv4([a, b]: number[]): boolean {
	return (
		a === 127 ||
		a === 10 ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		(a === 169 && b === 254)
	);
}

function isLocalIpv6(address: string): boolean {
	if (address === '::1') return true;
	// IPv4-mapped (::ffff:a.b.c.d, which the URL parser writes as ::ffff:xxxx:xxxx).
	const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
	if (mapped) {
		const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
		return isLocalIpv4([high >> 8, high & 255, low >> 8, low & 255]);
	}
	const first = parseInt(address.split(':')[0] || '0', 16);
	// fc00::/7 (unique local) and fe80::/10 (link-local).
	return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}
