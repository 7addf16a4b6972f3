#!/usr/bin/env node
// Installs Debian's `prometheus` package when `prometheus` or `promtool` is missing: `npm start` runs
// Prometheus beside the services, and the tests check the alert rules with promtool
// (deploy/prometheus). The package's own service, which would listen on :9090, is stopped and
// disabled: Chronicle runs Prometheus itself, with its own configuration. `--no-install-recommends`
// leaves out the node exporter the package recommends.
'use strict';
const { ensureDebianPackage } = require('./debian-package');
const { helpRequested } = require('./help-requested');

// Asking a command for its usage installs nothing.
if (helpRequested()) process.exit(0);

process.exit(
  ensureDebianPackage({
    pkg: 'prometheus',
    binaries: ['prometheus', 'promtool'],
    service: 'prometheus',
    purpose: 'and promtool, for npm start and the alert rules’ tests',
  }),
);
