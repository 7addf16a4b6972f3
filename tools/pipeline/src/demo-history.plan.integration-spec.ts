import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { stackEnvironmentFromEnv } from '@chronicle/stack';
import { decideBackfill, readTopicOffsets } from './demo-history.plan';

/*
 * What `npm start` asks Kafka before it decides to backfill, against the running broker (KAFKA_BROKERS),
 * on a topic of this test's own.
 */

const BROKERS = stackEnvironmentFromEnv().kafkaBrokers;

jest.setTimeout(60_000);

describe('readTopicOffsets with decideBackfill', () => {
  const kafka = new Kafka({ clientId: 'pipeline-it', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const topic = `pipeline-backfill-it.${randomUUID()}`;
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('backfills an empty topic, and no longer once it has taken a record', async () => {
    const empty = await readTopicOffsets(BROKERS, topic);
    expect(empty).toHaveLength(3);
    expect(decideBackfill(topic, empty).backfill).toBe(true);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: '{}' }] });
    await producer.disconnect();

    expect(decideBackfill(topic, await readTopicOffsets(BROKERS, topic))).toMatchObject({
      backfill: false,
      reason: expect.stringContaining('has taken 1 event already'),
    });
  });
});
