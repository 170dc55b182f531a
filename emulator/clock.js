'use strict';

/**
 * All time logic reads this clock so that tests can move time instead of sleeping.
 * 'real' follows the wall clock plus whatever advance() added (what the CLI/demo uses);
 * 'manual' stands still until advance() is called, which makes interval tests immune to a
 * slow machine. Listeners registered with onAdvance() run after each advance() (the emulator
 * uses this to dispatch scheduled tasks and settle deliveries that fell due).
 */
function createClock(spec) {
	const opts = typeof spec === 'string' ? { mode: spec } : spec || {};
	const mode = opts.mode || 'real';
	if (mode !== 'real' && mode !== 'manual') throw new TypeError(`unknown clock mode: ${mode}`);

	let offset = 0;
	let manualNow = Number.isFinite(opts.start) ? opts.start : Date.now();
	const listeners = new Set();

	const checkStep = (ms) => {
		if (!Number.isFinite(ms) || ms < 0)
			throw new RangeError('clock.advance(ms) needs a finite ms >= 0');
	};
	const notify = (now) => {
		for (const fn of listeners) {
			try {
				fn(now);
			} catch (err) {
				process.stderr.write(
					`[tencent-push-emulator] clock listener failed: ${err && err.stack}\n`,
				);
			}
		}
		return now;
	};
	const onAdvance = (fn) => {
		listeners.add(fn);
		return () => listeners.delete(fn);
	};

	if (mode === 'manual') {
		return {
			mode,
			now: () => manualNow,
			advance(ms) {
				checkStep(ms);
				manualNow += ms;
				return notify(manualNow);
			},
			onAdvance,
		};
	}
	return {
		mode,
		now: () => Date.now() + offset,
		advance(ms) {
			checkStep(ms);
			offset += ms;
			notify(Date.now() + offset);
			return Date.now() + offset;
		},
		onAdvance,
	};
}

module.exports = { createClock };
