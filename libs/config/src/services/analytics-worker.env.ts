import { CLICKHOUSE_ENV, KAFKA_ENV, TOPIC_ENV } from '../connections.env';
import { integer, text } from '../env-schema';
import { RUNTIME_ENV, WORKER_ENV } from '../runtime.env';
import { PSEUDONYM_SECRET } from '../policy.env';

/** apps/analytics-worker: Kafka → ClickHouse (docs/analytics.md). */
export const ANALYTICS_WORKER_ENV = {
  ...KAFKA_ENV,
  ...TOPIC_ENV,
  ...CLICKHOUSE_ENV,
  pseudonymSecret: PSEUDONYM_SECRET,
  groupId: text('ANALYTICS_GROUP_ID', {
    default: 'chronicle-analytics',
    description: 'Consumer group: instances of one group share the events topic’s partitions.',
  }),
  opsPort: integer('ANALYTICS_OPS_PORT', {
    default: 9102,
    min: 0,
    max: 65_535,
    description: 'Port of /metrics and /health/*; 0 picks a free one.',
  }),
  ...WORKER_ENV,
  partitionsConcurrency: integer('ANALYTICS_PARTITIONS_CONCURRENCY', {
    default: 12,
    min: 1,
    max: 64,
    description:
      "Partitions handled at once (the events topic's 12 by default): their batches go to ClickHouse as one insert, and one decodes while another is inserted.",
  }),
  batchMinBytes: integer('ANALYTICS_BATCH_MIN_BYTES', {
    default: 1024 * 1024,
    min: 1,
    max: 64 * 1024 * 1024,
    description: 'A fetch waits for this many bytes or ANALYTICS_BATCH_MAX_WAIT_MS, whichever comes first.',
  }),
  batchMaxWaitMs: integer('ANALYTICS_BATCH_MAX_WAIT_MS', {
    default: 1_000,
    min: 10,
    max: 60_000,
    description: 'The longest a fetch waits for ANALYTICS_BATCH_MIN_BYTES.',
  }),
  maxBatchBytes: integer('ANALYTICS_MAX_BATCH_BYTES', {
    default: 8 * 1024 * 1024,
    min: 64 * 1024,
    max: 256 * 1024 * 1024,
    description: 'Bytes fetched per partition at most: the upper bound of a batch.',
  }),
  erasureSettleMs: integer('ANALYTICS_ERASURE_SETTLE_MS', {
    default: 10_000,
    min: 0,
    max: 600_000,
    description:
      'After an erasure’s delete, how long to wait for inserts already in flight before deleting again.',
  }),
  ...RUNTIME_ENV,
};
