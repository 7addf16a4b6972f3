import { RecordOutcomes, STORE_FAILURE_KINDS } from '@chronicle/kafka';
import { FreshnessMetric, initialiseCounter } from '@chronicle/observability';
import { Counter, Histogram, type Registry } from 'prom-client';
import { CLICKHOUSE_REJECTED, SKIP_REASONS } from './ingest/record-reasons';

/**
 * The worker's own series; the consumer's lag per partition comes from @chronicle/kafka. Every
 * labelled counter starts at 0 for each value the code can count: the catalog's activity types, and
 * the reasons and kinds below.
 */
export class AnalyticsWorkerMetrics {
  readonly rowsInserted: Counter<'type'>;
  readonly skipped: Counter<'reason'>;
  readonly batchRows: Histogram;
  readonly insertDuration: Histogram;
  readonly insertFailures: Counter<'failure'>;
  readonly deadLettered: Counter<'reason'>;
  readonly freshness: FreshnessMetric;
  readonly records: RecordOutcomes;
  readonly erasuresCompleted: Counter;

  constructor(registry: Registry, activityTypes: readonly string[]) {
    const registers = [registry];
    this.rowsInserted = new Counter({
      name: 'chronicle_analytics_rows_inserted_total',
      help: 'Event rows inserted into ClickHouse (a redelivered event is inserted again and merged away).',
      labelNames: ['type'],
      registers,
    });
    initialiseCounter(this.rowsInserted, { type: activityTypes });
    this.skipped = new Counter({
      name: 'chronicle_analytics_skipped_total',
      help: 'Records not inserted: undecodable or invalid (the ingest worker dead-letters them), erased, invalid erasure requests.',
      labelNames: ['reason'],
      registers,
    });
    initialiseCounter(this.skipped, { reason: Object.values(SKIP_REASONS) });
    this.batchRows = new Histogram({
      name: 'chronicle_analytics_batch_rows',
      help: 'Rows per insert.',
      buckets: [1, 10, 100, 1_000, 5_000, 10_000, 25_000, 50_000],
      registers,
    });
    this.insertDuration = new Histogram({
      name: 'chronicle_analytics_insert_duration_seconds',
      help: 'Time to insert one batch (events and directory) into ClickHouse.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.insertFailures = new Counter({
      name: 'chronicle_analytics_insert_failures_total',
      help: 'Failed inserts, by kind: transient (the batch is retried), deterministic (its rows are isolated and dead-lettered), unknown (retried, then isolated).',
      labelNames: ['failure'],
      registers,
    });
    initialiseCounter(this.insertFailures, { failure: STORE_FAILURE_KINDS });
    this.deadLettered = new Counter({
      name: 'chronicle_analytics_dead_letters_total',
      help: 'Records sent to the DLQ because ClickHouse refused their rows, by reason.',
      labelNames: ['reason'],
      registers,
    });
    initialiseCounter(this.deadLettered, { reason: [CLICKHOUSE_REJECTED.reason] });
    this.freshness = new FreshnessMetric(registry, 'clickhouse');
    this.records = new RecordOutcomes(registry);
    this.erasuresCompleted = new Counter({
      name: 'chronicle_erasures_completed_total',
      help: 'Erasure requests carried out by this instance.',
      registers,
    });
  }
}
