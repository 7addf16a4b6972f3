import { decodeActivityEvent, type ActivityCatalog, type ActivityEvent } from '@chronicle/contracts';
import type { ActivityFilter, ActivityRecord } from '@chronicle/events-store';
import { errorMessage, type Logger } from '@chronicle/observability';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Consumer, Kafka } from 'kafkajs';
import type { GatewayMetrics } from '../gateway.metrics';
import { matchesFilter, toActivityRecord } from './activity-match';

export type LiveListener = (activity: ActivityRecord) => void;

interface Subscription {
  filter: ActivityFilter;
  listener: LiveListener;
}

/**
 * The live feed: every gateway instance reads the events topic from its end, in a consumer group of
 * its own (so each instance sees every event), and hands each valid event to the subscriptions whose
 * filters it passes. Nothing is committed: a restarted instance starts from "now" again, which is
 * what a live view wants. This is not the workers' BatchConsumer on purpose: that one exists to
 * never skip a record, this one to never lag behind.
 */
export class LiveFeed {
  private readonly subscriptions = new Set<Subscription>();
  private readonly consumer: Consumer;
  private joined = false;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    private readonly catalog: ActivityCatalog,
    private readonly metrics: GatewayMetrics,
    private readonly logger: Logger,
  ) {
    this.consumer = kafka.consumer({
      groupId: `chronicle-gateway-live.${hostname()}.${randomUUID()}`,
      // Return a fetch as soon as one record is there: latency, not throughput, is the point here.
      minBytes: 1,
      maxWaitTimeInMs: 250,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.joined = false;
      this.logger.warn('live feed consumer crashed; kafkajs restarts it', {
        error: errorMessage(event.payload.error),
      });
    });
  }

  /** Whether the consumer is in its group, reading: the feed is live. */
  get ready(): boolean {
    return this.joined;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: false });
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch }) => {
        if (this.subscriptions.size === 0) return;
        for (const message of batch.messages) {
          const decoded = decodeActivityEvent(message, this.catalog);
          if (decoded.ok) this.publish(decoded.event, new Date(Number(message.timestamp)));
        }
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  /** Calls `listener` with each new activity passing `filter`; returns the unsubscribe function. */
  subscribe(filter: ActivityFilter, listener: LiveListener): () => void {
    const subscription = { filter, listener };
    this.subscriptions.add(subscription);
    this.metrics.liveSubscribers.inc();
    return () => {
      if (this.subscriptions.delete(subscription)) this.metrics.liveSubscribers.dec();
    };
  }

  private publish(event: ActivityEvent, receivedAt: Date): void {
    let record: ActivityRecord | undefined;
    for (const { filter, listener } of this.subscriptions) {
      if (!matchesFilter(event, filter)) continue;
      record ??= toActivityRecord(event, receivedAt);
      this.metrics.liveDelivered.inc();
      try {
        listener(record);
      } catch (error) {
        this.logger.warn('a live feed subscriber failed', { error: errorMessage(error) });
      }
    }
  }
}
