// The public API of @chronicle/analytics: the ClickHouse model (migrations), the mapping of events to
// its rows, the product-analytics queries and erasure. Model and definitions: docs/analytics.md.

export { ANALYTICS_TABLES, toAnalyticsRow, toClickHouseTime } from './rows/analytics-row.mapper';
export type { AnalyticsEventRow } from './rows/analytics-row.mapper';

export {
  assertClickHouseMigrated,
  checkRetentionDays,
  MAX_ANALYTICS_RETENTION_DAYS,
  migrateClickHouse,
  MigrationError,
} from './schema/clickhouse-migrator';
export type { MigrateOptions, MigrateResult, MigrationProgress } from './schema/clickhouse-migrator';
export { MIGRATIONS_DIR } from './schema/migration-files';

export { AnalyticsQueries } from './queries/analytics.queries';
export type { AnalyticsQueriesOptions } from './queries/analytics.queries';
export { AnalyticsQueryError, checkDay, MAX_RANGE_DAYS } from './queries/query-parameters';
export { MAX_PERIODS, RETENTION_MODES } from './queries/retention.queries';
export { checkTimeZone, dayIn } from './queries/time-zone.util';
export { ENTITY_RANKS } from './queries/rankings.queries';
export type * from './queries/analytics-query.types';

export { eraseActor, PER_ACTOR_TABLES } from './erasure/erase-actor';
export type { ErasureResult } from './erasure/erase-actor';
export { ErasureLog } from './erasure/erasure-log';
export { classifyClickHouseError } from './errors/clickhouse-errors';
