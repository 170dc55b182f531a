'use strict';

// stats and sched are further v4/timpush commands, kept apart from the push/tag/attribute ones.
const families = [
	require('./timpush'),
	require('./stats'),
	require('./sched'),
	require('./legacy'),
];

/** 'service/command' → endpoint definition (with key, service, command, family filled in). */
const ENDPOINTS = new Map();
const NOT_IMPLEMENTED = new Set();
for (const fam of families) {
	for (const [command, def] of Object.entries(fam.commands)) {
		const key = `${fam.service}/${command}`;
		ENDPOINTS.set(key, {
			...def,
			key,
			service: fam.service,
			command,
			family: fam.family,
			allowed: new Set(def.fields),
		});
	}
	for (const command of fam.notImplemented) NOT_IMPLEMENTED.add(`${fam.service}/${command}`);
}

module.exports = { ENDPOINTS, NOT_IMPLEMENTED };
