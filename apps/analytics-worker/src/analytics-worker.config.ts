import { TOPICS } from '@chronicle/contracts';
import { parseBrokers } from '@chronicle/kafka';
import {
  ConfigError,
  configValue,
  integerEnv,
  type Env,
  httpUrlEnv,
  pseudonymSecretEnv,
} from '@chronicle/service';

export interface AnalyticsWorkerConfig {
  brokers: string[];
  clickhouseUrl: string;
  database: string;
  /** The HMAC key of the pseudonyms; held by the two workers only. Never logged. */
  pseudonymSecret: string;
  groupId: string;
  topics: { events: string; dlq: string; erasure: string; erasureStatus: string };
  /** The TTL of raw events and per-user rows, applied by the migrations. */
  retentionDays: number;
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
  /** A fetch waits for this many bytes or `batchMaxWaitMs`, whichever comes first. */
  /** Partitions handled at once: >1 decodes one batch while another is inserted. */
  partitionsConcurrency: number;
  batchMinBytes: number;
  batchMaxWaitMs: number;
  maxBatchBytes: number;
  /** After an erasure's delete, how long to wait for inserts already in flight before deleting again. */
  erasureSettleMs: number;
}

/** The worker's configuration from the environment; a bad or missing value fails naming the variable. */
export function loadAnalyticsWorkerConfig(env: Env): AnalyticsWorkerConfig {
  const clickhouseUrl = httpUrlEnv(env, 'CLICKHOUSE_URL');
  const pseudonymSecret = pseudonymSecretEnv(env);
  const database = env['CLICKHOUSE_DATABASE'] || 'chronicle';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database))
    throw new ConfigError('CLICKHOUSE_DATABASE must be letters, digits and underscores');
  const brokers = configValue(() => parseBrokers(env['KAFKA_BROKERS']));
  return {
    brokers,
    clickhouseUrl,
    database,
    pseudonymSecret,
    groupId: env['ANALYTICS_GROUP_ID'] || 'chronicle-analytics',
    topics: {
      events: env['EVENTS_TOPIC'] || TOPICS.events,
      dlq: env['DLQ_TOPIC'] || TOPICS.dlq,
      erasure: env['ERASURE_TOPIC'] || TOPICS.erasure,
      erasureStatus: env['ERASURE_STATUS_TOPIC'] || TOPICS.erasureStatus,
    },
    retentionDays: integerEnv(env, 'RETENTION_DAYS', 90, 1, 3_650),
    opsPort: integerEnv(env, 'ANALYTICS_OPS_PORT', 9102, 0, 65_535),
    opsHost: env['OPS_HOST'] || '127.0.0.1',
    stallAfterMs: integerEnv(env, 'PARTITION_STALL_AFTER_MS', 60_000, 1_000, 86_400_000),
    lagPollIntervalMs: integerEnv(env, 'LAG_POLL_INTERVAL_MS', 5_000, 100, 300_000),
    partitionsConcurrency: integerEnv(env, 'ANALYTICS_PARTITIONS_CONCURRENCY', 2, 1, 64),
    batchMinBytes: integerEnv(env, 'ANALYTICS_BATCH_MIN_BYTES', 1024 * 1024, 1, 64 * 1024 * 1024),
    batchMaxWaitMs: integerEnv(env, 'ANALYTICS_BATCH_MAX_WAIT_MS', 1_000, 10, 60_000),
    maxBatchBytes: integerEnv(
      env,
      'ANALYTICS_MAX_BATCH_BYTES',
      8 * 1024 * 1024,
      64 * 1024,
      256 * 1024 * 1024,
    ),
    erasureSettleMs: integerEnv(env, 'ANALYTICS_ERASURE_SETTLE_MS', 10_000, 0, 600_000),
  };
}
