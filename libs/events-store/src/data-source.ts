import { DataSource } from 'typeorm';
import { ActivityErasureEntity } from './entities/activity-erasure.entity';
import { ActivityEventEntity } from './entities/activity-event.entity';
import { CreateActivityStore1763769600000 } from './migrations/1763769600000-create-activity-store';
import { ServiceRoles1765000000000 } from './migrations/1765000000000-service-roles';
import { CreatePseudonyms1765100000000 } from './migrations/1765100000000-create-pseudonyms';

export interface EventsDataSourceOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Shown in pg_stat_activity, so a DBA can tell the services apart. */
  applicationName?: string;
  /** Postgres cancels a statement that runs longer (statement_timeout); unset: no limit. */
  statementTimeoutMs?: number;
  /** Postgres ends a session idle inside a transaction for longer (idle_in_transaction_session_timeout). */
  idleInTransactionTimeoutMs?: number;
}

/** The migrations in the order they apply; listed, not globbed, so that bundling cannot lose one. */
export const EVENTS_STORE_MIGRATIONS = [
  CreateActivityStore1763769600000,
  ServiceRoles1765000000000,
  CreatePseudonyms1765100000000,
];

/**
 * The one DataSource of the events database, shared by the services and the migration command.
 * `synchronize` is off for good: the partitioned table is beyond what TypeORM can derive.
 */
export function createEventsDataSource(options: EventsDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: [ActivityEventEntity, ActivityErasureEntity],
    migrations: EVENTS_STORE_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: options.applicationName ?? 'chronicle',
    poolSize: options.poolSize ?? 10,
    // A Postgres that went away must not leave a request hanging for ever.
    connectTimeoutMS: 5_000,
    // Sent as settings when each connection starts, so they hold for every statement on it.
    extra: {
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      ...(options.idleInTransactionTimeoutMs
        ? { idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs }
        : {}),
    },
  });
}
