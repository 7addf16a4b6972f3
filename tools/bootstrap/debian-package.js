// Installs a Debian package whose binaries are missing, and stops and disables the system service it
// brings: Chronicle runs such programs itself, with its own configuration, so nothing the bootstrap
// installs keeps running after CI. Plain Node, for the ensure-*.js scripts; apt-get as root or
// through sudo.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { delimiter, join } = require('node:path');

/** On PATH, or in the sbin folders Debian installs daemons to (a user's PATH may leave them out). */
const findBinary = (name) =>
  [...(process.env.PATH || '').split(delimiter), '/usr/sbin', '/sbin']
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));

const asRoot = (command, args) => {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return spawnSync(root ? command : 'sudo', root ? args : ['-n', command, ...args], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status;
};

/**
 * @param {{ pkg: string, binaries: string[], service?: string, purpose: string }} spec
 *   `service` is the package's own system service, stopped and disabled after the install.
 * @returns {number} the exit status for the calling script
 */
function ensureDebianPackage({ pkg, binaries, service, purpose }) {
  if (binaries.every(findBinary)) return 0;
  const command = `apt-get install -y --no-install-recommends ${pkg}`;
  console.log(`[bootstrap] installing ${pkg} ${purpose} (${command})…`);
  const began = Date.now();
  const install = () => asRoot('apt-get', ['install', '-y', '--no-install-recommends', pkg]);
  // A fresh machine may have no package lists yet: update once if the first try fails.
  if (install() !== 0 && (asRoot('apt-get', ['update']) !== 0 || install() !== 0)) {
    console.error(`[bootstrap] could not install ${pkg}: run \`${command}\` as root`);
    return 1;
  }
  if (service) stopService(service);
  const missing = binaries.filter((name) => !findBinary(name));
  if (missing.length > 0) {
    console.error(`[bootstrap] the ${pkg} package is installed but ${missing.join(' and ')} is not found`);
    return 1;
  }
  const stopped = service ? ` (its system service ${service} stopped and disabled)` : '';
  console.log(`[bootstrap] ${pkg} installed in ${((Date.now() - began) / 1000).toFixed(1)} s${stopped}`);
  return 0;
}

/** Debian starts a package's service unless a policy-rc.d forbids it; either way it is left stopped. */
function stopService(service) {
  if (existsSync('/run/systemd/system')) {
    asRoot('systemctl', ['disable', '--now', '--quiet', `${service}.service`]);
  } else if (existsSync(`/etc/init.d/${service}`)) {
    // Stops only the service's own daemon (its pid file), never one Chronicle started.
    asRoot(`/etc/init.d/${service}`, ['stop']);
    asRoot('update-rc.d', [service, 'disable']);
  }
}

module.exports = { ensureDebianPackage };
