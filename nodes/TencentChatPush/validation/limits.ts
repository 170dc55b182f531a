/**
 * Tencent's documented limits (docs/tencent-api.md#limits), in one table. Nothing else in the package hard-codes a
 * limit: operations build a body, and the schemas beside this file (one per subject: pushContent,
 * audience, management, scheduling, statistics) say whether Tencent would accept it. Where
 * documents disagree (docs/tencent-api.md#disagreements), the stricter reading wins, since a client that is too strict costs
 * a clear message while one that is too lax costs a push.
 */
export const LIMITS = {
	tagBytes: 50,
	tagsPerCondition: 10,
	tagsPerAdd: 10,
	tagsPerAddWithReplace: 100,
	attributeNameBytes: 50,
	attributeValueBytes: 50,
	attributeSlots: 10,
	usersPerManagementCall: 100,
	accountsPerBatchPush: 500,
	dataIdBytes: 64,
	/** "10K" in the docs; 10,000 bytes is the reading that is safe under both 10,000 and 10,240. */
	pushBodyBytes: 10_000,
	msgLifeTimeSeconds: 604_800,
	pushIntervalMs: 1_000,
	managementRequestsPerSecond: 100,
	/** Push to named users: 10/s on the lowest edition (30/s and 40/s on higher ones). */
	batchPushRequestsPerSecond: 10,
	/**
	 * Push to named users counted in recipients per second, by Push service edition (Tencent's push
	 * rate-limit summary, cloud.tencent.com/document/product/269/137903).
	 */
	batchPushUsersPerSecond: { free: 30, standard: 500, advanced: 800 },
	/**
	 * The share of that budget Send to Users uses: how Tencent counts (its clock, at arrival or at
	 * fan-out) is not documented, and 10 % headroom keeps any reasonable reading within the budget.
	 */
	batchPushBudgetShare: 0.9,
	revokeIntervalMs: 1_000,
	uint32Max: 4_294_967_295,
	/** all_member_push_statistics, _loss and _trace: one request per second each. */
	statisticsIntervalMs: 1_000,
	/** all_member_push_statistics and all_member_push_loss: at most 5 TaskIDs (intl 1047/71894, trtc.io 71895). */
	statisticsTaskIdsPerRequest: 5,
	/** all_member_push_statistics: StartTime–EndTime at most 30 days (intl 1047/71894). */
	statisticsRangeSeconds: 30 * 24 * 60 * 60,
	/** all_member_push_loss: StartTime–EndTime at most 7 days (trtc.io 71895). */
	lossRangeSeconds: 7 * 24 * 60 * 60,
	/** add/modify/delete/get/list_sched_task: five requests per second each. */
	schedRequestsPerSecond: 5,
	/** list_sched_task `Want`: "> 0" is documented, no maximum; 100 is the emulator's bound. */
	schedListMaxWant: 100,
	/** list_sched_task BeginTime–EndTime: "bounded", bound not documented; 31 days is the emulator's. */
	schedListRangeSeconds: 31 * 24 * 60 * 60,
	/**
	 * Get Many reads its range in windows of schedListRangeSeconds, one request each even when empty;
	 * the node's own bound of twelve windows (372 days: a year back or ahead) keeps a range typed as
	 * 1970–9999 from becoming about 95,000 requests at five per second.
	 */
	schedListMaxWindows: 12,
} as const;

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
