// npm run bench:kafka-clients — the workers' Kafka consumer, kafkajs, against @platformatic/kafka on
// the same records in the same run: how fast each reads a backlog, and the CPU it spends per record,
// with and without the contract's decoding the workers do next.
import { writeSync } from 'node:fs';
import { generateSyntheticActivity } from '@chronicle/analytics/testing';
import { decodeActivityEvent, encodeBinary, type KafkaHeaders } from '@chronicle/contracts';
import { createTestTopic, stackEnvironmentFromEnv } from '@chronicle/stack';
import { Consumer, MessagesStreamModes } from '@platformatic/kafka';
import { randomUUID } from 'node:crypto';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { BenchReport } from './bench-report';

const USAGE = `Usage: npm run bench:kafka-clients   (on the local stack, which the script starts)

Fills a 12-partition topic with CloudEvents as the SDK sends them (binary mode, gzip), then reads it
from the start with each client in turn, ROUNDS times, a fresh consumer group each time, with the
workers' fetch settings (1 MiB or 500 ms). Per read: records/s from the first record to the last, and
the process's CPU per record over the whole read (group join included). Each client reads once bare
(the client's own decoding) and once decoding every record as the workers do.

  BENCH_EVENTS   records in the topic (default 300000)
  BENCH_ROUNDS   reads per client and mode, alternating (default 2)
`;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  writeSync(1, USAGE);
  process.exit(0);
}

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 300_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const FETCH_MIN_BYTES = 1_048_576;
const FETCH_MAX_WAIT_MS = 500;
const say = (line: string) => console.log(`[bench:kafka-clients] ${line}`);

type Client = 'kafkajs' | 'platformatic';
type Mode = 'bare' | 'decoded';
/** Reads `count` records of `topic` from the start; calls `onRecord` with each as the codec takes it. */
type Reader = (topic: string, count: number, onRecord: (message: RecordLike) => void) => Promise<void>;
interface RecordLike {
  key: Buffer | null;
  value: Buffer | null;
  headers: KafkaHeaders;
}

async function main(): Promise<void> {
  const stack = stackEnvironmentFromEnv();
  const topic = await createTestTopic(stack.kafkaBrokers, { prefix: 'bench-kafka-clients', partitions: 12 });
  try {
    await fill(stack.kafkaBrokers, topic.name);
    const readers: Record<Client, Reader> = {
      kafkajs: (name, count, onRecord) => readWithKafkajs(stack.kafkaBrokers, name, count, onRecord),
      platformatic: (name, count, onRecord) =>
        readWithPlatformatic(stack.kafkaBrokers, name, count, onRecord),
    };
    const runs: { client: Client; mode: Mode; seconds: number; cpuMicros: number; invalid: number }[] = [];
    for (let round = 0; round < ROUNDS; round++)
      for (const mode of ['bare', 'decoded'] as const)
        for (const client of ['kafkajs', 'platformatic'] as const) {
          let invalid = 0;
          // From the first record on: joining the group and the first fetch are not the reading.
          let firstAt: bigint | undefined;
          const onRecord = (message: RecordLike) => {
            firstAt ??= process.hrtime.bigint();
            if (mode === 'decoded' && !decodeActivityEvent(message).ok) invalid++;
          };
          const cpu = process.cpuUsage();
          await readers[client](topic.name, EVENTS, onRecord);
          const seconds = Number(process.hrtime.bigint() - (firstAt as bigint)) / 1e9;
          const used = process.cpuUsage(cpu);
          const run = { client, mode, seconds, cpuMicros: used.user + used.system, invalid };
          runs.push(run);
          say(
            `${client.padEnd(12)} ${mode.padEnd(7)} round ${round + 1}: ${Math.round(EVENTS / seconds).toLocaleString('en-US')} records/s, ` +
              `${(run.cpuMicros / EVENTS).toFixed(1)} µs CPU per record${invalid ? `, ${invalid} invalid` : ''}`,
          );
        }
    const report = new BenchReport('kafka-clients');
    for (const client of ['kafkajs', 'platformatic'] as const)
      for (const mode of ['bare', 'decoded'] as const) {
        const mine = runs.filter((run) => run.client === client && run.mode === mode);
        const best = Math.min(...mine.map((run) => run.seconds));
        const cpu = Math.min(...mine.map((run) => run.cpuMicros)) / EVENTS;
        report.add(`${client}_${mode}_records_per_second`, EVENTS / best, 'records/s');
        report.add(`${client}_${mode}_cpu_per_record`, cpu, 'µs');
      }
    if (runs.some((run) => run.invalid > 0))
      throw new Error('a client handed over records the codec refused');
    report.finish();
  } finally {
    await topic.delete();
  }
}

/** EVENTS synthetic events, encoded and compressed as the SDK sends them. */
async function fill(brokers: string[], topic: string): Promise<void> {
  const events = generateSyntheticActivity(2026, {
    users: Math.max(1, Math.round(EVENTS / 50)),
    apps: 500,
    days: 60,
    firstDay: '2026-08-01',
  }).slice(0, EVENTS);
  if (events.length < EVENTS) throw new Error(`only ${events.length} events generated`);
  const producer = new Kafka({
    clientId: 'bench-kafka-clients',
    brokers,
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  for (let i = 0; i < events.length; i += 500) {
    await producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: events.slice(i, i + 500).map(encodeBinary),
    });
    if (i % 50_000 === 0) say(`topic filled: ${i} / ${events.length}`);
  }
  await producer.disconnect();
  say(`topic filled: ${events.length} records`);
}

async function readWithKafkajs(
  brokers: string[],
  topic: string,
  count: number,
  onRecord: (message: RecordLike) => void,
): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: `bench-kafkajs-${randomUUID()}`,
    minBytes: FETCH_MIN_BYTES,
    maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        partitionsConsumedConcurrently: 12,
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            onRecord(message as RecordLike);
            if (++seen === count) resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
}

async function readWithPlatformatic(
  brokers: string[],
  topic: string,
  count: number,
  onRecord: (message: RecordLike) => void,
): Promise<void> {
  const consumer = new Consumer({
    groupId: `bench-platformatic-${randomUUID()}`,
    clientId: 'bench-platformatic',
    bootstrapBrokers: brokers,
  });
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.EARLIEST,
    autocommit: false,
    minBytes: FETCH_MIN_BYTES,
    maxWaitTime: FETCH_MAX_WAIT_MS,
  });
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (message: { key: Buffer; value: Buffer; headers: Map<Buffer, Buffer> }) => {
      // The codec takes headers as kafkajs gives them: a record of names to bytes.
      const headers: KafkaHeaders = {};
      for (const [name, value] of message.headers) headers[name.toString()] = value;
      onRecord({ key: message.key, value: message.value, headers });
      if (++seen === count) resolve();
    });
    stream.once('error', reject);
  });
  await stream.close();
  await consumer.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
