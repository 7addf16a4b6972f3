import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { errorMessage, storeErrorSummary } from '@chronicle/observability';
import { Gauge, type Registry } from 'prom-client';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.util';
import { partitionLag, PartitionProgress, type PartitionStall } from './partition-progress';

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
  /** Where `chronicle_kafka_consumer_lag` and `chronicle_kafka_consumer_lag_seconds` go. */
  registry?: Registry;
  /**
   * How often the lag of the member's partitions is asked of the broker (the group's committed offset
   * against the partition's end), whatever the consumer is doing. Default 5 s.
   */
  lagPollIntervalMs?: number;
  /** Told when asking the broker for the lag fails, once per run of failures (the gauges keep their last values). */
  onLagPollError?(error: unknown): void;
  /**
   * A partition that does not move this long is stalled: a batch handed over and not committed, or
   * records waiting on the broker while the consumer hands over no batch at all. `state` lists it (so
   * /health says not ready) and `onStall` is told once. Default 60 s.
   */
  stallAfterMs?: number;
  /** Told once per stall: which partition, why, since when, and the last error (without values). */
  onStall?(stall: PartitionStall): void;
}

export const DEFAULT_STALL_AFTER_MS = 60_000;
export const DEFAULT_LAG_POLL_INTERVAL_MS = 5_000;

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
  private readonly lag?: LagGauges;
  private readonly progress: PartitionProgress;
  private joined = false;
  private crashed: Error | undefined;
  /** kafkajs gave up on the consumer (a crash it does not restart): the process must be restarted. */
  private dead = false;
  private retrying = 0;
  private admin: Admin | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  private lagPoll: Promise<void> | undefined;
  private lagPollFailing = false;
  private stopped = false;

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
    this.progress = new PartitionProgress(options.topic, options.stallAfterMs ?? DEFAULT_STALL_AFTER_MS);
    if (options.registry) {
      this.lag = lagGauges(options.registry);
      this.lag.sources.add(this.reportLagSeconds);
    }
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      this.joined = true;
      this.crashed = undefined;
      // Partitions this member no longer owns must not report a lag that someone else now works off.
      const lost = this.progress.assign(event.payload.memberAssignment[options.topic] ?? [], Date.now());
      for (const partition of lost) this.removeLag(partition);
      void this.pollLag();
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.joined = false;
      this.crashed = event.payload.error;
      if (!event.payload.restart) this.dead = true;
    });
  }

  async start(): Promise<void> {
    // A batch can hang without failing (a lock wait, a store that never answers): a timer notices.
    const stallAfterMs = this.options.stallAfterMs ?? DEFAULT_STALL_AFTER_MS;
    this.stallTimer = setInterval(
      () => this.reportStalls(),
      Math.min(5_000, Math.max(100, stallAfterMs / 4)),
    );
    this.stallTimer.unref();
    // Measured from the broker on a timer, so that a stuck or crashed consumer shows its lag growing.
    this.lagTimer = setInterval(
      () => void this.pollLag(),
      this.options.lagPollIntervalMs ?? DEFAULT_LAG_POLL_INTERVAL_MS,
    );
    this.lagTimer.unref();
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
    clearInterval(this.lagTimer);
    try {
      await this.consumer.disconnect();
    } finally {
      this.stopped = true;
      await this.lagPoll;
      for (const partition of this.progress.clear()) this.removeLag(partition);
      this.lag?.sources.delete(this.reportLagSeconds);
      await this.admin?.disconnect();
    }
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
      stalled: this.progress.stalls(Date.now()),
      ...(this.crashed ? { crashed: this.crashed.message } : {}),
    };
  }

  /** Whether the consumer is making progress: joined, not crashed, no partition stalled. */
  get healthy(): boolean {
    const state = this.state;
    return state.joined && state.crashed === undefined && state.stalled.length === 0;
  }

  /** False once kafkajs has given up on the consumer: only a restart of the process brings it back. */
  get live(): boolean {
    return !this.dead;
  }

  private reportStalls(): void {
    for (const stall of this.progress.newStalls(Date.now())) this.options.onStall?.(stall);
  }

  /** Asks the broker for the lag of every owned partition (and sets the gauge); one poll at a time. */
  private pollLag(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.lagPoll ??= this.measureLag()
      .then(
        () => {
          this.lagPollFailing = false;
        },
        (error: unknown) => {
          if (!this.lagPollFailing) this.options.onLagPollError?.(error);
          this.lagPollFailing = true;
        },
      )
      .finally(() => {
        this.lagPoll = undefined;
      });
    return this.lagPoll;
  }

  private async measureLag(): Promise<void> {
    const owned = this.progress.owned();
    if (owned.length === 0) return;
    const { groupId, topic } = this.options;
    this.admin ??= this.options.kafka.admin();
    await this.admin.connect();
    // Taken before the end is read: a record appended later is newer than a "caught up" found now.
    const measuredAt = Date.now();
    const ends = await this.admin.fetchTopicOffsets(topic);
    const [committed] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    const committedBy = new Map(committed?.partitions.map((p) => [p.partition, p.offset] as const));
    for (const end of ends) {
      if (!owned.includes(end.partition)) continue;
      const lag = partitionLag(
        { committed: committedBy.get(end.partition) ?? '-1', low: end.low, high: end.high },
        this.options.fromBeginning ?? true,
      );
      this.progress.measured(end.partition, lag, measuredAt);
      this.lag?.records.set({ topic, partition: end.partition }, lag);
    }
  }

  /** For the scrape: the age of the oldest unprocessed record of each partition measured at least once. */
  private readonly reportLagSeconds = (gauge: LagGauge, now: number): void => {
    for (const partition of this.progress.owned())
      if (this.progress.lag(partition) !== undefined)
        gauge.set({ topic: this.options.topic, partition }, this.progress.lagSeconds(partition, now));
  };

  private removeLag(partition: number): void {
    this.lag?.records.remove({ topic: this.options.topic, partition });
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const consumed: ConsumedBatch = {
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages,
    };
    this.progress.batchStarted(batch.partition, Number(batch.messages[0]?.timestamp), Date.now());
    let handled: boolean;
    try {
      handled = await this.handleUntilDone(consumed, payload);
    } catch (error) {
      this.progress.batchEnded(batch.partition, Date.now());
      throw error;
    }
    // Given up (stopping, or the partition went to another member): no longer this member's to report.
    if (!handled) {
      this.progress.batchEnded(batch.partition, Date.now());
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
    } catch (error) {
      this.progress.batchEnded(batch.partition, Date.now());
      throw error;
    }
    this.progress.batchEnded(batch.partition, Date.now(), Number(batch.messages.at(-1)?.timestamp));
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
          this.progress.batchFailed(batch.partition, storeErrorSummary(error));
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

type LagGauge = Gauge<'topic' | 'partition'>;

interface LagGauges {
  records: LagGauge;
  seconds: LagGauge;
  /** The consumers whose lag in seconds is computed when the registry is scraped. */
  sources: Set<(gauge: LagGauge, now: number) => void>;
}

const lagGaugesByRegistry = new WeakMap<Registry, LagGauges>();

/**
 * One pair of gauges per registry, shared by the consumers of a process (they differ by topic). The
 * lag in records is the broker's last answer; the lag in seconds is computed at each scrape, so that
 * a batch stuck in flight shows its age to the second.
 */
function lagGauges(registry: Registry): LagGauges {
  const existing = lagGaugesByRegistry.get(registry);
  if (existing) return existing;
  const sources = new Set<(gauge: LagGauge, now: number) => void>();
  const gauges: LagGauges = {
    records: new Gauge({
      name: 'chronicle_kafka_consumer_lag',
      help: "Records between the group's committed offset and the end of each partition this member owns, asked of the broker on a timer.",
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
    seconds: new Gauge({
      name: 'chronicle_kafka_consumer_lag_seconds',
      help: 'Age of the oldest unprocessed record of each partition this member owns, 0 when caught up: exact while its batch is handled, else an upper bound (the last committed record, the last time it was caught up).',
      labelNames: ['topic', 'partition'],
      registers: [registry],
      collect() {
        this.reset();
        const now = Date.now();
        for (const source of sources) source(this, now);
      },
    }),
    sources,
  };
  lagGaugesByRegistry.set(registry, gauges);
  return gauges;
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
    error(
      stall.reason === 'batch_not_committed'
        ? 'partition stalled: a batch has not been committed; the worker reports not ready'
        : 'partition stalled: records are waiting and no batch has been fetched; the worker reports not ready',
      { ...stall },
    );
}

/** An `onLagPollError` that logs as a warning: the lag gauges keep their last values meanwhile. */
export function logLagPollErrors(
  warn: (message: string, fields: Record<string, unknown>) => void,
): NonNullable<BatchConsumerOptions['onLagPollError']> {
  return (error) =>
    warn('consumer lag not measured; keeping the last values', { error: errorMessage(error) });
}
