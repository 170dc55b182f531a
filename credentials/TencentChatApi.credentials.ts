import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { randomInt } from 'crypto';

import { CUSTOM_ENDPOINT, REGIONS, resolveBaseUrl } from './regions';
import { userSigCache } from './userSig';

const DEFAULT_VALIDITY_SECONDS = 86400;
const MIN_VALIDITY_SECONDS = 300;
/** 180 days, the longest validity Tencent's own signing libraries default to. */
const MAX_VALIDITY_SECONDS = 15552000;

export class TencentChatApi implements ICredentialType {
	name = 'tencentChatApi';

	displayName = 'Tencent Chat API';

	icon: Icon = {
		light: 'file:../icons/tencentChat.svg',
		dark: 'file:../icons/tencentChat.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-tencent-chat-push/n8n-nodes-tencent-chat-push#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'SDKAppID',
			name: 'sdkAppId',
			// Text with no default: a number field starts at 0, which n8n counts as filled in. Credentials
			// saved as a number still work (the value is read with Number()).
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 1400000000',
			description:
				'The SDKAppID of your Chat application, shown in the Tencent Cloud Chat console under Application Management',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			default: REGIONS[0].domain,
			description: 'The data centre your application was created in; its REST domain is used',
			options: [
				...REGIONS.map((region) => ({
					name: region.name,
					value: region.domain,
					description: region.domain,
				})),
				{
					name: 'Custom Endpoint',
					value: CUSTOM_ENDPOINT,
					description: 'A base URL of your own: the bundled emulator, a proxy or a test server',
				},
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:8787',
			placeholder: 'http://127.0.0.1:8787',
			description: 'Origin that receives the /v4/... requests',
			displayOptions: { show: { region: [CUSTOM_ENDPOINT] } },
		},
		{
			displayName: 'Admin Account',
			name: 'adminAccount',
			type: 'string',
			required: true,
			default: 'administrator',
			description:
				'An app administrator account; the REST API refuses other accounts (60010/90009)',
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The application key from the console (Application Management → Basic Information). It never leaves n8n: it only signs the UserSig.',
		},
		{
			displayName: 'Callback Token',
			name: 'callbackToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The callback authentication token set in the Chat console (Callback Configuration). Tencent signs every callback with it, and the Tencent Chat Push Trigger refuses callbacks that are not signed with it or are more than 60 s old. Only the trigger uses it; it never leaves n8n.',
		},
		{
			displayName: 'Push Service Edition',
			name: 'pushEdition',
			type: 'options',
			default: 'free',
			description:
				"The edition of the app's Push service, as shown in the Tencent Cloud Chat console. Tencent limits pushes to named users by recipients per second per edition; Send to Users paces itself to it. Choosing a higher edition than the app has gets requests refused.",
			options: [
				{ name: 'Advanced (800 Users/s)', value: 'advanced' },
				{ name: 'Free or Trial (30 Users/s)', value: 'free' },
				{ name: 'Standard (500 Users/s)', value: 'standard' },
			],
		},
		{
			displayName: 'UserSig Validity (Seconds)',
			name: 'userSigValidity',
			type: 'number',
			default: DEFAULT_VALIDITY_SECONDS,
			typeOptions: { minValue: MIN_VALIDITY_SECONDS, maxValue: MAX_VALIDITY_SECONDS },
			description:
				'Lifetime of each generated UserSig. n8n signs a fresh one after half of this has passed, so a short value limits the harm of a leaked URL at no cost. Default one day; Tencent accepts up to 180 days.',
		},
	];

	/**
	 * Signs every request: adds the query parameters Tencent's REST API authenticates with, and
	 * points the request at the region's domain (the transport only knows the path).
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const sdkAppId = Number(credentials.sdkAppId);
		const identifier = String(credentials.adminAccount ?? '').trim();
		const secretKey = String(credentials.secretKey ?? '');
		if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) {
			throw new Error(
				'The credential SDKAppID must be a positive whole number (Tencent error 60006)',
			);
		}
		if (!identifier) throw new Error('The credential Admin Account is empty (Tencent error 60010)');
		if (!secretKey) throw new Error('The credential Secret Key is empty (Tencent error 70009)');

		const validitySeconds = Number(credentials.userSigValidity ?? DEFAULT_VALIDITY_SECONDS);
		if (
			!Number.isSafeInteger(validitySeconds) ||
			validitySeconds < MIN_VALIDITY_SECONDS ||
			validitySeconds > MAX_VALIDITY_SECONDS
		) {
			throw new Error(
				`The credential UserSig Validity must be a whole number of seconds from ${MIN_VALIDITY_SECONDS} to ${MAX_VALIDITY_SECONDS} (Tencent error 70001 otherwise)`,
			);
		}
		const userSig = userSigCache.get({ sdkAppId, identifier, secretKey, validitySeconds });
		return {
			...requestOptions,
			baseURL: resolveBaseUrl(credentials.region, credentials.baseUrl),
			qs: {
				...(requestOptions.qs ?? {}),
				sdkappid: sdkAppId,
				identifier,
				usersig: userSig,
				// Tencent wants a fresh 32-bit random per request (it is not the push dedup key).
				random: randomInt(0, 2 ** 32),
				contenttype: 'json',
			},
		};
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.region === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://" + $credentials.region}}',
			url: '/v4/timpush/get_attr_name',
			method: 'POST',
			// As text: n8n's HTTP helper drops an empty object body, and Tencent rejects a missing one.
			body: '{}',
			headers: { 'Content-Type': 'application/json' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'ActionStatus',
					value: 'FAIL',
					message:
						'Tencent refused the credentials: check the SDKAppID, the region, that the admin account is an app administrator, and the secret key',
				},
			},
		],
	};
}
