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
	revokeIntervalMs: 1_000,
	uint32Max: 4_294_967_295,
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

export const revokeSchema = z
	.object({
		TaskId: z.string().refine((id) => id.trim().length > 0, 'The Task ID is empty (error 90049)'),
		OfflinePushInfo: offlinePushInfoSchema.optional(),
	})
	.strict();

const accountList = z
	.array(account)
	.min(1, 'Give at least one account')
	.max(
		LIMITS.usersPerManagementCall,
		`At most ${LIMITS.usersPerManagementCall} accounts per request (error 90018)`,
	);

const userList = <T extends z.ZodTypeAny>(entry: T) =>
	z
		.array(entry)
		.min(1, 'Give at least one account')
		.max(
			LIMITS.usersPerManagementCall,
			`At most ${LIMITS.usersPerManagementCall} accounts per request (error 90018)`,
		);

export const accountsSchema = z.object({ To_Account: accountList }).strict();

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
							.min(replace ? 0 : 1, 'Give at least one tag')
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
				.object({ To_Account: account, Tags: z.array(tagSchema).min(1, 'Give at least one tag') })
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
						.refine((attrs) => Object.keys(attrs).length > 0, 'Give at least one attribute'),
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
					Attrs: z.array(attributeName).min(1, 'Give at least one attribute name'),
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
