// zod's v4 API, shipped inside the zod 3.25.x that n8n provides: it validates about nine times
// faster than the v3 API, which matters at 100,000 items per run.
import { z } from 'zod/v4';

/**
 * Tencent's documented limits (spec §2–§5) and the zod schemas of every request body this node
 * sends. Nothing else in the package hard-codes a limit: operations build a body, this module says
 * whether Tencent would accept it. Where documents disagree (spec §7), the stricter reading wins,
 * since a client that is too strict costs a clear message while one that is too lax costs a push.
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

/**
 * zod v4 runs an object's refinements even after its fields failed, on a value missing the failed
 * fields; the cross-field rules below assume a complete value (as zod v3 did), so they run only
 * when nothing has failed yet.
 */
function onceFieldsValid<T>(refinement: (value: T, ctx: z.RefinementCtx<T>) => void) {
	const check = z.superRefine(refinement);
	check._zod.def.when = (payload) => payload.issues.length === 0;
	return check;
}
/** Record keys checked with `keySchema`'s own messages (zod v4 reports only "Invalid key in record"). */
function keysMatch(keySchema: z.ZodType) {
	return z.superRefine((record: Record<string, unknown>, ctx) => {
		for (const key of Object.keys(record)) {
			const parsed = keySchema.safeParse(key);
			for (const issue of parsed.success ? [] : parsed.error.issues) {
				ctx.addIssue({ code: 'custom', path: [key], message: issue.message });
			}
		}
	});
}
const whenFieldsValid = { when: (payload: { issues: unknown[] }) => payload.issues.length === 0 };

const preview = (text: string): string => (text.length > 24 ? `${text.slice(0, 24)}…` : text);

const uint32 = (field: string, code: number) =>
	z
		.number({ error: `${field} must be a whole number (error ${code})` })
		.int(`${field} must be a whole number (error ${code})`)
		.min(0, `${field} must be between 0 and ${LIMITS.uint32Max} (error ${code})`)
		.max(LIMITS.uint32Max, `${field} must be between 0 and ${LIMITS.uint32Max} (error ${code})`);

const flag = (field: string) =>
	z.union([z.literal(0), z.literal(1)], { error: `${field} must be 0 or 1` });

const account = z
	.string({ error: 'An account ID must be text (error 60015)' })
	.refine((id) => id.trim().length > 0, 'An account ID is empty (error 70107)');

const boundedText = (what: string, maxBytes: number, code: number) =>
	z.string().superRefine((text, ctx) => {
		const bytes = utf8Bytes(text);
		if (bytes > maxBytes) {
			ctx.addIssue({
				code: 'custom',
				message: `${what} '${preview(text)}' is ${bytes} bytes; Tencent allows ${maxBytes} (error ${code})`,
			});
		}
	});

export const tagSchema = z
	.string({ error: 'A tag must be text (error 90001)' })
	.superRefine((tag, ctx) => {
		const bytes = utf8Bytes(tag);
		if (tag.length === 0) {
			ctx.addIssue({
				code: 'custom',
				message: 'A tag is empty; Tencent rejects empty tags (error 90040)',
			});
		} else if (bytes > LIMITS.tagBytes) {
			ctx.addIssue({
				code: 'custom',
				message: `Tag '${preview(tag)}' is ${bytes} bytes; Tencent allows ${LIMITS.tagBytes} (error 90020)`,
			});
		}
	});

const conditionTags = z
	.array(tagSchema)
	.min(1, 'The list is empty; give at least one tag or remove the condition (error 90040)')
	.max(LIMITS.tagsPerCondition, `At most ${LIMITS.tagsPerCondition} tags per list (error 90032)`)
	.superRefine(rejectDuplicates('Tag', 90022));

const conditionAttrs = z
	.record(z.string(), boundedText('Attribute value', LIMITS.attributeValueBytes, 90033))
	.refine((attrs) => Object.keys(attrs).length > 0, 'Give at least one attribute (error 90033)');

function rejectDuplicates(what: string, code: number) {
	return (values: string[], ctx: z.RefinementCtx) => {
		const seen = new Set<string>();
		for (const value of values) {
			if (seen.has(value)) {
				ctx.addIssue({
					code: 'custom',
					message: `${what} '${preview(value)}' appears twice (error ${code})`,
				});
			}
			seen.add(value);
		}
	};
}

export type ApiFamily = 'timpush' | 'legacy';

/** Spec §7 row 1: the new family takes one condition kind (TagsOr+TagsAnd together being the one
 *  pairing its own 90022 implies); the legacy family lets And/Or of one kind coexist. */
export function conditionSchema(family: ApiFamily) {
	return z
		.object({
			TagsAnd: conditionTags.optional(),
			TagsOr: conditionTags.optional(),
			AttrsAnd: conditionAttrs.optional(),
			AttrsOr: conditionAttrs.optional(),
		})
		.strict()
		.check(
			onceFieldsValid((condition, ctx) => {
				if (Object.keys(condition).length === 0) {
					ctx.addIssue({
						code: 'custom',
						message: 'The audience condition is empty; leave it out to push to all users',
					});
				}
				const hasTags = condition.TagsAnd !== undefined || condition.TagsOr !== undefined;
				const hasAttrs = condition.AttrsAnd !== undefined || condition.AttrsOr !== undefined;
				if (hasTags && hasAttrs) {
					ctx.addIssue({
						code: 'custom',
						message: 'Tags and attributes cannot be combined in one audience (error 90039)',
					});
				}
				if (family === 'timpush' && condition.AttrsAnd && condition.AttrsOr) {
					ctx.addIssue({
						code: 'custom',
						message:
							'The push service (v4/timpush) takes either all-of or any-of attributes, not both (error 90039); use the legacy API to combine them',
					});
				}
				for (const tag of condition.TagsAnd ?? []) {
					if (condition.TagsOr?.includes(tag)) {
						ctx.addIssue({
							code: 'custom',
							message: `Tag '${preview(tag)}' is in both the all-of and the any-of list (error 90022)`,
						});
					}
				}
			}),
		);
}

const str = z.string();
const num = z.number();

/** MsgContent per element type (spec §5); required fields are the ones Tencent needs to render. */
const ELEMENT_SCHEMAS = {
	TIMTextElem: z.object({ Text: z.string().min(1, 'Text is empty (error 90010)') }),
	TIMLocationElem: z.object({ Desc: str, Latitude: num, Longitude: num }),
	TIMFaceElem: z.object({ Index: num.int(), Data: str.optional() }),
	TIMCustomElem: z.object({
		Data: str,
		Desc: str.optional(),
		Ext: str.optional(),
		Sound: str.optional(),
	}),
	TIMSoundElem: z.object({
		Url: str.min(1),
		UUID: str.min(1),
		Size: num,
		Second: num,
		Download_Flag: z.literal(2),
	}),
	TIMImageElem: z.object({
		UUID: str.min(1),
		ImageFormat: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(255)]),
		ImageInfoArray: z
			.array(
				z.object({
					Type: z.union([z.literal(1), z.literal(2), z.literal(3)]),
					Size: num,
					Width: num,
					Height: num,
					URL: str.min(1),
				}),
			)
			.min(1),
	}),
	TIMFileElem: z.object({
		Url: str.min(1),
		UUID: str.min(1),
		FileSize: num,
		FileName: str.min(1),
		Download_Flag: z.literal(2),
	}),
	TIMVideoFileElem: z.object({
		VideoUrl: str.min(1),
		VideoUUID: str.min(1),
		VideoSize: num,
		VideoSecond: num,
		VideoFormat: str.min(1),
		VideoDownloadFlag: z.literal(2),
		ThumbUrl: str.min(1),
		ThumbUUID: str.min(1),
		ThumbSize: num,
		ThumbWidth: num,
		ThumbHeight: num,
		ThumbFormat: str.min(1),
		ThumbDownloadFlag: z.literal(2),
	}),
} as const;

export const MESSAGE_TYPES = Object.keys(ELEMENT_SCHEMAS) as Array<keyof typeof ELEMENT_SCHEMAS>;

const messageElement = z
	.object({ MsgType: z.string(), MsgContent: z.record(z.string(), z.unknown()) })
	.strict()
	.check(
		onceFieldsValid((element, ctx) => {
			const schema = ELEMENT_SCHEMAS[element.MsgType as keyof typeof ELEMENT_SCHEMAS];
			if (!schema) {
				ctx.addIssue({
					code: 'custom',
					message: `Unknown message type '${element.MsgType}'; use one of ${MESSAGE_TYPES.join(', ')} (error 90010)`,
				});
				return;
			}
			const parsed = schema.safeParse(element.MsgContent);
			for (const issue of parsed.success ? [] : parsed.error.issues) {
				ctx.addIssue({
					code: 'custom',
					path: ['MsgContent', ...issue.path],
					message: `${element.MsgType}: ${issue.message.includes('(error') ? issue.message : `${issue.message} (error 90010)`}`,
				});
			}
		}),
	);

export const msgBodySchema = z
	.array(messageElement, {
		error: (issue) =>
			issue.input === undefined
				? 'A message is required (the legacy API always needs one): choose Text, Build Elements or Raw MsgBody JSON (error 90002)'
				: 'The message body must be an array of elements (error 90007)',
	})
	.min(1, 'The message has no elements (error 90002)')
	.refine((elements) => elements.filter((e) => e.MsgType === 'TIMCustomElem').length <= 1, {
		message: 'A message may hold at most one custom element (error 90010)',
		...whenFieldsValid,
	});

const androidInfo = z
	.object({
		Sound: str,
		HuaWeiChannelID: str,
		XiaoMiChannelID: str,
		OPPOChannelID: str,
		GoogleChannelID: str,
		VIVOClassification: flag('vivo Classification'),
		VIVOCategory: str,
		HuaWeiImportance: z.enum(['LOW', 'NORMAL']),
		ExtAsHuaweiIntentParam: flag('Ext as Huawei Intent Param'),
		HuaWeiCategory: str,
		HuaWeiImage: str,
		HonorImportance: z.enum(['LOW', 'NORMAL']),
		HonorImage: str,
		GoogleImage: str,
		OPPOCategory: str,
		OPPOPrivateMsgTemplateId: str,
		MeiZuNoticeMsgType: flag('Meizu Notice Message Type'),
	})
	.partial()
	.strict();

const apnsInfo = z
	.object({
		Sound: str,
		BadgeMode: flag('Badge Mode'),
		Title: str,
		SubTitle: str,
		Image: str,
		MutableContent: flag('Mutable Content'),
	})
	.partial()
	.strict();

export const offlinePushInfoSchema = z
	.object({
		PushFlag: flag('Push Flag'),
		Title: str,
		Desc: str,
		Ext: str,
		AndroidInfo: androidInfo,
		ApnsInfo: apnsInfo,
	})
	.partial()
	.strict();

const fromAccount = account.optional();
const msgRandom = uint32('MsgRandom', 90005);

export const timpushPushSchema = z
	.object({
		From_Account: fromAccount,
		MsgRandom: msgRandom,
		Condition: conditionSchema('timpush').optional(),
		OnlineOnlyFlag: flag('Online Only').optional(),
		MsgBody: msgBodySchema.optional(),
		OfflinePushInfo: offlinePushInfoSchema.optional(),
	})
	.strict()
	.refine((body) => body.MsgBody !== undefined || body.OfflinePushInfo !== undefined, {
		message: 'Nothing to push: give a notification (title or text) or a message (error 90002)',
		...whenFieldsValid,
	});

export const legacyPushSchema = z
	.object({
		From_Account: fromAccount,
		MsgRandom: msgRandom,
		MsgLifeTime: z
			.number()
			.int('Message Lifetime must be whole seconds (error 90026)')
			.min(0, 'Message Lifetime cannot be negative (error 90026)')
			.max(
				LIMITS.msgLifeTimeSeconds,
				`Message Lifetime is at most ${LIMITS.msgLifeTimeSeconds} seconds (7 days) (error 90026)`,
			)
			.optional(),
		MsgBody: msgBodySchema,
		Condition: conditionSchema('legacy').optional(),
		OfflinePushInfo: offlinePushInfoSchema.optional(),
	})
	.strict();

export const batchPushSchema = z
	.object({
		From_Account: account,
		To_Account: z
			.array(account)
			.min(1, 'Give at least one account (error 90001)')
			.max(
				LIMITS.accountsPerBatchPush,
				`At most ${LIMITS.accountsPerBatchPush} accounts per request`,
			),
		MsgRandom: msgRandom,
		OfflinePushInfo: offlinePushInfoSchema,
		DataId: boundedText('Data ID', LIMITS.dataIdBytes, 90057).optional(),
	})
	.strict();

/**
 * Recall. Tencent's current page (cloud.tencent.com 269/105123, 2025-12-24) makes OfflinePushInfo
 * required: it is the notification that overwrites the recalled one, so it needs a text.
 */
export const revokeSchema = z
	.object({
		TaskId: z.string().refine((id) => id.trim().length > 0, 'The Task ID is empty (error 90049)'),
		OfflinePushInfo: z
			.custom((info) => info !== undefined, 'Recall needs an overwrite notification: OfflinePushInfo is required (error 90053)')
			.pipe(
				offlinePushInfoSchema.refine((info) => typeof info.Desc === 'string' && info.Desc.trim().length > 0, {
					message: 'The overwrite notification needs a text (error 90053)',
					path: ['Desc'],
				}),
			),
	})
	.strict();

const accountList = z
	.array(account)
	.min(1, 'Give at least one account (error 90001)')
	.max(
		LIMITS.usersPerManagementCall,
		`At most ${LIMITS.usersPerManagementCall} accounts per request (error 90018)`,
	);

const userList = <T extends z.ZodTypeAny>(entry: T) =>
	z
		.array(entry)
		.min(1, 'Give at least one account (error 90001)')
		.max(
			LIMITS.usersPerManagementCall,
			`At most ${LIMITS.usersPerManagementCall} accounts per request (error 90018)`,
		);

export const accountsSchema = z.object({ To_Account: accountList }).strict();

/** get_attr_name takes no fields and wants `{}` (spec §1.1). */
export const emptyBodySchema = z.object({}).strict();

/** Schemas that depend on an option are built once per option value: building one costs more than using it. */
function memo<K, V>(build: (key: K) => V): (key: K) => V {
	const built = new Map<K, V>();
	return (key) => {
		if (!built.has(key)) built.set(key, build(key));
		return built.get(key)!;
	};
}

export const addTagSchema = memo((replace: boolean) => {
	const max = replace ? LIMITS.tagsPerAddWithReplace : LIMITS.tagsPerAdd;
	return z
		.object({
			Replace: flag('Replace').optional(),
			UserTags: userList(
				z
					.object({
						To_Account: account,
						Tags: z
							.array(tagSchema)
							// Tencent requires Tags even with Replace (90001); Remove All is how a user loses every tag.
							.min(1, `Give at least one tag (error 90001)${replace ? '; to remove all of a user\'s tags use User Tag → Remove All' : ''}`)
							.max(
								max,
								`At most ${max} tags per user per request${replace ? '' : ' unless Replace is on (then 100)'} (error 90032)`,
							)
							.superRefine(rejectDuplicates('Tag', 90032)),
					})
					.strict(),
			),
		})
		.strict();
});

export const removeTagSchema = z
	.object({
		UserTags: userList(
			z
				.object({ To_Account: account, Tags: z.array(tagSchema).min(1, 'Give at least one tag (error 90001)') })
				.strict(),
		),
	})
	.strict();

const attributeName = z.string().superRefine((name, ctx) => {
	if (name.trim().length === 0)
		ctx.addIssue({ code: 'custom', message: 'An attribute name is empty (error 90033)' });
	const bytes = utf8Bytes(name);
	if (bytes > LIMITS.attributeNameBytes) {
		ctx.addIssue({
			code: 'custom',
			message: `Attribute name '${preview(name)}' is ${bytes} bytes; Tencent allows ${LIMITS.attributeNameBytes} (error 90033)`,
		});
	}
});

export const setAttrSchema = z
	.object({
		UserAttrs: userList(
			z
				.object({
					To_Account: account,
					Attrs: z
						.record(z.string(), boundedText('Attribute value', LIMITS.attributeValueBytes, 90033))
						.check(keysMatch(attributeName))
						.refine((attrs) => Object.keys(attrs).length > 0, 'Give at least one attribute (error 90001)'),
				})
				.strict(),
		),
	})
	.strict();

export const removeAttrSchema = z
	.object({
		UserAttrs: userList(
			z
				.object({
					To_Account: account,
					Attrs: z.array(attributeName).min(1, 'Give at least one attribute name (error 90001)'),
				})
				.strict(),
		),
	})
	.strict();

const slot = z.enum(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], {
	error: `Attribute slots are numbered 0 to ${LIMITS.attributeSlots - 1}`,
});

export const setAttrNameSchema = memo((family: ApiFamily) =>
	z
		.object({
			AttrNames: z
				.record(z.string(), attributeName)
				.check(keysMatch(slot))
				.refine((names) => Object.keys(names).length > 0, 'Give at least one attribute name')
				.superRefine((names, ctx) =>
					rejectDuplicates('Attribute name', 90033)(Object.values(names), ctx),
				),
			AttrTypes:
				family === 'timpush'
					? z.record(z.string(), flag('Account Type')).check(keysMatch(slot)).optional()
					: z.never().optional(),
		})
		.strict()
		.refine((body) => Object.keys(body.AttrTypes ?? {}).every((key) => key in body.AttrNames), {
			...whenFieldsValid,
			message: 'Every account type needs an attribute name in the same slot (error 90033)',
			path: ['AttrTypes'],
		}),
);

// ---------------------------------------------------------------------------------------------
// Statistics, delivery losses and trace (spec §2.6, §9)

const unixSeconds = (field: string) =>
	z
		.number({ error: `${field} must be a Unix time in seconds` })
		.int(`${field} must be whole seconds`)
		.min(0, `${field} is before 1970`);

const nonEmptyText = (what: string, code?: number) =>
	z
		.string({ error: `${what} must be text` })
		.refine((text) => text.trim().length > 0, `${what} is empty${code ? ` (error ${code})` : ''}`);

/**
 * all_member_push_statistics and all_member_push_loss take the same three required fields
 * (intl 1047/71894, trtc.io 71895): StartTime and EndTime (Unix seconds, at most `maxRangeSeconds`
 * apart) and TaskID, an array of at most 5 TaskIDs, empty for the app's overall figures.
 */
function taskReportSchema(maxRangeSeconds: number) {
	return z
		.object({
			TaskID: z
				.array(nonEmptyText('A Task ID'), { error: 'Task IDs must be a list (an empty list asks for overall figures)' })
				.max(LIMITS.statisticsTaskIdsPerRequest, `At most ${LIMITS.statisticsTaskIdsPerRequest} Task IDs per request`),
			StartTime: unixSeconds('Start Time'),
			EndTime: unixSeconds('End Time'),
		})
		.strict()
		.check(
			onceFieldsValid((body, ctx) => {
				if (body.StartTime > body.EndTime) {
					ctx.addIssue({ code: 'custom', path: ['StartTime'], message: 'Start Time is later than End Time' });
				}
				if (body.EndTime - body.StartTime > maxRangeSeconds) {
					ctx.addIssue({
						code: 'custom',
						path: ['EndTime'],
						message: `The time range spans more than ${maxRangeSeconds / 86_400} days, the most Tencent reports at once`,
					});
				}
			}),
		);
}

export const statisticsSchema = taskReportSchema(LIMITS.statisticsRangeSeconds);

export const lossSchema = taskReportSchema(LIMITS.lossRangeSeconds);

export const traceSchema = z
	.object({ TaskID: nonEmptyText('The Task ID'), UserID: nonEmptyText('The User ID') })
	.strict();

// ---------------------------------------------------------------------------------------------
// Scheduled push tasks (spec §2.7). Every parameter error of these APIs is 90104.

export type SchedType = 'All' | 'Tag' | 'User';

const SCHED_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `YYYY-MM-DD HH:MM:SS` naming a real UTC time. */
export function isSchedTime(text: string): boolean {
	const m = SCHED_TIME.exec(text);
	if (!m) return false;
	const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
	const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	return (
		date.getUTCFullYear() === year &&
		date.getUTCMonth() === month - 1 &&
		date.getUTCDate() === day &&
		date.getUTCHours() === hour &&
		date.getUTCMinutes() === minute &&
		date.getUTCSeconds() === second
	);
}

const schedTime = (field: string) =>
	z
		.string({ error: `${field} must be text (error 90104)` })
		.refine(isSchedTime, `${field} must be a UTC time written YYYY-MM-DD HH:MM:SS (error 90104)`);

const schedSdkAppId = z
	.number({ error: 'Sdkappid must be the SDKAppID of the credential (error 90104)' })
	.int('Sdkappid must be a whole number (error 90104)')
	.positive('Sdkappid must be positive (error 90104)');

const schedTaskId = z
	.number({ error: 'The Task ID must be a number (error 90104)' })
	.int('The Task ID must be a whole number (error 90104)')
	.positive('The Task ID must be positive (error 90104)');

const schedType = z.enum(['All', 'Tag', 'User'], { error: 'Type must be All, Tag or User (error 90104)' });

/**
 * Content of a scheduled task is the body of the push it becomes: v4/timpush/push for All and Tag
 * (All without a Condition, Tag with one), v4/timpush/batch for User.
 */
function checkSchedContent(type: SchedType, content: Record<string, unknown>, ctx: z.RefinementCtx) {
	const add = (message: string, path: PropertyKey[] = []) =>
		ctx.addIssue({ code: 'custom', path: ['Content', ...path], message });
	if (type === 'All' && content.Condition !== undefined) add('An all-users task takes no audience condition (error 90104)', ['Condition']);
	if (type === 'Tag' && content.Condition === undefined) add('A tag or attribute task needs an audience condition (error 90104)', ['Condition']);
	const schema = type === 'User' ? batchPushSchema : timpushPushSchema;
	const parsed = schema.safeParse(content);
	for (const issue of parsed.success ? [] : parsed.error.issues) add(issue.message, issue.path);
	const bytes = utf8Bytes(JSON.stringify(content));
	if (bytes > LIMITS.pushBodyBytes) {
		add(`The push content is ${bytes.toLocaleString('en-US')} bytes; Tencent allows ${LIMITS.pushBodyBytes.toLocaleString('en-US')} (error 90104)`);
	}
}

const schedContent = z.record(z.string(), z.unknown(), { error: 'Content must be an object (error 90104)' });

export const addSchedTaskSchema = z
	.object({ Sdkappid: schedSdkAppId, Type: schedType, SchedAt: schedTime('Send At'), Content: schedContent })
	.strict()
	.check(onceFieldsValid((body, ctx) => checkSchedContent(body.Type, body.Content, ctx)));

export const modifySchedTaskSchema = z
	.object({
		Sdkappid: schedSdkAppId,
		TaskID: schedTaskId,
		Type: schedType,
		SchedAt: schedTime('Send At').optional(),
		Content: schedContent.optional(),
	})
	.strict()
	.check(
		onceFieldsValid((body, ctx) => {
			if (body.SchedAt === undefined && body.Content === undefined) {
				ctx.addIssue({ code: 'custom', message: 'Nothing to update: give a new Send At, new content, or both' });
			}
			if (body.Content) checkSchedContent(body.Type, body.Content, ctx);
		}),
	);

export const schedTaskRefSchema = z.object({ Sdkappid: schedSdkAppId, TaskID: schedTaskId, Type: schedType.optional() }).strict();

export const listSchedTaskSchema = z
	.object({
		Sdkappid: schedSdkAppId,
		Offset: z.number().int().min(0, 'Offset cannot be negative (error 90104)'),
		Want: z
			.number()
			.int()
			.min(1, 'Want must be at least 1 (error 90104)')
			.max(LIMITS.schedListMaxWant, `At most ${LIMITS.schedListMaxWant} tasks per page (error 90104)`),
		OrderBy: z.enum(['createAt', 'schedAt'], { error: 'Order By must be createAt or schedAt (error 90104)' }),
		Asc: z.boolean(),
		BeginTime: schedTime('Start Time'),
		EndTime: schedTime('End Time'),
		Keyword: z.string().optional(),
	})
	.strict()
	.check(
		onceFieldsValid((body, ctx) => {
			const begin = Date.parse(`${body.BeginTime.replace(' ', 'T')}Z`);
			const end = Date.parse(`${body.EndTime.replace(' ', 'T')}Z`);
			if (begin > end) ctx.addIssue({ code: 'custom', path: ['BeginTime'], message: 'Start Time is later than End Time (error 90104)' });
			if (end - begin > LIMITS.schedListRangeSeconds * 1000) {
				ctx.addIssue({
					code: 'custom',
					path: ['EndTime'],
					message: `A page covers at most ${LIMITS.schedListRangeSeconds / 86_400} days (error 90104)`,
				});
			}
		}),
	);
