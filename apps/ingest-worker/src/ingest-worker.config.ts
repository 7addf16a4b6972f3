import { INGEST_WORKER_ENV, kafkaConnection, readEnv, type Env } from '@chronicle/config';
import type { KafkaSecurity } from '@chronicle/kafka';

export interface IngestWorkerConfig {
  brokers: string[];
  /** TLS and SASL to the brokers; absent: PLAINTEXT. */
  kafkaSecurity?: KafkaSecurity;
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
  /**
   * A fetch waits for this many bytes or `batchMaxWaitMs`, whichever comes first. Not read from the
   * environment yet: absent, 1 MiB and 500 ms (DEFAULT_FETCH_* of ingest-worker.ts); benchmarks set
   * other values to compare.
   */
  batchMinBytes?: number;
  batchMaxWaitMs?: number;
}

/** The worker's configuration from the environment (libs/config's INGEST_WORKER_ENV); a bad value fails naming the variable. */
export function loadIngestWorkerConfig(env: Env): IngestWorkerConfig {
  const values = readEnv(INGEST_WORKER_ENV, env);
  const kafka = kafkaConnection(values);
  return {
    brokers: kafka.brokers,
    ...(kafka.security ? { kafkaSecurity: kafka.security } : {}),
    databaseUrl: values.databaseUrl,
    pseudonymSecret: values.pseudonymSecret,
    groupId: values.groupId,
    topics: {
      events: values.eventsTopic,
      dlq: values.dlqTopic,
      erasure: values.erasureTopic,
      erasureStatus: values.erasureStatusTopic,
    },
    retentionDays: values.retentionDays,
    maxFutureMs: values.maxFutureMs,
    maintenanceIntervalMs: values.maintenanceIntervalMs,
    opsPort: values.opsPort,
    opsHost: values.opsHost,
    stallAfterMs: values.stallAfterMs,
    lagPollIntervalMs: values.lagPollIntervalMs,
    partitionsConcurrency: values.partitionsConcurrency,
    maxBatchBytes: values.maxBatchBytes,
    dbPoolSize: values.dbPoolSize,
  };
}
