/**
 * Which Tencent calls may be sent twice. This table, with the outcome rules of `outcome.ts`, is the
 * retry policy of the transport: a failed attempt of an *idempotent* call is re-sent whenever it is
 * worth trying again, because a second copy cannot change anything a first one already did; a call
 * that is *not* idempotent is re-sent only when the failed attempt provably had no effect (refused
 * before sending, or Tencent's own envelope saying it did not act). Otherwise its outcome is unknown
 * and the caller decides (On Unknown Outcome, reconciling scheduled tasks and recalls).
 *
 * Why each write is or is not idempotent, by what a second copy would do:
 * - `push`, `im_push`, `batch`: a second push. Tencent merges equal MsgRandoms only "within the same
 *   second" (all five source documents), and pushes are at least a second apart.
 * - `revoke`: a second copy answers 90050 (already recalled) instead of OK.
 * - `add_sched_task`: a second scheduled task (nothing is merged).
 * - `modify_sched_task`, `delete_sched_task`: act on a task whose state may have moved on (dispatching,
 *   already deleted), so the answer to the copy is not the answer to the call.
 * - `set_attr_name`, `im_set_attr_name`: a copy may fail with 90033 (name already taken, type fixed).
 * - Tags and user attributes set, add or remove values: doing it twice leaves the same state.
 * - Every read (attribute names, tags, attributes, statistics, traces, scheduled tasks) is idempotent.
 *
 * Every endpoint the node calls must be listed (a unit test scans the sources); an unlisted one is
 * treated as not idempotent, the safe side.
 */
export type Idempotency = 'idempotent' | 'once';

export const IDEMPOTENCY: Readonly<Record<string, Idempotency>> = {
	// Push service (v4/timpush)
	'timpush/push': 'once',
	'timpush/batch': 'once',
	'timpush/revoke': 'once',
	'timpush/add_sched_task': 'once',
	'timpush/modify_sched_task': 'once',
	'timpush/delete_sched_task': 'once',
	'timpush/set_attr_name': 'once',
	'timpush/get_attr_name': 'idempotent',
	'timpush/get_attr': 'idempotent',
	'timpush/set_attr': 'idempotent',
	'timpush/remove_attr': 'idempotent',
	'timpush/get_tag': 'idempotent',
	'timpush/add_tag': 'idempotent',
	'timpush/remove_tag': 'idempotent',
	'timpush/clear_all_tags': 'idempotent',
	'timpush/all_member_push_statistics': 'idempotent',
	'timpush/all_member_push_trace': 'idempotent',
	'timpush/all_member_push_loss': 'idempotent',
	'timpush/normal_push_statistics': 'idempotent',
	'timpush/normal_push_trace': 'idempotent',
	'timpush/get_sched_task': 'idempotent',
	'timpush/list_sched_task': 'idempotent',
	// Legacy all-member push (v4/all_member_push)
	'all_member_push/im_push': 'once',
	'all_member_push/im_set_attr_name': 'once',
	'all_member_push/im_get_attr_name': 'idempotent',
	'all_member_push/im_get_attr': 'idempotent',
	'all_member_push/im_set_attr': 'idempotent',
	'all_member_push/im_remove_attr': 'idempotent',
	'all_member_push/im_get_tag': 'idempotent',
	'all_member_push/im_add_tag': 'idempotent',
	'all_member_push/im_remove_tag': 'idempotent',
	'all_member_push/im_remove_all_tags': 'idempotent',
};

export function isIdempotent(service: string, command: string): boolean {
	return IDEMPOTENCY[`${service}/${command}`] === 'idempotent';
}
