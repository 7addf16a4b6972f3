import type { Admin, ITopicConfig } from 'kafkajs';
import { waitFor } from './wait-for';

/**
 * Creates the topics that are missing and waits until every partition has a leader. The leaders are
 * awaited by polling metadata: kafkajs's own `waitForLeaders` fails now and then on a broker that
 * has just started (and leaves an unhandled rejection behind).
 */
export async function ensureTopics(admin: Admin, topics: ITopicConfig[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter(({ topic }) => !existing.has(topic));
  if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: false });
  const names = topics.map(({ topic }) => topic);
  await waitFor(
    async () => {
      const metadata = await admin.fetchTopicMetadata({ topics: names });
      return metadata.topics.every((topic) => topic.partitions.every((partition) => partition.leader >= 0));
    },
    { timeoutMs: 30_000, what: `partition leaders for ${names.join(', ')}` },
  );
}
