import { createServer } from 'node:net';

/**
 * A port nothing listens on now, picked by the system from its ephemeral range (32768-60999 on Linux
 * by default; the stacks' fixed ports lie below it). Another process may still take it before the
 * caller binds it.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error(`no port from ${String(address)}`)),
      );
    });
  });
}
