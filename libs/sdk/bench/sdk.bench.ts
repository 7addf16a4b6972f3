// `npm run bench:sdk`: what log() costs the caller, and the SDK's throughput against a raw kafkajs
// producer sending the same events in the same batches, in the same run, against the stack's Kafka.
import { performance } from 'node:perf_hooks';
import { encodeBinary, toActivityEvent, type ActivityInput } from '@chronicle/contracts';
import { createTestTopic, stackEnvironmentFromEnv } from '@chronicle/stack';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { ActivityClient } from '../src';

const LOG_CALLS = 200_000;
const LOG_RATE = 20_000;
const THROUGHPUT_EVENTS = 200_000;
const BATCH = 1_000;
const ROUNDS = 3;
const { kafkaBrokers } = stackEnvironmentFromEnv();

const input = (n: number): ActivityInput => ({
  type: 'app.viewed',
  actor: { type: 'user', id: `u_${n % 5_000}` },
  entity: { type: 'app', id: `app_${n % 300}` },
  metadata: { referrer: n % 2 ? 'search' : 'home', position: n % 20 },
  context: { requestId: `req_${n}`, appVersion: '5.2.0' },
});

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;

async function logCost(): Promise<void> {
  const topic = await createTestTopic(kafkaBrokers, { prefix: 'bench-sdk' });
  const client = new ActivityClient({
    source: '/services/bench',
    brokers: kafkaBrokers,
    topic: topic.name,
    queue: { maxEvents: LOG_CALLS * 2 },
  });
  for (let n = 0; n < 20_000; n++) client.log(input(n)); // warm-up: JIT, catalog, connection
  await client.flush(60_000);
  // Paced like a busy service (LOG_RATE events/s, in 10 ms ticks) so the sender keeps up and the
  // queue stays short: what a caller pays, not what a backlog of 200,000 objects costs the GC.
  const costs = new Float64Array(LOG_CALLS);
  const perTick = LOG_RATE / 100;
  for (let n = 0; n < LOG_CALLS; n++) {
    const began = performance.now();
    client.log(input(n));
    costs[n] = (performance.now() - began) * 1000;
    if (n % perTick === perTick - 1) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await client.flush(120_000);
  await client.close();
  await topic.delete();
  costs.sort();
  const us = (value: number) => `${value.toFixed(2)} µs`;
  console.log(
    `log() cost over ${LOG_CALLS.toLocaleString('en')} calls at ${LOG_RATE.toLocaleString('en')}/s (broker up, sender running):`,
  );
  console.log(
    `  p50 ${us(percentile(costs, 0.5))}   p99 ${us(percentile(costs, 0.99))}   p99.9 ${us(percentile(costs, 0.999))}   max ${us(costs[costs.length - 1] as number)}`,
  );
}

async function rawKafkajs(): Promise<number> {
  const topic = await createTestTopic(kafkaBrokers, { prefix: 'bench-raw' });
  const producer = new Kafka({
    clientId: 'bench-raw',
    brokers: kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).producer({
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  // The same events the SDK would send, built and encoded beforehand: the raw side does no validation.
  const batches = Array.from({ length: THROUGHPUT_EVENTS / BATCH }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) =>
      encodeBinary(toActivityEvent(input(b * BATCH + i), { source: '/services/bench' })),
    ),
  );
  const began = performance.now();
  for (const messages of batches) {
    await producer.send({ topic: topic.name, acks: -1, compression: CompressionTypes.GZIP, messages });
  }
  const seconds = (performance.now() - began) / 1000;
  await producer.disconnect();
  await topic.delete();
  return THROUGHPUT_EVENTS / seconds;
}

async function sdk(): Promise<{ rate: number; heapGrowth: number; rss: number }> {
  const topic = await createTestTopic(kafkaBrokers, { prefix: 'bench-sdk' });
  const client = new ActivityClient({
    source: '/services/bench',
    brokers: kafkaBrokers,
    topic: topic.name,
    batch: { maxEvents: BATCH },
    queue: { maxEvents: THROUGHPUT_EVENTS },
  });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const began = performance.now();
  for (let n = 0; n < THROUGHPUT_EVENTS; n++) {
    client.log(input(n));
    if (n % BATCH === BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  await client.flush(120_000);
  const seconds = (performance.now() - began) / 1000;
  const rss = process.memoryUsage().rss;
  await client.close();
  if (client.stats().published !== THROUGHPUT_EVENTS)
    throw new Error(`published ${client.stats().published} of ${THROUGHPUT_EVENTS}`);
  await topic.delete();
  return { rate: THROUGHPUT_EVENTS / seconds, heapGrowth, rss };
}

async function main(): Promise<void> {
  console.log(`SDK benchmark: Kafka at ${kafkaBrokers.join(',')}, Node ${process.version}`);
  await logCost();
  console.log(
    `\nThroughput, ${THROUGHPUT_EVENTS.toLocaleString('en')} events in batches of ${BATCH} (idempotent, acks=all, gzip):`,
  );
  const raw = await rawKafkajs();
  console.log(`  raw kafkajs producer   ${Math.round(raw).toLocaleString('en')} events/s`);
  const measured = await sdk();
  console.log(
    `  ActivityClient         ${Math.round(measured.rate).toLocaleString('en')} events/s   (${(measured.rate / raw).toFixed(2)}× raw, validation included)`,
  );
  console.log(
    `\nMemory: heap grew ${mb(measured.heapGrowth)} while ${THROUGHPUT_EVENTS.toLocaleString('en')} events were logged; RSS ${mb(measured.rss)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
