'use strict';

const { createCallbacks } = require('./callbacks');
const { dispatchSchedTask } = require('./endpoints/sched');

/**
 * Everything that happens because time passes, on the emulator clock:
 *   1. scheduled tasks whose SchedAt has come are dispatched (as of their SchedAt, in order);
 *   2. dispatching tasks whose push has settled become dispatched;
 *   3. deliveries of Push-service tasks that settled are reported to the callback URL;
 *   4. callback retries whose time has come are sent.
 * run(now) does all that synchronously. It runs when the clock advances (clock.onAdvance), before
 * and after every API request, before every introspection request, and — with the real clock —
 * on a timer set for the next thing due, so nothing depends on how the clock got there.
 */
const MIN_TIMER_MS = 100; // with the real clock, settle events are coalesced into batches this far apart

function createScheduler(emu) {
	const { state } = emu;
	// Push-service tasks with deliveries not yet reported: { task, cursor } (deliveries before the
	// cursor are done). Sent deliveries settle in array order, so a cursor is enough.
	let settling = [];
	let timer = null;
	let timerAt = null;
	let running = false;

	const callbacks = createCallbacks(emu, () => scheduler.run());
	const env = { state, config: emu.config, onTaskCreated: (task) => scheduler.taskCreated(task) };

	/** Next settle time of an entry, skipping deliveries that were never sent or were terminated. */
	function entryDue(entry) {
		const ds = entry.task.deliveries;
		for (let i = entry.cursor; i < ds.length; i += 1) {
			if (ds[i].channel !== null && ds[i].deliveredAt !== null) return ds[i].deliveredAt;
		}
		return Infinity;
	}

	function dispatchDue(now) {
		const due = state
			.schedTaskList()
			.filter((st) => st.status === 'pending' && st.schedAtMs <= now);
		due.sort((a, b) => a.schedAtMs - b.schedAtMs || a.taskId - b.taskId);
		for (const st of due) dispatchSchedTask(env, st);
		let changed = due.length > 0;
		for (const st of state.schedTasks.values()) {
			if (st.status === 'dispatching' && st.settlesAt <= now) {
				st.status = 'dispatched';
				changed = true;
			}
		}
		return changed;
	}

	function settle(now) {
		const settled = [];
		const keep = [];
		for (const entry of settling) {
			const ds = entry.task.deliveries;
			while (entry.cursor < ds.length) {
				const d = ds[entry.cursor];
				if (d.channel !== null && d.deliveredAt !== null) {
					if (d.deliveredAt > now) break;
					settled.push({ task: entry.task, delivery: d });
				}
				entry.cursor += 1;
			}
			if (entry.cursor < ds.length) keep.push(entry);
		}
		settling = keep;
		settled.sort((a, b) => a.delivery.deliveredAt - b.delivery.deliveredAt);
		callbacks.enqueue(settled, now);
	}

	const scheduler = {
		callbacks,

		/** Called by the push core for every new task. */
		taskCreated(task) {
			if (task.family === 'timpush' && task.deliveries.length > 0)
				settling.push({ task, cursor: 0 });
		},

		run(now = emu.clock.now()) {
			if (emu.stopped || running) return;
			running = true;
			try {
				if (dispatchDue(now)) emu.persister.schedule();
				settle(now);
				callbacks.sendDue(now);
			} finally {
				running = false;
			}
			scheduler.arm();
		},

		/** Earliest time something is due (Infinity when nothing is). */
		nextDue() {
			let next = callbacks.nextDue();
			for (const st of state.schedTasks.values()) {
				if (st.status === 'pending') next = Math.min(next, st.schedAtMs);
				else if (st.status === 'dispatching') next = Math.min(next, st.settlesAt);
			}
			if (emu.config.callbackUrl)
				for (const entry of settling) next = Math.min(next, entryDue(entry));
			return next;
		},

		/** With the real clock, a timer for the next thing due; the manual clock moves only by advance(). */
		arm() {
			if (emu.stopped || emu.clock.mode !== 'real') return;
			const next = scheduler.nextDue();
			if (next === Infinity) {
				if (timer) clearTimeout(timer);
				timer = null;
				timerAt = null;
				return;
			}
			const at = Math.max(next, emu.clock.now() + MIN_TIMER_MS);
			if (timer && timerAt !== null && timerAt <= at) return;
			if (timer) clearTimeout(timer);
			timerAt = at;
			timer = setTimeout(
				() => {
					timer = null;
					timerAt = null;
					scheduler.run();
				},
				Math.min(at - emu.clock.now(), 2 ** 31 - 1),
			);
			timer.unref();
		},

		/**
		 * After a restore: deliveries that settle later are reported when they do; those that settled
		 * while the emulator was down are not (callbacks are not persisted).
		 */
		rebuild() {
			settling = [];
			const now = emu.clock.now();
			for (const task of state.tasks.values()) {
				if (task.family !== 'timpush') continue;
				const entry = { task, cursor: 0 };
				const ds = task.deliveries;
				while (
					entry.cursor < ds.length &&
					!(
						ds[entry.cursor].channel !== null &&
						ds[entry.cursor].deliveredAt !== null &&
						ds[entry.cursor].deliveredAt > now
					)
				) {
					entry.cursor += 1;
				}
				if (entry.cursor < ds.length) settling.push(entry);
			}
		},

		reset() {
			settling = [];
			callbacks.reset();
			if (timer) clearTimeout(timer);
			timer = null;
			timerAt = null;
		},

		stop() {
			if (timer) clearTimeout(timer);
			timer = null;
			callbacks.stop();
		},
	};
	return scheduler;
}

module.exports = { createScheduler };
