/**
 * Tencent Chat REST domains by data centre (spec §1.2). An SDKAppID lives in exactly one region;
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
		const url = String(customBaseUrl ?? '').trim().replace(/\/+$/, '');
		if (!/^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/i.test(url)) {
			throw new Error(
				`Base URL '${url}' is not an http(s) URL without query string; set it like http://127.0.0.1:8787`,
			);
		}
		return url;
	}
	const known = REGIONS.find((r) => r.domain === region);
	if (!known) throw new Error(`Unknown region '${String(region)}'; pick one of the listed regions`);
	return `https://${known.domain}`;
}
