import { createActorPseudonymizer, migrateClickHouse, ErasureLog } from '@chronicle/analytics';
import { getDefaultActivityCatalog, type ActivityCatalog } from '@chronicle/contracts';
import {
  BatchConsumer,
  createKafkaClient,
  KafkaProbe,
  logRetries,
  logStalls,
  RecordPublisher,
  retryWithBackoff,
} from '@chronicle/kafka';
import {
  checkDependency,
  createLogger,
  createMetricsRegistry,
  errorMessage,
  metricTotal,
  startOpsServer,
  startProgressLog,
  type HealthReport,
  type Logger,
} from '@chronicle/observability';
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
}

export interface AnalyticsWorker {
  readonly opsUrl: string;
  readonly metrics: AnalyticsWorkerMetrics;
  health(): Promise<HealthReport>;
  stop(): Promise<void>;
}

/**
 * Wires the analytics worker: ClickHouse migrations (applied at start-up, waiting for the engine if
 * it is not up yet), the events consumer (Kafka → ClickHouse), the erasure consumer, and the ops
 * endpoint, which comes up first so that /health says "not ready" meanwhile.
 */
export async function startAnalyticsWorker(
  config: AnalyticsWorkerConfig,
  options: AnalyticsWorkerOptions = {},
): Promise<AnalyticsWorker> {
  const logger = options.logger ?? createLogger('analytics-worker');
  const registry =
    options.registry ?? createMetricsRegistry({ defaultLabels: { service: 'analytics-worker' } });
  const metrics = new AnalyticsWorkerMetrics(registry);
  const catalog = options.catalog ?? getDefaultActivityCatalog();
  const pseudonymize = createActorPseudonymizer(config.pseudonymSecret);
  // The client's own logging is off: failures surface as errors the worker logs (without the URL's credentials).
  const client = createClient({
    url: config.clickhouseUrl,
    log: { level: ClickHouseLogLevel.OFF },
    request_timeout: 60_000,
  });
  const kafka = createKafkaClient({
    brokers: config.brokers,
    clientId: 'chronicle-analytics-worker',
    log: (line) => logger.error(line),
  });
  const kafkaProbe = new KafkaProbe(kafka);
  // Read by /health before the consumers exist.
  const started: { events?: BatchConsumer; erasure?: BatchConsumer } = {};

  const health = async (): Promise<HealthReport> => {
    const [clickhouse, broker] = await Promise.all([
      checkDependency(async () => {
        const ping = await client.ping();
        if (!ping.success) throw ping.error;
      }),
      checkDependency(() => kafkaProbe.check()),
    ]);
    const { events, erasure } = started;
    return {
      // Ready means making progress: a partition stalled on a batch is not ready, whatever else is up.
      ok:
        clickhouse.ok &&
        broker.ok &&
        events !== undefined &&
        events.healthy &&
        erasure !== undefined &&
        erasure.healthy,
      details: {
        clickhouse,
        kafka: broker,
        consumer: events?.state ?? { joined: false, retrying: 0, stalled: [] },
        erasureConsumer: erasure?.state ?? { joined: false, retrying: 0, stalled: [] },
      },
    };
  };
  const ops = await startOpsServer({ port: config.opsPort, registry, health });

  await retryWithBackoff(
    () =>
      migrateClickHouse(client, {
        database: config.database,
        retentionDays: config.retentionDays,
        progress: ({ name, status, elapsedMs }) =>
          status === 'applied' && logger.info('ClickHouse migration applied', { name, elapsedMs }),
      }),
    {
      onRetry: (error, attempt, delayMs) =>
        logger.warn('ClickHouse not ready for migrations; retrying', {
          attempt,
          delayMs,
          error: errorMessage(error),
        }),
    },
  );
  const publisher = new RecordPublisher(kafka);
  await publisher.connect();
  const erasures = new ErasureLog(client, config.database);
  const ingest = new AnalyticsBatchHandler({
    client,
    database: config.database,
    catalog,
    pseudonymize,
    erasures,
    metrics,
    publisher,
    dlqTopic: config.topics.dlq,
  });
  const erase = new AnalyticsErasureHandler({
    client,
    database: config.database,
    pseudonymize,
    erasures,
    publisher,
    statusTopic: config.topics.erasureStatus,
    metrics,
    logger,
    settleMs: config.erasureSettleMs,
  });
  const onRetry = logRetries(logger.warn, 'batch not inserted; retrying, partition paused');
  const onStall = logStalls(logger.error);
  const eventsConsumer = new BatchConsumer({
    kafka,
    groupId: config.groupId,
    topic: config.topics.events,
    handleBatch: (batch) => ingest.handle(batch),
    onRetry,
    // ClickHouse wants few large inserts: the broker holds a fetch until it is big enough or old enough.
    partitionsConsumedConcurrently: config.partitionsConcurrency,
    minBytes: config.batchMinBytes,
    maxWaitTimeMs: config.batchMaxWaitMs,
    maxBytesPerPartition: config.maxBatchBytes,
    registry,
    stallAfterMs: config.stallAfterMs,
    onStall,
  });
  const erasureConsumer = new BatchConsumer({
    kafka,
    groupId: `${config.groupId}.erasure`,
    topic: config.topics.erasure,
    handleBatch: (batch) => erase.handle(batch),
    onRetry,
    registry,
    stallAfterMs: config.stallAfterMs,
    onStall,
  });
  started.events = eventsConsumer;
  started.erasure = erasureConsumer;
  await Promise.all([eventsConsumer.start(), erasureConsumer.start()]);
  const progress = startProgressLog(
    logger,
    options.progressIntervalMs ?? 10_000,
    async () => ({
      inserted: await metricTotal(metrics.rowsInserted),
      skipped: await metricTotal(metrics.skipped),
    }),
    'inserted',
  );
  logger.info('analytics worker started', {
    topic: config.topics.events,
    groupId: config.groupId,
    database: config.database,
    ops: ops.url,
  });

  return {
    opsUrl: ops.url,
    metrics,
    health,
    async stop() {
      progress.stop();
      await Promise.all([eventsConsumer.stop(), erasureConsumer.stop()]);
      await publisher.disconnect();
      await kafkaProbe.close();
      await ops.close();
      await client.close();
      await progress.report();
      logger.info('analytics worker stopped');
    },
  };
}
