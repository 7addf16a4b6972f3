import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type DropReason = 'invalid' | 'queue_full' | 'block_timeout' | 'closed' | 'shutdown';
export const DROP_REASONS: readonly DropReason[] = [
  'invalid',
  'queue_full',
  'block_timeout',
  'closed',
  'shutdown',
];

/**
 * The SDK's counts, kept as plain numbers on the hot path (a labelled prom-client increment costs
 * more than the rest of log()) and handed to prom-client when the registry is scraped.
 */
export class SdkMetrics {
  readonly enqueuedByType = new Map<string, number>();
  readonly droppedByReason = new Map<DropReason, number>(DROP_REASONS.map((reason) => [reason, 0]));
  enqueued = 0;
  published = 0;
  private readonly batchSize: Histogram;
  private readonly publishDuration: Histogram;

  constructor(registry: Registry, queueDepth: () => number) {
    // prom-client calls collect() with the metric as `this`; these arrows read the SDK's counts.
    const enqueuedByType = () => this.enqueuedByType;
    const published = () => this.published;
    const droppedByReason = () => this.droppedByReason;
    new Counter({
      name: 'chronicle_sdk_events_enqueued_total',
      help: 'Activity events accepted by log() into the send queue, by activity type.',
      labelNames: ['type'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [type, count] of enqueuedByType()) this.inc({ type }, count);
      },
    });
    new Counter({
      name: 'chronicle_sdk_events_published_total',
      help: 'Activity events acknowledged by Kafka (acks=all).',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(published());
      },
    });
    new Counter({
      name: 'chronicle_sdk_events_dropped_total',
      help: 'Activity events not sent, by reason: invalid, queue_full, block_timeout, closed, shutdown.',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [reason, count] of droppedByReason()) this.inc({ reason }, count);
      },
    });
    new Gauge({
      name: 'chronicle_sdk_queue_depth',
      help: 'Activity events waiting to be published (including the batch in flight).',
      registers: [registry],
      collect() {
        this.set(queueDepth());
      },
    });
    this.batchSize = new Histogram({
      name: 'chronicle_sdk_batch_size',
      help: 'Events per published batch.',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [registry],
    });
    this.publishDuration = new Histogram({
      name: 'chronicle_sdk_publish_duration_seconds',
      help: 'Time for Kafka to acknowledge a batch (successful sends).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }

  countEnqueued(type: string): void {
    this.enqueued++;
    this.enqueuedByType.set(type, (this.enqueuedByType.get(type) ?? 0) + 1);
  }

  countDropped(reason: DropReason, count = 1): void {
    this.droppedByReason.set(reason, (this.droppedByReason.get(reason) ?? 0) + count);
  }

  countPublished(batchSize: number, seconds: number): void {
    this.published += batchSize;
    this.batchSize.observe(batchSize);
    this.publishDuration.observe(seconds);
  }
}
