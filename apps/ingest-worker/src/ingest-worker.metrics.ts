import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The worker's own series; the consumer's lag per partition comes from @chronicle/kafka. */
export class IngestWorkerMetrics {
  readonly ingested: Counter<'type'>;
  readonly duplicates: Counter;
  readonly dropped: Counter<'reason'>;
  readonly deadLettered: Counter<'reason'>;
  readonly batchRows: Histogram;
  readonly writeDuration: Histogram;
  readonly writeFailures: Counter<'failure'>;
  readonly partitionsCreated: Counter;
  readonly partitionsDropped: Counter;
  readonly erasuresCompleted: Counter;
  readonly erasuresPending: Gauge;

  constructor(registry: Registry, pendingErasures: () => Promise<number>) {
    const registers = [registry];
    this.ingested = new Counter({
      name: 'chronicle_ingest_events_total',
      help: 'Events newly stored in Postgres, by activity type.',
      labelNames: ['type'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'chronicle_ingest_duplicates_total',
      help: 'Events already stored (redelivered or published twice), skipped.',
      registers,
    });
    this.dropped = new Counter({
      name: 'chronicle_ingest_dropped_total',
      help: 'Valid events not stored: expired (older than retention) or erased (user asked before they arrived).',
      labelNames: ['reason'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'chronicle_ingest_dead_letters_total',
      help: 'Records sent to the DLQ, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.batchRows = new Histogram({
      name: 'chronicle_ingest_batch_rows',
      help: 'Rows per batch written.',
      buckets: [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000, 25_000],
      registers,
    });
    this.writeDuration = new Histogram({
      name: 'chronicle_ingest_write_duration_seconds',
      help: 'Time to write one batch to Postgres (COPY + insert + commit).',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.writeFailures = new Counter({
      name: 'chronicle_ingest_write_failures_total',
      help: 'Failed writes, by kind: transient (the batch is retried), deterministic (its records are isolated and dead-lettered), unknown (retried, then isolated).',
      labelNames: ['failure'],
      registers,
    });
    this.partitionsCreated = new Counter({
      name: 'chronicle_ingest_partitions_created_total',
      help: 'Daily partitions created ahead of time by this instance.',
      registers,
    });
    this.partitionsDropped = new Counter({
      name: 'chronicle_retention_partitions_dropped_total',
      help: 'Daily partitions dropped by retention runs of this instance.',
      registers,
    });
    this.erasuresCompleted = new Counter({
      name: 'chronicle_erasures_completed_total',
      help: 'Erasure requests carried out by this instance.',
      registers,
    });
    this.erasuresPending = new Gauge({
      name: 'chronicle_erasures_pending',
      help: 'Erasure requests recorded in Postgres and not yet completed (all instances).',
      registers,
      async collect() {
        this.set(await pendingErasures());
      },
    });
  }
}
