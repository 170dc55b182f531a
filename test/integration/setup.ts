/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * Shared helper of the integration tests: one emulator per test file (port 0, a fixture from
 * test/fixtures/integration-*.json), a credential for it, the node run through n8n's real engine,
 * and readers for what the emulator recorded (request log with bodies, tasks with delivery lists,
 * counters, users) through its HTTP introspection API — the same view any client would have.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { resetLanes } from '../../nodes/TencentChatPush/helpers/pacing';
import { runNode, type RunOptions, type RunResult } from '../harness/engine';

// ---------------------------------------------------------------------------------------------
// The emulator is CommonJS without type declarations; these are the parts the tests use.

export interface FaultSpec {
	sequence?: string[];
	probability?: number;
	kinds?: string[];
}

export interface Emulator {
	url: string;
	config: IDataObject;
	state: unknown;
	clock: { mode: string; now(): number; advance(ms: number): number };
	configure(overrides: IDataObject): IDataObject;
	faults: { set(endpoint: string, spec: FaultSpec): unknown; clear(endpoint?: string): unknown };
	reset(options?: { config?: boolean }): Promise<void>;
	stop(): Promise<void>;
}

interface EmulatorModule {
	startEmulator(options: {
		host?: string;
		port?: number;
		fixture?: unknown;
		config?: IDataObject;
		clock?: unknown;
	}): Promise<Emulator>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulator } = require('../../emulator') as EmulatorModule;

/** One entry of the emulator's request log (`GET /_emulator/requests`). */
export interface LoggedRequest {
	seq: number;
	/** Arrival time on the emulator's clock (ms). */
	time: number;
	method: string;
	path: string;
	query: Record<string, string>;
	service: string | null;
	command: string | null;
	/** The raw body as received. */
	body: string;
	bodyBytes: number;
	httpStatus: number | null;
	errorCode: number | null;
	taskId: string | null;
	duplicateOf: string | null;
	fault: string | null;
	faultProcessed: boolean;
	warnings: string[];
	/** `body` parsed (added by this helper; undefined when not JSON). */
	json?: IDataObject;
}

export interface Delivery extends IDataObject {
	userId: string;
	accountType: string;
	online: boolean;
	stored: boolean;
	offlinePush: boolean;
	revoked: boolean;
}

export interface Task extends IDataObject {
	taskId: string;
	sdkAppId: number;
	family: string;
	command: string;
	createdAt: number;
	msgRandom: number;
	fromAccount: string;
	audience: IDataObject;
	variant: string;
	content: IDataObject;
	status: string;
	revokedAt: number | null;
	revokeOfflinePushInfo: IDataObject | null;
	duplicateRequests: number;
	deliveries: Delivery[];
}

export interface Counters {
	requests: Record<string, number>;
	responsesByCode: Record<string, number>;
	invalidRequests: number;
	invalidByCode: Record<string, number>;
	authFailures: number;
	limitRejections: number;
	stateErrors: number;
	errorListEntries: Record<string, number>;
	duplicatePushes: number;
	duplicatePushesWithDifferentBody: number;
	pushesAccepted: number;
	pushesAcceptedByEndpoint: Record<string, number>;
	faultsInjected: Record<string, number>;
	requestsWithUnknownFields: number;
	schedTasks: {
		added: number;
		modified: number;
		deleted: number;
		dispatched: number;
		failed: number;
	};
}

export interface EmulatedUser {
	id: string;
	accountType: string;
	online: boolean;
	tags: string[];
	attrs: Record<string, string>;
}

export interface AppSummary {
	sdkAppId: number;
	attrSlots: Record<string, { name: string; type: number; typeLocked: boolean }>;
	userCount: number;
	dailyPushQuota: number;
	pushesToday: number;
	lastPushAt: number | null;
}

// ---------------------------------------------------------------------------------------------

export const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures');

interface FixtureApp extends IDataObject {
	sdkAppId: number;
	secretKey: string;
	users: IDataObject[];
}

export interface EmulatorOptions {
	/** File name under test/fixtures (e.g. 'integration-push.json'). */
	fixture: string;
	/** Emulator config overrides. */
	config?: IDataObject;
	/** Extra plain users added to the (first) app: `${prefix}0001` … (ids zero-padded to 4 digits). */
	bulkUsers?: { prefix: string; count: number };
}

export const bulkIds = (prefix: string, count: number, from = 1): string[] =>
	Array.from({ length: count }, (_, i) => `${prefix}${String(from + i).padStart(4, '0')}`);

export interface IntegrationContext {
	readonly emu: Emulator;
	readonly sdkAppId: number;
	readonly secretKey: string;
	credentials(overrides?: IDataObject): ICredentialDataDecryptedObject;
	/** Runs the node against this emulator (credentials filled in unless given). */
	run(
		options: Omit<RunOptions, 'credentials'> & { credentials?: ICredentialDataDecryptedObject },
	): Promise<RunResult>;
	/** Request log, optionally only one endpoint ('timpush/push'); bodies parsed into `json`. */
	requests(endpoint?: string): Promise<LoggedRequest[]>;
	/** Requests to the API (/v4/...) in total, per the emulator's counters. */
	apiRequestCount(): Promise<number>;
	tasks(): Promise<Task[]>;
	task(taskId: string): Promise<Task>;
	counters(): Promise<Counters>;
	users(): Promise<EmulatedUser[]>;
	user(id: string): Promise<EmulatedUser>;
	app(): Promise<AppSummary>;
	introspect<T = IDataObject>(route: string, body?: IDataObject): Promise<T>;
}

async function getJson<T>(url: string, body?: IDataObject): Promise<T> {
	const response = await fetch(
		url,
		body
			? {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				}
			: undefined,
	);
	const payload = (await response.json()) as T & { error?: string };
	if (!response.ok)
		throw new Error(`introspection ${url} answered ${response.status}: ${payload.error ?? ''}`);
	return payload;
}

/**
 * Registers beforeAll/afterAll/beforeEach for the calling test file: the emulator starts once,
 * and before every test its state, request log, counters and faults go back to the fixture and
 * the node's pacing lanes are forgotten, so tests do not wait for each other's pushes.
 */
export function useEmulator(options: EmulatorOptions): IntegrationContext {
	jest.setTimeout(60_000);
	const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, options.fixture), 'utf8')) as {
		apps: FixtureApp[];
	};
	const app = fixture.apps[0];
	if (options.bulkUsers) {
		for (const id of bulkIds(options.bulkUsers.prefix, options.bulkUsers.count))
			app.users.push({ id, online: false });
	}
	let emu: Emulator | undefined;
	const current = (): Emulator => {
		if (!emu) throw new Error('the emulator is not running (use the context inside tests)');
		return emu;
	};
	const api = async <T>(route: string, body?: IDataObject) =>
		await getJson<T>(`${current().url}/_emulator/${route}`, body);

	beforeAll(async () => {
		emu = await startEmulator({ host: '127.0.0.1', port: 0, fixture, config: options.config });
	});
	afterAll(async () => {
		await emu?.stop();
		resetLanes();
	});
	beforeEach(async () => {
		// { config: true }: back to the config the emulator started with (tests may change it).
		await current().reset({ config: true });
		resetLanes();
	});

	const context: IntegrationContext = {
		get emu() {
			return current();
		},
		sdkAppId: app.sdkAppId,
		secretKey: app.secretKey,
		credentials(overrides = {}) {
			return {
				sdkAppId: app.sdkAppId,
				region: 'custom',
				baseUrl: current().url,
				adminAccount: 'administrator',
				secretKey: app.secretKey,
				userSigValidity: 86400,
				...overrides,
			};
		},
		async run(runOptions) {
			return await runNode({
				...runOptions,
				credentials: runOptions.credentials ?? context.credentials(),
			});
		},
		async requests(endpoint) {
			const query = endpoint ? `?endpoint=${encodeURIComponent(endpoint)}` : '';
			const { requests } = await api<{ requests: LoggedRequest[] }>(`requests${query}`);
			return requests.map((entry) => {
				try {
					return { ...entry, json: JSON.parse(entry.body) as IDataObject };
				} catch {
					return entry;
				}
			});
		},
		async apiRequestCount() {
			const counters = await context.counters();
			return Object.values(counters.requests).reduce((sum, n) => sum + n, 0);
		},
		async tasks() {
			return (await api<{ tasks: Task[] }>('tasks')).tasks;
		},
		async task(taskId) {
			return await api<Task>(`tasks/${encodeURIComponent(taskId)}`);
		},
		async counters() {
			return await api<Counters>('counters');
		},
		async users() {
			return (await api<{ users: EmulatedUser[] }>(`apps/${app.sdkAppId}/users`)).users;
		},
		async user(id) {
			return await api<EmulatedUser>(`apps/${app.sdkAppId}/users/${encodeURIComponent(id)}`);
		},
		async app() {
			return await api<AppSummary>(`apps/${app.sdkAppId}`);
		},
		introspect: api,
	};
	return context;
}

// ---------------------------------------------------------------------------------------------
// Parameter builders: every parameter the operation reads is given explicitly, so the tests do
// not depend on defaults of the node description.

export function sendParams(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'push',
		operation: 'send',
		api: 'timpush',
		audience: 'all',
		notificationTitle: 'Hello',
		notificationText: 'World',
		message: 'none',
		additionalFields: {},
		options: {},
		...overrides,
	};
}

export function sendToUsersParams(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'push',
		operation: 'sendToUsers',
		toAccounts: '',
		notificationTitle: 'Hello',
		notificationText: 'World',
		additionalFields: {},
		options: {},
		...overrides,
	};
}

export function managementParams(
	resource: string,
	operation: string,
	overrides: IDataObject = {},
): IDataObject {
	return { resource, operation, api: 'timpush', options: {}, ...overrides };
}

/** Fixed-collection rows for attribute pairs: `{ attribute: [{ name, value }] }`. */
export const attributeRows = (pairs: Record<string, string>): IDataObject => ({
	attribute: Object.entries(pairs).map(([name, value]) => ({ name, value })),
});

/** The user ids of a task's delivery list, sorted. */
export const recipients = (task: Task): string[] => task.deliveries.map((d) => d.userId).sort();

/** The error message plus description, for assertions that look at both. */
export const errorText = (result: RunResult): string =>
	`${result.error?.message ?? ''} ${result.error?.description ?? ''}`;
