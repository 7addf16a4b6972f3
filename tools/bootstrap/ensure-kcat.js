#!/usr/bin/env node
// Installs Debian's `kcat` package when `kcat` is missing: the foreign-producer test publishes with
// it, as a service written in another language or an operator at a shell would, so that records
// made by a Kafka client other than kafkajs (librdkafka) are tested. kcat has no service to stop.
'use strict';
const { ensureDebianPackage } = require('./debian-package');
const { helpRequested } = require('./help-requested');

// Asking a command for its usage installs nothing.
if (helpRequested()) process.exit(0);

process.exit(
  ensureDebianPackage({
    pkg: 'kcat',
    binaries: ['kcat'],
    purpose: 'for the test that publishes as a producer outside Node',
  }),
);
