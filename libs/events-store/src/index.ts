// @chronicle/events-store: the Postgres side of Chronicle — DataSource, entities, migrations, writes, reads.
export { createEventsDataSource, EVENTS_STORE_MIGRATIONS } from './data-source';
export type { EventsDataSourceOptions } from './data-source';
export { migrateEventsStore, assertEventsStoreMigrated } from './migrate';
export {
  SERVICE_ROLES,
  LOCAL_SERVICE_LOGINS,
  ensureLocalServiceLogins,
  localServiceDatabaseUrl,
} from './service-roles';
export type { ServiceName } from './service-roles';
export { ActivityEventEntity } from './entities/activity-event.entity';
export { ActivityErasureEntity } from './entities/activity-erasure.entity';
export type { ErasureStatus } from './entities/activity-erasure.entity';
export { toActivityEventRow, toCopyLine, ACTIVITY_EVENT_COLUMNS } from './activity-event.row';
export type { ActivityEventRow } from './activity-event.row';
export { ActivityEventWriter } from './activity-event.writer';
export type { ActivityEventWriterOptions, WriteResult } from './activity-event.writer';
export { MAX_RESOLVE_KEYS, resolvePseudonyms } from './pseudonyms';
export type { PseudonymSighting, PseudonymSubject } from './pseudonyms';
export {
  DAY_MS,
  utcDayStart,
  partitionName,
  listDailyPartitions,
  ensureDailyPartitions,
} from './daily-partitions';
export type { DailyPartition } from './daily-partitions';
export { ErasureStore, ERASURE_LOCK } from './erasure.store';
export type { ErasureOutcome } from './erasure.store';
export { applyRetention } from './retention';
export type { RetentionRun } from './retention';
export { classifyStoreError, isStatementCancelled } from './store-errors';
export { buildActivityWhere } from './queries/activity-filter';
export type {
  ActivityFilter,
  ActivityKeyset,
  ActivityParamType,
  ActivityWhere,
  ActivityWhereOptions,
} from './queries/activity-filter';
export { toActivityRecord, STORED_ACTIVITY_COLUMNS } from './queries/activity.record';
export type { ActivityRecord, StoredActivityRow } from './queries/activity.record';
export { ActivityQueries, MAX_PAGE_LIMIT } from './queries/activity.queries';
export type { ActivityPage, ActivityPageOptions } from './queries/activity.queries';
export {
  exportActivities,
  ExportStream,
  ACTIVITY_CSV_COLUMNS,
  EXPORT_FORMATS,
} from './queries/activity.export';
export type { ExportFormat } from './queries/activity.export';
