import {
  ANALYTICS_WORKER_ENV,
  clickhouseConnection,
  kafkaConnection,
  readEnv,
  type ClickHouseConnectionSettings,
  type Env,
} from '@chronicle/config';
import type { KafkaSecurity } from '@chronicle/kafka';

export interface AnalyticsWorkerConfig {
  brokers: string[];
  /** TLS and SASL to the brokers; absent: PLAINTEXT. */
  kafkaSecurity?: KafkaSecurity;
  clickhouseUrl: string;
  database: string;
  /** User, password and private CA of ClickHouse (CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_CA_FILE). */
  clickhouseAuth?: Omit<ClickHouseConnectionSettings, 'url' | 'database'>;
  /** The HMAC key of the pseudonyms; held by the two workers only. Never logged. */
  pseudonymSecret: string;
  groupId: string;
  topics: { events: string; dlq: string; erasure: string; erasureStatus: string };
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
  /** Partitions handled at once: >1 decodes one batch while another is inserted. */
  partitionsConcurrency: number;
  /** A fetch waits for this many bytes or `batchMaxWaitMs`, whichever comes first. */
  batchMinBytes: number;
  batchMaxWaitMs: number;
  maxBatchBytes: number;
  /** After an erasure's delete, how long to wait for inserts already in flight before deleting again. */
  erasureSettleMs: number;
}

/** The worker's configuration from the environment (libs/config's ANALYTICS_WORKER_ENV); a bad value fails naming the variable. */
export function loadAnalyticsWorkerConfig(env: Env): AnalyticsWorkerConfig {
  const values = readEnv(ANALYTICS_WORKER_ENV, env);
  const kafka = kafkaConnection(values);
  const { url, database, ...clickhouseAuth } = clickhouseConnection(values);
  return {
    brokers: kafka.brokers,
    ...(kafka.security ? { kafkaSecurity: kafka.security } : {}),
    clickhouseUrl: url,
    database,
    clickhouseAuth,
    pseudonymSecret: values.pseudonymSecret,
    groupId: values.groupId,
    topics: {
      events: values.eventsTopic,
      dlq: values.dlqTopic,
      erasure: values.erasureTopic,
      erasureStatus: values.erasureStatusTopic,
    },
    opsPort: values.opsPort,
    opsHost: values.opsHost,
    stallAfterMs: values.stallAfterMs,
    lagPollIntervalMs: values.lagPollIntervalMs,
    partitionsConcurrency: values.partitionsConcurrency,
    batchMinBytes: values.batchMinBytes,
    batchMaxWaitMs: values.batchMaxWaitMs,
    maxBatchBytes: values.maxBatchBytes,
    erasureSettleMs: values.erasureSettleMs,
  };
}
