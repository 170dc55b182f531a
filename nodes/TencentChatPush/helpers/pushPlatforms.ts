/**
 * Names for the codes Tencent's push statistics, loss analysis, traces and callbacks report, so
 * that outputs read as words in n8n's table view. Sources (docs/tencent-api.md#callbacks): EventType 1 = offline push
 * (vendor channel), 2 = online push (Tencent's own channel); PushPlatform and PushStage from a
 * faithful copy of Tencent's callback page. Unknown codes keep their number in the name.
 */

const PLATFORM_NAMES: Readonly<Record<number, string>> = {
	1: 'APNs',
	2: 'Xiaomi',
	3: 'Huawei',
	4: 'FCM',
	5: 'Meizu',
	6: 'OPPO',
	7: 'vivo',
	8: 'Honor',
};

/** PushPlatform as a name. 0 is the online channel for online pushes, else an unknown vendor. */
export function platformName(code: unknown, eventType?: unknown): string {
	const number = Number(code);
	if (number === 0) return Number(eventType) === 2 ? 'Online' : 'Unknown';
	return PLATFORM_NAMES[number] ?? `Unknown (${String(code)})`;
}

/** EventType of push statistics, losses and Push.AllMemberPush callbacks. */
export function channelName(eventType: unknown): string {
	const number = Number(eventType);
	if (number === 1) return 'offline';
	if (number === 2) return 'online';
	return `unknown (${String(eventType)})`;
}

/** PushStage of push callbacks: how far one recipient's push got. */
export function stageName(stage: unknown): string {
	const names: Record<number, string> = { 1: 'sent', 2: 'reached', 3: 'clicked' };
	return names[Number(stage)] ?? `unknown (${String(stage)})`;
}

/** EventType of Push.OfflinePush callbacks (ordinary messages): the kind of chat. */
export function chatTypeName(eventType: unknown): string {
	const names: Record<number, string> = { 1: 'one-to-one', 2: 'group' };
	return names[Number(eventType)] ?? `unknown (${String(eventType)})`;
}
