import { join } from 'node:path';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { spawnDaemon } from '../processes';
import { engineDir, logFile } from '../stack-config';
import type { Engine } from './engine';

/** The ClickHouse engine from the chdb npm package, behind the stack's HTTP endpoint (its own process). */
export const clickhouseEngine: Engine = {
  name: 'clickhouse',
  stopSignal: 'SIGTERM',
  stopGraceMs: 20_000,
  startTimeoutMs: 30_000,
  ports: (config) => [config.ports.clickhouse],
  url: (config) => `http://127.0.0.1:${config.ports.clickhouse}`,

  async start(config) {
    return spawnDaemon({
      command: process.execPath,
      args: [
        '--import',
        'tsx',
        join(config.repoRoot, 'tools/stack/src/clickhouse-http/main.ts'),
        '--data-dir',
        join(engineDir(config, 'clickhouse'), 'data'),
        '--port',
        String(config.ports.clickhouse),
      ],
      cwd: config.repoRoot,
      logFile: logFile(config, 'clickhouse'),
    });
  },

  async probe(url) {
    // Quiet: a refused connection is the expected answer while the engine is still starting.
    const client = createClient({ url, request_timeout: 2_000, log: { level: ClickHouseLogLevel.OFF } });
    try {
      const ping = await client.ping();
      if (!ping.success) throw ping.error;
      const result = await client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' });
      const [row] = await result.json<{ version: string }>();
      return `ClickHouse ${row?.version ?? 'unknown'}`;
    } finally {
      await client.close();
    }
  },
};
