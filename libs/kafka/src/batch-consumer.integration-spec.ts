import { randomUUID } from 'node:crypto';
import { createTestTopic, stackEnvironmentFromEnv, waitFor, type TestTopic } from '@chronicle/stack';
import { Registry } from 'prom-client';
import { BatchConsumer, type ConsumedBatch } from './batch-consumer';
import { DLQ_HEADERS, toDeadLetterMessage } from './dead-letter.message';
import { createKafkaClient } from './kafka-client.factory';
import { RecordPublisher } from './record.publisher';

jest.setTimeout(120_000);

const { kafkaBrokers } = stackEnvironmentFromEnv();
const kafka = createKafkaClient({ brokers: kafkaBrokers, clientId: 'kafka-lib-test', log: () => undefined });

describe('BatchConsumer and RecordPublisher against a real broker', () => {
  let topic: TestTopic;
  // One per test: a kafkajs producer keeps asking for the metadata of every topic it ever sent to,
  // and fails once one of them is deleted (as each test's topic is).
  let publisher: RecordPublisher;
  const consumers: BatchConsumer[] = [];

  beforeEach(async () => {
    publisher = new RecordPublisher(kafka);
    await publisher.connect();
    topic = await createTestTopic(kafkaBrokers, { prefix: 'kafka-lib', partitions: 3 });
    await publisher.send(
      topic.name,
      Array.from({ length: 300 }, (_, i) => ({ key: `k${i % 17}`, value: `record ${i}` })),
    );
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await publisher.disconnect();
    await topic.delete();
  });

  function consumer(
    groupId: string,
    handleBatch: (batch: ConsumedBatch) => Promise<void>,
    registry?: Registry,
  ) {
    const onRetry = jest.fn();
    const c = new BatchConsumer({
      kafka,
      groupId,
      topic: topic.name,
      handleBatch,
      onRetry,
      backoff: { initialMs: 50, maxMs: 200 },
      lagPollIntervalMs: 250,
      ...(registry ? { registry } : {}),
    });
    consumers.push(c);
    return { consumer: c, onRetry };
  }

  it('hands over every record once, commits after the handler, and reports no lag at the end', async () => {
    const seen: string[] = [];
    const registry = new Registry();
    const groupId = `g.${randomUUID()}`;
    const { consumer: first } = consumer(
      groupId,
      async (batch) => {
        for (const m of batch.messages) seen.push(String(m.value));
      },
      registry,
    );
    await first.start();
    await waitFor(() => seen.length >= 300, { timeoutMs: 60_000, what: '300 records' });
    expect(new Set(seen).size).toBe(300);
    expect(first.state).toMatchObject({ joined: true, retrying: 0 });
    await waitFor(
      async () => {
        const lag = await registry.getSingleMetric('chronicle_kafka_consumer_lag')?.get();
        return lag?.values.length === 3 && lag.values.every((v) => v.value === 0);
      },
      { timeoutMs: 10_000, what: 'zero lag on three partitions' },
    );
    await first.stop();
    consumers.splice(0);

    // The same group again: everything was committed, so nothing comes back; a new record does.
    const again: string[] = [];
    const { consumer: second } = consumer(groupId, async (batch) => {
      for (const m of batch.messages) again.push(String(m.value));
    });
    await second.start();
    await publisher.send(topic.name, [{ key: 'k', value: 'late record' }]);
    await waitFor(() => again.length >= 1, { timeoutMs: 30_000, what: 'the late record' });
    expect(again).toEqual(['late record']);
  });

  it('retries a failing handler with the same batch, pausing, until it succeeds; skips nothing', async () => {
    const handled: string[] = [];
    let failures = 0;
    const { consumer: c, onRetry } = consumer(`g.${randomUUID()}`, async (batch) => {
      if (failures < 3) {
        failures++;
        throw new Error('store unavailable');
      }
      for (const m of batch.messages) handled.push(String(m.value));
    });
    await c.start();
    await waitFor(() => handled.length >= 300, { timeoutMs: 60_000, what: '300 records after the failures' });
    expect(new Set(handled).size).toBe(300);
    expect(handled).toHaveLength(300);
    expect(onRetry).toHaveBeenCalledTimes(3);
    expect(onRetry.mock.calls.map((call) => call[1])).toEqual([1, 2, 3]);
    expect((onRetry.mock.calls[0]?.[0] as Error).message).toBe('store unavailable');
  });

  it('measures the lag from the broker while nothing is committed, and drops its series when it stops', async () => {
    const registry = new Registry();
    const { consumer: failing } = consumer(
      `g.${randomUUID()}`,
      async () => {
        throw new Error('store unavailable');
      },
      registry,
    );
    await failing.start();
    const lag = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];
    await waitFor(
      async () => {
        const records = await lag('chronicle_kafka_consumer_lag');
        return records.length === 3 && records.reduce((sum, v) => sum + v.value, 0) === 300;
      },
      { timeoutMs: 30_000, what: 'a lag of all 300 records on three partitions' },
    );
    const first = Math.max(...(await lag('chronicle_kafka_consumer_lag_seconds')).map((v) => v.value));
    await waitFor(
      async () =>
        Math.max(...(await lag('chronicle_kafka_consumer_lag_seconds')).map((v) => v.value)) >= first + 0.5,
      { timeoutMs: 10_000, what: 'the age of the oldest unprocessed record to grow' },
    );
    await failing.stop();
    consumers.splice(0);
    expect(await lag('chronicle_kafka_consumer_lag')).toEqual([]);
    expect(await lag('chronicle_kafka_consumer_lag_seconds')).toEqual([]);
  });

  it('stops while retrying without committing, so the group reads the batch again', async () => {
    const groupId = `g.${randomUUID()}`;
    const { consumer: failing, onRetry } = consumer(groupId, async () => {
      throw new Error('down');
    });
    await failing.start();
    await waitFor(() => onRetry.mock.calls.length >= 1 && failing.state.retrying > 0, {
      timeoutMs: 30_000,
      what: 'a retry',
    });
    await failing.stop();
    consumers.splice(0);

    const handled: string[] = [];
    const { consumer: healthy } = consumer(groupId, async (batch) => {
      for (const m of batch.messages) handled.push(String(m.value));
    });
    await healthy.start();
    await waitFor(() => handled.length >= 300, { timeoutMs: 60_000, what: 'all 300 records' });
    expect(new Set(handled).size).toBe(300);
  });

  it('publishes dead letters that keep the original bytes and name the reason', async () => {
    const dlq = await createTestTopic(kafkaBrokers, { prefix: 'kafka-lib-dlq', partitions: 1 });
    try {
      await publisher.send(dlq.name, [
        toDeadLetterMessage({
          source: { topic: topic.name, partition: 2, offset: '41' },
          message: { key: Buffer.from('k'), value: Buffer.from('{broken'), headers: {}, timestamp: '0' },
          reason: 'undecodable',
          stage: 'decode',
          detail: 'could not be decoded',
        }),
      ]);
      const [letter] = await dlq.read(1);
      expect(String(letter?.message.value)).toBe('{broken');
      expect(String(letter?.message.headers?.[DLQ_HEADERS.reason])).toBe('undecodable');
      expect(String(letter?.message.headers?.[DLQ_HEADERS.sourceOffset])).toBe('41');
    } finally {
      await dlq.delete();
    }
  });
});
