#!/usr/bin/env node
'use strict';
// `npm run n8n:run -- --workflow <file.json> [--emulator-url URL] [--n8n VERSION] [--no-build]`:
// runs one workflow in a real n8n with this package installed. The runner is the end-to-end
// harness's, in test/e2e/harness/.
const { cli, redact } = require('../test/e2e/harness/n8n-run');

cli().catch((err) => {
	console.error(redact(err.stack || err.message));
	process.exit(1);
});
