'use strict';

/**
 * All time logic reads this clock so that tests can move time instead of sleeping.
 * 'real' follows the wall clock plus whatever advance() added (what the CLI/demo uses);
 * 'manual' stands still until advance() is called, which makes interval tests immune to a
 * slow machine.
 */
function createClock(spec) {
  const opts = typeof spec === 'string' ? { mode: spec } : spec || {};
  const mode = opts.mode || 'real';
  if (mode !== 'real' && mode !== 'manual') throw new TypeError(`unknown clock mode: ${mode}`);

  let offset = 0;
  let manualNow = Number.isFinite(opts.start) ? opts.start : Date.now();

  const checkStep = (ms) => {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('clock.advance(ms) needs a finite ms >= 0');
  };

  if (mode === 'manual') {
    return {
      mode,
      now: () => manualNow,
      advance(ms) {
        checkStep(ms);
        manualNow += ms;
        return manualNow;
      },
    };
  }
  return {
    mode,
    now: () => Date.now() + offset,
    advance(ms) {
      checkStep(ms);
      offset += ms;
      return Date.now() + offset;
    },
  };
}

module.exports = { createClock };
