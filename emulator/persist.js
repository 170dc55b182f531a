'use strict';

const fs = require('node:fs');
const path = require('node:path');

/**
 * Optional JSON persistence so a demo survives a restart. Writes are debounced (never on the
 * request path) and atomic: a temp file in the same directory, then rename.
 */
function createPersister(emu, filePath) {
	if (!filePath)
		return { enabled: false, schedule() {}, flush() {}, load: () => null, cancel() {} };
	const target = path.resolve(filePath);
	let timer = null;

	const persister = {
		enabled: true,
		path: target,
		schedule() {
			if (timer) return;
			timer = setTimeout(() => {
				timer = null;
				try {
					persister.flush();
				} catch (err) {
					process.stderr.write(
						`[tencent-push-emulator] could not persist state to ${target}: ${err.message}\n`,
					);
				}
			}, emu.config.persistDebounceMs);
			timer.unref();
		},
		flush() {
			persister.cancel();
			const snapshot = {
				...emu.state.toJSON(),
				clockNow: emu.clock.now(),
				savedAt: new Date().toISOString(),
			};
			fs.mkdirSync(path.dirname(target), { recursive: true });
			const tmp = `${target}.${process.pid}.tmp`;
			fs.writeFileSync(tmp, JSON.stringify(snapshot));
			fs.renameSync(tmp, target);
		},
		cancel() {
			if (timer) clearTimeout(timer);
			timer = null;
		},
		load() {
			if (!fs.existsSync(target)) return null;
			return JSON.parse(fs.readFileSync(target, 'utf8'));
		},
	};
	return persister;
}

module.exports = { createPersister };
