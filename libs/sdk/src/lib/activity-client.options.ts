import type { ActivityCatalog, ActivityEvent, AdmissionPolicy } from '@chronicle/contracts';
import type { Registry } from 'prom-client';
import type { HttpTransportOptions } from './http-publisher';
import type { DropReason } from './sdk-metrics';

/**
 * What became of each event, for callers that keep their own account of it (a test's ledger of ids).
 * Each event log()/logAsync() accepted is reported once, in `published` or in `dropped('shutdown')`
 * (over HTTP also `dropped('invalid')`, for an event the collector rejected);
 * each call that returned false is reported once, in `dropped` with its reason. `published` is
 * certain; a `shutdown` drop means unconfirmed: it includes a batch still in flight at the shutdown
 * timeout, which Kafka may yet have written.
 */
export interface DeliveryListener {
  /** A batch Kafka acknowledged, in the order sent. */
  published?(events: readonly ActivityEvent[]): void;
  /**
   * `count` events dropped for `reason`; `events` holds those of them that could be built (an input
   * too broken to build an event from, or a log() after close(), has none).
   */
  dropped?(reason: DropReason, count: number, events: readonly ActivityEvent[]): void;
}

/**
 * How the client authenticates to the brokers; absent: PLAINTEXT. The same shape as @chronicle/kafka's
 * `KafkaSecurity` (which the SDK may not import), so a service passes its one setting to both.
 */
export interface SdkKafkaSecurity {
  /** TLS to the brokers. `true`: the system's CAs. PEM texts (not file names) otherwise. */
  ssl?: true | { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/**
 * Told of each failure: a batch Kafka did not take (`reason: 'publish_failed'`; it stays queued and is
 * retried) and each drop (`reason` is the DropReason: `invalid`, `queue_full`, …). `events` is how many
 * events it concerns. Never receives event contents.
 */
export type ErrorListener = (error: Error, context: { events?: number; reason: string }) => void;

/** What a full queue does to a new event. */
export type OverflowPolicy = 'drop-newest' | 'block';

export interface ActivityClientOptions {
  /** The CloudEvents `source` of every event this client logs, e.g. `/services/app-catalog`. */
  source: string;
  /** Kafka bootstrap brokers, e.g. `['127.0.0.1:19092']`; required with the Kafka transport (the default). */
  brokers?: string[];
  /**
   * Where batches go: Kafka (default), or the gateway's HTTP collector (`POST /v1/events` with an
   * API key of this client's `source`) for a service that cannot reach Kafka.
   */
  transport?: { kind: 'kafka' } | HttpTransportOptions;
  /** TLS and SASL to the brokers, e.g. SASL_SSL with SCRAM; absent: PLAINTEXT. */
  security?: SdkKafkaSecurity;
  /** Kafka client id; defaults to the source's last path segment. */
  clientId?: string;
  /** Defaults to `activity.events.v1`. */
  topic?: string;
  /** Defaults to the built-in catalog. */
  catalog?: ActivityCatalog;
  /**
   * The pipeline's admission rule (how far ahead an event may be timed, the retention window), so that
   * an event the pipeline would not store is refused as invalid here rather than accepted and lost.
   * Defaults to the pipeline's defaults (1 day ahead, 90 days back).
   */
  admission?: AdmissionPolicy;
  /** A batch is sent when it holds `maxEvents` events or its oldest event has waited `lingerMs`. */
  batch?: { maxEvents?: number; lingerMs?: number };
  /**
   * The bounded in-memory queue between `log()` and Kafka. When it is full, `'drop-newest'` (default)
   * drops the new event and counts it; `'block'` makes `logAsync()` wait up to `blockTimeoutMs` for room.
   * `log()` itself never waits: on a full queue it always drops.
   */
  queue?: { maxEvents?: number; overflow?: OverflowPolicy; blockTimeoutMs?: number };
  compression?: 'gzip' | 'none';
  /** Backoff between attempts to publish a batch while Kafka is unavailable. */
  retry?: { initialMs?: number; maxMs?: number };
  /** Throw on an invalid event instead of counting it; for tests of upstream code. */
  strict?: boolean;
  /** Where the SDK's metrics are registered; the host application's registry. */
  registry?: Registry;
  /** Where warnings go (rate-limited); defaults to console.warn. Never receives event contents. */
  logger?: { warn(message: string): void };
  /** How long `close()` (and shutdown on SIGTERM) waits for queued events to be published. */
  shutdownTimeoutMs?: number;
  /**
   * Told what became of each event: published (acknowledged by Kafka, acks=all) or dropped, with the
   * reason. Called synchronously from the client's own loop; must be cheap and must not throw (a
   * throw is caught and ignored).
   */
  onDelivery?: DeliveryListener;
  /**
   * Called for each delivery failure and each drop, next to `onDelivery` and the rate-limited warning
   * (see ErrorListener). Synchronous like `onDelivery`; a throw is caught and ignored.
   */
  onError?: ErrorListener;
  /**
   * Turns the client into a no-op: log() and logAsync() return true and do nothing, no Kafka
   * connection is made, flush() and close() resolve at once. For environments without a pipeline.
   */
  disabled?: boolean;
}

/** The options of `ActivityClient.forTesting()`: none needed, `source` defaults to `/test`. */
export type TestActivityClientOptions = Partial<
  Omit<ActivityClientOptions, 'brokers' | 'transport' | 'disabled'>
>;

export const DEFAULTS = {
  topicPartitionsHint: 12,
  batchMaxEvents: 1_000,
  /** Over HTTP: well within the gateway's body limit (2 MiB) with typical events. */
  httpBatchMaxEvents: 100,
  lingerMs: 10,
  queueMaxEvents: 100_000,
  blockTimeoutMs: 1_000,
  retryInitialMs: 100,
  retryMaxMs: 5_000,
  shutdownTimeoutMs: 10_000,
  warningIntervalMs: 10_000,
} as const;
