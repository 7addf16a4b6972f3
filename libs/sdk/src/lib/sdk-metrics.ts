import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type DropReason = 'invalid' | 'refused' | 'queue_full' | 'block_timeout' | 'closed' | 'shutdown';
export const DROP_REASONS: readonly DropReason[] = [
  'invalid',
  'refused',
  'queue_full',
  'block_timeout',
  'closed',
  'shutdown',
];

/** The clients reporting into each registry: several clients (one per source) may share one. */
const clientsByRegistry = new WeakMap<Registry, SdkMetrics[]>();

/**
 * One client's counts, kept as plain numbers on the hot path (a labelled prom-client increment costs
 * more than the rest of log()) and handed to prom-client, labelled by source, when the registry is
 * scraped. Every series is there from the first scrape, at 0: each drop reason, and each activity
 * type of the client's catalog.
 */
export class SdkMetrics {
  readonly enqueuedByType: Map<string, number>;
  readonly droppedByReason = new Map<DropReason, number>(DROP_REASONS.map((reason) => [reason, 0]));
  enqueued = 0;
  published = 0;
  /** Failed attempts to publish a batch (each is retried). */
  publishErrors = 0;
  private readonly batchSize: Histogram;
  private readonly publishDuration: Histogram;

  constructor(
    registry: Registry,
    readonly source: string,
    readonly queueDepth: () => number,
    activityTypes: readonly string[] = [],
  ) {
    this.enqueuedByType = new Map(activityTypes.map((type) => [type, 0]));
    let clients = clientsByRegistry.get(registry);
    if (!clients) {
      clients = [];
      clientsByRegistry.set(registry, clients);
      registerMetrics(registry, clients);
    }
    clients.push(this);
    this.batchSize = registry.getSingleMetric('chronicle_sdk_batch_size') as Histogram;
    this.publishDuration = registry.getSingleMetric('chronicle_sdk_publish_duration_seconds') as Histogram;
  }

  countEnqueued(type: string): void {
    this.enqueued++;
    this.enqueuedByType.set(type, (this.enqueuedByType.get(type) ?? 0) + 1);
  }

  countDropped(reason: DropReason, count = 1): void {
    this.droppedByReason.set(reason, (this.droppedByReason.get(reason) ?? 0) + count);
  }

  countPublishError(): void {
    this.publishErrors++;
  }

  countPublished(batchSize: number, seconds: number): void {
    this.published += batchSize;
    this.batchSize.observe({ source: this.source }, batchSize);
    this.publishDuration.observe({ source: this.source }, seconds);
  }
}

function registerMetrics(registry: Registry, clients: readonly SdkMetrics[]): void {
  new Counter({
    name: 'chronicle_sdk_events_enqueued_total',
    help: 'Activity events accepted by log() into the send queue, by source and activity type.',
    labelNames: ['source', 'type'],
    registers: [registry],
    collect() {
      this.reset();
      for (const client of clients) {
        for (const [type, count] of client.enqueuedByType) this.inc({ source: client.source, type }, count);
      }
    },
  });
  new Counter({
    name: 'chronicle_sdk_events_published_total',
    help: 'Activity events acknowledged by Kafka (acks=all), by source.',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const client of clients) this.inc({ source: client.source }, client.published);
    },
  });
  new Counter({
    name: 'chronicle_sdk_events_dropped_total',
    help: 'Activity events not sent, by source and reason: invalid, queue_full, block_timeout, closed, shutdown.',
    labelNames: ['source', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const client of clients) {
        for (const [reason, count] of client.droppedByReason)
          this.inc({ source: client.source, reason }, count);
      }
    },
  });
  new Counter({
    name: 'chronicle_sdk_publish_errors_total',
    help: 'Failed attempts to publish a batch to Kafka, by source (the batch stays queued and is retried with backoff).',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const client of clients) this.inc({ source: client.source }, client.publishErrors);
    },
  });
  new Gauge({
    name: 'chronicle_sdk_queue_depth',
    help: 'Activity events waiting to be published (including the batch in flight), by source.',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const client of clients) this.inc({ source: client.source }, client.queueDepth());
    },
  });
  new Histogram({
    name: 'chronicle_sdk_batch_size',
    help: 'Events per published batch, by source.',
    labelNames: ['source'],
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
    registers: [registry],
  });
  new Histogram({
    name: 'chronicle_sdk_publish_duration_seconds',
    help: 'Time for Kafka to acknowledge a batch (successful sends), by source.',
    labelNames: ['source'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
}
