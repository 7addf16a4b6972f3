import { confirmedSend, PartitionTracker } from '@chronicle/kafka-send';
import { Kafka, logLevel, type Message, type Producer, type RecordMetadata } from 'kafkajs';

/** What the suite publishes itself (its own events, poison, erasure requests): confirmed partition by partition. */
export class DriverProducer {
  private readonly partitions = new PartitionTracker();
  private readonly producer: Producer;

  constructor(brokers: string[]) {
    this.producer = new Kafka({ clientId: 'chronicle-chaos', brokers, logLevel: logLevel.NOTHING }).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: this.partitions.createPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Sends in chunks of 500, acknowledged by all in-sync replicas; where each chunk went. */
  async send(topic: string, messages: Message[]): Promise<RecordMetadata[]> {
    const answers: RecordMetadata[] = [];
    for (let start = 0; start < messages.length; start += 500)
      answers.push(
        ...(await confirmedSend(this.producer, this.partitions, {
          topic,
          acks: -1,
          messages: messages.slice(start, start + 500),
        })),
      );
    return answers;
  }
}
