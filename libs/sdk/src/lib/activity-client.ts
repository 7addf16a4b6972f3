import {
  admitActivityEvent,
  encodeBinary,
  formatProblems,
  getDefaultActivityCatalog,
  toActivityEvent,
  TOPICS,
  validateActivityEvent,
  type ActivityCatalog,
  type ActivityEvent,
  type ActivityInput,
  type ValidationProblem,
} from '@chronicle/contracts';
import { confirmedSend, PartitionTracker } from '@chronicle/kafka-send';
import { CompressionTypes, Kafka, logLevel, type Message, type Producer, type SASLOptions } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  DEFAULTS,
  type ActivityClientOptions,
  type DeliveryListener,
  type OverflowPolicy,
} from './activity-client.options';
import { BoundedQueue } from './bounded-queue';
import { RateLimitedWarning } from './rate-limited-warning';
import { SdkMetrics, type DropReason } from './sdk-metrics';

export type { DropReason } from './sdk-metrics';

export interface ActivityClientStats {
  enqueued: number;
  published: number;
  dropped: Record<DropReason, number>;
  queueDepth: number;
}

/** Thrown by log() only with `strict: true`, for tests of upstream code. */
export class InvalidActivityError extends Error {
  constructor(readonly problems: ValidationProblem[]) {
    super(`invalid activity event: ${formatProblems(problems)}`);
    this.name = 'InvalidActivityError';
  }
}

interface FlushWaiter {
  /** Resolved once this many events have left the queue (published or dropped). */
  settledTarget: number;
  resolve(): void;
}

interface RoomWaiter {
  resolve(hasRoom: boolean): void;
}

/**
 * Records activities from any service: `log()` builds the CloudEvent, validates it and puts it on a
 * bounded queue, synchronously and without I/O; a sender publishes the queue to Kafka in batches
 * (idempotent producer, acks=all, gzip, key = actor id), one batch in flight at a time so each
 * actor's events keep their order through retries. While Kafka is unavailable the batch is retried
 * with backoff and nothing accepted is lost as long as the queue has room.
 */
export class ActivityClient {
  private readonly catalog: ActivityCatalog;
  private readonly topic: string;
  private readonly queue: BoundedQueue<ActivityEvent>;
  private readonly metrics: SdkMetrics;
  private readonly warning: RateLimitedWarning;
  private readonly createProducer: () => Producer;
  private producer: Producer;
  /** Which partition each message went to, so that a send kafkajs cut short is completed. */
  private readonly partitions: PartitionTracker;
  private readonly batchMaxEvents: number;
  private readonly lingerMs: number;
  private readonly overflow: OverflowPolicy;
  private readonly blockTimeoutMs: number;
  private readonly compression: CompressionTypes;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly delivery: DeliveryListener | undefined;

  /** Events that ever left the queue, published or dropped: what flush() waits on. */
  private settled = 0;
  private flushWaiters: FlushWaiter[] = [];
  private roomWaiters: RoomWaiter[] = [];
  private sending = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private connected: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: ActivityClientOptions) {
    this.catalog = options.catalog ?? getDefaultActivityCatalog();
    this.topic = options.topic ?? TOPICS.events;
    this.batchMaxEvents = options.batch?.maxEvents ?? DEFAULTS.batchMaxEvents;
    this.lingerMs = options.batch?.lingerMs ?? DEFAULTS.lingerMs;
    this.overflow = options.queue?.overflow ?? 'drop-newest';
    this.blockTimeoutMs = options.queue?.blockTimeoutMs ?? DEFAULTS.blockTimeoutMs;
    this.compression = options.compression === 'none' ? CompressionTypes.None : CompressionTypes.GZIP;
    this.retryInitialMs = options.retry?.initialMs ?? DEFAULTS.retryInitialMs;
    this.retryMaxMs = options.retry?.maxMs ?? DEFAULTS.retryMaxMs;
    this.delivery = options.onDelivery;
    this.queue = new BoundedQueue(options.queue?.maxEvents ?? DEFAULTS.queueMaxEvents);
    this.metrics = new SdkMetrics(
      options.registry ?? new Registry(),
      options.source,
      () => this.queue.size,
      this.catalog.types,
    );
    const logger = options.logger ?? { warn: (message: string) => console.warn(message) };
    this.warning = new RateLimitedWarning((message) => {
      try {
        logger.warn(`[chronicle-sdk] ${message}`);
      } catch {
        // A warning must not fail log(), nor count an event twice.
      }
    }, DEFAULTS.warningIntervalMs);
    const retry = { initialRetryTime: this.retryInitialMs, maxRetryTime: this.retryMaxMs, retries: 5 };
    const kafka = new Kafka({
      clientId: options.clientId ?? (options.source.split('/').filter(Boolean).pop() || 'chronicle-sdk'),
      brokers: options.brokers,
      ...(options.security?.ssl ? { ssl: options.security.ssl } : {}),
      // kafkajs types each mechanism as a union member of its own; the fields are the same for all three.
      ...(options.security?.sasl ? { sasl: options.security.sasl as SASLOptions } : {}),
      // kafkajs logs every failed connection attempt; the SDK reports failures itself, rate-limited.
      logLevel: logLevel.NOTHING,
      // The cluster's own retries (connecting, metadata) follow the same budget as the producer's.
      retry,
    });
    const partitions = new PartitionTracker();
    this.partitions = partitions;
    this.createProducer = () =>
      kafka.producer({
        createPartitioner: partitions.createPartitioner,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Retries inside one send keep the producer's sequence numbers, so the broker discards
        // duplicates of a request written but not acknowledged. They cover blips (~3 s with the
        // defaults); longer outages are the send loop's, which resends the batch after a backoff.
        // kafkajs cannot cancel them, so their budget is also how long close() may leave a
        // connection attempt behind when Kafka is down.
        retry,
      });
    this.producer = this.createProducer();
  }

  /**
   * Builds (id, time, source), validates and enqueues the event. Synchronous, awaits no I/O and
   * never throws (unless `strict`). True when the event was queued; false when it was invalid, the
   * queue was full or the client is closed (each counted by reason). The input's metadata and
   * context objects are kept by reference until sent: do not change them after the call.
   */
  log(input: ActivityInput): boolean {
    try {
      const event = this.validEvent(input);
      if (event === undefined) return false;
      return this.enqueue(event);
    } catch (error) {
      if (error instanceof InvalidActivityError) throw error;
      this.drop('invalid');
      return false;
    }
  }

  /** Like log(); with `queue.overflow: 'block'` it waits for room up to `blockTimeoutMs` before dropping. */
  async logAsync(input: ActivityInput): Promise<boolean> {
    let event: ActivityEvent | undefined;
    try {
      event = this.validEvent(input);
    } catch (error) {
      if (error instanceof InvalidActivityError) throw error;
      this.drop('invalid');
      return false;
    }
    if (event === undefined) return false;
    if (this.queue.isFull && this.overflow === 'block' && !this.closed) {
      const hasRoom = await this.waitForRoom();
      // The room freed by close() is not for new events: nothing sends them any more.
      if (!hasRoom || this.closed) {
        this.drop(this.closed ? 'closed' : 'block_timeout', event);
        return false;
      }
    }
    return this.enqueue(event);
  }

  /** Resolves once every event queued before the call has left the queue; rejects after `timeoutMs`. */
  flush(timeoutMs: number = DEFAULTS.shutdownTimeoutMs): Promise<void> {
    // Every event enqueued so far leaves the queue by being published, or dropped at shutdown.
    const settledTarget = this.metrics.enqueued;
    if (this.settled >= settledTarget) return Promise.resolve();
    this.startSending();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.flushWaiters = this.flushWaiters.filter((waiter) => waiter !== entry);
        reject(
          new Error(`flush timed out after ${timeoutMs} ms with ${this.queue.size} events still queued`),
        );
      }, timeoutMs);
      const entry: FlushWaiter = {
        settledTarget,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.flushWaiters.push(entry);
    });
  }

  /**
   * Publishes what is queued within `shutdownTimeoutMs`, then disconnects; events still queued then
   * are dropped and counted (`shutdown`). Later log() calls are dropped (`closed`). Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /**
   * Closes the client on the first of these signals, then lets the signal take its course
   * (the default action, or the application's other handlers). Returns a function that uninstalls it.
   */
  closeOnSignals(signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): () => void {
    const handler = (signal: NodeJS.Signals) => {
      uninstall();
      void this.close().finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    };
    const uninstall = () => signals.forEach((signal) => process.off(signal, handler));
    signals.forEach((signal) => process.once(signal, handler));
    return uninstall;
  }

  stats(): ActivityClientStats {
    return {
      enqueued: this.metrics.enqueued,
      published: this.metrics.published,
      dropped: Object.fromEntries(this.metrics.droppedByReason) as Record<DropReason, number>,
      queueDepth: this.queue.size,
    };
  }

  private validEvent(input: ActivityInput): ActivityEvent | undefined {
    if (this.closed) {
      this.drop('closed');
      return undefined;
    }
    const event = toActivityEvent(input, { source: this.options.source });
    const result = validateActivityEvent(event, this.catalog);
    let problems = result.ok ? undefined : result.problems;
    if (problems === undefined) {
      // Only an event with an explicit time can fall outside the window: the SDK stamps the others now.
      const admission =
        input?.time === undefined ? undefined : admitActivityEvent(event, Date.now(), this.options.admission);
      if (admission === undefined || admission.admitted) return event;
      problems = [admission.problem];
    }
    if (this.options.strict) throw new InvalidActivityError(problems);
    this.drop('invalid', event);
    const type =
      typeof input?.type === 'string' && this.catalog.has(input.type) ? input.type : 'an unknown type';
    this.warning.warn(`dropped an invalid event of ${type}: ${formatProblems(problems.slice(0, 5))}`);
    return undefined;
  }

  private enqueue(event: ActivityEvent): boolean {
    if (!this.queue.push(event)) {
      this.drop('queue_full', event);
      this.warning.warn(`the send queue is full (${this.queue.capacity} events): dropping new events`);
      return false;
    }
    this.metrics.countEnqueued(event.type);
    if (this.queue.size >= this.batchMaxEvents) this.startSending();
    else this.lingerTimer ??= unrefTimer(() => this.startSending(), this.lingerMs);
    return true;
  }

  /** One event dropped; `event` when it could be built. Allocates only for a listener. */
  private drop(reason: DropReason, event?: ActivityEvent): void {
    this.metrics.countDropped(reason);
    if (this.delivery?.dropped === undefined) return;
    try {
      this.delivery.dropped(reason, 1, event === undefined ? NO_EVENTS : [event]);
    } catch {
      // The listener's own failure: the client goes on (see ActivityClientOptions.onDelivery).
    }
  }

  /** The batch at the head of the queue, acknowledged by Kafka: to the listener before settle(). */
  private reportPublished(count: number): void {
    if (this.delivery?.published === undefined) return;
    try {
      this.delivery.published(this.queue.peek(count));
    } catch {
      // As in drop().
    }
  }

  /** What close() could not publish, still queued: to the listener before settle(). */
  private reportShutdown(count: number): void {
    if (this.delivery?.dropped === undefined) return;
    try {
      this.delivery.dropped('shutdown', count, this.queue.peek(count));
    } catch {
      // As in drop().
    }
  }

  private startSending(): void {
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
    if (this.sending || this.queue.size === 0) return;
    this.sending = true;
    void this.sendQueued().finally(() => {
      this.sending = false;
      if (this.queue.size > 0 && !this.closed)
        this.lingerTimer ??= unrefTimer(() => this.startSending(), this.lingerMs);
    });
  }

  /**
   * Sends batches until the queue is empty; a failed batch stays at the head and is retried with
   * backoff. The next batch is encoded while Kafka works on the current one.
   */
  private async sendQueued(): Promise<void> {
    let backoffMs = this.retryInitialMs;
    let encodedHead: Message[] | undefined;
    while (this.queue.size > 0 && !this.closed) {
      const messages = encodedHead ?? encodeBatch(this.queue.peek(this.batchMaxEvents));
      encodedHead = undefined;
      const began = process.hrtime.bigint();
      try {
        await this.connect();
        const sent = confirmedSend(
          this.producer,
          this.partitions,
          { topic: this.topic, acks: -1, compression: this.compression, messages },
          (unconfirmed) =>
            this.warning.warn(
              `Kafka's answer left out some partitions (a leader moved); sending their ${unconfirmed} events again`,
            ),
        );
        encodedHead = encodeBatch(this.queue.peek(this.batchMaxEvents, messages.length));
        await sent;
      } catch (error) {
        encodedHead = messages;
        this.connected = undefined;
        this.metrics.countPublishError();
        if (lostProducerState(error)) await this.replaceProducer(error);
        this.warning.warn(
          `publishing to Kafka failed (${describe(error)}); retrying in ${backoffMs} ms with ${this.queue.size} events queued`,
        );
        await new Promise((resolve) => unrefTimer(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, this.retryMaxMs);
        continue;
      }
      // A batch that outlived close() was already counted as dropped ('shutdown') and removed.
      if (this.closed) return;
      backoffMs = this.retryInitialMs;
      this.metrics.countPublished(messages.length, Number(process.hrtime.bigint() - began) / 1e9);
      this.reportPublished(messages.length);
      this.settle(messages.length);
      if (encodedHead.length === 0) encodedHead = undefined;
    }
  }

  /** Removes `count` events from the head, wakes whoever waits for room or for a flush. */
  private settle(count: number): void {
    this.queue.remove(count);
    this.settled += count;
    // Each freed place goes to one waiter, oldest first; it enqueues as soon as it resumes.
    for (const waiter of this.roomWaiters.splice(0, count)) waiter.resolve(true);
    if (this.flushWaiters.length > 0) {
      const remaining: FlushWaiter[] = [];
      for (const waiter of this.flushWaiters) {
        if (this.settled >= waiter.settledTarget) waiter.resolve();
        else remaining.push(waiter);
      }
      this.flushWaiters = remaining;
    }
  }

  private waitForRoom(): Promise<boolean> {
    if (this.roomWaiters.length >= this.queue.capacity) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.roomWaiters = this.roomWaiters.filter((waiter) => waiter !== entry);
        resolve(false);
      }, this.blockTimeoutMs);
      const entry: RoomWaiter = {
        resolve: (hasRoom) => {
          clearTimeout(timer);
          resolve(hasRoom);
        },
      };
      this.roomWaiters.push(entry);
    });
  }

  /**
   * After an outage the broker and kafkajs can disagree on this producer's sequence numbers, and
   * kafkajs never recovers from that by itself (the Java client bumps the producer epoch). A new
   * producer gets a new producer id and starts its sequences afresh. The batch that failed was
   * rejected, so resending it does not duplicate it.
   */
  private async replaceProducer(cause: unknown): Promise<void> {
    this.warning.warn(
      `Kafka lost track of this producer (${describe(cause)}); continuing with a new producer id`,
    );
    const stale = this.producer;
    this.producer = this.createProducer();
    await stale.disconnect().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }

  private async shutdown(): Promise<void> {
    const timeoutMs = this.options.shutdownTimeoutMs ?? DEFAULTS.shutdownTimeoutMs;
    try {
      await this.flush(timeoutMs);
    } catch {
      this.warning.warn(
        `closing with ${this.queue.size} events unpublished after ${timeoutMs} ms: they are dropped`,
      );
    }
    this.closed = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    const unpublished = this.queue.size;
    if (unpublished > 0) {
      this.metrics.countDropped('shutdown', unpublished);
      this.reportShutdown(unpublished);
      this.settle(unpublished);
    }
    for (const waiter of this.roomWaiters.splice(0)) waiter.resolve(false);
    await this.producer.disconnect().catch(() => undefined);
  }
}

const NO_EVENTS: readonly ActivityEvent[] = Object.freeze([]);

function encodeBatch(events: readonly ActivityEvent[]): Message[] {
  return events.map((event) => {
    const { key, value, headers } = encodeBinary(event);
    return { key, value, headers };
  });
}

function unrefTimer(callback: (value?: unknown) => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return timer;
}

const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

/** Whether Kafka refused the batch because it no longer agrees with this producer's id or sequences. */
function lostProducerState(error: unknown): boolean {
  for (
    let current = error;
    current instanceof Error;
    current = (current as { originalError?: unknown }).originalError ?? current.cause
  ) {
    if (PRODUCER_STATE_ERRORS.has((current as { type?: string }).type ?? '')) return true;
  }
  return false;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
