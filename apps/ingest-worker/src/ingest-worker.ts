import { getDefaultActivityCatalog, type ActivityCatalog } from '@chronicle/contracts';
import {
  ActivityEventWriter,
  assertEventsStoreMigrated,
  createEventsDataSource,
  ErasureStore,
} from '@chronicle/events-store';
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
import type { Registry } from 'prom-client';
import { ErasureRequestHandler } from './erasure/erasure-request.handler';
import { IngestBatchHandler } from './ingest/ingest-batch.handler';
import type { IngestWorkerConfig } from './ingest-worker.config';
import { IngestWorkerMetrics } from './ingest-worker.metrics';
import { MaintenanceScheduler } from './maintenance/maintenance.scheduler';

export interface IngestWorkerOptions {
  logger?: Logger;
  registry?: Registry;
  catalog?: ActivityCatalog;
  /** The worker's "now" (for the time window and retention); tests move it. */
  clock?: () => number;
  /** How often a progress line is logged (default 10 s; 0 for never). */
  progressIntervalMs?: number;
}

export interface IngestWorker {
  readonly opsUrl: string;
  readonly metrics: IngestWorkerMetrics;
  readonly maintenance: MaintenanceScheduler;
  health(): Promise<HealthReport>;
  /** Finishes the batches in flight (committing them), then closes every connection. */
  stop(): Promise<void>;
}

/**
 * Wires the ingest worker: the events consumer (Kafka → Postgres, DLQ), the erasure consumer, the
 * maintenance chores, and the ops endpoint. The ops endpoint comes up first, so that /health says
 * "not ready" while Postgres or Kafka are still out of reach.
 */
export async function startIngestWorker(
  config: IngestWorkerConfig,
  options: IngestWorkerOptions = {},
): Promise<IngestWorker> {
  const logger = options.logger ?? createLogger('ingest-worker');
  const registry = options.registry ?? createMetricsRegistry({ defaultLabels: { service: 'ingest-worker' } });
  const dataSource = createEventsDataSource({
    url: config.databaseUrl,
    poolSize: config.dbPoolSize,
    applicationName: 'chronicle-ingest-worker',
  });
  const erasures = new ErasureStore(dataSource);
  const metrics = new IngestWorkerMetrics(registry, () =>
    dataSource.isInitialized ? erasures.pendingCount() : Promise.resolve(0),
  );
  const kafka = createKafkaClient({
    brokers: config.brokers,
    clientId: 'chronicle-ingest-worker',
    log: (line) => logger.error(line),
  });
  const kafkaProbe = new KafkaProbe(kafka);
  // Read by /health before the consumers exist.
  const started: { events?: BatchConsumer; erasure?: BatchConsumer } = {};

  const health = async (): Promise<HealthReport> => {
    const [postgres, broker] = await Promise.all([
      checkDependency(() => dataSource.query('SELECT 1')),
      checkDependency(() => kafkaProbe.check()),
    ]);
    const { events, erasure } = started;
    return {
      // Ready means making progress: a partition stalled on a batch is not ready, whatever else is up.
      ok:
        postgres.ok &&
        broker.ok &&
        events !== undefined &&
        events.healthy &&
        erasure !== undefined &&
        erasure.healthy,
      details: {
        postgres,
        kafka: broker,
        consumer: events?.state ?? { joined: false, retrying: 0, stalled: [] },
        erasureConsumer: erasure?.state ?? { joined: false, retrying: 0, stalled: [] },
      },
    };
  };
  const ops = await startOpsServer({ port: config.opsPort, registry, health });

  // A worker started before its database waits for it, rather than crash-looping.
  await retryWithBackoff(() => dataSource.initialize(), {
    onRetry: (error, attempt, delayMs) =>
      logger.warn('Postgres not reachable; retrying', { attempt, delayMs, error: errorMessage(error) }),
  });
  await assertEventsStoreMigrated(dataSource);
  const publisher = new RecordPublisher(kafka);
  await publisher.connect();
  const writer = new ActivityEventWriter(dataSource);
  const maintenance = new MaintenanceScheduler({
    dataSource,
    writer,
    retentionDays: config.retentionDays,
    intervalMs: config.maintenanceIntervalMs,
    metrics,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await maintenance.start();

  const ingest = new IngestBatchHandler({
    catalog: options.catalog ?? getDefaultActivityCatalog(),
    writer,
    publisher,
    dlqTopic: config.topics.dlq,
    metrics,
    retentionDays: config.retentionDays,
    maxFutureMs: config.maxFutureMs,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const onRetry = logRetries(logger.warn, 'batch not written; retrying, partition paused');
  const onStall = logStalls(logger.error);
  const eventsConsumer = new BatchConsumer({
    kafka,
    groupId: config.groupId,
    topic: config.topics.events,
    handleBatch: (batch) => ingest.handle(batch),
    onRetry,
    partitionsConsumedConcurrently: config.partitionsConcurrency,
    maxBytesPerPartition: config.maxBatchBytes,
    registry,
    stallAfterMs: config.stallAfterMs,
    onStall,
  });
  const erasureHandler = new ErasureRequestHandler({
    erasures,
    publisher,
    topics: { dlq: config.topics.dlq, erasureStatus: config.topics.erasureStatus },
    metrics,
    logger,
  });
  const erasureConsumer = new BatchConsumer({
    kafka,
    groupId: `${config.groupId}.erasure`,
    topic: config.topics.erasure,
    handleBatch: (batch) => erasureHandler.handle(batch),
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
      ingested: await metricTotal(metrics.ingested),
      duplicates: await metricTotal(metrics.duplicates),
      deadLettered: await metricTotal(metrics.deadLettered),
    }),
    'ingested',
  );
  logger.info('ingest worker started', {
    topic: config.topics.events,
    groupId: config.groupId,
    ops: ops.url,
    retentionDays: config.retentionDays,
  });

  return {
    opsUrl: ops.url,
    metrics,
    maintenance,
    health,
    async stop() {
      progress.stop();
      await Promise.all([eventsConsumer.stop(), erasureConsumer.stop()]);
      await maintenance.stop();
      await publisher.disconnect();
      await kafkaProbe.close();
      await ops.close();
      await dataSource.destroy();
      await progress.report();
      logger.info('ingest worker stopped');
    },
  };
}
