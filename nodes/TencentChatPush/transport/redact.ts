/** Query parameters that authenticate a request; they must never be shown, logged or returned. */
const SECRET_PARAMS = ['usersig', 'secretkey', 'secret_key', 'key', 'sig'];

/** Replaces the values of authenticating query parameters in any text that may contain a URL. */
export function redactSecrets(text: string): string {
	return text.replace(
		new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#\\s"']*`, 'gi'),
		'$1[redacted]',
	);
}
