import {
  BatchConsumer,
  createKafkaClient,
  KafkaProbe,
  logLagPollErrors,
  logRetries,
  logStalls,
  RecordPublisher,
  retryWithBackoff,
  type BatchConsumerOptions,
  type KafkaSecurity,
} from '@chronicle/kafka';
import {
  cachedHealth,
  checkDependency,
  createLogger,
  createMetricsRegistry,
  errorMessage,
  registerBuildInfo,
  startOpsServer,
  startProgressLog,
  trackReadiness,
  type DependencyHealth,
  type HealthReport,
  type Logger,
  type OpsServer,
  type TrackedReadiness,
} from '@chronicle/observability';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';

export interface WorkerRuntimeOptions {
  /** The service's name: its logs, its metrics' `service` label, its Kafka client id. */
  name: string;
  brokers: string[];
  /** TLS and SASL of every Kafka client the runtime makes (consumers, publisher, probe); absent: PLAINTEXT. */
  kafkaSecurity?: KafkaSecurity;
  /** Port of /metrics and /health; 0 picks a free one. */
  opsPort: number;
  /** Their address (default 127.0.0.1). */
  opsHost?: string;
  /** A partition that does not move this long (a batch uncommitted, or none fetched) is stalled (see BatchConsumer). */
  stallAfterMs: number;
  /** How often each consumer asks the broker for its partitions' lag (default 5 s). */
  lagPollIntervalMs?: number;
  /** The store the worker writes to: probed by /health. */
  store: { name: string; check(): Promise<unknown> };
  logger?: Logger;
  registry?: Registry;
}

/** What a worker hands the runtime for each topic it consumes; the runtime adds logging, stall checks and metrics. */
export type WorkerConsumerOptions = Omit<
  BatchConsumerOptions,
  'kafka' | 'registry' | 'onRetry' | 'onStall' | 'stallAfterMs' | 'lagPollIntervalMs' | 'onLagPollError'
> & {
  /** Logged with each failed attempt, e.g. "batch not written; retrying, partition paused". */
  retryMessage: string;
};

/**
 * What both workers share, in one place: the logger and metrics registry (with
 * `chronicle_build_info` and `chronicle_service_ready`), the Kafka client and its probe, the ops
 * endpoint (up first, so /health/ready says "not ready" while the rest starts), the
 * dead-letter and status publisher, the batch consumers with retry and stall logging, a progress
 * line, and an ordered stop: consumers first (they finish their batches), then whatever the worker
 * registered with `onStop` (newest first), then the publisher, the probe and the ops endpoint.
 *
 * Plain TypeScript rather than a Nest microservice: a worker is a dozen objects wired once, and the
 * batch consumer's delivery rules (batch COPY, commit after the write, pause with heartbeats) would
 * have to be re-expressed as a custom transport strategy to fit Nest's message-at-a-time handlers.
 */
export class WorkerRuntime {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly kafka: Kafka;
  readonly publisher: RecordPublisher;
  private readonly probe: KafkaProbe;
  private readonly consumers: BatchConsumer[] = [];
  private readonly closers: { name: string; close: () => Promise<void> }[] = [];
  private ops: OpsServer | undefined;
  private readiness: TrackedReadiness | undefined;
  private progress: { report(): Promise<void>; stop(): void } | undefined;
  private consuming = false;

  private constructor(private readonly options: WorkerRuntimeOptions) {
    this.logger = options.logger ?? createLogger(options.name);
    this.registry = options.registry ?? createMetricsRegistry({ defaultLabels: { service: options.name } });
    const client = {
      brokers: options.brokers,
      clientId: `chronicle-${options.name}`,
      log: (line: string) => this.logger.error(line),
      security: options.kafkaSecurity,
    };
    this.kafka = createKafkaClient(client);
    this.probe = new KafkaProbe(client);
    this.publisher = new RecordPublisher(this.kafka);
    registerBuildInfo(this.registry, options.name);
  }

  /** Creates the runtime and starts its ops endpoint. */
  static async create(options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
    const runtime = new WorkerRuntime(options);
    // Public and polled: the store and Kafka are asked at most once a second, however many probes call.
    runtime.readiness = trackReadiness(
      runtime.registry,
      cachedHealth(() => runtime.health(), 1_000),
    );
    try {
      runtime.ops = await startOpsServer({
        port: options.opsPort,
        ...(options.opsHost ? { host: options.opsHost } : {}),
        registry: runtime.registry,
        health: runtime.readiness.check,
        live: async () => runtime.live(),
      });
    } catch (error) {
      runtime.readiness.stop();
      throw error;
    }
    return runtime;
  }

  get opsUrl(): string {
    return this.ops?.url ?? '';
  }

  /** Ready means making progress: the store and Kafka answer, and every consumer is in its group with no partition stalled. */
  async health(): Promise<HealthReport> {
    const [store, kafka] = await Promise.all([
      checkDependency(() => this.options.store.check()),
      checkDependency(() => this.probe.check()),
    ]);
    const consumers = Object.fromEntries(
      this.consumers.map((consumer) => [consumer.topic, consumer.state] as const),
    );
    const dependencies: Record<string, DependencyHealth> = { [this.options.store.name]: store, kafka };
    return {
      ok: store.ok && kafka.ok && this.consuming && this.consumers.every((consumer) => consumer.healthy),
      details: { ...dependencies, consumers },
    };
  }

  /**
   * Alive while every consumer's loop runs: false only once kafkajs has given one up (a crash it does
   * not restart), which a restart of the process cures. A store outage leaves the worker alive and
   * not ready.
   */
  live(): HealthReport {
    const consumers = Object.fromEntries(
      this.consumers.map((consumer) => [consumer.topic, { running: consumer.live }] as const),
    );
    return { ok: this.consumers.every((consumer) => consumer.live), details: { consumers } };
  }

  /** Runs `connect` until it succeeds: a worker started before its store waits for it rather than crash-looping. */
  waitFor<T>(what: string, connect: () => Promise<T>): Promise<T> {
    return retryWithBackoff(connect, {
      onRetry: (error, attempt, delayMs) =>
        this.logger.warn(`${what} not reachable; retrying`, { attempt, delayMs, error: errorMessage(error) }),
    });
  }

  /** Registers something to close at stop, after the consumers, in reverse order of registration. */
  onStop(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  /** A batch consumer of `topic`, started by `startConsuming` and stopped first by `stop`. */
  consume(options: WorkerConsumerOptions): BatchConsumer {
    const { retryMessage, ...rest } = options;
    const consumer = new BatchConsumer({
      ...rest,
      kafka: this.kafka,
      registry: this.registry,
      onRetry: logRetries(this.logger.warn, retryMessage),
      onStall: logStalls(this.logger.error),
      onLagPollError: logLagPollErrors(this.logger.warn),
      stallAfterMs: this.options.stallAfterMs,
      ...(this.options.lagPollIntervalMs !== undefined
        ? { lagPollIntervalMs: this.options.lagPollIntervalMs }
        : {}),
    });
    this.consumers.push(consumer);
    return consumer;
  }

  /** Connects the publisher, joins every consumer's group and starts a progress line every `progressIntervalMs`. */
  async startConsuming(progress: {
    intervalMs: number;
    read: () => Promise<Record<string, number>>;
    rateOf: string;
  }): Promise<void> {
    await this.publisher.connect();
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
    this.consuming = true;
    this.progress = startProgressLog(this.logger, progress.intervalMs, progress.read, progress.rateOf);
  }

  /**
   * Stops in order: the consumers finish the batches in flight and leave their groups, then what the
   * worker registered (newest first), then the publisher, the Kafka probe and the ops endpoint. A step
   * that fails is logged and the rest still run; the first failure is thrown at the end.
   */
  async stop(): Promise<void> {
    this.progress?.stop();
    this.readiness?.stop();
    const steps: { name: string; close: () => Promise<void> }[] = [
      { name: 'consumers', close: async () => void (await Promise.all(this.consumers.map((c) => c.stop()))) },
      ...[...this.closers].reverse(),
      { name: 'publisher', close: () => this.publisher.disconnect() },
      { name: 'kafka probe', close: () => this.probe.close() },
      { name: 'ops endpoint', close: async () => this.ops?.close() },
    ];
    let firstError: unknown;
    for (const step of steps) {
      try {
        await step.close();
      } catch (error) {
        this.logger.error(`stop: ${step.name} failed`, { error: errorMessage(error) });
        firstError ??= error;
      }
    }
    await this.progress?.report().catch(() => undefined);
    this.logger.info(`${this.options.name} stopped`);
    if (firstError !== undefined) throw firstError;
  }
}
