import { TOPICS } from '@chronicle/contracts';
import { parseBrokers } from '@chronicle/kafka';
import { configValue, integerEnv, type Env, postgresUrlEnv, pseudonymSecretEnv } from '@chronicle/service';

export interface IngestWorkerConfig {
  brokers: string[];
  databaseUrl: string;
  /** The analytics pseudonyms' key: the worker keeps the table that resolves them (`pseudonyms`). */
  pseudonymSecret: string;
  /** Instances with the same group share the events topic's partitions. */
  groupId: string;
  topics: { events: string; dlq: string; erasure: string; erasureStatus: string };
  /** Events older than this are dropped at ingest and their partitions dropped by retention. */
  retentionDays: number;
  /** Events timed further ahead than this are refused (a producer's clock is wrong). */
  maxFutureMs: number;
  /** How often retention runs and the coming days' partitions are made. */
  maintenanceIntervalMs: number;
  /** Port of /metrics and /health; 0 picks a free one. */
  opsPort: number;
  /** The ops endpoint's address: 127.0.0.1 unless OPS_HOST says otherwise (0.0.0.0 for a scraper elsewhere). */
  opsHost: string;
  /**
   * A partition that does not move this long (its batch uncommitted, or records waiting and none
   * fetched) makes the worker not ready, and is logged.
   */
  stallAfterMs: number;
  /** How often the consumers ask the broker for their partitions' lag. */
  lagPollIntervalMs: number;
  /** Partitions written at once: >1 overlaps decoding one batch with writing another. */
  partitionsConcurrency: number;
  /** kafkajs fetches up to this many bytes per partition: the upper bound of a batch. */
  maxBatchBytes: number;
  dbPoolSize: number;
}

/** The worker's configuration from the environment; a bad or missing value fails naming the variable. */
export function loadIngestWorkerConfig(env: Env): IngestWorkerConfig {
  const databaseUrl = postgresUrlEnv(env, 'DATABASE_URL');
  const pseudonymSecret = pseudonymSecretEnv(env);
  const brokers = configValue(() => parseBrokers(env['KAFKA_BROKERS']));
  return {
    brokers,
    databaseUrl,
    pseudonymSecret,
    groupId: env['INGEST_GROUP_ID'] || 'chronicle-ingest',
    topics: {
      events: env['EVENTS_TOPIC'] || TOPICS.events,
      dlq: env['DLQ_TOPIC'] || TOPICS.dlq,
      erasure: env['ERASURE_TOPIC'] || TOPICS.erasure,
      erasureStatus: env['ERASURE_STATUS_TOPIC'] || TOPICS.erasureStatus,
    },
    retentionDays: integerEnv(env, 'RETENTION_DAYS', 90, 1, 3_650),
    maxFutureMs: integerEnv(env, 'MAX_FUTURE_SKEW_MS', 86_400_000, 0, 7 * 86_400_000),
    maintenanceIntervalMs: integerEnv(env, 'MAINTENANCE_INTERVAL_MS', 3_600_000, 1_000, 86_400_000),
    opsPort: integerEnv(env, 'INGEST_OPS_PORT', 9101, 0, 65_535),
    opsHost: env['OPS_HOST'] || '127.0.0.1',
    stallAfterMs: integerEnv(env, 'PARTITION_STALL_AFTER_MS', 60_000, 1_000, 86_400_000),
    lagPollIntervalMs: integerEnv(env, 'LAG_POLL_INTERVAL_MS', 5_000, 100, 300_000),
    partitionsConcurrency: integerEnv(env, 'INGEST_PARTITIONS_CONCURRENCY', 2, 1, 64),
    maxBatchBytes: integerEnv(env, 'INGEST_MAX_BATCH_BYTES', 4 * 1024 * 1024, 64 * 1024, 256 * 1024 * 1024),
    dbPoolSize: integerEnv(env, 'INGEST_DB_POOL_SIZE', 6, 2, 100),
  };
}
