import { confirmedSend, PartitionTracker } from '@chronicle/kafka-send';
import type { Kafka, Message, Producer } from 'kafkajs';

/**
 * The producer a worker uses for what it emits besides its store writes (dead letters, erasure
 * completions): idempotent, acknowledged by all in-sync replicas, and awaited, so that the worker can
 * commit its source offsets after it. At-least-once: a crash between the send and the commit sends
 * the records again, which their keys and headers let a reader recognise.
 */
export class RecordPublisher {
  private readonly producer: Producer;
  private readonly partitions = new PartitionTracker();

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      createPartitioner: this.partitions.createPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async send(topic: string, messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    await confirmedSend(this.producer, this.partitions, { topic, acks: -1, messages });
  }
}
