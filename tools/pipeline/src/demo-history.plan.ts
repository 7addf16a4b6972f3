import { createKafkaClient } from '@chronicle/kafka';

/**
 * The demo's history: the last 30 days of one seeded population, published through Kafka before the
 * live traffic, so that the analytics page shows curves, cohorts and top apps from the first minute.
 * Sized for a 2-core laptop: 2,000 users who sign up over months give about 57,000 events over the 30
 * days (DAU 120–200, MAU about 700, a few new users most days), published in a few seconds.
 */
export const DEMO_HISTORY = { days: 30, users: 2_000, seed: 'demo' } as const;

/**
 * The simulator options that pick the demo's population. The live run of `npm start` takes them too:
 * it then plays the same users (those of today), so today continues the history's curves instead of
 * bringing in a crowd of the default 20,000 users, most of them never seen before.
 */
export const DEMO_POPULATION_ARGS: readonly string[] = [
  '--users',
  String(DEMO_HISTORY.users),
  '--seed',
  DEMO_HISTORY.seed,
];

/** The simulator's arguments for the demo's backfill into `topic` (brokers from KAFKA_BROKERS). */
export function demoBackfillArgs(topic: string): string[] {
  return [
    '--backfill-days',
    String(DEMO_HISTORY.days),
    ...DEMO_POPULATION_ARGS,
    '--topic',
    topic,
    // Short-lived: a free port, so that it never holds the live simulator's 9103.
    '--ops-port',
    '0',
    // Through the pipeline's pipe the default (a line every 5 s) would say little about a short run.
    '--progress-every',
    '1s',
  ];
}

/** A partition's offsets as Kafka's admin API gives them (decimal strings). */
export interface PartitionOffsets {
  partition: number;
  high: string;
  low: string;
}

export interface BackfillDecision {
  backfill: boolean;
  /** One line for the terminal. */
  reason: string;
}

/**
 * Whether `npm start` backfills the demo's history: only into an events topic that has never held a
 * record (every partition's high watermark at 0).
 *
 * Why ask the data rather than keep a marker file in `.local/`: the Kafka topic is the source of
 * truth, and the only state that cannot disagree with itself. A fresh stack (`rm -rf .local/stack`)
 * formats a new Kafka with an empty topic and backfills again; engines given by KAFKA_BROKERS are
 * judged by what they hold, so a topic with real events never gets invented history; a marker could
 * outlive its data (a stack moved or re-created) or be missing beside it (engines of another
 * checkout). The price: an interrupted backfill is not redone, since a second one would publish its
 * events again under new ids. High watermarks only grow (retention moves the low one), so a topic that
 * has held records is never taken for an empty one.
 */
export function decideBackfill(topic: string, offsets: readonly PartitionOffsets[]): BackfillDecision {
  const published = offsets.reduce((sum, partition) => sum + BigInt(partition.high), 0n);
  if (published === 0n)
    return {
      backfill: true,
      reason: `${topic} is empty: backfilling the last ${DEMO_HISTORY.days} days of demo history (${DEMO_HISTORY.users.toLocaleString('en-US')} users, seed ${DEMO_HISTORY.seed}) before the live traffic`,
    };
  return {
    backfill: false,
    reason:
      `${topic} has taken ${published.toLocaleString('en-US')} ${published === 1n ? 'event' : 'events'} already: no backfill ` +
      '(for a fresh demo with its history: npm run stack:down && rm -rf .local/stack)',
  };
}

/** The events topic's offsets, for decideBackfill. */
export async function readTopicOffsets(brokers: string[], topic: string): Promise<PartitionOffsets[]> {
  const admin = createKafkaClient({ brokers, clientId: 'chronicle-pipeline' }).admin();
  await admin.connect();
  try {
    return await admin.fetchTopicOffsets(topic);
  } catch (error) {
    throw new Error(
      `cannot read the offsets of ${topic}: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await admin.disconnect();
  }
}
