import { initialiseCounter } from '@chronicle/observability';
import { Counter, type Registry } from 'prom-client';

/**
 * What became of a record of the events topic, in the same words in both workers:
 * - `stored`: its store acknowledged it (an event already stored, redelivered, counts too);
 * - `dead_lettered`: it can never be stored; it is on the DLQ with its reason;
 * - `dropped`: valid or not, it is not to be stored and not dead-lettered here (older than
 *   retention, erased; in the analytics worker also an invalid record, the ingest worker's to
 *   dead-letter);
 * - `retried`: its batch failed for a reason that is not the records' (the store is down) and comes
 *   again; counted at each failed attempt.
 * Each attempt at a batch counts each of its records once, so the outcomes of a batch add up to its size.
 */
export const RECORD_OUTCOMES = ['stored', 'dead_lettered', 'dropped', 'retried'] as const;
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];

const RECORDS_METRIC = 'chronicle_records_total';

/** `chronicle_records_total{outcome}`, every outcome present from the start. */
export class RecordOutcomes {
  private readonly counter: Counter<'outcome'>;

  constructor(registry: Registry) {
    this.counter =
      (registry.getSingleMetric(RECORDS_METRIC) as Counter<'outcome'> | undefined) ??
      new Counter({
        name: RECORDS_METRIC,
        help: 'Records of the events topic by outcome: stored, dead_lettered, dropped, retried (per failed attempt).',
        labelNames: ['outcome'],
        registers: [registry],
      });
    initialiseCounter(this.counter, { outcome: RECORD_OUTCOMES });
  }

  count(outcome: RecordOutcome, records = 1): void {
    if (records > 0) this.counter.inc({ outcome }, records);
  }

  /** Runs a batch's handling; if it throws (the batch will be retried), its records count as `retried`. */
  async handle(records: number, handle: () => Promise<void>): Promise<void> {
    try {
      await handle();
    } catch (error) {
      this.count('retried', records);
      throw error;
    }
  }
}
