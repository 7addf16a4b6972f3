import { RecordOutcomes, STORE_FAILURE_KINDS } from '@chronicle/kafka';
import { FreshnessMetric, initialiseCounter } from '@chronicle/observability';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DEAD_LETTER_REASONS, DROP_REASONS } from './ingest/record-classifier';

/** What the metrics read from Postgres when scraped (all instances' erasure backlog). */
export interface PendingErasures {
  count(): Promise<number>;
  oldestAgeSeconds(): Promise<number>;
}

/**
 * The worker's own series; the consumer's lag per partition comes from @chronicle/kafka. Every
 * labelled counter starts at 0 for each value the code can count: the catalog's activity types, and
 * the reasons and kinds below.
 */
export class IngestWorkerMetrics {
  readonly ingested: Counter<'type'>;
  readonly duplicates: Counter;
  readonly dropped: Counter<'reason'>;
  readonly deadLettered: Counter<'reason'>;
  readonly structuredInferred: Counter;
  readonly batchRows: Histogram;
  readonly writeDuration: Histogram;
  readonly writeFailures: Counter<'failure'>;
  readonly freshness: FreshnessMetric;
  readonly records: RecordOutcomes;
  readonly partitionsCreated: Counter;
  readonly partitionsDropped: Counter;
  readonly retentionLastRun: Gauge;
  readonly erasuresCompleted: Counter;
  readonly erasuresPending: Gauge;
  readonly erasuresOldestPending: Gauge;

  constructor(registry: Registry, pendingErasures: PendingErasures, activityTypes: readonly string[]) {
    const registers = [registry];
    this.ingested = new Counter({
      name: 'chronicle_ingest_events_total',
      help: 'Events newly stored in Postgres, by activity type.',
      labelNames: ['type'],
      registers,
    });
    initialiseCounter(this.ingested, { type: activityTypes });
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
    initialiseCounter(this.dropped, { reason: Object.values(DROP_REASONS) });
    this.deadLettered = new Counter({
      name: 'chronicle_ingest_dead_letters_total',
      help: 'Records sent to the DLQ, by reason.',
      labelNames: ['reason'],
      registers,
    });
    initialiseCounter(this.deadLettered, {
      reason: Object.values(DEAD_LETTER_REASONS).map(({ reason }) => reason),
    });
    this.structuredInferred = new Counter({
      name: 'chronicle_ingest_structured_inferred_total',
      help: 'Records read as structured CloudEvents though they had no content-type header (a JSON value with specversion), whatever their outcome.',
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
    initialiseCounter(this.writeFailures, { failure: STORE_FAILURE_KINDS });
    this.freshness = new FreshnessMetric(registry, 'postgres');
    this.records = new RecordOutcomes(registry);
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
    this.retentionLastRun = new Gauge({
      name: 'chronicle_retention_last_run_timestamp_seconds',
      help: 'When this instance last completed a retention run (Unix seconds; 0 before its first). A run skipped because another instance held the lock does not count.',
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
      collect: () => readInto(this.erasuresPending, () => pendingErasures.count()),
    });
    this.erasuresOldestPending = new Gauge({
      name: 'chronicle_erasures_oldest_pending_seconds',
      help: 'How long the oldest erasure request recorded in Postgres and not yet completed has waited (0 when none).',
      registers,
      collect: () => readInto(this.erasuresOldestPending, () => pendingErasures.oldestAgeSeconds()),
    });
  }
}

/**
 * Sets a gauge read from Postgres at scrape time, or keeps its last value when Postgres does not
 * answer: a failed read must not fail the whole scrape, or the lag and failure series that describe
 * the outage would vanish with it (Prometheus would see the worker as down).
 */
async function readInto(gauge: Gauge, read: () => Promise<number>): Promise<void> {
  try {
    gauge.set(await read());
  } catch {
    // Kept as it was; the store's outage is visible in readiness and the write-failure counters.
  }
}
