import {
  admitActivityEvent,
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
import { Registry } from 'prom-client';
import {
  DEFAULTS,
  type ActivityClientOptions,
  type DeliveryListener,
  type ErrorListener,
  type OverflowPolicy,
  type TestActivityClientOptions,
} from './activity-client.options';
import { BatchRefusedError, describeError, type BatchPublisher, type EncodedBatch } from './batch-publisher';
import { BoundedQueue } from './bounded-queue';
import { HttpPublisher } from './http-publisher';
import { KafkaPublisher } from './kafka-publisher';
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
 * (idempotent producer, acks=all, gzip, key = actor id; or to the gateway's HTTP collector with
 * `transport: { kind: 'http' }`), one batch in flight at a time so each
 * actor's events keep their order through retries. While Kafka is unavailable the batch is retried
 * with backoff and nothing accepted is lost as long as the queue has room.
 */
export class ActivityClient {
  private readonly catalog: ActivityCatalog;
  private readonly queue: BoundedQueue<ActivityEvent>;
  private readonly metrics: SdkMetrics;
  private readonly warning: RateLimitedWarning;
  private readonly publisher: BatchPublisher;
  private readonly batchMaxEvents: number;
  private readonly lingerMs: number;
  private readonly overflow: OverflowPolicy;
  private readonly blockTimeoutMs: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly delivery: DeliveryListener | undefined;
  private readonly errorListener: ErrorListener | undefined;
  private readonly disabled: boolean;

  /** Events that ever left the queue, published or dropped: what flush() waits on. */
  private settled = 0;
  private flushWaiters: FlushWaiter[] = [];
  private roomWaiters: RoomWaiter[] = [];
  private sending = false;
  private lingerTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: ActivityClientOptions) {
    this.catalog = options.catalog ?? getDefaultActivityCatalog();
    this.batchMaxEvents =
      options.batch?.maxEvents ??
      (options.transport?.kind === 'http' ? DEFAULTS.httpBatchMaxEvents : DEFAULTS.batchMaxEvents);
    this.lingerMs = options.batch?.lingerMs ?? DEFAULTS.lingerMs;
    this.overflow = options.queue?.overflow ?? 'drop-newest';
    this.blockTimeoutMs = options.queue?.blockTimeoutMs ?? DEFAULTS.blockTimeoutMs;
    this.retryInitialMs = options.retry?.initialMs ?? DEFAULTS.retryInitialMs;
    this.retryMaxMs = options.retry?.maxMs ?? DEFAULTS.retryMaxMs;
    this.delivery = options.onDelivery;
    this.errorListener = options.onError;
    this.disabled = options.disabled === true;
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
    const warn = (message: string) => this.warning.warn(message);
    const transport = options.transport ?? { kind: 'kafka' };
    if (transport.kind === 'http') {
      this.publisher = new HttpPublisher(transport);
    } else {
      if (options.brokers === undefined && !this.disabled)
        throw new Error('ActivityClient: `brokers` is required with the Kafka transport');
      this.publisher = new KafkaPublisher({
        ...options,
        brokers: options.brokers ?? [],
        topic: options.topic ?? TOPICS.events,
        retry: { initialMs: this.retryInitialMs, maxMs: this.retryMaxMs },
        warn,
      });
    }
  }

  /**
   * A client for the tests of the code that logs: it validates each event as the real one does
   * (`strict` by default, so that an invalid event fails the test) and keeps what it accepted in
   * memory, readable with `captured()`, instead of sending it. No Kafka.
   */
  static forTesting(options: TestActivityClientOptions = {}): TestActivityClient {
    return new TestActivityClient({ source: '/test', strict: true, ...options, brokers: [] });
  }

  /**
   * Builds (id, time, source), validates and enqueues the event. Synchronous, awaits no I/O and
   * never throws (unless `strict`). True when the event was queued; false when it was invalid, the
   * queue was full or the client is closed (each counted by reason). The input's metadata and
   * context objects are kept by reference until sent: do not change them after the call.
   */
  log(input: ActivityInput): boolean {
    if (this.disabled) return true;
    try {
      const event = this.validEvent(input);
      if (event === undefined) return false;
      return this.enqueue(event);
    } catch (error) {
      if (error instanceof InvalidActivityError) throw error;
      this.drop('invalid', undefined, error);
      return false;
    }
  }

  /** Like log(); with `queue.overflow: 'block'` it waits for room up to `blockTimeoutMs` before dropping. */
  async logAsync(input: ActivityInput): Promise<boolean> {
    if (this.disabled) return true;
    let event: ActivityEvent | undefined;
    try {
      event = this.validEvent(input);
    } catch (error) {
      if (error instanceof InvalidActivityError) throw error;
      this.drop('invalid', undefined, error);
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
    this.drop('invalid', event, this.errorListener && new InvalidActivityError(problems));
    const type =
      typeof input?.type === 'string' && this.catalog.has(input.type) ? input.type : 'an unknown type';
    this.warning.warn(`dropped an invalid event of ${type}: ${formatProblems(problems.slice(0, 5))}`);
    return undefined;
  }

  /**
   * Takes the event instead of the queue when it returns true (the test client's memory); the
   * event then counts as published at once.
   */
  protected capture(_event: ActivityEvent): boolean {
    return false;
  }

  private enqueue(event: ActivityEvent): boolean {
    if (this.capture(event)) {
      this.metrics.countEnqueued(event.type);
      this.metrics.countPublished(1, 0);
      this.settled += 1;
      if (this.delivery?.published !== undefined) this.report(() => this.delivery?.published?.([event]));
      return true;
    }
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
  private drop(reason: DropReason, event?: ActivityEvent, cause?: unknown): void {
    this.metrics.countDropped(reason);
    this.reportError(reason, 1, cause);
    if (this.delivery?.dropped === undefined) return;
    try {
      this.delivery.dropped(reason, 1, event === undefined ? NO_EVENTS : [event]);
    } catch {
      // The listener's own failure: the client goes on (see ActivityClientOptions.onDelivery).
    }
  }

  /** To `onError`, if any: `cause` when there is one, else an error that names the drop reason. */
  private reportError(reason: DropReason | 'publish_failed', events: number, cause?: unknown): void {
    const listener = this.errorListener;
    if (listener === undefined) return;
    const error =
      cause instanceof Error
        ? cause
        : new Error(
            cause === undefined ? `${events} event(s) dropped: ${DROP_MESSAGES[reason]}` : String(cause),
          );
    this.report(() => listener(error, { events, reason }));
  }

  /** Calls a listener; what it throws is ignored (see ActivityClientOptions.onDelivery / onError). */
  private report(call: () => void): void {
    try {
      call();
    } catch {
      // The listener's own failure: the client goes on.
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
    let encodedHead: EncodedBatch | undefined;
    while (this.queue.size > 0 && !this.closed) {
      const batch = encodedHead ?? this.publisher.encode(this.queue.peek(this.batchMaxEvents));
      encodedHead = undefined;
      const began = process.hrtime.bigint();
      let refused: readonly number[];
      try {
        const sent = this.publisher.send(batch);
        encodedHead = this.publisher.encode(this.queue.peek(this.batchMaxEvents, batch.count));
        refused = await sent;
      } catch (error) {
        if (error instanceof BatchRefusedError) {
          this.dropRefused(batch.count, error);
          encodedHead = undefined;
          continue;
        }
        encodedHead = batch;
        this.metrics.countPublishError();
        this.reportError('publish_failed', batch.count, error);
        await this.publisher.recover(error);
        this.warning.warn(
          `publishing to ${this.publisher.name} failed (${describeError(error)}); retrying in ${backoffMs} ms with ${this.queue.size} events queued`,
        );
        await new Promise((resolve) => unrefTimer(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, this.retryMaxMs);
        continue;
      }
      // A batch that outlived close() was already counted as dropped ('shutdown') and removed.
      if (this.closed) return;
      backoffMs = this.retryInitialMs;
      const seconds = Number(process.hrtime.bigint() - began) / 1e9;
      this.metrics.countPublished(batch.count - refused.length, seconds);
      if (refused.length === 0) this.reportPublished(batch.count);
      else this.reportRefused(batch.count, refused);
      this.settle(batch.count);
      if (encodedHead.count === 0) encodedHead = undefined;
    }
  }

  /** A whole batch the receiver refused for good: dropped (`refused`), so the queue behind it moves on. */
  private dropRefused(count: number, error: BatchRefusedError): void {
    const events = this.queue.peek(count);
    this.metrics.countDropped('refused', count);
    this.warning.warn(
      `${this.publisher.name} refused a batch of ${count} events for good (${error.message})`,
    );
    this.reportError('refused', count, error);
    this.report(() => this.delivery?.dropped?.('refused', count, events));
    this.settle(count);
  }

  /**
   * A batch the collector stored except for the events it refused for good (e.g. a `source` that is
   * not its API key's): those count as dropped (`invalid`).
   */
  private reportRefused(count: number, refused: readonly number[]): void {
    const events = this.queue.peek(count);
    const refusedSet = new Set(refused);
    const dropped = events.filter((_event, index) => refusedSet.has(index));
    this.metrics.countDropped('invalid', dropped.length);
    this.warning.warn(`${this.publisher.name} refused ${dropped.length} events of a batch of ${count}`);
    this.reportError(
      'invalid',
      dropped.length,
      new Error(`${this.publisher.name} refused ${dropped.length} events`),
    );
    if (this.delivery === undefined) return;
    const published = events.filter((_event, index) => !refusedSet.has(index));
    this.report(() => this.delivery?.published?.(published));
    this.report(() => this.delivery?.dropped?.('invalid', dropped.length, dropped));
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
      this.reportError('shutdown', unpublished);
      this.reportShutdown(unpublished);
      this.settle(unpublished);
    }
    for (const waiter of this.roomWaiters.splice(0)) waiter.resolve(false);
    await this.publisher.close();
  }
}

/** `ActivityClient.forTesting()`: validates like the real client, keeps the events in memory. */
export class TestActivityClient extends ActivityClient {
  private readonly events: ActivityEvent[] = [];

  /** The events accepted since creation or the last clear(), in the order logged. */
  captured(): ActivityEvent[] {
    return [...this.events];
  }

  clear(): void {
    this.events.length = 0;
  }

  protected override capture(event: ActivityEvent): boolean {
    this.events.push(event);
    return true;
  }
}

const DROP_MESSAGES: Record<DropReason | 'publish_failed', string> = {
  invalid: 'invalid event',
  refused: 'the receiver refused the batch for good',
  queue_full: 'the send queue is full',
  block_timeout: 'no room in the send queue within blockTimeoutMs',
  closed: 'the client is closed',
  shutdown: 'not published when the client closed',
  publish_failed: 'publishing failed',
};

const NO_EVENTS: readonly ActivityEvent[] = Object.freeze([]);

function unrefTimer(callback: (value?: unknown) => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return timer;
}
