import {
  Partitioners,
  type ICustomPartitioner,
  type Message,
  type Producer,
  type ProducerRecord,
  type RecordMetadata,
} from 'kafkajs';

/**
 * kafkajs 2.2.4 can resolve a send() without writing some of its messages. A send that spans several
 * leaders keeps each broker's answer across its retries; when one broker fails (killed, say) and its
 * partitions move to brokers that had already answered, the retry skips those brokers, and the moved
 * partitions' messages are never sent — yet the send resolves. (Found by the chaos suite: a leader
 * killed under load lost the last half second of acknowledged events; docs/reliability.md.)
 *
 * The remedy here: remember which partition kafkajs chose for each message, and after the send,
 * send again the messages of every partition the answer does not confirm.
 */
export class PartitionTracker {
  private readonly chosen = new WeakMap<Message, number>();

  /** kafkajs's default partitioner (Java-compatible murmur2), remembering its choice per message. */
  readonly createPartitioner: ICustomPartitioner = () => {
    const partition = Partitioners.DefaultPartitioner();
    return (args) => {
      const chosen = partition(args);
      this.chosen.set(args.message, chosen);
      return chosen;
    };
  };

  /** The partition a message was given (its own, or the partitioner's), once it was sent. */
  partitionOf(message: Message): number | undefined {
    return message.partition ?? this.chosen.get(message);
  }
}

/** How many sends one confirmedSend may take: each must confirm at least one more partition. */
const MAX_ROUNDS = 10;

/**
 * `producer.send(record)`, then again for the messages whose partition the broker's answer does not
 * confirm, until every one is. The producer must have been made with `tracker.createPartitioner`.
 * Throws what the send throws, or when a round confirms nothing new.
 */
export async function confirmedSend(
  producer: Producer,
  tracker: PartitionTracker,
  record: ProducerRecord,
  /** Told each time messages are sent again because their partition was not confirmed. */
  onUnconfirmed?: (messages: number) => void,
): Promise<RecordMetadata[]> {
  const answers: RecordMetadata[] = [];
  let pending = record.messages;
  for (let round = 1; pending.length > 0; round++) {
    const written = await producer.send({ ...record, messages: pending });
    answers.push(...written);
    const confirmed = new Set(
      written
        .filter((answer) => answer.topicName === record.topic && answer.errorCode === 0)
        .map((answer) => answer.partition),
    );
    const unconfirmed = pending.filter((message) => {
      const partition = tracker.partitionOf(message);
      return partition === undefined || !confirmed.has(partition);
    });
    if (unconfirmed.length === pending.length || round >= MAX_ROUNDS)
      throw new Error(
        `Kafka confirmed none of the partitions of ${unconfirmed.length} messages to ${record.topic} (round ${round})`,
      );
    pending = unconfirmed;
    if (pending.length > 0) onUnconfirmed?.(pending.length);
  }
  return answers;
}
