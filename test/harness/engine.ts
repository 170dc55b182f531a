/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * Runs workflows through n8n's real execution engine (n8n-core's WorkflowExecute) with this
 * package's node and credential, so tests see what n8n users see: output items, pairedItem, errors,
 * continue-on-fail, and real HTTP requests signed by the credential's own `authenticate`.
 */
import { DataDeduplicationService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { TencentChatApi } from '../../credentials/TencentChatApi.credentials';
import { TencentChatPush } from '../../nodes/TencentChatPush/TencentChatPush.node';

export const NODE_TYPE = 'n8n-nodes-tencent-chat-push.tencentChatPush';
const SOURCE_TYPE = 'test.source';

/** Start node: emits the items the test hands it, like a Manual Trigger followed by a Code node. */
class SourceNode implements INodeType {
	description = {
		displayName: 'Source',
		name: 'source',
		group: ['input'],
		version: 1,
		description: 'Test input',
		defaults: { name: 'Source' },
		inputs: [],
		outputs: ['main'],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
		] as INodeProperties[],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json, i) => ({ json, pairedItem: { item: i } }))];
	}
}

const credentialType = new TencentChatApi();

class NodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[NODE_TYPE]: new TencentChatPush(),
		[SOURCE_TYPE]: new SourceNode(),
	};

	getByName(type: string): INodeType {
		return this.types[type];
	}

	getByNameAndVersion(type: string): INodeType {
		return this.types[type];
	}

	getKnownTypes() {
		return {};
	}
}

/** Applies the credential exactly as n8n's CredentialsHelper does for a function `authenticate`. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly data: ICredentialDataDecryptedObject,
		private readonly keepAbortSignal = true,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_type: string,
		options: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialType.authenticate as (
			c: ICredentialDataDecryptedObject,
			o: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		const signed = await authenticate(credentials, options);
		if (!this.keepAbortSignal) delete signed.abortSignal;
		return signed;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(): INodeProperties[] {
		return credentialType.properties;
	}
}

export interface RunOptions {
	/** Parameters of the Tencent Chat Push node. */
	parameters: IDataObject;
	/** Input items (json) fed to the node. */
	items?: IDataObject[];
	credentials: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	/** n8n's "On Error" setting; overrides continueOnFail ('continueErrorOutput' adds the error output). */
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
	executionId?: string;
	workflowId?: string;
	nodeName?: string;
	/**
	 * Called once the execution has started, with what n8n's Stop button does: cancel the engine's
	 * run (PCancelable.cancel(), which aborts the signal nodes read with getExecutionCancelSignal()).
	 */
	onStart?: (stop: () => void) => void;
	/**
	 * Plays a host whose HTTP helper does not abort a request on Stop (n8n-core 2.41 passes the
	 * execution's signal to the request; a node must not rely on every host doing so).
	 */
	httpIgnoresStop?: boolean;
	/** Execution mode (default 'manual'); production modes are 'webhook', 'trigger', 'retry'… */
	mode?: WorkflowExecuteMode;
	/** The workflow's static data at the start, as n8n loads it from its database (mutated in place). */
	staticData?: IDataObject;
}

export interface RunResult {
	/** Output items of the node (json and pairedItem). */
	items: INodeExecutionData[];
	/** Items n8n sent to the error output ("On Error: Continue (using error output)"). */
	errorItems: INodeExecutionData[];
	/** The error that stopped the workflow, if any. */
	error?: Error & { description?: string; context?: IDataObject; httpCode?: string | null };
	run: IRun;
	/** The workflow's static data after the run, what n8n would save (plain JSON). */
	staticData: IDataObject;
}

let executionCounter = 0;

export async function runNode(options: RunOptions): Promise<RunResult> {
	const nodeName = options.nodeName ?? 'Tencent Chat Push';
	const executionId = options.executionId ?? `test-${process.pid}-${++executionCounter}`;
	const nodes: INode[] = [
		{
			id: 'source',
			name: 'Source',
			type: SOURCE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.items ?? [{}]) },
		},
		{
			id: 'push',
			name: nodeName,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters as INode['parameters'],
			credentials: { tencentChatApi: { id: 'cred-1', name: 'Tencent Chat' } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...(options.onError ? { onError: options.onError } : {}),
		},
	];
	const workflow = new Workflow({
		id: options.workflowId ?? 'wf-test',
		name: 'test',
		nodes,
		connections: { Source: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes: new NodeTypes(),
		settings: { executionOrder: 'v1' },
		staticData: options.staticData,
	});
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflow.id,
		name: workflow.name,
		nodes,
		connections: workflow.connectionsBySourceNode,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const additionalData = {
		credentialsHelper: new CredentialsHelper(options.credentials, !options.httpIgnoresStop),
		hooks,
		executionId,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		variables: {},
		userId: 'test-user',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		setExecutionStatus: () => undefined,
		sendDataToUI: () => undefined,
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const execute = new WorkflowExecute(additionalData, mode);
	const running = execute.run({
		workflow,
		startNode: workflow.getNode('Source')!,
		destinationNode: { nodeName, mode: 'inclusive' } as never,
	});
	options.onStart?.(() => running.cancel());
	// n8n's engine does not reject on cancel: this resolves once the running node has returned.
	const run = await running;
	const taskData = run.data.resultData.runData[nodeName]?.[0];
	return {
		items: taskData?.data?.main?.[0] ?? [],
		errorItems: options.onError === 'continueErrorOutput' ? (taskData?.data?.main?.[1] ?? []) : [],
		error: (run.data.resultData.error ?? taskData?.error) as RunResult['error'],
		run,
		staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
	};
}

/**
 * n8n's deduplication store (the database table behind Remove Duplicates, which `n8n start` and
 * `n8n worker` set up), kept in memory for tests: values per workflow and context, hashed as n8n does
 * not matter here. Installed once per test file; `clear()` empties it.
 */
export interface TestDeduplicationStore {
	entries: Map<string, string[]>;
	clear(): void;
}

let installedStore: TestDeduplicationStore | undefined;

export async function installDeduplicationStore(): Promise<TestDeduplicationStore> {
	if (installedStore) return installedStore;
	const entries = new Map<string, string[]>();
	type Context = { workflow: { id?: string }; node?: { id?: string } };
	const keyOf = (scope: string, context: Context) =>
		`${context.workflow.id ?? ''}|${scope === 'node' ? `n:${context.node?.id ?? ''}` : ''}`;
	const store = {
		async checkProcessedAndRecord(
			items: Array<string | number>,
			scope: string,
			context: Context,
			options: { maxEntries?: number },
		) {
			const list = entries.get(keyOf(scope, context)) ?? [];
			const known = new Set(list);
			const result = { new: [] as Array<string | number>, processed: [] as Array<string | number> };
			for (const item of items) {
				if (known.has(String(item))) result.processed.push(item);
				else {
					result.new.push(item);
					list.push(String(item));
					known.add(String(item));
				}
			}
			entries.set(
				keyOf(scope, context),
				options.maxEntries ? list.slice(-options.maxEntries) : list,
			);
			return result;
		},
		async removeProcessed(items: Array<string | number>, scope: string, context: Context) {
			const drop = new Set(items.map(String));
			entries.set(
				keyOf(scope, context),
				(entries.get(keyOf(scope, context)) ?? []).filter((v) => !drop.has(v)),
			);
		},
		async checkProcessedItemsAndRecord() {
			throw new Error('not used');
		},
		async clearAllProcessedItems(scope: string, context: Context) {
			entries.delete(keyOf(scope, context));
		},
		async getProcessedDataCount(scope: string, context: Context) {
			return (entries.get(keyOf(scope, context)) ?? []).length;
		},
	};
	await DataDeduplicationService.init(store as never);
	installedStore = { entries, clear: () => entries.clear() };
	return installedStore;
}
