/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * Shared pieces of the reliability tests: the in-process emulator with typed access to its live
 * state (counters, request log, tasks, users), credentials for it, and the fault kinds it offers.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { Counters, LoggedRequest, Task } from '../integration/setup';

export type { Counters, LoggedRequest, Task };

export interface FaultSpec {
	sequence?: string[];
	probability?: number;
	kinds?: string[];
	seed?: number;
}

export interface EmulatedUserState {
	id: string;
	accountType: string;
	online: boolean;
	tags: string[];
	attrs: Record<string, string>;
}

export interface EmulatedApp {
	sdkAppId: number;
	users: Map<string, EmulatedUserState>;
	attrSlots: Record<string, { name: string; type: number; typeLocked: boolean }>;
}

/** A scheduled task as the emulator keeps it (emulator/endpoints/sched.js). */
export interface SchedTaskRecord {
	taskId: number;
	sdkAppId: number;
	type: string;
	schedAt: string;
	status: string;
	content: IDataObject;
}

export interface EmulatorState {
	apps: Map<number, EmulatedApp>;
	counters: Counters;
	requestLog: LoggedRequest[];
	taskList(): Task[];
	schedTaskList(): SchedTaskRecord[];
}

export interface InProcessEmulator {
	url: string;
	server: import('node:http').Server;
	state: EmulatorState;
	config: IDataObject;
	configure(overrides: IDataObject): IDataObject;
	faults: { set(endpoint: string, spec: FaultSpec): unknown; clear(endpoint?: string): unknown };
	reset(options?: { config?: boolean }): Promise<void>;
	stop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const emulatorModule = require('../../emulator') as {
	startEmulator(options: {
		host?: string;
		port?: number;
		fixture?: unknown;
		config?: IDataObject;
	}): Promise<InProcessEmulator>;
};

export interface FixtureUser {
	id: string;
	accountType?: string;
	online?: boolean;
	tags?: string[];
	attrs?: Record<string, string>;
}

export interface FixtureApp {
	sdkAppId: number;
	secretKey: string;
	admins: string[];
	pushEnabled?: boolean;
	dailyPushQuota?: number;
	attrNames?: Record<string, string>;
	attrTypes?: Record<string, number>;
	users: FixtureUser[];
}

export async function startInProcessEmulator(
	apps: FixtureApp[],
	config: IDataObject = {},
): Promise<InProcessEmulator> {
	return await emulatorModule.startEmulator({
		host: '127.0.0.1',
		port: 0,
		fixture: { apps },
		config,
	});
}

export function credentialsFor(
	baseUrl: string,
	app: FixtureApp,
	overrides: IDataObject = {},
): ICredentialDataDecryptedObject {
	return {
		sdkAppId: app.sdkAppId,
		region: 'custom',
		baseUrl,
		adminAccount: app.admins[0],
		secretKey: app.secretKey,
		userSigValidity: 86400,
		...overrides,
	};
}

/**
 * Every fault kind the emulator offers, with the delay past the node's per-attempt timeout
 * (tests set Options → Timeout to 1,000 ms, the lowest the node's UI allows).
 */
export const ALL_FAULT_KINDS = [
	'502',
	'502-after',
	'reset',
	'reset-after',
	'delay:1500',
	'91000',
	'60007',
	'90024',
];

/** Requests the emulator processed (no fault, or a fault that struck after processing). */
export const processed = (entry: LoggedRequest): boolean =>
	entry.fault === null || entry.faultProcessed;

export function parsedBody(entry: LoggedRequest): IDataObject | undefined {
	try {
		return JSON.parse(entry.body) as IDataObject;
	} catch {
		return undefined;
	}
}

export const sum = (values: number[]): number => values.reduce((total, n) => total + n, 0);

const realStdoutWrite = process.stdout.write.bind(process.stdout);

/** Writes a line to the real stdout (jest buffers console.* until the end of a test file). */
export function report(text: string): void {
	realStdoutWrite(`${text}\n`);
}

/**
 * Mutes what n8n's error reporter prints for every node error (through winston, straight to
 * stdout): thousands of fuzz cases would spend more time printing than running. Returns the undo.
 */
export function muteStdout(): () => void {
	const original = process.stdout.write;
	process.stdout.write = (() => true) as typeof process.stdout.write;
	return () => {
		process.stdout.write = original;
	};
}
