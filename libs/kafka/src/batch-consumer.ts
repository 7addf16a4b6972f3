import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { storeErrorSummary } from '@chronicle/observability';
import { Gauge, type Registry } from 'prom-client';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.util';

/** One partition's batch, handed to the handler. */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  /** Where a group without committed offsets starts; true for projections, which want the whole topic. */
  fromBeginning?: boolean;
  /**
   * Resolves only once the batch is durably handled; then its offsets are committed. A throw means
   * "not handled": the same batch is tried again after a backoff, the partition paused meanwhile.
   */
  handleBatch(batch: ConsumedBatch): Promise<void>;
  backoff?: BackoffOptions;
  /** Told about every failed attempt, e.g. to log it and count it. */
  onRetry?(error: unknown, attempt: number, delayMs: number, batch: ConsumedBatch): void;
  /** Partitions handled at once; >1 overlaps one partition's decoding with another's write. */
  partitionsConsumedConcurrently?: number;
  /** Bounds a batch: kafkajs fetches up to this much per partition. */
  maxBytesPerPartition?: number;
  /**
   * Batching by size and by time, done by the broker: a fetch waits until this many bytes are there
   * or `maxWaitTimeMs` has passed (defaults: 1 byte, 250 ms).
   */
  minBytes?: number;
  maxWaitTimeMs?: number;
  /** Where `chronicle_kafka_consumer_lag` goes. */
  registry?: Registry;
  /**
   * A partition whose batch has not been committed this long after it arrived is stalled: `state`
   * lists it (so /health says not ready) and `onStall` is told once. Default 60 s.
   */
  stallAfterMs?: number;
  /** Told once per stalled batch: which partition, for how long, and the last error (without values). */
  onStall?(stall: PartitionStall): void;
}

/** A partition that has held the same batch, uncommitted, for longer than `stallAfterMs`. */
export interface PartitionStall {
  topic: string;
  partition: number;
  /** Since the batch arrived. */
  forMs: number;
  /** The last failed attempt's error, summarised without values; absent while the first attempt runs. */
  error?: string;
}

export const DEFAULT_STALL_AFTER_MS = 60_000;

/** How long a handler may run before its batch's group membership is refreshed. */
const HEARTBEAT_EVERY_MS = 2_000;
/** Waits between retries are cut into steps this long, to heartbeat and to notice a stop. */
const WAIT_STEP_MS = 500;

/**
 * A kafkajs consumer with Chronicle's delivery rules: a batch is handed over whole, offsets are
 * committed only after the handler says it is durably done, a failing handler is retried (the batch
 * kept, the partition paused, the group heartbeated) until it succeeds, and nothing is skipped.
 * Handlers must be idempotent: after a crash or a rebalance the last uncommitted batch comes again.
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private readonly lag?: Gauge<'topic' | 'partition'>;
  private joined = false;
  private crashed: Error | undefined;
  private retrying = 0;
  private assigned: number[] = [];
  /** Partitions with a batch handed over and not yet committed: since when, and the last error. */
  private readonly inFlight = new Map<number, { since: number; error?: string; reported: boolean }>();
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BatchConsumerOptions) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 4 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
      minBytes: options.minBytes ?? 1,
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 250,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    if (options.registry) this.lag = lagGauge(options.registry);
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      this.joined = true;
      this.crashed = undefined;
      // Partitions this member no longer owns must not report a lag that someone else now works off.
      for (const partition of this.assigned) this.lag?.remove({ topic: options.topic, partition });
      this.assigned = event.payload.memberAssignment[options.topic] ?? [];
      for (const partition of this.inFlight.keys())
        if (!this.assigned.includes(partition)) this.inFlight.delete(partition);
      for (const partition of this.assigned) this.lag?.set({ topic: options.topic, partition }, 0);
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.joined = false;
      this.crashed = event.payload.error;
    });
  }

  async start(): Promise<void> {
    // A batch can hang without failing (a lock wait, a store that never answers): a timer notices.
    const stallAfterMs = this.stallAfterMs;
    this.stallTimer = setInterval(
      () => this.reportStalls(),
      Math.min(5_000, Math.max(100, stallAfterMs / 4)),
    );
    this.stallTimer.unref();
    await this.consumer.connect();
    await this.consumer.subscribe({
      topic: this.options.topic,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /** Finishes the batch in flight (or gives up its retries, uncommitted), then leaves the group. */
  async stop(): Promise<void> {
    clearInterval(this.stallTimer);
    await this.consumer.disconnect();
  }

  get topic(): string {
    return this.options.topic;
  }

  /**
   * For /health: in the group and not crashed, and no partition stalled; `retrying` counts partitions
   * waiting on the handler.
   */
  get state(): { joined: boolean; crashed?: string; retrying: number; stalled: PartitionStall[] } {
    return {
      joined: this.joined,
      retrying: this.retrying,
      stalled: this.stalls(),
      ...(this.crashed ? { crashed: this.crashed.message } : {}),
    };
  }

  /** Whether the consumer is making progress: joined, not crashed, no partition stalled. */
  get healthy(): boolean {
    const state = this.state;
    return state.joined && state.crashed === undefined && state.stalled.length === 0;
  }

  private get stallAfterMs(): number {
    return this.options.stallAfterMs ?? DEFAULT_STALL_AFTER_MS;
  }

  private stalls(now = Date.now()): PartitionStall[] {
    const stalls: PartitionStall[] = [];
    for (const [partition, flight] of this.inFlight) {
      const forMs = now - flight.since;
      if (forMs >= this.stallAfterMs)
        stalls.push({
          topic: this.options.topic,
          partition,
          forMs,
          ...(flight.error !== undefined ? { error: flight.error } : {}),
        });
    }
    return stalls;
  }

  private reportStalls(): void {
    for (const stall of this.stalls()) {
      const flight = this.inFlight.get(stall.partition);
      if (flight === undefined || flight.reported) continue;
      flight.reported = true;
      this.options.onStall?.(stall);
    }
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const consumed: ConsumedBatch = {
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages,
    };
    if (!this.inFlight.has(batch.partition))
      this.inFlight.set(batch.partition, { since: Date.now(), reported: false });
    let handled: boolean;
    try {
      handled = await this.handleUntilDone(consumed, payload);
    } catch (error) {
      this.inFlight.delete(batch.partition);
      throw error;
    }
    // Given up (stopping, or the partition went to another member): no longer this member's to report.
    if (!handled) {
      this.inFlight.delete(batch.partition);
      return;
    }
    const lastOffset = batch.lastOffset();
    payload.resolveOffset(lastOffset);
    const next = (BigInt(lastOffset) + 1n).toString();
    // A commit that fails because the group is rebalancing throws to kafkajs, which rejoins; the batch
    // comes again to whoever owns the partition next, and the handler's idempotence absorbs it.
    try {
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }],
      });
    } finally {
      // Committed, or handed back to kafkajs with the group: either way no longer this batch's to report.
      this.inFlight.delete(batch.partition);
    }
    this.lag?.set(
      { topic: batch.topic, partition: batch.partition },
      Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(next))),
    );
  }

  /** True once handled; false when the consumer stops or loses the partition first. */
  private async handleUntilDone(batch: ConsumedBatch, payload: EachBatchPayload): Promise<boolean> {
    let resume: (() => void) | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.withHeartbeats(payload, () => this.options.handleBatch(batch));
          return true;
        } catch (error) {
          // kafkajs rejoins the group on its own rebalance errors; the batch goes to the next owner.
          if (error instanceof GroupMembershipLost) throw error.cause;
          if (!payload.isRunning() || payload.isStale()) return false;
          if (resume === undefined) {
            resume = payload.pause();
            this.retrying++;
          }
          const flight = this.inFlight.get(batch.partition);
          if (flight !== undefined) flight.error = storeErrorSummary(error);
          const delayMs = backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF);
          this.options.onRetry?.(error, attempt, delayMs, batch);
          if (!(await this.wait(delayMs, payload))) return false;
        }
      }
    } finally {
      if (resume !== undefined) {
        this.retrying--;
        resume();
      }
    }
  }

  /** Runs `work` while heartbeating; a heartbeat refused because the group rebalances is thrown after it. */
  private async withHeartbeats<T>(payload: EachBatchPayload, work: () => Promise<T>): Promise<T> {
    let heartbeatError: unknown;
    const timer = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => {
        heartbeatError ??= error;
      });
    }, HEARTBEAT_EVERY_MS);
    let result: T;
    try {
      result = await work();
    } finally {
      clearInterval(timer);
    }
    if (heartbeatError !== undefined) throw new GroupMembershipLost(heartbeatError);
    return result;
  }

  /** Waits `ms` while heartbeating; false when the consumer is stopping. Rebalance errors propagate. */
  private async wait(ms: number, payload: EachBatchPayload): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!payload.isRunning()) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(WAIT_STEP_MS, until - Date.now())));
      await payload.heartbeat();
    }
    return payload.isRunning();
  }
}

const LAG_METRIC = 'chronicle_kafka_consumer_lag';

/** One gauge per registry, shared by the consumers of a process (they differ by topic). */
function lagGauge(registry: Registry): Gauge<'topic' | 'partition'> {
  const existing = registry.getSingleMetric(LAG_METRIC);
  if (existing) return existing as Gauge<'topic' | 'partition'>;
  return new Gauge({
    name: LAG_METRIC,
    help: 'Records behind the end of each assigned partition, after the last commit.',
    labelNames: ['topic', 'partition'],
    registers: [registry],
  });
}

/** The group moved on while a batch was being handled: not retried, the partition may be another's now. */
class GroupMembershipLost extends Error {
  constructor(override readonly cause: unknown) {
    super(
      `lost group membership while handling a batch: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

/** An `onRetry` that logs each failed attempt as a warning: where, which attempt, the next wait, why. */
export function logRetries(
  warn: (message: string, fields: Record<string, unknown>) => void,
  message: string,
): NonNullable<BatchConsumerOptions['onRetry']> {
  return (error, attempt, delayMs, batch) =>
    warn(message, {
      topic: batch.topic,
      partition: batch.partition,
      attempt,
      delayMs,
      error: storeErrorSummary(error),
    });
}

/** An `onStall` that logs a stalled partition as an error: which one, for how long, the last error. */
export function logStalls(
  error: (message: string, fields: Record<string, unknown>) => void,
): NonNullable<BatchConsumerOptions['onStall']> {
  return (stall) =>
    error('partition stalled: a batch has not been committed; the worker reports not ready', { ...stall });
}
