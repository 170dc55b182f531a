/**
 * Secret scanning for tests: does `text` contain a secret key or a UserSig, whole or in part, in
 * any of the forms it could take on its way into a message (as is, URL-encoded, JSON-escaped,
 * URL-safe base64 swapped back to standard base64)? Dependency-free so that any suite can use it.
 *
 *   assertNoSecrets(everythingTheRunPrinted, [{ label: 'secret key', value: key }, ...usersigs]);
 */

export interface Secret {
	label: string;
	value: string;
	/**
	 * Fragments are looked for from this index on. A UserSig starts with a predictable, public
	 * prefix (zlib header and `{"TLS.ver":"2.0","TLS.identifier":…`); its signature is at the end.
	 */
	fragmentsFrom?: number;
}

export interface SecretHit {
	label: string;
	/** Which form of the secret was found (e.g. 'as is', 'URL-encoded', 'fragment 32..64'). */
	form: string;
	/** Where in the text, with the secret masked. */
	context: string;
}

/** Fragments this long are checked too (a truncated UserSig still authenticates nothing, but leaks). */
export const DEFAULT_MIN_FRAGMENT = 24;

function forms(value: string): Array<[string, string]> {
	const out: Array<[string, string]> = [['as is', value]];
	const add = (name: string, form: string) => {
		if (form !== value && !out.some(([, f]) => f === form)) out.push([name, form]);
	};
	add('URL-encoded', encodeURIComponent(value));
	add('URL-encoded twice', encodeURIComponent(encodeURIComponent(value)));
	add('JSON-escaped', JSON.stringify(value).slice(1, -1));
	// A UserSig is base64 with '*', '-', '_' for '+', '/', '='; a log might show it either way.
	add('standard base64', value.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='));
	return out;
}

function mask(text: string, at: number, length: number): string {
	const start = Math.max(0, at - 40);
	const end = Math.min(text.length, at + length + 40);
	return `${text.slice(start, at)}<SECRET ${length} chars>${text.slice(at + length, end)}`.replace(
		/\s+/g,
		' ',
	);
}

/** Every occurrence of a secret (or a fragment of at least `minFragment` characters) in `text`. */
export function findSecrets(
	text: string,
	secrets: Array<Secret | string>,
	minFragment = DEFAULT_MIN_FRAGMENT,
): SecretHit[] {
	const hits: SecretHit[] = [];
	for (const entry of secrets) {
		const secret = typeof entry === 'string' ? { label: 'secret', value: entry } : entry;
		if (!secret.value) continue;
		let found = false;
		for (const [form, value] of forms(secret.value)) {
			const at = text.indexOf(value);
			if (at >= 0) {
				hits.push({ label: secret.label, form, context: mask(text, at, value.length) });
				found = true;
			}
		}
		if (found || secret.value.length < minFragment * 1.5) continue;
		// Fragments: windows of minFragment characters, every minFragment / 2.
		const step = Math.max(1, Math.floor(minFragment / 2));
		for (
			let start = secret.fragmentsFrom ?? 0;
			start + minFragment <= secret.value.length;
			start += step
		) {
			const fragment = secret.value.slice(start, start + minFragment);
			const at = text.indexOf(fragment);
			if (at >= 0) {
				hits.push({
					label: secret.label,
					form: `fragment ${start}..${start + minFragment}`,
					context: mask(text, at, fragment.length),
				});
				break;
			}
		}
	}
	return hits;
}

/** Throws, naming the secret and showing where (masked), when `text` holds any of `secrets`. */
export function assertNoSecrets(
	text: string,
	secrets: Array<Secret | string>,
	minFragment = DEFAULT_MIN_FRAGMENT,
): void {
	const hits = findSecrets(text, secrets, minFragment);
	if (hits.length === 0) return;
	throw new Error(
		`Secrets found (${hits.length}):\n${hits.map((h) => `- ${h.label} (${h.form}): …${h.context}…`).join('\n')}`,
	);
}
