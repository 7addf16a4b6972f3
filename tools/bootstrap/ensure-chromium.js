#!/usr/bin/env node
// Installs Debian's `chromium` package when it is missing, for the web pages' browser tests
// (playwright-core drives it; no browser is downloaded). Plain Node, like ensure-installed.js.
// CHROMIUM_PATH names another binary instead.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { helpRequested } = require('./help-requested');

// Asking a command for its usage installs nothing.
if (helpRequested()) process.exit(0);

const browser = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(browser)) process.exit(0);
if (process.env.CHROMIUM_PATH) {
  console.error(`[bootstrap] CHROMIUM_PATH=${browser} does not exist`);
  process.exit(1);
}

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const apt = (args) => {
  const command = root ? 'apt-get' : 'sudo';
  const commandArgs = root ? args : ['-n', 'apt-get', ...args];
  return spawnSync(command, commandArgs, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status;
};

console.log('[bootstrap] installing Chromium for the browser tests (apt-get install chromium)…');
const began = Date.now();
// A fresh machine may have no package lists yet: update once if the first try fails.
if (apt(['install', '-y', 'chromium']) !== 0) {
  if (apt(['update']) !== 0 || apt(['install', '-y', 'chromium']) !== 0) {
    console.error(
      '[bootstrap] could not install chromium: run `apt-get install chromium` as root, or set CHROMIUM_PATH',
    );
    process.exit(1);
  }
}
console.log(`[bootstrap] Chromium installed in ${((Date.now() - began) / 1000).toFixed(1)} s`);
