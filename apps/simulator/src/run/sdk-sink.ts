import type { ActivityInput } from '@chronicle/contracts';
import {
  ActivityClient,
  type ActivityClientOptions,
  type DeliveryListener,
  type SdkKafkaSecurity,
} from '@chronicle/sdk';
import type { Registry } from 'prom-client';
import type { ActivitySink, SinkStats } from './activity-sink';
import { SIMULATED_SOURCES, type SimulatedSource, sourceOf } from './activity-sources.constants';

export interface SdkSinkOptions {
  brokers: string[];
  security?: SdkKafkaSecurity;
  topic: string;
  /** Live runs drop on a full queue (as a real service would); backfills wait for room. */
  overflow: 'drop-newest' | 'block';
  shutdownTimeoutMs?: number;
  /** Told what became of each event, by every client (the `--ledger`); none when undefined. */
  onDelivery?: DeliveryListener;
}

/** A backfill waits as long as Kafka needs rather than dropping history. */
const BACKFILL_BLOCK_TIMEOUT_MS = 60_000;
/**
 * A backfill keeps the queue full, so its size is what is left to publish at the end: the SDK's
 * default (100,000) takes longer than the shutdown timeout to publish here (~8 s at ~12,000/s). A
 * couple of seconds' worth keeps the final flush short without slowing the backfill down.
 */
const BACKFILL_QUEUE_EVENTS = 20_000;

/**
 * One SDK client per simulated service, as two real services would have; each event goes to the
 * client of the service that logs its type. Both report into the process's registry (the SDK labels
 * its series by source).
 */
export class SdkSink implements ActivitySink {
  readonly kind = 'kafka';
  private readonly clients = new Map<SimulatedSource, ActivityClient>();

  constructor(options: SdkSinkOptions, registry: Registry, logger?: ActivityClientOptions['logger']) {
    for (const source of Object.values(SIMULATED_SOURCES)) {
      this.clients.set(
        source,
        new ActivityClient({
          source,
          brokers: options.brokers,
          security: options.security,
          topic: options.topic,
          queue:
            options.overflow === 'block'
              ? {
                  overflow: 'block',
                  blockTimeoutMs: BACKFILL_BLOCK_TIMEOUT_MS,
                  maxEvents: BACKFILL_QUEUE_EVENTS,
                }
              : { overflow: 'drop-newest' },
          registry,
          logger,
          shutdownTimeoutMs: options.shutdownTimeoutMs,
          onDelivery: options.onDelivery,
        }),
      );
    }
  }

  log(input: ActivityInput): boolean {
    return this.clientFor(input).log(input);
  }

  logAsync(input: ActivityInput): Promise<boolean> {
    return this.clientFor(input).logAsync(input);
  }

  stats(): SinkStats {
    const total: SinkStats = { enqueued: 0, published: 0, dropped: {}, queueDepth: 0 };
    for (const client of this.clients.values()) {
      const stats = client.stats();
      total.enqueued += stats.enqueued;
      total.published += stats.published;
      total.queueDepth += stats.queueDepth;
      for (const [reason, count] of Object.entries(stats.dropped)) {
        total.dropped[reason] = (total.dropped[reason] ?? 0) + count;
      }
    }
    return total;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
  }

  private clientFor(input: ActivityInput): ActivityClient {
    return this.clients.get(sourceOf(input.type)) as ActivityClient;
  }
}
