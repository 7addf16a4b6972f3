import { randomUUID } from 'node:crypto';
import { ClickHouseError, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import {
  decodeActivityEvent,
  encodeBinary,
  encodeStructured,
  toActivityEvent,
  TOPICS,
  type ActivityEvent,
} from '@chronicle/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { runKafkaClass } from './engines/kafka';
import { resolveStackConfig } from './stack-config';
import { stackEnvironmentFromEnv } from './stack-environment';
import { createTestTopic, type TestTopic } from './test-topic';

jest.setTimeout(120_000);

// The running stack (the one `npm test` started) as services will use it.
const engines = stackEnvironmentFromEnv();

describe('Kafka carries CloudEvents in both bindings', () => {
  const kafka = new Kafka({
    clientId: 'stack-spec',
    brokers: engines.kafkaBrokers,
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  let testTopic: TestTopic;
  let topic: string;

  beforeAll(async () => {
    await admin.connect();
    testTopic = await createTestTopic(engines.kafkaBrokers, { prefix: 'stack-spec', partitions: 3 });
    topic = testTopic.name;
  });
  afterAll(async () => {
    await testTopic.delete();
    await admin.disconnect();
  });

  it('has created the topics every service expects', async () => {
    const metadata = await admin.fetchTopicMetadata({ topics: [TOPICS.events, TOPICS.dlq, TOPICS.erasure] });
    const partitions = Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.length]));
    expect(partitions).toEqual({ [TOPICS.events]: 12, [TOPICS.dlq]: 3, [TOPICS.erasure]: 3 });
  });

  it("delivers an event sent by kafkajs (binary) and one sent by Kafka's console producer (structured), both valid", async () => {
    const viewed = toActivityEvent(
      {
        type: 'app.viewed',
        actor: { type: 'user', id: 'u_1001' },
        entity: { type: 'app', id: 'app_42' },
        metadata: { referrer: 'search' },
      },
      { source: '/services/app-catalog' },
    );
    const failed = toActivityEvent(
      {
        type: 'job.failed',
        actor: { type: 'system', id: 'media-indexer' },
        metadata: { jobType: 'transcode', durationMs: 5120 },
      },
      { source: '/services/media-server' },
    );

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const binary = encodeBinary(viewed);
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: binary.key, value: binary.value, headers: binary.headers }],
    });
    await producer.disconnect();

    const structured = encodeStructured(failed);
    const contentType = structured.headers['content-type'];
    // One line: headers <TAB> key <TAB> value, the console producer's own reader format.
    runKafkaClass(
      resolveStackConfig(),
      'org.apache.kafka.tools.ConsoleProducer',
      [
        '--bootstrap-server',
        engines.kafkaBrokers.join(','),
        '--topic',
        topic,
        '--reader-property',
        'parse.key=true',
        '--reader-property',
        'parse.headers=true',
      ],
      `content-type:${contentType}\t${structured.key}\t${structured.value.toString('utf8')}\n`,
    );

    const received = (await testTopic.read(2, 30_000)).map(({ message }) => message);

    const decoded = received.map((message) => decodeActivityEvent(message));
    const events = decoded.map((result) => (result.ok ? result.event : result));
    const byType = Object.fromEntries((events as ActivityEvent[]).map((event) => [event.type, event]));
    expect(byType).toEqual({ 'app.viewed': viewed, 'job.failed': failed });
    expect(received.map((message) => message.key?.toString()).sort()).toEqual(['media-indexer', 'u_1001']);
  });
});

describe('Postgres', () => {
  it("answers queries on the stack's database", async () => {
    const client = new Client({ connectionString: engines.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; major: string }>(
        "SELECT current_database() AS db, current_setting('server_version_num')::int / 10000 AS major",
      );
      expect(rows).toEqual([{ db: 'chronicle', major: expect.any(Number) }]);
      expect(Number(rows[0]?.major)).toBeGreaterThanOrEqual(16);
      const echoed = await client.query<{ echoed: string }>('SELECT $1::text AS echoed', ['round trip']);
      expect(echoed.rows).toEqual([{ echoed: 'round trip' }]);
    } finally {
      await client.end();
    }
  });
});

describe("ClickHouse through the stack's endpoint", () => {
  // Quiet: the client logs every failed query, and one test fails a query on purpose.
  const client = createClient({ url: engines.clickhouseUrl, log: { level: ClickHouseLogLevel.OFF } });
  const table = `stack_spec_${randomUUID().replace(/-/g, '')}`;
  afterAll(async () => {
    await client.command({ query: `DROP TABLE IF EXISTS ${table}` });
    await client.close();
  });

  it('takes 10,000 JSONEachRow rows into a MergeTree table and reads them back with bound parameters', async () => {
    await client.command({
      query: `CREATE TABLE ${table} (id UInt32, kind LowCardinality(String)) ENGINE = MergeTree ORDER BY id`,
    });
    const rows = Array.from({ length: 10_000 }, (_, id) => ({
      id,
      kind: id % 4 === 0 ? 'download' : 'view',
    }));
    await client.insert({ table, values: rows, format: 'JSONEachRow' });
    const result = await client.query({
      query: `SELECT kind, count() AS n, min(id) AS first FROM ${table} WHERE id < {limit:UInt32} GROUP BY kind ORDER BY kind`,
      query_params: { limit: 10_000 },
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([
      { kind: 'download', n: 2500, first: 0 },
      { kind: 'view', n: 7500, first: 1 },
    ]);
  });

  it("returns ClickHouse's error code for a bad query", async () => {
    const error = await client.query({ query: `SELECT nope FROM ${table}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickHouseError);
    expect(error).toMatchObject({ code: '47', type: 'UNKNOWN_IDENTIFIER' });
  });
});
