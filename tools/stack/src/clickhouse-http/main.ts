// The local stack's ClickHouse endpoint as a process of its own: `main.ts --data-dir D --port P`.
import { parseArgs } from 'node:util';
import { startClickHouseEndpoint } from './clickhouse-endpoint';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  if (!values['data-dir'] || !values.port)
    throw new Error('usage: main.ts --data-dir <dir> --port <port> [--host <host>]');
  const endpoint = await startClickHouseEndpoint({
    dataDir: values['data-dir'],
    port: Number(values.port),
    host: values.host,
  });
  console.log(`ClickHouse ${endpoint.version} (chdb) listening on ${endpoint.url}`);
  const shutdown = (signal: string) => {
    console.log(`${signal}: closing`);
    endpoint.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
