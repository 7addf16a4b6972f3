import type { ActivityCatalog } from '@chronicle/contracts';
import {
  classifyStoreError,
  type ActivityEventRow,
  type ActivityEventWriter,
  type WriteResult,
} from '@chronicle/events-store';
import {
  toDeadLetterMessage,
  type ConsumedBatch,
  type DeadLetter,
  type RecordPublisher,
  writeIsolatingRejects,
} from '@chronicle/kafka';
import { storeErrorSummary } from '@chronicle/observability';
import type { KafkaMessage } from 'kafkajs';
import type { IngestWorkerMetrics } from '../ingest-worker.metrics';
import { classifyRecord, DEAD_LETTER_REASONS, DROP_REASONS } from './record-classifier';

export interface IngestBatchHandlerOptions {
  catalog: ActivityCatalog;
  writer: ActivityEventWriter;
  publisher: RecordPublisher;
  dlqTopic: string;
  metrics: IngestWorkerMetrics;
  retentionDays: number;
  maxFutureMs: number;
  clock?: () => number;
}

interface Stored {
  row: ActivityEventRow;
  message: KafkaMessage;
}

/**
 * One batch of the events topic into Postgres: every record is classified; the valid ones are
 * written in one idempotent transaction; the ones that can never be valid go to the DLQ; only then
 * does the handler return (and the consumer commit). A throw leaves the batch to be tried again whole.
 * Each record's outcome is counted (`chronicle_records_total`), and each newly stored row's freshness
 * observed as soon as Postgres has committed it.
 */
export class IngestBatchHandler {
  private readonly clock: () => number;

  constructor(private readonly options: IngestBatchHandlerOptions) {
    this.clock = options.clock ?? Date.now;
  }

  handle(batch: ConsumedBatch): Promise<void> {
    return this.options.metrics.records.handle(batch.messages.length, () => this.store(batch));
  }

  private async store(batch: ConsumedBatch): Promise<void> {
    const { metrics } = this.options;
    const context = {
      catalog: this.options.catalog,
      nowMs: this.clock(),
      admission: { retentionDays: this.options.retentionDays, maxFutureMs: this.options.maxFutureMs },
    };
    const stored: Stored[] = [];
    const letters: DeadLetter[] = [];
    let expired = 0;
    for (const message of batch.messages) {
      const verdict = classifyRecord(message, context);
      if (verdict.structuredInferred) metrics.structuredInferred.inc();
      if (verdict.kind === 'store') stored.push({ row: verdict.row, message });
      else if (verdict.kind === 'expired') expired++;
      else letters.push(this.letter(batch, message, verdict));
    }

    // Written before the dead letters are sent: a failed write retries the batch, and the letters
    // would otherwise go out once per attempt.
    const results = await this.writeIsolatingRejects(batch, stored, letters);
    await this.options.publisher.send(
      this.options.dlqTopic,
      letters.map((letter) => toDeadLetterMessage(letter)),
    );

    let erased = 0;
    for (const result of results) {
      for (const [type, count] of result.insertedByType) metrics.ingested.inc({ type }, count);
      metrics.duplicates.inc(result.duplicates);
      metrics.records.count('stored', result.inserted + result.duplicates);
      erased += result.erased;
    }
    if (erased > 0) metrics.dropped.inc({ reason: DROP_REASONS.erased }, erased);
    if (expired > 0) metrics.dropped.inc({ reason: DROP_REASONS.expired }, expired);
    metrics.records.count('dropped', erased + expired);
    for (const letter of letters) metrics.deadLettered.inc({ reason: letter.reason });
    metrics.records.count('dead_lettered', letters.length);
  }

  /**
   * Writes the rows; if Postgres refuses the data itself (not the connection), halves the batch until
   * the refused rows are alone, and dead-letters them with Postgres's error, so that no row can hold a
   * partition. A transient failure is thrown: the consumer retries the batch, and what was written is
   * not written twice.
   */
  private async writeIsolatingRejects(
    batch: ConsumedBatch,
    stored: Stored[],
    letters: DeadLetter[],
  ): Promise<WriteResult[]> {
    const { metrics, writer } = this.options;
    const { written, rejected } = await writeIsolatingRejects(stored, {
      write: async (part) => {
        const timer = metrics.writeDuration.startTimer();
        const result = await writer.write(part.map((s) => s.row));
        timer();
        metrics.batchRows.observe(part.length);
        this.observeFreshness(part, result);
        return result;
      },
      classify: classifyStoreError,
      onFailure: (_error, kind) => metrics.writeFailures.inc({ failure: kind }),
    });
    for (const { item, error } of rejected)
      letters.push(
        this.letter(batch, item.message, {
          ...DEAD_LETTER_REASONS.storeRejected,
          detail: storeErrorSummary(error),
        }),
      );
    return written;
  }

  /** Each row new to the table, as of the commit just made: from its event time and its Kafka timestamp. */
  private observeFreshness(part: readonly Stored[], result: WriteResult): void {
    if (result.insertedRows.length === 0) return;
    const storedAt = Date.now();
    const inserted = new Set(result.insertedRows);
    for (const { row, message } of part)
      if (inserted.has(row))
        this.options.metrics.freshness.observe(storedAt, row.occurredAtMs, Number(message.timestamp));
  }

  private letter(
    batch: ConsumedBatch,
    message: KafkaMessage,
    verdict: { reason: string; stage: string; detail: string },
  ): DeadLetter {
    return {
      source: { topic: batch.topic, partition: batch.partition, offset: message.offset },
      message,
      reason: verdict.reason,
      stage: verdict.stage,
      detail: verdict.detail,
    };
  }
}
