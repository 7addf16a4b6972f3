// `npm run bench:sdk`: what log() costs the caller, and the SDK's throughput against a raw kafkajs
// producer sending the same events in the same batches, in the same run, against the stack's Kafka.
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { encodeBinary, toActivityEvent, type ActivityInput } from '@chronicle/contracts';
import { BenchReport } from '@chronicle/bench';
import { createTestTopic, stackEnvironmentFromEnv } from '@chronicle/stack';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { ActivityClient } from '../src';

const USAGE = `Usage: npm run bench:sdk   (on the local stack, which the script starts)

What log() costs the caller, and the SDK's throughput against a raw kafkajs producer. It takes no
BENCH_* variables: its sizes are fixed.
`;

if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
  // Synchronous, so that nothing below (which reads the environment) runs before the exit.
  writeSync(1, USAGE);
  process.exit(0);
}

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

/**
 * What log() costs its caller, paced like a busy service (LOG_RATE events/s in 10 ms ticks) so the
 * queue stays short. Measured twice: against the stack's Kafka with the sender publishing (the
 * broker and the sender share this machine's two cores with the caller), and with no broker at all
 * (no sender work: the SDK's own cost).
 */
async function logCost(label: string, brokers: string[]): Promise<{ p50: number; p99: number }> {
  const topic =
    brokers === kafkaBrokers ? await createTestTopic(kafkaBrokers, { prefix: 'bench-sdk' }) : undefined;
  const client = new ActivityClient({
    source: '/services/bench',
    brokers,
    topic: topic?.name,
    // Without a broker nothing leaves the queue; a small one keeps the heap (and GC) as in a live service.
    queue: { maxEvents: topic ? LOG_CALLS * 2 : 10_000 },
    shutdownTimeoutMs: topic ? 120_000 : 100,
    logger: { warn: () => undefined },
  });
  for (let n = 0; n < 20_000; n++) client.log(input(n)); // warm-up: JIT, catalog, connection
  if (topic) await client.flush(60_000);
  const costs = new Float64Array(LOG_CALLS);
  const perTick = LOG_RATE / 100;
  for (let n = 0; n < LOG_CALLS; n++) {
    const began = performance.now();
    client.log(input(n));
    costs[n] = (performance.now() - began) * 1000;
    if (n % perTick === perTick - 1) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await client.close();
  await topic?.delete();
  costs.sort();
  const us = (value: number) => `${value.toFixed(2)} µs`;
  console.log(
    `  ${label.padEnd(34)} p50 ${us(percentile(costs, 0.5))}   p99 ${us(percentile(costs, 0.99))}   p99.9 ${us(percentile(costs, 0.999))}   max ${us(costs[costs.length - 1] as number)}`,
  );
  return { p50: percentile(costs, 0.5), p99: percentile(costs, 0.99) };
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
  console.log(
    `log() cost over ${LOG_CALLS.toLocaleString('en')} calls at ${LOG_RATE.toLocaleString('en')}/s:`,
  );
  const report = new BenchReport('sdk');
  const live = await logCost('Kafka up, sender publishing', kafkaBrokers);
  // Past 10,000 queued events these are built, validated and counted as dropped: all of log() but the push.
  const alone = await logCost('no broker (the SDK alone)', ['127.0.0.1:1']);
  report
    .add('log_p50_paced', live.p50, 'µs')
    .add('log_p99_paced', live.p99, 'µs', { atMost: 10 })
    .add('log_p99_paced_no_broker', alone.p99, 'µs');
  console.log(
    `\nThroughput, ${THROUGHPUT_EVENTS.toLocaleString('en')} events in batches of ${BATCH} (idempotent, acks=all, gzip):`,
  );
  // Alternating rounds, so that a slow moment of the shared machine does not fall on one side only.
  const rate = (value: number) => `${Math.round(value).toLocaleString('en')} events/s`;
  const raws: number[] = [];
  const sdks: Array<{ rate: number; heapGrowth: number; rss: number }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const raw = await rawKafkajs();
    const measured = await sdk();
    raws.push(raw);
    sdks.push(measured);
    console.log(
      `  round ${round}: raw kafkajs ${rate(raw)}   ActivityClient ${rate(measured.rate)}   (${(measured.rate / raw).toFixed(2)}×)`,
    );
  }
  const bestRaw = Math.max(...raws);
  const bestSdk = Math.max(...sdks.map((measured) => measured.rate));
  console.log(
    `  best of ${ROUNDS}: raw kafkajs ${rate(bestRaw)}, ActivityClient ${rate(bestSdk)}: ${(bestSdk / bestRaw).toFixed(2)}× raw`,
  );
  console.log(
    '  (the SDK side includes building, validating and encoding every event; the raw side sends pre-encoded batches)',
  );
  const last = sdks[sdks.length - 1] as { heapGrowth: number; rss: number };
  console.log(
    `\nMemory: heap grew ${mb(last.heapGrowth)} while ${THROUGHPUT_EVENTS.toLocaleString('en')} events were queued; RSS ${mb(last.rss)}`,
  );
  report
    .add('raw_kafkajs_best', bestRaw, 'events/s')
    .add('sdk_best', bestSdk, 'events/s')
    .add('sdk_vs_raw_kafkajs', bestSdk / bestRaw, 'x')
    .add('heap_growth_queued', last.heapGrowth / 1024 / 1024, 'MB')
    .finish();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
