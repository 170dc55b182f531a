/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * Stop and the all-user guard as pure logic: waits end as soon as the execution's signal fires (a
 * 60 s pause would outlast the test's timeout), work still running when Stop comes cannot surface
 * later as an unhandled rejection, and identical all-user pushes are remembered per execution.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import {
	AllUserGuard,
	contentKey,
	resetAllUserGuard,
} from '../../nodes/TencentChatPush/helpers/allUserGuard';
import {
	cancellationError,
	isCancellation,
	pause,
	rethrowIfCancelled,
	throwIfCancelled,
	unlessCancelled,
} from '../../nodes/TencentChatPush/helpers/cancel';

const node = { id: 'n1', name: 'Tencent Chat Push' } as INode;

describe('cancellation helpers', () => {
	test('a 60 s pause ends with the cancellation error when the signal fires', async () => {
		const controller = new AbortController();
		const waiting = pause(node, controller.signal, 60_000);
		setTimeout(() => controller.abort(), 10);
		await expect(waiting).rejects.toThrow(
			'The execution was stopped: nothing more was sent to Tencent',
		);
		await waiting.catch((error) => expect(isCancellation(error)).toBe(true));
	});

	test('an already stopped execution does not even start waiting or working', async () => {
		const controller = new AbortController();
		controller.abort();
		expect(() => throwIfCancelled(node, controller.signal)).toThrow(/stopped/);
		await expect(pause(node, controller.signal, 60_000)).rejects.toThrow(/stopped/);
		await expect(
			unlessCancelled(node, controller.signal, new Promise(() => undefined)),
		).rejects.toThrow(/stopped/);
	});

	test('work that fails after Stop is swallowed, not an unhandled rejection', async () => {
		const unhandled: unknown[] = [];
		const listener = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', listener);
		try {
			const controller = new AbortController();
			let fail: (error: Error) => void = () => undefined;
			const work = new Promise<never>((_resolve, reject) => (fail = reject));
			const waiting = unlessCancelled(node, controller.signal, work);
			controller.abort();
			await expect(waiting).rejects.toThrow(/stopped/);
			fail(new Error('the lane turn that came too late'));
			await new Promise((resolve) => setImmediate(resolve));
			await new Promise((resolve) => setImmediate(resolve));
			expect(unhandled).toEqual([]);
		} finally {
			process.off('unhandledRejection', listener);
		}
	});

	test('without a signal (load options), work is simply awaited; results and errors pass through', async () => {
		await expect(unlessCancelled(node, undefined, Promise.resolve(7))).resolves.toBe(7);
		const controller = new AbortController();
		await expect(unlessCancelled(node, controller.signal, Promise.resolve('ok'))).resolves.toBe(
			'ok',
		);
		await expect(
			unlessCancelled(node, controller.signal, Promise.reject(new Error('HTTP 502'))),
		).rejects.toThrow('HTTP 502');
	});

	test('only the cancellation error is rethrown as is', () => {
		expect(() => rethrowIfCancelled(cancellationError(node))).toThrow(/stopped/);
		expect(() => rethrowIfCancelled(new Error('other'))).not.toThrow();
		expect(isCancellation(new Error('The execution was stopped'))).toBe(false);
	});
});

describe('AllUserGuard', () => {
	const context = (executionId: string | undefined, nodeId = 'push-node') =>
		({
			getExecutionId: () => executionId,
			getNode: () => ({ id: nodeId, name: 'Push' }),
			getWorkflow: () => ({ id: 'wf-1' }),
		}) as unknown as IExecuteFunctions;

	beforeEach(() => resetAllUserGuard());

	test('the content key ignores MsgRandom (derived per item) and nothing else', () => {
		const body = { OfflinePushInfo: { Title: 'Sale', Desc: 'Now' }, MsgRandom: 1 };
		expect(contentKey('timpush', body)).toBe(contentKey('timpush', { ...body, MsgRandom: 2 }));
		expect(contentKey('timpush', body)).not.toBe(contentKey('legacy', body));
		expect(contentKey('timpush', body)).not.toBe(
			contentKey('timpush', { ...body, OfflinePushInfo: { Title: 'Sale', Desc: 'Later' } }),
		);
	});

	test("an execution's pushes are remembered across the node's runs, not across executions or nodes", () => {
		const first = new AllUserGuard(context('exec-1'));
		first.record('k', 3, { taskId: 'T1', msgRandom: 9 });
		const secondRun = new AllUserGuard(context('exec-1'));
		expect(secondRun.run).toBe(1);
		expect(secondRun.earlier('k')).toEqual({ item: 3, run: 0, taskId: 'T1', msgRandom: 9 });
		expect(new AllUserGuard(context('exec-2')).earlier('k')).toBeUndefined();
		expect(new AllUserGuard(context('exec-1', 'other-node')).earlier('k')).toBeUndefined();
	});

	test('dry-run items see earlier pushes and earlier dry runs, but never count as pushes', () => {
		const guard = new AllUserGuard(context('exec-3'));
		expect(guard.earlierForDryRun('k', 0)).toBeUndefined();
		expect(guard.earlierForDryRun('k', 1)).toEqual({ item: 0, run: 0 });
		expect(guard.earlier('k')).toBeUndefined();
	});

	test('without an execution ID, memory lasts for the run only', () => {
		new AllUserGuard(context(undefined)).record('k', 0, { taskId: 'T' });
		expect(new AllUserGuard(context(undefined)).earlier('k')).toBeUndefined();
	});
});
