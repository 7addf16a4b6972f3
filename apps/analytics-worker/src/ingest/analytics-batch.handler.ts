import {
  toAnalyticsRow,
  toDirectoryRows,
  type ActorPseudonymizer,
  type ErasureLog,
} from '@chronicle/analytics';
import {
  decodeActivityEvent,
  parseRfc3339,
  type ActivityCatalog,
  type ActivityEvent,
} from '@chronicle/contracts';
import type { ConsumedBatch } from '@chronicle/kafka';
import type { ClickHouseClient } from '@clickhouse/client';
import type { AnalyticsWorkerMetrics } from '../analytics-worker.metrics';

export interface AnalyticsBatchHandlerOptions {
  client: ClickHouseClient;
  database: string;
  catalog: ActivityCatalog;
  pseudonymize: ActorPseudonymizer;
  erasures: ErasureLog;
  metrics: AnalyticsWorkerMetrics;
  clock?: () => number;
}

/**
 * One batch of the events topic into ClickHouse: valid events, pseudonymised, as one insert into
 * `events` (the aggregates follow through materialized views) and one into `actor_directory`. The
 * handler returns once ClickHouse has acknowledged both; a throw leaves the batch to be tried again
 * whole. A repeated insert changes no figure: the tables are built to absorb it (docs/analytics.md).
 */
export class AnalyticsBatchHandler {
  constructor(private readonly options: AnalyticsBatchHandlerOptions) {}

  async handle(batch: ConsumedBatch): Promise<void> {
    const { client, database, catalog, metrics } = this.options;
    // An actor's key is needed for the erasure check, the row and the directory: one HMAC per actor per batch.
    const keys = new Map<string, string>();
    const pseudonymize = (actorId: string) => {
      let key = keys.get(actorId);
      if (key === undefined) keys.set(actorId, (key = this.options.pseudonymize(actorId)));
      return key;
    };
    const valid: ActivityEvent[] = [];
    for (const message of batch.messages) {
      const decoded = decodeActivityEvent(message, catalog);
      if (decoded.ok) valid.push(decoded.event);
      // Dead-lettering is the ingest worker's job; here an invalid record is only counted.
      else metrics.skipped.inc({ reason: decoded.stage === 'decode' ? 'undecodable' : 'invalid' });
    }
    if (valid.length === 0) return;

    const erasedUntil = await this.options.erasures.erasedUntil();
    const kept =
      erasedUntil.size === 0
        ? valid
        : valid.filter(
            (event) =>
              (parseRfc3339(event.time) ?? 0) >
              (erasedUntil.get(pseudonymize(event.data.actor.id)) ?? -Infinity),
          );
    if (kept.length < valid.length) metrics.skipped.inc({ reason: 'erased' }, valid.length - kept.length);
    if (kept.length === 0) return;

    const now = (this.options.clock ?? Date.now)();
    const rows = kept.map((event) => toAnalyticsRow(event, catalog, pseudonymize, now));
    const timer = metrics.insertDuration.startTimer();
    try {
      await client.insert({ table: `${database}.events`, values: rows, format: 'JSONEachRow' });
      await client.insert({
        table: `${database}.actor_directory`,
        values: toDirectoryRows(kept, pseudonymize),
        format: 'JSONEachRow',
      });
    } catch (error) {
      metrics.insertFailures.inc();
      throw error;
    }
    timer();
    metrics.batchRows.observe(rows.length);
    const byType = new Map<string, number>();
    for (const row of rows) byType.set(row.activity_type, (byType.get(row.activity_type) ?? 0) + 1);
    for (const [type, count] of byType) metrics.rowsInserted.inc({ type }, count);
  }
}
