import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from './wait-for';

/**
 * Waits until consumer group `groupId` has committed, on every partition of `topic`, the offset at the
 * end of the partition: everything published before the call has been handled by the group. The
 * condition a test awaits before it counts what the consumers wrote.
 */
export async function waitForGroupCaughtUp(
  brokers: string[],
  groupId: string,
  topic: string,
  options: { timeoutMs?: number; onProgress?: (behind: number) => void } = {},
): Promise<void> {
  const admin = new Kafka({ clientId: 'chronicle-test', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ends = new Map(
      (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)] as const),
    );
    await waitFor(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        let behind = 0n;
        for (const partition of committed?.partitions ?? []) {
          const end = ends.get(partition.partition) ?? 0n;
          const at = partition.offset === '-1' ? 0n : BigInt(partition.offset);
          if (at < end) behind += end - at;
        }
        options.onProgress?.(Number(behind));
        return behind === 0n;
      },
      {
        timeoutMs: options.timeoutMs ?? 120_000,
        intervalMs: 250,
        what: `group ${groupId} to reach the end of ${topic}`,
      },
    );
  } finally {
    await admin.disconnect();
  }
}
