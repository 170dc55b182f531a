'use strict';

const path = require('node:path');
const { createConfig, validateOverrides, DEFAULT_CONFIG } = require('./config');
const { createClock } = require('./clock');
const { State, loadFixture } = require('./state');
const { Faults } = require('./faults');
const { RateLimiter } = require('./limits');
const { createUserSigCache, signUserSig } = require('./auth');
const { createPersister } = require('./persist');
const { createServer } = require('./server');
const { createScheduler } = require('./scheduler');
const { ENDPOINTS } = require('./endpoints');

const DEFAULT_FIXTURE = path.join(__dirname, 'fixtures', 'demo.json');

/**
 * Starts a local emulator of Tencent Cloud Chat's push REST endpoints.
 *
 * @param {object} [options]
 * @param {string} [options.host='127.0.0.1']
 * @param {number} [options.port=0] 0 picks a free port
 * @param {object|string} [options.fixture] fixture object or path (default emulator/fixtures/demo.json)
 * @param {object} [options.config] overrides of DEFAULT_CONFIG
 * @param {string} [options.persistPath] JSON file to restore from and persist to
 * @param {'real'|'manual'|{mode:string,start?:number}} [options.clock='real']
 */
async function startEmulator(options = {}) {
	const fixture = loadFixture(options.fixture === undefined ? DEFAULT_FIXTURE : options.fixture);
	const initialConfig = createConfig(options.config);
	const config = { ...initialConfig };
	const clock = createClock(options.clock);
	const state = new State();
	state.applyFixture(fixture);

	const timers = new Set();
	const emu = {
		url: null,
		port: null,
		host: options.host || '127.0.0.1',
		state,
		config,
		clock,
		fixture,
		faults: new Faults({ isKnownEndpoint: (k) => ENDPOINTS.has(k), seed: () => config.faultSeed }),
		limiter: new RateLimiter(),
		sigCache: createUserSigCache(() => config.usersigCacheSize),
		persister: null,
		/** Time-driven work: scheduled-task dispatch, delivery settling, callbacks (scheduler.js). */
		scheduler: null,
		/** Push callbacks: callbacks.list(), await callbacks.drain() (nothing in flight), callbacks.inFlight(). */
		callbacks: null,

		configure(overrides) {
			Object.assign(config, validateOverrides(overrides));
			return config;
		},

		/** Back to the fixture; counters, request log, faults and rate windows cleared. Config is kept unless { config: true }. */
		async reset(opts = {}) {
			state.applyFixture(fixture);
			state.clearCounters();
			emu.scheduler.reset();
			emu.faults.clear();
			emu.limiter.clear();
			emu.sigCache.clear();
			if (opts.config) {
				for (const k of Object.keys(config)) delete config[k];
				Object.assign(config, initialConfig);
			}
			emu.persister.schedule();
		},

		/** setTimeout that stop() cancels (used by the delay fault). */
		later(ms, fn) {
			const t = setTimeout(() => {
				timers.delete(t);
				fn();
			}, ms);
			timers.add(t);
		},

		async stop() {
			if (emu.stopped) return;
			emu.stopped = true;
			emu.scheduler.stop();
			for (const t of timers) clearTimeout(t);
			timers.clear();
			if (emu.persister.enabled) emu.persister.flush();
			await new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
		stopped: false,
	};

	emu.persister = createPersister(emu, options.persistPath);
	emu.scheduler = createScheduler(emu);
	emu.callbacks = emu.scheduler.callbacks;
	const snapshot = emu.persister.load();
	if (snapshot) {
		state.restore(snapshot, fixture);
		if (
			clock.mode === 'manual' &&
			Number.isFinite(snapshot.clockNow) &&
			snapshot.clockNow > clock.now()
		) {
			clock.advance(snapshot.clockNow - clock.now());
		}
		emu.scheduler.rebuild();
	}
	clock.onAdvance((now) => emu.scheduler.run(now));

	const server = createServer(emu);
	emu.server = server;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port === undefined ? 0 : options.port, emu.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	emu.port = /** @type {import('net').AddressInfo} */ (server.address()).port;
	emu.url = `http://${emu.host.includes(':') ? `[${emu.host}]` : emu.host}:${emu.port}`;
	emu.scheduler.run(); // scheduled tasks that fell due while a persisted emulator was down
	return emu;
}

module.exports = {
	startEmulator,
	loadFixture,
	DEFAULT_CONFIG,
	DEFAULT_FIXTURE,
	signUserSig,
	ENDPOINTS,
};
