#!/usr/bin/env node
// Installs Debian's `pgbouncer` package when `pgbouncer` is missing: the tests run Chronicle behind a
// PgBouncer in transaction pooling mode, as production often does (tools/stack/src/test-pgbouncer.ts
// starts one per test, on a port of its own). The package's own service, which would listen on
// :6432, is stopped and disabled: the project neither needs nor uses it.
'use strict';
const { ensureDebianPackage } = require('./debian-package');
const { helpRequested } = require('./help-requested');

// Asking a command for its usage installs nothing.
if (helpRequested()) process.exit(0);

process.exit(
  ensureDebianPackage({
    pkg: 'pgbouncer',
    binaries: ['pgbouncer'],
    service: 'pgbouncer',
    purpose: 'for the tests behind a connection pooler',
  }),
);
