'use strict';

const { createRng } = require('./util');

/**
 * Fault injection per endpoint key ('timpush/push', 'all_member_push/im_add_tag') or '*'.
 * A rule is a scripted sequence (consumed one entry per request; 'ok' when exhausted) or a
 * probability with a list of kinds drawn from a seeded PRNG, so runs are reproducible.
 *
 * Kinds: before processing (request NOT processed): '502', 'reset', '91000', '60007', '90024'.
 *        after processing (request processed, response lost/late): '502-after', 'reset-after',
 *        'delay:<ms>'. 'ok' = no fault.
 */
const ENVELOPE_KINDS = ['91000', '60007', '90024'];
const FIXED_KINDS = ['ok', '502', '502-after', 'reset', 'reset-after', ...ENVELOPE_KINDS];

function normalizeKind(kind) {
	const k = String(kind);
	if (FIXED_KINDS.includes(k)) return k;
	const m = /^delay:(\d+)$/.exec(k);
	if (m) return `delay:${Number(m[1])}`;
	throw new TypeError(
		`unknown fault kind: ${k} (expected ${FIXED_KINDS.join(', ')} or delay:<ms>)`,
	);
}

/** Faults are counted under `kind` ('delay:1500' is counted as 'delay'). */
function describe(kind) {
	if (kind.startsWith('delay:'))
		return { kind: 'delay', ms: Number(kind.slice(6)), processed: true };
	if (ENVELOPE_KINDS.includes(kind)) return { kind, code: Number(kind), processed: false };
	return { kind, processed: kind.endsWith('-after') };
}

class Faults {
	/** @param {{ isKnownEndpoint(key: string): boolean, seed(): number }} deps */
	constructor({ isKnownEndpoint, seed }) {
		this.rules = new Map();
		this.isKnownEndpoint = isKnownEndpoint;
		this.seed = seed;
	}

	/**
	 * set(endpoint, { sequence: [...] }) or set(endpoint, { probability, kinds, seed? }).
	 * Replaces any rule for that endpoint.
	 */
	set(endpoint, spec) {
		if (endpoint !== '*' && !this.isKnownEndpoint(endpoint))
			throw new TypeError(`unknown endpoint for faults: ${endpoint}`);
		if (!spec || typeof spec !== 'object') throw new TypeError('fault spec must be an object');
		if (Array.isArray(spec.sequence)) {
			this.rules.set(endpoint, { sequence: spec.sequence.map(normalizeKind) });
		} else if (typeof spec.probability === 'number') {
			if (!(spec.probability >= 0 && spec.probability <= 1))
				throw new RangeError('fault probability must be within 0..1');
			const kinds = (spec.kinds || ['502']).map(normalizeKind);
			if (kinds.length === 0) throw new TypeError('fault kinds must not be empty');
			const seed = Number.isInteger(spec.seed) ? spec.seed : this.seed();
			this.rules.set(endpoint, { probability: spec.probability, kinds, rng: createRng(seed) });
		} else {
			throw new TypeError('fault spec needs a sequence array or a probability');
		}
		return this;
	}

	clear(endpoint) {
		if (endpoint === undefined) this.rules.clear();
		else this.rules.delete(endpoint);
		return this;
	}

	/** Decides the fault for one request; returns a descriptor or null for 'ok'. */
	pick(endpointKey) {
		const rule = this.rules.get(endpointKey) || this.rules.get('*');
		if (!rule) return null;
		let kind = 'ok';
		if (rule.sequence) {
			if (rule.sequence.length > 0) kind = rule.sequence.shift();
		} else if (rule.rng() < rule.probability) {
			kind = rule.kinds[Math.floor(rule.rng() * rule.kinds.length)];
		}
		return kind === 'ok' ? null : describe(kind);
	}

	list() {
		const out = {};
		for (const [endpoint, rule] of this.rules) {
			out[endpoint] = rule.sequence
				? { sequence: [...rule.sequence] }
				: { probability: rule.probability, kinds: [...rule.kinds] };
		}
		return out;
	}
}

module.exports = { Faults, normalizeKind, FIXED_KINDS };
