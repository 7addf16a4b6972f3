import {
  classifyClickHouseError,
  toAnalyticsRow,
  type AnalyticsEventRow,
  type ErasureLog,
} from '@chronicle/analytics';
import {
  decodeActivityEvent,
  erasedOnArrival,
  parseRfc3339,
  type ActivityCatalog,
  type ActivityEvent,
  type Pseudonymizer,
} from '@chronicle/contracts';
import {
  toDeadLetterMessage,
  writeIsolatingRejects,
  type ConsumedBatch,
  type IsolationResult,
  type RecordPublisher,
} from '@chronicle/kafka';
import { storeErrorSummary } from '@chronicle/observability';
import type { ClickHouseClient } from '@clickhouse/client';
import type { KafkaMessage } from 'kafkajs';
import type { AnalyticsWorkerMetrics } from '../analytics-worker.metrics';
import { InsertCoalescer } from './insert-coalescer';
import { CLICKHOUSE_REJECTED, SKIP_REASONS } from './record-reasons';

export interface AnalyticsBatchHandlerOptions {
  client: ClickHouseClient;
  database: string;
  catalog: ActivityCatalog;
  pseudonymize: Pseudonymizer;
  erasures: ErasureLog;
  metrics: AnalyticsWorkerMetrics;
  /** Where rows ClickHouse refuses go, with its error. */
  publisher: RecordPublisher;
  dlqTopic: string;
  /**
   * True (the default): the rows of the batches handled at the same time go to ClickHouse as one
   * insert (InsertCoalescer). False: one insert per batch, as before; kept to compare the two.
   */
  coalesceInserts?: boolean;
  clock?: () => number;
}

interface Insertable {
  message: KafkaMessage;
  row: AnalyticsEventRow;
  /** The event's time, for the freshness of the row once inserted. */
  eventTimeMs: number;
}

/**
 * One batch of the events topic into ClickHouse: valid events, pseudonymised, inserted into `events`
 * (the aggregates follow through materialized views) together with the rows of the other batches
 * handled at the same time, in one insert (InsertCoalescer). Rows
 * ClickHouse refuses are isolated by halving and dead-lettered; the handler returns once ClickHouse has
 * acknowledged the rest and the DLQ the refused. A throw (a transient failure) leaves the batch to be
 * tried again whole: a repeated insert changes no figure, the tables absorb it (docs/analytics.md).
 * Each record's outcome is counted (`chronicle_records_total`), and each inserted row's freshness
 * observed as soon as ClickHouse has acknowledged its insert.
 */
export class AnalyticsBatchHandler {
  private readonly write: (items: Insertable[]) => Promise<IsolationResult<Insertable, Insertable[]>>;

  constructor(private readonly options: AnalyticsBatchHandlerOptions) {
    const isolating = (items: Insertable[]) =>
      writeIsolatingRejects(items, {
        write: (part) => this.insert(part),
        classify: classifyClickHouseError,
        onFailure: (_error, kind) => options.metrics.insertFailures.inc({ failure: kind }),
      });
    if (options.coalesceInserts === false) this.write = isolating;
    else {
      const coalescer = new InsertCoalescer(isolating);
      this.write = (items) => coalescer.submit(items);
    }
  }

  handle(batch: ConsumedBatch): Promise<void> {
    return this.options.metrics.records.handle(batch.messages.length, () => this.insertBatch(batch));
  }

  private async insertBatch(batch: ConsumedBatch): Promise<void> {
    const { catalog, metrics } = this.options;
    // A subject's key is needed for the erasure check and the row: one HMAC per subject per batch.
    const keys = new Map<string, string>();
    const pseudonymize: Pseudonymizer = (type, id) => {
      const subject = `${type}/${id}`;
      let key = keys.get(subject);
      if (key === undefined) keys.set(subject, (key = this.options.pseudonymize(type, id)));
      return key;
    };
    const valid: { message: KafkaMessage; event: ActivityEvent }[] = [];
    for (const message of batch.messages) {
      const decoded = decodeActivityEvent(message, catalog);
      if (decoded.ok) valid.push({ message, event: decoded.event });
      // Dead-lettering invalid records is the ingest worker's job; here an invalid record is only counted.
      else
        metrics.skipped.inc({
          reason: decoded.stage === 'decode' ? SKIP_REASONS.undecodable : SKIP_REASONS.invalid,
        });
    }
    metrics.records.count('dropped', batch.messages.length - valid.length);
    if (valid.length === 0) return;

    const erasedUntil = await this.options.erasures.erasedUntil();
    const kept =
      erasedUntil.size === 0
        ? valid
        : valid.filter(
            ({ event }) =>
              !erasedOnArrival(
                {
                  actorType: event.data.actor.type,
                  activityType: event.type,
                  occurredAtMs: parseRfc3339(event.time) ?? 0,
                },
                erasedUntil.get(pseudonymize(event.data.actor.type, event.data.actor.id)),
                catalog.auditTypes,
              ),
          );
    if (kept.length < valid.length) {
      metrics.skipped.inc({ reason: SKIP_REASONS.erased }, valid.length - kept.length);
      metrics.records.count('dropped', valid.length - kept.length);
    }
    if (kept.length === 0) return;

    const now = (this.options.clock ?? Date.now)();
    const insertable: Insertable[] = kept.map(({ message, event }) => ({
      message,
      row: toAnalyticsRow(event, catalog, pseudonymize, now),
      eventTimeMs: parseRfc3339(event.time) ?? Number.NaN,
    }));
    const { written, rejected } = await this.write(insertable);
    // Sent after the inserts: a transient failure above retries the batch, and the letters would
    // otherwise go out once per attempt.
    await this.options.publisher.send(
      this.options.dlqTopic,
      rejected.map(({ item, error }) =>
        toDeadLetterMessage({
          source: { topic: batch.topic, partition: batch.partition, offset: item.message.offset },
          message: item.message,
          ...CLICKHOUSE_REJECTED,
          detail: storeErrorSummary(error),
        }),
      ),
    );
    if (rejected.length > 0)
      metrics.deadLettered.inc({ reason: CLICKHOUSE_REJECTED.reason }, rejected.length);
    metrics.records.count('dead_lettered', rejected.length);
    for (const part of written) {
      metrics.records.count('stored', part.length);
      const byType = new Map<string, number>();
      for (const { row } of part) byType.set(row.activity_type, (byType.get(row.activity_type) ?? 0) + 1);
      for (const [type, count] of byType) metrics.rowsInserted.inc({ type }, count);
    }
  }

  /** One insert into `events`; returns the rows, for the metrics. */
  private async insert(part: Insertable[]): Promise<Insertable[]> {
    const { client, database, metrics } = this.options;
    const timer = metrics.insertDuration.startTimer();
    await client.insert({
      table: `${database}.events`,
      values: part.map((item) => item.row),
      format: 'JSONEachRow',
    });
    timer();
    metrics.batchRows.observe(part.length);
    const storedAt = Date.now();
    for (const { message, eventTimeMs } of part)
      metrics.freshness.observe(storedAt, eventTimeMs, Number(message.timestamp));
    return part;
  }
}
