import type { ActivityEvent } from '@chronicle/contracts';

/** A batch ready to send: encoded ahead, while the previous batch is in flight. */
export interface EncodedBatch {
  /** How many events, from the head of the queue. */
  readonly count: number;
}

/**
 * Where the client's send loop delivers batches: Kafka, or the gateway's HTTP collector. The loop
 * owns ordering, retries with backoff and accounting; a publisher only encodes and sends.
 */
export interface BatchPublisher<Batch extends EncodedBatch = EncodedBatch> {
  encode(events: readonly ActivityEvent[]): Batch;
  /**
   * Resolves once the receiver has stored the batch, with the positions of the events it refused
   * for good (retrying would not change its answer). Rejects with a BatchRefusedError when the
   * receiver refused the whole batch for good, and with any other error when it should be sent again.
   */
  send(batch: Batch): Promise<readonly number[]>;
  /** After a failed send, before the next attempt. */
  recover(error: unknown): Promise<void>;
  close(): Promise<void>;
  /** Names the receiver in warnings: `Kafka`, `the collector`. */
  readonly name: string;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The receiver refused a whole batch for good (an HTTP 401 for a wrong API key, a 413 for a body over
 * its limit): sending it again would get the same answer and hold up every event queued behind it.
 */
export class BatchRefusedError extends Error {
  override readonly name = 'BatchRefusedError';
}
