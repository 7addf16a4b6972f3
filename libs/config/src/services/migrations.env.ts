import { CLICKHOUSE_ENV, databaseUrl } from '../connections.env';
import { optionalText } from '../env-schema';
import { RETENTION_DAYS } from '../policy.env';

/** libs/events-store/src/migrate.main.ts: the Postgres events store, as the database owner. */
export const EVENTS_STORE_MIGRATION_ENV = {
  databaseUrl: databaseUrl(
    'Postgres, as the owner of the database (the migrations create tables and roles).',
  ),
};

/** libs/analytics/src/migrate.main.ts: the ClickHouse analytics schema. */
export const ANALYTICS_MIGRATION_ENV = {
  ...CLICKHOUSE_ENV,
  retentionDays: RETENTION_DAYS,
  cluster: optionalText('CLICKHOUSE_CLUSTER', {
    format: 'cluster name',
    description:
      'Create the schema ON CLUSTER with Replicated tables (docs/clickhouse-cluster.md); unset: one server.',
    check: (value) =>
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) ? undefined : 'must be letters, digits and underscores',
  }),
};
