/** Query parameters that authenticate a request; they must never be shown, logged or returned. */
const SECRET_PARAMS = ['usersig', 'secretkey', 'secret_key', 'key', 'sig'];

/** `usersig=…` after `?` or `&`, also percent-encoded (`%3Fusersig%3D…`, as a gateway quoting the URL writes it). */
const SECRET_QUERY = new RegExp(
	`((?:[?&]|%3F|%26)(?:${SECRET_PARAMS.join('|')})(?:=|%3D))(?:(?!%26)[^&#\\s"'])*`,
	'gi',
);

/**
 * A UserSig is base64 with Tencent's `*`, `-`, `_` alphabet, 150+ characters; a secret key is 64
 * hex digits. Nothing else Tencent echoes (TaskIds ≤ 60, tags ≤ 50, accounts ≤ 32) is that long.
 */
const BARE_SECRET = /[A-Za-z0-9*_-]{64,}/g;

/** Removes credentials from any text that may quote a request URL or a UserSig. */
export function redactSecrets(text: string): string {
	return text.replace(SECRET_QUERY, '$1[redacted]').replace(BARE_SECRET, '[redacted]');
}
