import {
	changeIsApplied,
	isTaskWeSent,
	looksDeleted,
} from '../../nodes/TencentChatPush/actions/scheduledPush/reconcile';

/**
 * How a scheduled task is recognised after a lost answer, whatever Tencent's TaskInfo looks like:
 * its pages show Content in TaskInfo but do not say whether the MsgRandom that was sent is kept.
 */
const sent = {
	Sdkappid: 1400000000,
	Type: 'Tag',
	SchedAt: '2026-06-01 10:00:00',
	Content: {
		Condition: { TagsOr: ['vip', 'gold'] },
		OfflinePushInfo: { Title: 'Sale', Desc: 'Today' },
		MsgRandom: 123456,
	},
};

describe('isTaskWeSent', () => {
	test('Content with MsgRandom: the MsgRandom decides', () => {
		const listed = {
			TaskID: 1,
			Type: 'Tag',
			SchedAt: sent.SchedAt,
			Title: 'Sale',
			Desc: 'Today',
			Content: { ...sent.Content },
		};
		expect(isTaskWeSent(listed, sent)).toBe(true);
		expect(isTaskWeSent({ ...listed, Content: { ...sent.Content, MsgRandom: 999 } }, sent)).toBe(
			false,
		);
	});

	test('Content without MsgRandom: type, time, title, text and audience must all match (key order ignored)', () => {
		const content = {
			OfflinePushInfo: { Desc: 'Today', Title: 'Sale' },
			Condition: { TagsOr: ['vip', 'gold'] },
		};
		const listed = {
			TaskID: 1,
			Type: 'Tag',
			SchedAt: sent.SchedAt,
			Title: 'Sale',
			Desc: 'Today',
			Content: content,
		};
		expect(isTaskWeSent(listed, sent)).toBe(true);
		expect(isTaskWeSent({ ...listed, Desc: 'Tomorrow' }, sent)).toBe(false);
		expect(isTaskWeSent({ ...listed, SchedAt: '2026-06-01 10:00:01' }, sent)).toBe(false);
		expect(isTaskWeSent({ ...listed, Type: 'All' }, sent)).toBe(false);
		expect(
			isTaskWeSent({ ...listed, Content: { ...content, Condition: { TagsOr: ['vip'] } } }, sent),
		).toBe(false);
	});

	test('named accounts match in any order', () => {
		const users = {
			...sent,
			Type: 'User',
			Content: { To_Account: ['b', 'a'], OfflinePushInfo: { Title: 'T', Desc: 'D' }, MsgRandom: 5 },
		};
		const listed = {
			Type: 'User',
			SchedAt: sent.SchedAt,
			Title: 'T',
			Desc: 'D',
			Content: { To_Account: ['a', 'b'], OfflinePushInfo: { Title: 'T', Desc: 'D' } },
		};
		expect(isTaskWeSent(listed, users)).toBe(true);
		expect(
			isTaskWeSent({ ...listed, Content: { ...listed.Content, To_Account: ['a'] } }, users),
		).toBe(false);
	});
});

describe('changeIsApplied / looksDeleted', () => {
	test('every field sent must be what the task holds', () => {
		const task = {
			SchedAt: '2026-06-02 10:00:00',
			Content: { OfflinePushInfo: { Title: 'New' }, Condition: { TagsOr: ['vip'] } },
		};
		expect(changeIsApplied(task, { SchedAt: '2026-06-02 10:00:00' })).toBe(true);
		expect(changeIsApplied(task, { SchedAt: '2026-06-03 10:00:00' })).toBe(false);
		expect(changeIsApplied(task, { Content: { OfflinePushInfo: { Title: 'New' } } })).toBe(true);
		expect(changeIsApplied(task, { Content: { OfflinePushInfo: { Title: 'Old' } } })).toBe(false);
	});

	test('statuses that say a task is gone', () => {
		expect(['deleted', 'Canceled', 'cancelled'].map(looksDeleted)).toEqual([true, true, true]);
		expect(['pending', 'dispatching', 'dispatched', 'failed', undefined].map(looksDeleted)).toEqual(
			[false, false, false, false, false],
		);
	});
});
