import { assertClickHouseMigrated, ErasureLog } from '@chronicle/analytics';
import { createPseudonymizer, getDefaultActivityCatalog, type ActivityCatalog } from '@chronicle/contracts';
import { metricTotal, type HealthReport, type Logger } from '@chronicle/observability';
import { WorkerRuntime } from '@chronicle/service';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { Registry } from 'prom-client';
import type { AnalyticsWorkerConfig } from './analytics-worker.config';
import { AnalyticsWorkerMetrics } from './analytics-worker.metrics';
import { AnalyticsErasureHandler } from './erasure/analytics-erasure.handler';
import { AnalyticsBatchHandler } from './ingest/analytics-batch.handler';

export interface AnalyticsWorkerOptions {
  logger?: Logger;
  registry?: Registry;
  catalog?: ActivityCatalog;
  progressIntervalMs?: number;
  /** False: one ClickHouse insert per partition batch instead of one per round of batches (benchmarks compare the two). */
  coalesceInserts?: boolean;
}

export interface AnalyticsWorker {
  readonly opsUrl: string;
  readonly metrics: AnalyticsWorkerMetrics;
  health(): Promise<HealthReport>;
  stop(): Promise<void>;
}

/**
 * Wires the analytics worker on the shared WorkerRuntime: the events consumer (Kafka → ClickHouse,
 * DLQ for rows ClickHouse refuses) and the erasure consumer. It waits for ClickHouse if it is not up
 * yet, and refuses to start on a database with pending migrations (`npm run migrate:analytics`
 * applies them): services never migrate, so two instances cannot race on the schema.
 */
export async function startAnalyticsWorker(
  config: AnalyticsWorkerConfig,
  options: AnalyticsWorkerOptions = {},
): Promise<AnalyticsWorker> {
  // The client's own logging is off: failures surface as errors the worker logs (without the URL's credentials).
  const client = createClient({
    url: config.clickhouseUrl,
    ...config.clickhouseAuth,
    log: { level: ClickHouseLogLevel.OFF },
    request_timeout: 60_000,
  });
  const ping = async () => {
    const result = await client.ping();
    if (!result.success) throw result.error;
  };
  const runtime = await WorkerRuntime.create({
    name: 'analytics-worker',
    brokers: config.brokers,
    kafkaSecurity: config.kafkaSecurity,
    opsPort: config.opsPort,
    opsHost: config.opsHost,
    stallAfterMs: config.stallAfterMs,
    lagPollIntervalMs: config.lagPollIntervalMs,
    store: { name: 'clickhouse', check: ping },
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
  });
  runtime.onStop('clickhouse', () => client.close());
  const { logger } = runtime;
  const catalog = options.catalog ?? getDefaultActivityCatalog();
  const metrics = new AnalyticsWorkerMetrics(runtime.registry, catalog.types);
  const pseudonymize = createPseudonymizer(config.pseudonymSecret);
  try {
    await runtime.waitFor('ClickHouse', ping);
    await assertClickHouseMigrated(client, { database: config.database });
    const erasures = new ErasureLog(client, config.database);
    const ingest = new AnalyticsBatchHandler({
      client,
      database: config.database,
      catalog,
      pseudonymize,
      erasures,
      metrics,
      publisher: runtime.publisher,
      dlqTopic: config.topics.dlq,
      ...(options.coalesceInserts === false ? { coalesceInserts: false } : {}),
    });
    const erase = new AnalyticsErasureHandler({
      client,
      database: config.database,
      pseudonymize,
      erasures,
      publisher: runtime.publisher,
      statusTopic: config.topics.erasureStatus,
      metrics,
      logger,
      settleMs: config.erasureSettleMs,
    });
    runtime.consume({
      groupId: config.groupId,
      topic: config.topics.events,
      handleBatch: (batch) => ingest.handle(batch),
      retryMessage: 'batch not inserted; retrying, partition paused',
      // ClickHouse wants few large inserts: the broker holds a fetch until it is big enough or old enough.
      partitionsConsumedConcurrently: config.partitionsConcurrency,
      minBytes: config.batchMinBytes,
      maxWaitTimeMs: config.batchMaxWaitMs,
      maxBytesPerPartition: config.maxBatchBytes,
    });
    runtime.consume({
      groupId: `${config.groupId}.erasure`,
      topic: config.topics.erasure,
      handleBatch: (batch) => erase.handle(batch),
      retryMessage: 'batch not inserted; retrying, partition paused',
    });
    await runtime.startConsuming({
      intervalMs: options.progressIntervalMs ?? 10_000,
      read: async () => ({
        inserted: await metricTotal(metrics.rowsInserted),
        skipped: await metricTotal(metrics.skipped),
        deadLettered: await metricTotal(metrics.deadLettered),
      }),
      rateOf: 'inserted',
    });
    logger.info('analytics worker started', {
      topic: config.topics.events,
      groupId: config.groupId,
      database: config.database,
      ops: runtime.opsUrl,
    });
    return {
      opsUrl: runtime.opsUrl,
      metrics,
      health: () => runtime.health(),
      stop: () => runtime.stop(),
    };
  } catch (error) {
    // Whatever was started is stopped again, so that a failed start leaves nothing running.
    await runtime.stop().catch(() => undefined);
    throw error;
  }
}
