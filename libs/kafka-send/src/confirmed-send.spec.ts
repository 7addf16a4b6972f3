import fc from 'fast-check';
import type { Message, PartitionMetadata, Producer, ProducerRecord, RecordMetadata } from 'kafkajs';
import { confirmedSend, PartitionTracker } from './confirmed-send';

const PARTITIONS = 12;
const partitionMetadata: PartitionMetadata[] = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
  partitionId,
  leader: partitionId % 3,
  replicas: [0, 1, 2],
  isr: [0, 1, 2],
  partitionErrorCode: 0,
}));

/**
 * A producer that places messages with the tracker's partitioner, as kafkajs does, and whose answer
 * leaves out the partitions `skip` names for that round: kafkajs's answer after a leader moved.
 */
function producerSkipping(tracker: PartitionTracker, skip: (round: number, partition: number) => boolean) {
  const partitioner = tracker.createPartitioner();
  const written: Message[] = [];
  let round = 0;
  const producer = {
    send: async (record: ProducerRecord): Promise<RecordMetadata[]> => {
      round++;
      const partitions = new Map<number, Message[]>();
      for (const message of record.messages) {
        const partition = partitioner({ topic: record.topic, partitionMetadata, message });
        partitions.set(partition, [...(partitions.get(partition) ?? []), message]);
      }
      const answer: RecordMetadata[] = [];
      for (const [partition, messages] of partitions) {
        if (skip(round, partition)) continue;
        written.push(...messages);
        answer.push({ topicName: record.topic, partition, errorCode: 0 });
      }
      return answer;
    },
  };
  return { producer: producer as unknown as Producer, written, rounds: () => round };
}

const messages = (count: number): Message[] =>
  Array.from({ length: count }, (_, i) => ({ key: `actor-${i}`, value: `event-${i}` }));

describe('confirmedSend', () => {
  it('sends once when every partition is confirmed', async () => {
    const tracker = new PartitionTracker();
    const { producer, written, rounds } = producerSkipping(tracker, () => false);
    const sent = messages(100);
    await confirmedSend(producer, tracker, { topic: 't', messages: sent });
    expect(rounds()).toBe(1);
    expect(new Set(written)).toEqual(new Set(sent));
    expect(written).toHaveLength(sent.length);
  });

  it('sends again exactly the messages of the partitions the answer left out', async () => {
    const tracker = new PartitionTracker();
    // The first answer leaves out partitions 0-3, as when their leader was killed mid-send.
    const { producer, written, rounds } = producerSkipping(
      tracker,
      (round, partition) => round === 1 && partition < 4,
    );
    const sent = messages(200);
    const resent: number[] = [];
    const answers = await confirmedSend(producer, tracker, { topic: 't', messages: sent }, (n) =>
      resent.push(n),
    );
    expect(rounds()).toBe(2);
    const skipped = sent.filter((message) => (tracker.partitionOf(message) as number) < 4).length;
    expect(resent).toEqual([skipped]);
    expect(new Set(written)).toEqual(new Set(sent));
    expect(written).toHaveLength(sent.length);
    expect(new Set(answers.map((answer) => answer.partition)).size).toBe(
      new Set(sent.map((message) => tracker.partitionOf(message))).size,
    );
  });

  it('keeps a partition a message names itself', async () => {
    const tracker = new PartitionTracker();
    expect(tracker.partitionOf({ value: 'x', partition: 7 })).toBe(7);
    expect(tracker.partitionOf({ value: 'never sent' })).toBeUndefined();
  });

  it('fails, rather than loops, when a round confirms nothing', async () => {
    const tracker = new PartitionTracker();
    const sent = messages(50);
    const { producer } = producerSkipping(
      tracker,
      (round, partition) => round > 1 || partition === tracker.partitionOf(sent[0] as Message),
    );
    await expect(confirmedSend(producer, tracker, { topic: 't', messages: sent })).rejects.toThrow(
      /Kafka confirmed none of the partitions of \d+ messages to t \(round 2\)/,
    );
  });

  it('writes every message exactly once however the answers fall short, as long as each round confirms one partition', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.array(fc.boolean(), { minLength: PARTITIONS, maxLength: PARTITIONS }), {
          minLength: 1,
          maxLength: 5,
        }),
        async (count, skipped) => {
          const tracker = new PartitionTracker();
          const sent = messages(count);
          const confirmedBefore = new Set<number>();
          // A round confirms what `skipped` does not skip, and at least the lowest pending partition.
          const { producer, written } = producerSkipping(tracker, (round, partition) => {
            const pending = sent
              .map((m) => tracker.partitionOf(m) as number)
              .filter((p) => !confirmedBefore.has(p));
            const skip = (skipped[round - 1]?.[partition] ?? false) && partition !== Math.min(...pending);
            if (!skip) confirmedBefore.add(partition);
            return skip;
          });
          await confirmedSend(producer, tracker, { topic: 't', messages: sent });
          expect(written).toHaveLength(count);
          expect(new Set(written)).toEqual(new Set(sent));
        },
      ),
    );
  });
});
