#!/usr/bin/env node
// Installs the npm packages when they are missing or older than package-lock.json, so that
// `npm start` and `npm test` work on a fresh clone with nothing typed first. Plain Node on purpose:
// it runs before any package is there. (Kafka's jars are installed by the stack when it starts.)
'use strict';
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { helpRequested } = require('./help-requested');

const root = join(__dirname, '..', '..');
const stampFile = join(root, 'node_modules', '.chronicle-lock-hash');
const lockHash = createHash('sha256')
  .update(readFileSync(join(root, 'package-lock.json')))
  .digest('hex');

if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === lockHash) process.exit(0);
// Asking a command for its usage installs nothing: the command may still answer from what is there.
if (helpRequested()) {
  console.error(
    '[bootstrap] --help: not installing the npm packages (run `npm install` if the command is missing)',
  );
  process.exit(0);
}

// `npm install --no-save` against the lockfile: it installs the locked versions and never rewrites
// package-lock.json, so a first run leaves the clone as it was (`git status` clean). The lockfile
// lists every optional per-platform package (swc, nx, unrs-resolver) that npm resolves here; add
// packages with a plain `npm install <name>`, which updates it.
console.log('[bootstrap] installing npm packages (npm install --no-save, from package-lock.json)…');
const began = Date.now();
const result = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund'], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error(`[bootstrap] npm install failed (exit ${result.status ?? result.signal})`);
  process.exit(result.status || 1);
}
writeFileSync(stampFile, `${lockHash}\n`);
console.log(`[bootstrap] npm packages installed in ${((Date.now() - began) / 1000).toFixed(1)} s`);
