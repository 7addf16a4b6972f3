import { databaseUrl, KAFKA_ENV, TOPIC_ENV } from '../connections.env';
import { integer, text } from '../env-schema';
import { MAX_FUTURE_SKEW_MS, PSEUDONYM_SECRET, RETENTION_DAYS } from '../policy.env';
import { RUNTIME_ENV, WORKER_ENV } from '../runtime.env';

/** apps/ingest-worker: Kafka → Postgres (docs/ingest-worker.md). */
export const INGEST_WORKER_ENV = {
  ...KAFKA_ENV,
  ...TOPIC_ENV,
  databaseUrl: databaseUrl(
    'Postgres, as a login of the chronicle_ingest role (docs/ingest-worker.md, "Postgres roles").',
  ),
  pseudonymSecret: PSEUDONYM_SECRET,
  groupId: text('INGEST_GROUP_ID', {
    default: 'chronicle-ingest',
    description: 'Consumer group: instances of one group share the events topic’s partitions.',
  }),
  retentionDays: RETENTION_DAYS,
  maxFutureMs: MAX_FUTURE_SKEW_MS,
  maintenanceIntervalMs: integer('MAINTENANCE_INTERVAL_MS', {
    default: 3_600_000,
    min: 1_000,
    max: 86_400_000,
    description: 'How often retention runs and the coming days’ partitions are made.',
  }),
  opsPort: integer('INGEST_OPS_PORT', {
    default: 9101,
    min: 0,
    max: 65_535,
    description: 'Port of /metrics and /health/*; 0 picks a free one.',
  }),
  ...WORKER_ENV,
  partitionsConcurrency: integer('INGEST_PARTITIONS_CONCURRENCY', {
    default: 2,
    min: 1,
    max: 64,
    description: 'Partitions written at once: more than 1 decodes one batch while another is written.',
  }),
  maxBatchBytes: integer('INGEST_MAX_BATCH_BYTES', {
    default: 4 * 1024 * 1024,
    min: 64 * 1024,
    max: 256 * 1024 * 1024,
    description: 'Bytes fetched per partition at most: the upper bound of a batch.',
  }),
  dbPoolSize: integer('INGEST_DB_POOL_SIZE', {
    default: 6,
    min: 2,
    max: 100,
    description: 'Postgres connections of one worker.',
  }),
  ...RUNTIME_ENV,
};
