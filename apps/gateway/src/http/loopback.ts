import { isIP } from 'node:net';

/**
 * Whether an address is this machine's: 127.0.0.0/8, ::1, or an IPv4 loopback mapped into IPv6
 * (`::ffff:127.0.0.1`, how a dual-stack socket reports one). `localhost` counts for a configured host.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address === 'localhost' || address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
