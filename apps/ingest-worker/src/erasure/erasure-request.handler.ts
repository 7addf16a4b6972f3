import { encodeErasureCompletion, formatProblems, parseErasureRequest } from '@chronicle/contracts';
import type { ErasureStore } from '@chronicle/events-store';
import { toDeadLetterMessage, type ConsumedBatch, type RecordPublisher } from '@chronicle/kafka';
import type { Logger } from '@chronicle/observability';
import type { IngestWorkerMetrics } from '../ingest-worker.metrics';
import { DEAD_LETTER_REASONS } from '../ingest/record-classifier';

export interface ErasureRequestHandlerOptions {
  erasures: ErasureStore;
  publisher: RecordPublisher;
  topics: { dlq: string; erasureStatus: string };
  metrics: IngestWorkerMetrics;
  logger: Logger;
}

/**
 * Carries out the erasure requests of a batch in order, publishing each completion. Idempotent by
 * request id: a redelivered request deletes nothing more and publishes its completion again.
 */
export class ErasureRequestHandler {
  constructor(private readonly options: ErasureRequestHandlerOptions) {}

  async handle(batch: ConsumedBatch): Promise<void> {
    const { erasures, publisher, topics, metrics, logger } = this.options;
    for (const message of batch.messages) {
      const parsed = parseErasureRequest(message.value);
      if (!parsed.ok) {
        await publisher.send(topics.dlq, [
          toDeadLetterMessage({
            source: { topic: batch.topic, partition: batch.partition, offset: message.offset },
            message,
            ...DEAD_LETTER_REASONS.invalidErasureRequest,
            detail: formatProblems(parsed.problems),
          }),
        ]);
        metrics.deadLettered.inc({ reason: DEAD_LETTER_REASONS.invalidErasureRequest.reason });
        continue;
      }
      const { request } = parsed;
      const outcome = await erasures.erase(request);
      await publisher.send(topics.erasureStatus, [
        {
          key: request.requestId,
          value: encodeErasureCompletion({
            requestId: request.requestId,
            store: 'postgres',
            status: outcome.status,
            rowsDeleted: outcome.rowsDeleted,
            completedAt: new Date().toISOString(),
          }),
        },
      ]);
      if (outcome.performedNow) {
        metrics.erasuresCompleted.inc();
        // The request id, never the user id: logs are read by more people than the table is.
        logger.info('erasure completed', { requestId: request.requestId, rowsDeleted: outcome.rowsDeleted });
      }
    }
  }
}
