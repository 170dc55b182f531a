/**
 * The one table of Tencent error codes this package knows: what each means and what the user should
 * do. `retry` decides whether the transport tries again:
 * - `backoff`: transient on Tencent's side; retry with exponential backoff (counts against Max Attempts).
 * - `interval`: a spacing rule was broken (pushes > 1 s apart, revoke 1/s); wait the interval, retry.
 * - `rate`: a rate limit answered (60007, 60011, 60018, 60019); wait with backoff and re-send.
 *   `interval` and `rate` mean "not yet", never "failed", so they are re-sent without using up
 *   Max Attempts for as long as the transport's wait budget lasts.
 * - `never`: retrying cannot help (bad input, auth, quota) and might even cost quota.
 *
 * A FAIL envelope is Tencent saying it did not do what was asked, so by default it proves the call
 * had no effect and may be re-sent even when the call is not idempotent. `effect: 'unknown'` marks
 * the few codes that do not prove that: a timeout or an unreadable answer between Tencent's gateway
 * and the service behind it, after which the service may still have acted. For a non-idempotent
 * call those are outcome-unknown failures and are never re-sent automatically (transport/outcome.ts).
 */
export type RetryPolicy = 'backoff' | 'interval' | 'rate' | 'never';

export interface TencentErrorEntry {
	meaning: string;
	action: string;
	retry: RetryPolicy;
	/** 'unknown': the answer does not prove the call had no effect (see above). */
	effect?: 'unknown';
}

const entry = (
	meaning: string,
	action: string,
	retry: RetryPolicy = 'never',
	effect?: 'unknown',
): TencentErrorEntry => ({
	meaning,
	action,
	retry,
	...(effect ? { effect } : {}),
});

const CHECK_CREDENTIAL =
	'Check the SDKAppID, region, admin account and secret key in the Tencent Chat credential.';
const RETRY_LATER = 'Tencent had a temporary problem; the node retried. Run it again later.';
const REDUCE_RATE =
	'The node waited and re-sent for up to 60 s. Slow down: lower the number of items per execution or spread executions over time.';
const SIGNATURE = 'The UserSig was rejected. Check that the secret key belongs to this SDKAppID.';

export const TENCENT_ERRORS: Readonly<Record<number, TencentErrorEntry>> = {
	// REST layer (60xxx)
	60002: entry('HTTP request could not be parsed', 'Check the Base URL of a custom endpoint.'),
	60003: entry('Request body is not valid JSON', 'Report this as a bug of the node.'),
	60004: entry('Account or signature error in the request', CHECK_CREDENTIAL),
	60005: entry('Account or signature error in the request', CHECK_CREDENTIAL),
	60006: entry('SDKAppID is invalid', CHECK_CREDENTIAL),
	60007: entry('REST API call frequency over the limit', REDUCE_RATE, 'rate'),
	// 60008 and 60013 come from the gateway in front of the service: it timed out waiting for the
	// service, or could not read its answer. The service may have acted, so the outcome is unknown.
	60008: entry('Service timeout or malformed HTTP request', RETRY_LATER, 'backoff', 'unknown'),
	60009: entry(
		'Requested resource is invalid (unknown API path)',
		'Check that the Push feature and this API exist for your edition and region.',
	),
	60010: entry(
		'The request requires an app administrator',
		'Set Admin Account in the credential to an administrator of the app (console → Account Management).',
	),
	60011: entry('SDKAppID request frequency over the limit', REDUCE_RATE, 'rate'),
	60012: entry('SDKAppID missing from the request', CHECK_CREDENTIAL),
	60013: entry('Response JSON could not be parsed', RETRY_LATER, 'backoff', 'unknown'),
	60014: entry('Account replacement timed out', RETRY_LATER, 'backoff'),
	60015: entry(
		'Account type in the body is wrong (must be a string)',
		'Make sure every account ID is text, not a number.',
	),
	60016: entry(
		'SDKAppID is disabled',
		'Re-enable the application in the Tencent Cloud Chat console.',
	),
	60017: entry(
		'Request disabled',
		'Contact Tencent support: this request is disabled for your app.',
	),
	60018: entry('Requests too frequent', REDUCE_RATE, 'rate'),
	60019: entry('Requests too frequent', REDUCE_RATE, 'rate'),
	60020: entry(
		'The Pro package has expired or was deactivated',
		'Renew the package in the Tencent Cloud console.',
	),
	60021: entry(
		'Caller IP is not allowed',
		"Add n8n's outbound IP to the app's IP allow-list in the console.",
	),
	// Account and UserSig (70xxx)
	70001: entry(
		'UserSig expired',
		'Check the n8n server clock; the node signs a fresh UserSig automatically.',
	),
	70002: entry('UserSig is empty', CHECK_CREDENTIAL),
	70003: entry('UserSig is invalid or could not be parsed', SIGNATURE),
	70004: entry('UserSig is invalid (truncated)', SIGNATURE),
	70005: entry('UserSig is invalid', SIGNATURE),
	70006: entry('UserSig check failed', SIGNATURE),
	70007: entry('UserSig check failed', SIGNATURE),
	70008: entry('UserSig check failed', SIGNATURE),
	70009: entry(
		'UserSig signature verification failed (wrong secret key, or the key of another SDKAppID)',
		'Copy the secret key of this SDKAppID from the console into the credential.',
	),
	70010: entry('UserSig check failed', SIGNATURE),
	70013: entry('The account in the request does not match the UserSig', CHECK_CREDENTIAL),
	70014: entry('The SDKAppID in the request does not match the UserSig', CHECK_CREDENTIAL),
	70015: entry('No verification method for this SDKAppID or account type', CHECK_CREDENTIAL),
	70016: entry(
		'Key not found for this SDKAppID (often the wrong region)',
		'Pick the region your app was created in.',
	),
	70017: entry('Internal ticket verification timed out', RETRY_LATER, 'backoff'),
	70018: entry('Internal ticket verification failed', SIGNATURE),
	70019: entry('Ticket field is empty', CHECK_CREDENTIAL),
	70020: entry(
		'SDKAppID not found (often the wrong region)',
		'Pick the region your app was created in and check the SDKAppID.',
	),
	70050: entry(
		'UserSig verification failed too often',
		'Fix the credential, then wait one minute before trying again.',
	),
	70051: entry(
		'The account is blacklisted',
		'Use another admin account or contact Tencent support.',
	),
	70052: entry(
		'UserSig has been invalidated',
		'Run again: the node will sign a new UserSig. If it persists, check the secret key.',
	),
	70107: entry(
		'The account does not exist in Chat (not imported)',
		'Import the account into Tencent Chat, or remove it from the input.',
	),
	70113: entry(
		'Batch quantity is invalid',
		'Report this as a bug of the node: it splits batches to the documented limits.',
	),
	70114: entry('Restricted for security reasons', 'Contact Tencent support.'),
	70169: entry('Internal error', RETRY_LATER, 'backoff'),
	70201: entry('Internal error', RETRY_LATER, 'backoff'),
	70202: entry('Internal timeout', RETRY_LATER, 'backoff'),
	70203: entry('Internal error', RETRY_LATER, 'backoff'),
	70206: entry(
		'Batch quantity is invalid',
		'Report this as a bug of the node: it splits batches to the documented limits.',
	),
	70212: entry('Internal error', RETRY_LATER, 'backoff'),
	70213: entry('Internal error', RETRY_LATER, 'backoff'),
	70398: entry(
		'Account count over the limit of your edition',
		'Upgrade the edition or remove accounts in the console.',
	),
	70402: entry('Invalid parameter', 'Check the fields of this operation.'),
	70403: entry(
		'The request requires an app administrator',
		'Set Admin Account in the credential to an administrator of the app.',
	),
	70500: entry('Internal server error', RETRY_LATER, 'backoff'),
	// Push service (90xxx)
	90001: entry(
		'Request JSON could not be parsed',
		'Check fields given as JSON (Ext, raw MsgBody).',
	),
	90002: entry(
		'MsgBody is malformed',
		'Check the message elements: each needs a type and its content fields.',
	),
	90005: entry(
		'MsgRandom is missing or not a 32-bit unsigned integer',
		'Set MsgRandom to a whole number from 0 to 4294967295, or leave it empty.',
	),
	90007: entry('MsgBody is not an array', 'Give the raw MsgBody as a JSON array of elements.'),
	90009: entry(
		'The request requires an app administrator',
		'Set Admin Account in the credential to an administrator of the app.',
	),
	90010: entry(
		'Message format is invalid',
		'Check the message elements against Tencent message formats.',
	),
	90018: entry(
		'Too many accounts in one request',
		'Report this as a bug of the node: it splits requests to 100 accounts.',
	),
	90020: entry(
		'A tag is longer than 50 bytes',
		'Shorten the tag; multi-byte characters count several bytes.',
	),
	90022: entry(
		'The same tag is in both the all-of and any-of lists',
		'Keep each tag in one list only.',
	),
	90024: entry(
		'Pushes are less than 1 second apart',
		'The node waits and retries; if it persists, another system pushes to this app at the same time.',
		'interval',
	),
	90026: entry(
		'Offline storage time is invalid (at most 7 days)',
		'Set Message Lifetime between 0 and 604800 seconds.',
	),
	90032: entry(
		'Too many tags (at most 10 per condition list, or per user per add)',
		'Use fewer tags, or turn on Replace to set up to 100 tags per user.',
	),
	90033: entry(
		'Invalid attribute name (not defined for the app, or duplicate)',
		'Define the attribute with App Attribute Name → Set, or fix its spelling.',
	),
	90035: entry(
		'The tag or attribute is bound to the other account type (UserID vs RegistrationID)',
		'Use accounts of the type the attribute was created for.',
	),
	90039: entry(
		'Tag and attribute conditions cannot be combined',
		'Choose either tags or attributes for the audience.',
	),
	90040: entry('A tag in the condition is empty', 'Remove empty tags from the audience.'),
	90045: entry(
		'All-user/tag/single push is not enabled for this app',
		'Enable the Push service (or "Push to all users" for the legacy API) in the Tencent Cloud Chat console.',
	),
	90047: entry(
		'Daily push quota exceeded (100 per day by default)',
		'Wait until tomorrow, or raise the daily push quota in the Tencent Cloud Chat console (paid).',
	),
	90049: entry(
		'Invalid TaskId: no push record',
		'Check the TaskId: it must be one returned by Send or Send to Users.',
	),
	90050: entry('The push was already recalled', 'Nothing to do: the push is already recalled.'),
	90051: entry(
		'Recall requests are limited to one per second',
		'The node waits and retries.',
		'interval',
	),
	90052: entry(
		'The push is older than 24 hours and can no longer be recalled',
		'Pushes can be recalled within 24 hours of sending.',
	),
	90053: entry(
		'Recall needs an overwrite notification for this push',
		'Fill in the overwrite notification (Title/Text) of the Recall operation.',
	),
	90056: entry('Request body larger than 10 KB', 'Shorten the message, notification or Ext.'),
	90057: entry('DataId longer than 64 bytes', 'Shorten the Data ID.'),
	90104: entry('Scheduled task: invalid request parameters', 'Check the scheduled task fields.'),
	// 90105 is documented for the scheduled-task commands only as "internal error", with no advice to
	// retry: whether the task was changed is not said, so the outcome is unknown (Scheduled Push reconciles).
	90105: entry(
		'Scheduled task: internal error of the scheduling service',
		'Check with Scheduled Push → Get whether the task changed before trying again.',
		'backoff',
		'unknown',
	),
	90106: entry(
		'Scheduled task was already dispatched and can no longer be deleted',
		'Stop its push instead: Push → Recall with the push TaskId shown by Scheduled Push → Get.',
	),
	90107: entry(
		'Scheduled task is being dispatched right now and can no longer be changed or deleted',
		'Wait for the dispatch to end, then Push → Recall its push to stop it.',
	),
	// 91000: every one of the five source documents (both families, English and Chinese) and the
	// push error table say "Internal service error. Please try again." It is
	// Tencent's own FAIL envelope, push answers carry no TaskId with it, and Tencent tells the caller
	// to send the request again, which it could only do if the failed request did not take effect.
	// So 91000 counts as "not done" and is retried with backoff, even for pushes. (Contrast 60008:
	// a gateway timeout, where Tencent says nothing about the service behind it.)
	91000: entry('Internal error of the push service', RETRY_LATER, 'backoff'),
};

/** Looks a code up; unknown codes get a generic entry so the user still sees Tencent's text. */
export function describeTencentError(code: number): TencentErrorEntry {
	return (
		TENCENT_ERRORS[code] ??
		entry('Unlisted Tencent error', "See Tencent Cloud Chat's error code reference for this code.")
	);
}
