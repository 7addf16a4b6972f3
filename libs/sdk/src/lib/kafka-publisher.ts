import { encodeBinary, type ActivityEvent } from '@chronicle/contracts';
import { confirmedSend, PartitionTracker } from '@chronicle/kafka-send';
import { CompressionTypes, Kafka, logLevel, type Message, type Producer, type SASLOptions } from 'kafkajs';
import type { ActivityClientOptions } from './activity-client.options';
import { describeError, type BatchPublisher, type EncodedBatch } from './batch-publisher';

interface KafkaBatch extends EncodedBatch {
  messages: Message[];
}

export interface KafkaPublisherOptions extends Pick<
  ActivityClientOptions,
  'source' | 'clientId' | 'security' | 'compression'
> {
  brokers: string[];
  topic: string;
  retry: { initialMs: number; maxMs: number };
  warn(message: string): void;
}

/**
 * Publishes to Kafka: idempotent producer, acks=all, gzip, key = actor id, each send completed with
 * confirmedSend. The producer is created on the first send, so that a client that never sends
 * (disabled, test) never touches Kafka.
 */
export class KafkaPublisher implements BatchPublisher<KafkaBatch> {
  readonly name = 'Kafka';
  private readonly createProducer: () => Producer;
  private producer: Producer | undefined;
  /** Which partition each message went to, so that a send kafkajs cut short is completed. */
  private readonly partitions = new PartitionTracker();
  private readonly compression: CompressionTypes;
  private connected: Promise<void> | undefined;

  constructor(private readonly options: KafkaPublisherOptions) {
    this.compression = options.compression === 'none' ? CompressionTypes.None : CompressionTypes.GZIP;
    const retry = {
      initialRetryTime: options.retry.initialMs,
      maxRetryTime: options.retry.maxMs,
      retries: 5,
    };
    let kafka: Kafka | undefined;
    const createKafka = () =>
      new Kafka({
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
    this.createProducer = () =>
      (kafka ??= createKafka()).producer({
        createPartitioner: this.partitions.createPartitioner,
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
  }

  encode(events: readonly ActivityEvent[]): KafkaBatch {
    const messages = events.map((event) => {
      const { key, value, headers } = encodeBinary(event);
      return { key, value, headers };
    });
    return { count: messages.length, messages };
  }

  async send({ messages }: KafkaBatch): Promise<readonly number[]> {
    const producer = await this.connect();
    await confirmedSend(
      producer,
      this.partitions,
      { topic: this.options.topic, acks: -1, compression: this.compression, messages },
      (unconfirmed) =>
        this.options.warn(
          `Kafka's answer left out some partitions (a leader moved); sending their ${unconfirmed} events again`,
        ),
    );
    return NONE_REFUSED;
  }

  async recover(error: unknown): Promise<void> {
    this.connected = undefined;
    if (lostProducerState(error)) await this.replaceProducer(error);
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }

  /**
   * After an outage the broker and kafkajs can disagree on this producer's sequence numbers, and
   * kafkajs never recovers from that by itself (the Java client bumps the producer epoch). A new
   * producer gets a new producer id and starts its sequences afresh. The batch that failed was
   * rejected, so resending it does not duplicate it.
   */
  private async replaceProducer(cause: unknown): Promise<void> {
    this.options.warn(
      `Kafka lost track of this producer (${describeError(cause)}); continuing with a new producer id`,
    );
    const stale = this.producer;
    this.producer = this.createProducer();
    await stale?.disconnect().catch(() => undefined);
  }

  private async connect(): Promise<Producer> {
    const producer = (this.producer ??= this.createProducer());
    this.connected ??= producer.connect();
    await this.connected;
    return producer;
  }
}

const NONE_REFUSED: readonly number[] = Object.freeze([]);

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
