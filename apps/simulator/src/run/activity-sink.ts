import type { ActivityInput } from '@chronicle/contracts';

/** What the sink did with the events; the SDK's stats summed over its clients. */
export interface SinkStats {
  /** Accepted into the send queue. */
  enqueued: number;
  /** Acknowledged by Kafka. */
  published: number;
  /** Not sent, by reason (the SDK's DropReason). */
  dropped: Record<string, number>;
  queueDepth: number;
}

/** Where generated events go: the SDK (SdkSink) or nowhere (DryRunSink). */
export interface ActivitySink {
  readonly kind: 'kafka' | 'dry-run';
  /** Never waits; false when the event was not queued. */
  log(input: ActivityInput): boolean;
  /** Waits for room in the queue when the sink is set to block. */
  logAsync(input: ActivityInput): Promise<boolean>;
  stats(): SinkStats;
  /** Publishes what is queued (within the SDK's shutdown timeout) and disconnects. */
  close(): Promise<void>;
}

/** Takes every event and sends nothing: for measuring the generator, and for tests. */
export class DryRunSink implements ActivitySink {
  readonly kind = 'dry-run';
  private count = 0;

  log(_input: ActivityInput): boolean {
    this.count++;
    return true;
  }

  async logAsync(input: ActivityInput): Promise<boolean> {
    return this.log(input);
  }

  stats(): SinkStats {
    return { enqueued: this.count, published: 0, dropped: {}, queueDepth: 0 };
  }

  async close(): Promise<void> {
    // Nothing is queued.
  }
}
