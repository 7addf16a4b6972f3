// `nx run analytics:migrate`: applies the ClickHouse migrations. Reads CLICKHOUSE_URL (credentials may
// sit in the URL), CLICKHOUSE_DATABASE (default `chronicle`) and ANALYTICS_RETENTION_DAYS (default 90).
import { createClient } from '@clickhouse/client';
import { DEFAULT_RETENTION_DAYS } from '@chronicle/contracts';
import { migrateClickHouse } from './schema/clickhouse-migrator';

async function main(): Promise<void> {
  const url = process.env['CLICKHOUSE_URL'];
  if (!url) throw new Error('CLICKHOUSE_URL is not set (e.g. http://127.0.0.1:18123 for the local stack)');
  const database = process.env['CLICKHOUSE_DATABASE'] || 'chronicle';
  const retentionText = process.env['ANALYTICS_RETENTION_DAYS'];
  const retentionDays = retentionText ? Number(retentionText) : DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(retentionDays))
    throw new Error(`ANALYTICS_RETENTION_DAYS must be a whole number of days, got ${retentionText}`);

  const client = createClient({ url });
  try {
    console.log(
      `Migrating ClickHouse database ${database} at ${new URL(url).host} (retention ${retentionDays} days)`,
    );
    const result = await migrateClickHouse(client, {
      database,
      retentionDays,
      progress: ({ name, status, statements, elapsedMs }) =>
        console.log(
          status === 'applied'
            ? `  applied          ${name} (${statements} statement${statements === 1 ? '' : 's'}, ${elapsedMs} ms)`
            : `  already applied  ${name}`,
        ),
    });
    console.log(
      result.applied.length === 0
        ? 'Up to date: nothing to apply.'
        : `Applied ${result.applied.length} migration${result.applied.length === 1 ? '' : 's'}.`,
    );
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
