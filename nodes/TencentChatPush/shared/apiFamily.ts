import { type ApiFamily } from '../validation/primitives';

/**
 * Tencent's two push API families: the Push service (v4/timpush) and the legacy all-member push
 * (v4/all_member_push). Operations, the batching engine and the attribute-name lookup all need the
 * URL segment, so it lives here rather than in any one of them.
 */
export type { ApiFamily };

/** Tencent service segment of the URL for each API family. */
export const SERVICE: Record<ApiFamily, string> = { timpush: 'timpush', legacy: 'all_member_push' };
