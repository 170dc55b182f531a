/**
 * Test seam for the node's pacing lanes. pacing.ts builds its push and recall lanes from module
 * constants (PUSH_GAP_MS = 1,020 ms) and offers no way to shorten them, so tests that send
 * hundreds of pushes replace the module through jest.mock:
 *
 *   jest.mock('../../nodes/TencentChatPush/helpers/pacing', () =>
 *     jest.requireActual('./pacing-mock').pacingWithSettings(jest.requireActual('../../nodes/TencentChatPush/helpers/pacing')));
 *   import { pacingSettings } from './pacing-mock';
 *   pacingSettings.pushGapMs = 15;
 *
 * Everything else (SpacedLane, RateLane, clock, the other lanes) is the real code; only the gap
 * the push and recall lanes are built with comes from `pacingSettings`, read when a lane is
 * created, so set it before the run (resetLanes() forgets lanes built with an older value).
 * `statisticsGapMs` does the same for the statistics/trace lanes.
 * `managementDirect` replaces the management lane by a direct one (benchmarks measuring the
 * client's own cost per request, with the emulator's rate limit off). `batchDirect` does the same
 * for Send to Users' recipient lane (requests keep the edition's size).
 */

export interface PacingSettings {
	/** Gap of the push lane (the real one is PUSH_GAP_MS = 1,020 ms). */
	pushGapMs: number | undefined;
	/** Gap of the recall lane (real: 1,020 ms). */
	revokeGapMs: number | undefined;
	/** Gap of the statistics/trace lanes (real: 1,020 ms). */
	statisticsGapMs: number | undefined;
	/** Send management requests without the 100/s RateLane. */
	managementDirect: boolean;
	/** Send batch pushes without the recipient lane. */
	batchDirect: boolean;
}

export const pacingSettings: PacingSettings = {
	pushGapMs: undefined,
	revokeGapMs: undefined,
	statisticsGapMs: undefined,
	managementDirect: false,
	batchDirect: false,
};

interface Lane {
	run<T>(send: () => Promise<T>): Promise<T>;
}

interface PacingModule {
	SpacedLane: new (gapMs: number) => Lane;
	PUSH_GAP_MS: number;
	pushLane(appKey: string): Lane;
	revokeLane(appKey: string): Lane;
	managementLane(appKey: string, endpoint: string, mode?: 'adaptive' | 'fixed'): Lane;
	statisticsLane?(appKey: string, command: string): Lane;
	batchPushLane?(appKey: string): Lane & { for(recipients: number, perSecond: number): Lane };
	resetLanes(): void;
}

const directLane: Lane = { run: async (send) => await send() };

/** The real pacing module with push/recall gaps (and optionally the management lane) from pacingSettings. */
export function pacingWithSettings(actual: PacingModule): PacingModule {
	const lanes = new Map<string, Lane>();
	const lane = (key: string, create: () => Lane): Lane => {
		let found = lanes.get(key);
		if (!found) {
			found = create();
			lanes.set(key, found);
		}
		return found;
	};
	return {
		...actual,
		pushLane: (appKey: string) =>
			pacingSettings.pushGapMs === undefined
				? actual.pushLane(appKey)
				: lane(
						`push:${appKey}:${pacingSettings.pushGapMs}`,
						() => new actual.SpacedLane(pacingSettings.pushGapMs!),
					),
		revokeLane: (appKey: string) =>
			pacingSettings.revokeGapMs === undefined
				? actual.revokeLane(appKey)
				: lane(
						`revoke:${appKey}:${pacingSettings.revokeGapMs}`,
						() => new actual.SpacedLane(pacingSettings.revokeGapMs!),
					),
		managementLane: (appKey: string, endpoint: string, mode?: 'adaptive' | 'fixed') =>
			pacingSettings.managementDirect ? directLane : actual.managementLane(appKey, endpoint, mode),
		...(actual.batchPushLane
			? {
					batchPushLane: (appKey: string) =>
						pacingSettings.batchDirect
							? { ...directLane, for: () => directLane }
							: actual.batchPushLane!(appKey),
				}
			: {}),
		...(actual.statisticsLane
			? {
					statisticsLane: (appKey: string, command: string) =>
						pacingSettings.statisticsGapMs === undefined
							? actual.statisticsLane!(appKey, command)
							: lane(
									`stats:${appKey}:${command}:${pacingSettings.statisticsGapMs}`,
									() => new actual.SpacedLane(pacingSettings.statisticsGapMs!),
								),
				}
			: {}),
		resetLanes: () => {
			lanes.clear();
			actual.resetLanes();
		},
	};
}
