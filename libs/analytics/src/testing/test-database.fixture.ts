import { randomBytes } from 'node:crypto';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { migrateClickHouse, type MigrateOptions } from '../schema/clickhouse-migrator';

/** A database of a test's own on the shared ClickHouse endpoint, dropped by `drop()`. */
export interface TestDatabase {
  client: ClickHouseClient;
  database: string;
  /** Drops the database and closes the client. */
  drop(): Promise<void>;
}

/**
 * Creates `analytics_test_<random>` and, unless `migrate` is false, applies the migrations to it. The
 * endpoint is shared by every test of the workspace, so each test keeps to a database of its own.
 */
export async function createTestDatabase(
  clickhouseUrl: string,
  options: { migrate?: boolean } & Omit<Partial<MigrateOptions>, 'database'> = {},
): Promise<TestDatabase> {
  const database = `analytics_test_${randomBytes(6).toString('hex')}`;
  // The client's own error log stays quiet: tests expect some errors, and report the unexpected ones.
  const client = createClient({ url: clickhouseUrl, log: { level: ClickHouseLogLevel.OFF } });
  if (options.migrate === false) await client.command({ query: `CREATE DATABASE \`${database}\`` });
  else await migrateClickHouse(client, { ...options, database });
  return {
    client,
    database,
    async drop() {
      try {
        await client.command({ query: `DROP DATABASE IF EXISTS \`${database}\` SYNC` });
      } finally {
        await client.close();
      }
    },
  };
}
