#!/usr/bin/env node
// Installs Debian's `prometheus` package when `prometheus` or `promtool` is missing: `npm start` runs
// Prometheus beside the services, and the tests check the alert rules with promtool
// (deploy/prometheus). Plain Node, like ensure-installed.js; apt-get as root or through sudo.
//
// The package enables a system service that listens on :9090 (Debian starts it unless a
// policy-rc.d forbids it). Chronicle runs Prometheus itself, with its own configuration, so the
// service is stopped and disabled right after the install: nothing the bootstrap installs keeps
// running after CI. `--no-install-recommends` leaves out the node exporter the package recommends.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { delimiter, join } = require('node:path');

const BINARIES = ['prometheus', 'promtool'];

const onPath = (name) =>
  (process.env.PATH || '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));

if (BINARIES.every(onPath)) process.exit(0);

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const asRoot = (command, args) =>
  spawnSync(root ? command : 'sudo', root ? args : ['-n', command, ...args], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status;
const install = () => asRoot('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus']);

console.log(
  '[bootstrap] installing Prometheus and promtool (apt-get install --no-install-recommends prometheus)…',
);
const began = Date.now();
// A fresh machine may have no package lists yet: update once if the first try fails.
if (install() !== 0 && (asRoot('apt-get', ['update']) !== 0 || install() !== 0)) {
  console.error(
    '[bootstrap] could not install prometheus: run `apt-get install --no-install-recommends prometheus` as root',
  );
  process.exit(1);
}

// The service the package just enabled (and may have started): not ours to leave running.
if (existsSync('/run/systemd/system')) {
  asRoot('systemctl', ['disable', '--now', '--quiet', 'prometheus.service']);
} else if (existsSync('/etc/init.d/prometheus')) {
  // Stops only the service's own daemon (its pid file and user), never a Prometheus run by npm start.
  asRoot('/etc/init.d/prometheus', ['stop']);
  asRoot('update-rc.d', ['prometheus', 'disable']);
}

const missing = BINARIES.filter((name) => !onPath(name));
if (missing.length > 0) {
  console.error(
    `[bootstrap] the prometheus package is installed but ${missing.join(' and ')} is not on PATH`,
  );
  process.exit(1);
}
console.log(
  `[bootstrap] Prometheus installed in ${((Date.now() - began) / 1000).toFixed(1)} s (its system service stopped and disabled)`,
);
