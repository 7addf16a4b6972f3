import { eraseActor, type ErasureLog } from '@chronicle/analytics';
import {
  encodeErasureCompletion,
  ERASURE_SUBJECT_ACTOR_TYPE,
  parseErasureRequest,
  type ErasureRequest,
  type Pseudonymizer,
} from '@chronicle/contracts';
import type { ConsumedBatch, RecordPublisher } from '@chronicle/kafka';
import type { Logger } from '@chronicle/observability';
import type { ClickHouseClient } from '@clickhouse/client';
import type { AnalyticsWorkerMetrics } from '../analytics-worker.metrics';
import { SKIP_REASONS } from '../ingest/record-reasons';

export interface AnalyticsErasureHandlerOptions {
  client: ClickHouseClient;
  database: string;
  pseudonymize: Pseudonymizer;
  erasures: ErasureLog;
  publisher: RecordPublisher;
  statusTopic: string;
  metrics: AnalyticsWorkerMetrics;
  logger: Logger;
  settleMs: number;
}

/**
 * Carries out erasure requests in ClickHouse: the request is logged (so batches from then on leave
 * the actor's earlier events out), the actor's events, and per-actor aggregates are
 * deleted, and — after `settleMs`, long enough for any batch already in flight on any instance to
 * land — deleted again, then the completion is published. Idempotent by request id.
 */
export class AnalyticsErasureHandler {
  constructor(private readonly options: AnalyticsErasureHandlerOptions) {}

  async handle(batch: ConsumedBatch): Promise<void> {
    for (const message of batch.messages) {
      const parsed = parseErasureRequest(message.value);
      if (!parsed.ok) {
        // The ingest worker dead-letters it; counting it here is enough.
        this.options.metrics.skipped.inc({ reason: SKIP_REASONS.invalidErasureRequest });
        continue;
      }
      await this.erase(parsed.request);
    }
  }

  private async erase(request: ErasureRequest): Promise<void> {
    const { client, database, pseudonymize, erasures, metrics, logger } = this.options;
    const done = await erasures.completed(request.requestId);
    let rowsDeleted = done?.rowsDeleted ?? 0;
    if (done === undefined) {
      const actorKey = pseudonymize(ERASURE_SUBJECT_ACTOR_TYPE, request.userId);
      await erasures.record(actorKey, request);
      const first = await eraseActor(client, database, request.userId, pseudonymize);
      await new Promise((resolve) => setTimeout(resolve, this.options.settleMs));
      const second = await eraseActor(client, database, request.userId, pseudonymize);
      rowsDeleted = first.eventsDeleted + second.eventsDeleted;
      await erasures.record(actorKey, request, { rowsDeleted, at: new Date() });
      metrics.erasuresCompleted.inc();
      logger.info('erasure completed', { requestId: request.requestId, rowsDeleted });
    }
    await this.options.publisher.send(this.options.statusTopic, [
      {
        key: request.requestId,
        value: encodeErasureCompletion({
          requestId: request.requestId,
          store: 'clickhouse',
          status: 'completed',
          rowsDeleted,
          completedAt: new Date().toISOString(),
        }),
      },
    ]);
  }
}
