// `nx run analytics:migrate`: applies the ClickHouse migrations; `--print` shows their DDL instead,
// without connecting. The environment it reads is in migrateConfigFromEnv, below.
import { createClient } from '@clickhouse/client';
import {
  ANALYTICS_MIGRATION_ENV,
  clickhouseConnection,
  readEnv,
  type ClickHouseConnectionSettings,
} from '@chronicle/config';
import { migrateClickHouse, renderMigrations } from './schema/clickhouse-migrator';
import { schemaScript } from './schema/schema-ddl';

interface MigrateConfig {
  /** Needed to migrate, not to print. */
  connection: ClickHouseConnectionSettings | undefined;
  database: string;
  retentionDays: number;
  cluster: string | undefined;
}

/** Everything the command takes from the environment (libs/config's ANALYTICS_MIGRATION_ENV). */
function migrateConfigFromEnv(env: NodeJS.ProcessEnv, print: boolean): MigrateConfig {
  const { clickhouseUrl: _server, ...withoutServer } = ANALYTICS_MIGRATION_ENV;
  const values = readEnv(withoutServer, env);
  return {
    connection: print ? undefined : clickhouseConnection(readEnv(ANALYTICS_MIGRATION_ENV, env)),
    database: values.clickhouseDatabase,
    retentionDays: values.retentionDays,
    cluster: values.cluster,
  };
}

const HELP = `Usage: tsx libs/analytics/src/migrate.main.ts [--print | --help]   (nx run analytics:migrate)

Applies the ClickHouse migrations of @chronicle/analytics not yet applied, recording them in
<database>.schema_migrations.

  --print     print the DDL of every migration for the settings below, without connecting
  --help      this text

Environment (docs/configuration.md):
${Object.values(ANALYTICS_MIGRATION_ENV)
  .map(
    (spec) =>
      `  ${spec.name.padEnd(22)} ${spec.description}${spec.defaultText ? ` (default ${spec.defaultText})` : ''}`,
  )
  .join('\n')}
`;

async function main(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const unknown = args.filter((arg) => arg !== '--print');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')} (see --help)`);
  const print = args.includes('--print');
  const config = migrateConfigFromEnv(process.env, print);
  const options = {
    database: config.database,
    retentionDays: config.retentionDays,
    ...(config.cluster === undefined ? {} : { cluster: config.cluster }),
  };
  if (print) {
    const { schema, ...parameters } = renderMigrations(options);
    process.stdout.write(schemaScript(schema, parameters));
    return;
  }
  if (config.connection === undefined) return;
  // The client starts outside the database: the first migration creates it.
  const { database: _created, ...server } = config.connection;
  const client = createClient(server);
  try {
    console.log(
      `Migrating ClickHouse database ${config.database} at ${new URL(server.url).host} (retention ${config.retentionDays} days${config.cluster === undefined ? '' : `, ON CLUSTER ${config.cluster}`})`,
    );
    const result = await migrateClickHouse(client, {
      ...options,
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

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
