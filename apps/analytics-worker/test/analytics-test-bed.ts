import { randomBytes, randomUUID } from 'node:crypto';
import { AnalyticsQueries, migrateClickHouse } from '@chronicle/analytics';
import { encodeBinary, type ActivityEvent, type EncodedKafkaMessage } from '@chronicle/contracts';
import {
  createTestTopic,
  stackEnvironmentFromEnv,
  waitForGroupCaughtUp,
  type TestTopic,
} from '@chronicle/stack';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import type { AnalyticsWorkerConfig } from '../src/analytics-worker.config';

export const TEST_PSEUDONYM_SECRET = 'analytics-worker-test-secret-of-32+bytes';

/** Topics, a ClickHouse database and a worker configuration of one test's own. */
export interface AnalyticsTestBed {
  config: AnalyticsWorkerConfig;
  topics: { events: TestTopic; dlq: TestTopic; erasure: TestTopic; erasureStatus: TestTopic };
  client: ClickHouseClient;
  queries: AnalyticsQueries;
  publish(topic: string, messages: EncodedKafkaMessage[]): Promise<void>;
  publishEvents(events: readonly ActivityEvent[]): Promise<void>;
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Distinct events stored (after deduplication). */
  storedEvents(where?: string, params?: Record<string, unknown>): Promise<number>;
  teardown(): Promise<void>;
}

export async function createAnalyticsTestBed(
  prefix: string,
  engines: Pick<Partial<AnalyticsWorkerConfig>, 'clickhouseUrl' | 'clickhouseAuth'> = {},
): Promise<AnalyticsTestBed> {
  const stack = stackEnvironmentFromEnv();
  const brokers = stack.kafkaBrokers;
  const clickhouseUrl = engines.clickhouseUrl ?? stack.clickhouseUrl;
  const database = `${prefix}_${randomBytes(6).toString('hex')}`;
  const [events, dlq, erasure, erasureStatus] = await Promise.all([
    createTestTopic(brokers, { prefix: `${prefix}.events`, partitions: 12 }),
    createTestTopic(brokers, { prefix: `${prefix}.dlq`, partitions: 3 }),
    createTestTopic(brokers, { prefix: `${prefix}.erasure`, partitions: 3 }),
    createTestTopic(brokers, { prefix: `${prefix}.erasure-status`, partitions: 3 }),
  ]);
  const config: AnalyticsWorkerConfig = {
    brokers,
    clickhouseUrl,
    database,
    ...(engines.clickhouseAuth ? { clickhouseAuth: engines.clickhouseAuth } : {}),
    pseudonymSecret: TEST_PSEUDONYM_SECRET,
    groupId: `${prefix}.${randomUUID()}`,
    topics: { events: events.name, dlq: dlq.name, erasure: erasure.name, erasureStatus: erasureStatus.name },
    opsPort: 0,
    opsHost: '127.0.0.1',
    stallAfterMs: 60_000,
    // Lag measured often, so that a test sees it settle within a second.
    lagPollIntervalMs: 500,
    partitionsConcurrency: 2,
    batchMinBytes: 1024 * 1024,
    batchMaxWaitMs: 250,
    maxBatchBytes: 8 * 1024 * 1024,
    erasureSettleMs: 500,
  };
  const client = createClient({
    url: clickhouseUrl,
    ...engines.clickhouseAuth,
    log: { level: ClickHouseLogLevel.OFF },
    request_timeout: 120_000,
  });
  // As the migrate command does before the worker starts: it refuses a database with pending migrations.
  // The datasets sit on fixed past days; a long TTL keeps them.
  await migrateClickHouse(client, { database, retentionDays: 3_650 });
  const kafka = new Kafka({ clientId: 'chronicle-test', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const publish = async (topic: string, messages: EncodedKafkaMessage[]) => {
    for (let start = 0; start < messages.length; start += 5_000)
      await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: messages.slice(start, start + 5_000),
      });
  };
  return {
    config,
    topics: { events, dlq, erasure, erasureStatus },
    client,
    // No identified store here: the figures are pseudonymous, and the ids of people stay null.
    queries: new AnalyticsQueries(client, { database, resolvePseudonyms: async () => new Map() }),
    publish,
    publishEvents: (list) => publish(events.name, list.map(encodeBinary)),
    caughtUp: (timeoutMs = 600_000) =>
      waitForGroupCaughtUp(brokers, config.groupId, events.name, { timeoutMs }),
    async storedEvents(where = '1', params = {}) {
      const result = await client.query({
        query: `SELECT uniqExact(event_id) AS n FROM {db:Identifier}.events WHERE ${where}`,
        query_params: { db: database, ...params },
        format: 'JSONEachRow',
      });
      const [row] = await result.json<{ n: string | number }>();
      return Number(row?.n ?? 0);
    },
    async teardown() {
      await producer.disconnect();
      await client.command({
        query: 'DROP DATABASE IF EXISTS {db:Identifier}',
        query_params: { db: database },
      });
      await client.close();
      await Promise.all([events.delete(), dlq.delete(), erasure.delete(), erasureStatus.delete()]);
    },
  };
}
