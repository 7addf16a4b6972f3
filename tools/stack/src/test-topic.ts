import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { ensureTopics } from './kafka-topics';
import { waitFor } from './wait-for';

export interface ReceivedMessage {
  partition: number;
  offset: string;
  message: KafkaMessage;
}

export interface TestTopic {
  name: string;
  /** Reads the topic from the beginning until `count` messages arrived (partition order kept), or fails after `timeoutMs`. */
  read(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  /** How many records the topic holds: the sum of its partitions' high watermarks. */
  recordCount(): Promise<number>;
  delete(): Promise<void>;
}

/** A fresh topic of its own for one test, so tests never see each other's records. */
export async function createTestTopic(
  brokers: string[],
  options: { prefix?: string; partitions?: number } = {},
): Promise<TestTopic> {
  // Silent: kafkajs logs transient coordinator errors while a group forms; real failures surface as timeouts.
  const kafka = new Kafka({ clientId: 'chronicle-test', brokers, logLevel: logLevel.NOTHING });
  const name = `${options.prefix ?? 'test'}.${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic: name, numPartitions: options.partitions ?? 12 }]);
  return {
    name,
    async read(count, timeoutMs = 60_000) {
      const received: ReceivedMessage[] = [];
      const consumer = kafka.consumer({ groupId: `${name}.reader.${randomUUID()}` });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: name, fromBeginning: true });
        await consumer.run({
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages)
              received.push({ partition: batch.partition, offset: message.offset, message });
          },
        });
        await waitFor(() => received.length >= count, { timeoutMs, intervalMs: 100 }).catch(() => {
          throw new Error(
            `only ${received.length} of ${count} messages arrived on ${name} within ${timeoutMs} ms`,
          );
        });
      } finally {
        await consumer.disconnect();
      }
      return received;
    },
    async recordCount() {
      const offsets = await admin.fetchTopicOffsets(name);
      return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    },
    async delete() {
      await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
