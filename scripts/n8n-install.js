#!/usr/bin/env node
'use strict';
// `npm run n8n:install [version ...]`: installs real n8n releases into the cache outside the tree
// (default: every supported version). The installer is the end-to-end harness's, in test/e2e/harness/.
require('../test/e2e/harness/n8n-install').cli(process.argv.slice(2));
