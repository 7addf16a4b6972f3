// npm run bench:ingest — rows/s from a pre-filled topic of 1,000,000 events into Postgres through the
// ingest worker, against a raw COPY of the same rows into the same schema, in the same run.
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { encodeBinary } from '@chronicle/contracts';
import {
  ACTIVITY_EVENT_COLUMNS,
  createEventsDataSource,
  ensureDailyPartitions,
  ensureLocalServiceLogins,
  localServiceDatabaseUrl,
  migrateEventsStore,
  toActivityEventRow,
  toCopyLine,
  utcDayStart,
} from '@chronicle/events-store';
import { BenchReport, freshnessPercentiles, producePaced, profiled } from '@chronicle/bench';
import { createLogger } from '@chronicle/observability';
import {
  createTestDatabase,
  createTestTopic,
  stackEnvironmentFromEnv,
  waitForGroupCaughtUp,
  type TestDatabase,
} from '@chronicle/stack';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startIngestWorker } from '../src/ingest-worker';
import { seededRandom, validEvent } from '../test/ingest-dataset';

const USAGE = `Usage: npm run bench:ingest   (on the local stack, which the script starts)

Rows/s from a pre-filled topic into Postgres through the ingest worker, against a raw COPY of the
same rows.

  BENCH_EVENTS             events in the topic (default 1000000)
  BENCH_WORKER_VARIANTS    the worker runs to make, each from the same topic into its own database:
                           <partitions at once>:<max batch bytes>[:<fetch min bytes>:<fetch max
                           wait ms>],… (default $INGEST_PARTITIONS_CONCURRENCY:$INGEST_MAX_BATCH_BYTES,
                           or 2:4194304; without the fetch fields, the worker's 1 MiB and 500 ms;
                           :1:250 is kafkajs's default, the worker's before); the
                           last is the reported worker, the others worker_<variant>
  BENCH_PACED_RATE         then, per variant, a live load: this many events/s produced for
                           BENCH_PACED_SECONDS (default 30) into a fresh topic the worker follows;
                           reports freshness p50/p99 in Postgres since the Kafka append, the writes,
                           and the bench process's CPU per event (default 0: skipped)
  BENCH_CPU_PROFILE_DIR    write a CPU profile of each worker run there
                           (<dir>/ingest-worker-<concurrency>-<bytes>.cpuprofile)
`;

if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
  // Synchronous, so that nothing below (which reads the environment) runs before the exit.
  writeSync(1, USAGE);
  process.exit(0);
}

const TOTAL = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const PACED_RATE = Number(process.env['BENCH_PACED_RATE'] ?? 0);
const PACED_SECONDS = Number(process.env['BENCH_PACED_SECONDS'] ?? 30);
const CHUNK = 50_000;
const DAYS = 30;

const say = (line: string) => console.log(`[bench:ingest] ${line}`);

async function main(): Promise<void> {
  const report = new BenchReport('ingest');
  await measure(report);
  report.finish();
}

async function measure(report: BenchReport): Promise<void> {
  const stack = stackEnvironmentFromEnv();
  const kafka = new Kafka({
    clientId: 'chronicle-bench',
    brokers: stack.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const topic = await createTestTopic(stack.kafkaBrokers, { prefix: 'bench-ingest', partitions: 12 });
  const side = await Promise.all(
    ['dlq', 'erasure', 'erasure-status'].map((name) =>
      createTestTopic(stack.kafkaBrokers, { prefix: `bench-ingest-${name}`, partitions: 3 }),
    ),
  );
  const [dlq, erasure, erasureStatus] = side.map((t) => t.name) as [string, string, string];
  const databases: TestDatabase[] = [];
  try {
    // 1. The same events twice over: as Kafka records in the topic, and as COPY lines in memory.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const random = seededRandom(2026);
    const now = Date.now();
    const copyLines: string[] = [];
    const filled = Date.now();
    for (let start = 0; start < TOTAL; start += CHUNK) {
      const events = Array.from({ length: Math.min(CHUNK, TOTAL - start) }, () =>
        validEvent(
          random,
          `u_${Math.floor(random() * 50_000)}`,
          now - Math.floor(random() * DAYS * 86_400_000),
        ),
      );
      for (const event of events) copyLines.push(toCopyLine(toActivityEventRow(event, now)));
      const messages = events.map(encodeBinary);
      for (let i = 0; i < messages.length; i += 5_000)
        await producer.send({
          topic: topic.name,
          acks: -1,
          compression: CompressionTypes.None,
          messages: messages.slice(i, i + 5_000),
        });
      say(`topic pre-filled: ${start + events.length} / ${TOTAL} events`);
    }
    await producer.disconnect();
    say(
      `topic ${topic.name} holds ${await topic.recordCount()} records (${((Date.now() - filled) / 1000).toFixed(1)} s)`,
    );

    const fresh = async (label: string) => {
      const database = await createTestDatabase(stack.databaseUrl, `bench_ingest_${label}`);
      databases.push(database);
      const dataSource = createEventsDataSource({ url: database.url, poolSize: 2 });
      await dataSource.initialize();
      await migrateEventsStore(dataSource);
      await ensureLocalServiceLogins(database.url);
      const client = (await dataSource.createQueryRunner().connect()) as PoolClient;
      // Partitions made before timing, for both contenders: DDL is not what is measured.
      await ensureDailyPartitions(
        client,
        Array.from({ length: DAYS + 2 }, (_, i) => utcDayStart(now) - (DAYS - i + 1) * 86_400_000),
      );
      return { database, dataSource, client };
    };

    // 2. Raw COPY: the same rows, straight into activity_events, one stream, one transaction.
    const raw = await fresh('raw');
    say('raw COPY of the same rows into the same schema…');
    const rawStarted = process.hrtime.bigint();
    await raw.client.query('BEGIN');
    const stream = raw.client.query(
      copyFrom(`COPY activity_events (${ACTIVITY_EVENT_COLUMNS.join(', ')}) FROM STDIN`),
    );
    await pipeline(Readable.from(chunksOf(copyLines, 5_000)), stream);
    await raw.client.query('COMMIT');
    const rawSeconds = Number(process.hrtime.bigint() - rawStarted) / 1e9;
    const rawRows = await count(raw.client);
    await raw.dataSource.destroy();
    copyLines.length = 0;
    say(
      `raw COPY: ${rawRows} rows in ${rawSeconds.toFixed(2)} s = ${Math.round(rawRows / rawSeconds)} rows/s`,
    );

    /** The worker's configuration for a variant, on a database and events topic of its own. */
    const workerConfig = (variant: WorkerVariant, databaseUrl: string, groupId: string, events: string) => ({
      ...fetchSettings(variant),
      brokers: stack.kafkaBrokers,
      databaseUrl: localServiceDatabaseUrl(databaseUrl, 'ingest'),
      pseudonymSecret: 'bench-ingest-pseudonym-secret-of-32+bytes',
      groupId,
      topics: { events, dlq, erasure, erasureStatus },
      retentionDays: 90,
      maxFutureMs: 86_400_000,
      maintenanceIntervalMs: 3_600_000,
      opsPort: 0,
      opsHost: '127.0.0.1',
      stallAfterMs: 60_000,
      lagPollIntervalMs: 5_000,
      partitionsConcurrency: variant.concurrency,
      maxBatchBytes: variant.maxBatchBytes,
      dbPoolSize: 6,
    });

    // 3. The worker: from the topic's first record to every offset committed, once per variant.
    const runWorker = async (variant: WorkerVariant) => {
      const target = await fresh('worker');
      const groupId = `bench-ingest.${Date.now()}`;
      const name = variantName(variant);
      say(`ingest worker (${name}) from the pre-filled topic…`);
      const workerStarted = process.hrtime.bigint();
      const worker = await profiled(`ingest-worker-${name.replace(/:/g, '-')}`, async () => {
        const started = await startIngestWorker(
          workerConfig(variant, target.database.url, groupId, topic.name),
          { logger: createLogger('ingest-worker', (_level, line) => say(line)), progressIntervalMs: 5_000 },
        );
        await waitForGroupCaughtUp(stack.kafkaBrokers, groupId, topic.name, { timeoutMs: 1_800_000 });
        return started;
      });
      const seconds = Number(process.hrtime.bigint() - workerStarted) / 1e9;
      const writes = (await worker.metrics.writeDuration.get()).values;
      const writeSeconds = writes.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
      const batches = writes.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
      say(
        `worker (${name}): ${batches} batch writes of ${Math.round(TOTAL / Math.max(1, batches))} rows on average, ` +
          `${writeSeconds.toFixed(2)} s in Postgres writes in all`,
      );
      await worker.stop();
      const rows = await count(target.client);
      await target.dataSource.destroy();
      say(
        `worker (${name}): ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s (start-up included); ${(rawSeconds / seconds).toFixed(2)}× raw COPY`,
      );
      return { variant, rows, seconds, writeSeconds, batches };
    };
    const runs = [];
    for (const variant of workerVariants()) runs.push(await runWorker(variant));
    const last = runs.at(-1) as (typeof runs)[number];
    const { rows: workerRows, seconds: workerSeconds, writeSeconds, batches } = last;
    for (const run of runs.slice(0, -1))
      report.add(`worker_${variantName(run.variant).replace(/:/g, '_')}`, run.rows / run.seconds, 'rows/s');

    console.log('');
    console.log(`| contender  | rows      | seconds | rows/s  |`);
    console.log(`| ---------- | --------- | ------- | ------- |`);
    console.log(
      `| raw COPY   | ${rawRows} | ${rawSeconds.toFixed(2)} | ${Math.round(rawRows / rawSeconds)} |`,
    );
    console.log(
      `| worker     | ${workerRows} | ${workerSeconds.toFixed(2)} | ${Math.round(workerRows / workerSeconds)} |`,
    );
    console.log(`worker / raw COPY = ${(rawSeconds / workerSeconds).toFixed(2)}× (target ≥ 0.85×)`);
    if (workerRows !== TOTAL || rawRows !== TOTAL)
      throw new Error(`expected ${TOTAL} rows in both databases`);
    report
      .add('raw_copy', rawRows / rawSeconds, 'rows/s')
      .add('worker', workerRows / workerSeconds, 'rows/s')
      .add('worker_vs_raw_copy', rawSeconds / workerSeconds, 'x', { atLeast: 0.85 })
      .add('worker_write_seconds', writeSeconds, 's')
      .add('worker_batch_rows_mean', TOTAL / Math.max(1, batches), 'rows');

    // 4. A live load: per variant, the worker follows a fresh topic that is fed PACED_RATE events/s.
    if (PACED_RATE > 0)
      for (const variant of workerVariants()) {
        const name = variantName(variant);
        const paced = await createTestTopic(stack.kafkaBrokers, {
          prefix: 'bench-ingest-paced',
          partitions: 12,
        });
        const target = await fresh('paced');
        const registry = new Registry();
        const groupId = `bench-ingest-paced.${Date.now()}`;
        try {
          const worker = await startIngestWorker(
            workerConfig(variant, target.database.url, groupId, paced.name),
            {
              logger: createLogger('ingest-worker', (_level, line) => say(line)),
              registry,
              progressIntervalMs: 0,
            },
          );
          while (!(await worker.health()).ok) await new Promise((resolve) => setTimeout(resolve, 200));
          say(`paced (${name}): ${PACED_RATE} events/s for ${PACED_SECONDS} s…`);
          const cpuBefore = process.cpuUsage();
          const random = seededRandom(7);
          const produced = await producePaced(kafka, paced.name, PACED_RATE, PACED_SECONDS, (now) =>
            encodeBinary(validEvent(random, `u_${Math.floor(random() * 50_000)}`, now)),
          );
          await waitForGroupCaughtUp(stack.kafkaBrokers, groupId, paced.name, { timeoutMs: 600_000 });
          const cpu = process.cpuUsage(cpuBefore);
          const text = await registry.metrics();
          await worker.stop();
          const writes = /^chronicle_ingest_write_duration_seconds_count (\d+)/m.exec(text)?.[1];
          const { p50, p99 } = freshnessPercentiles(text, 'postgres');
          const cpuPerEvent = (cpu.user + cpu.system) / produced;
          say(
            `paced (${name}): ${writes} writes; freshness since the Kafka append p50 ${p50.toFixed(2)} s, ` +
              `p99 ${p99.toFixed(2)} s; bench process CPU ${cpuPerEvent.toFixed(0)} µs/event (worker and producer)`,
          );
          const key = `paced_${PACED_RATE}_${name.replace(/:/g, '_')}`;
          report
            .add(`${key}_freshness_p50`, p50, 's')
            .add(`${key}_freshness_p99`, p99, 's', { atMost: 2 })
            .add(`${key}_process_cpu_per_event`, cpuPerEvent, 'µs');
        } finally {
          await target.dataSource.destroy();
          await paced.delete();
        }
      }
  } finally {
    await topic.delete();
    for (const t of side) await t.delete();
    for (const database of databases) await database.drop();
  }
}

interface WorkerVariant {
  /** Partitions written at once (INGEST_PARTITIONS_CONCURRENCY). */
  concurrency: number;
  /** Bytes fetched per partition at most (INGEST_MAX_BATCH_BYTES). */
  maxBatchBytes: number;
  /** A fetch waits for this many bytes or this long; absent, the worker's defaults (1 MiB, 500 ms). */
  fetch?: { minBytes: number; maxWaitMs: number };
}

const variantName = (variant: WorkerVariant): string =>
  [
    variant.concurrency,
    variant.maxBatchBytes,
    ...(variant.fetch ? [variant.fetch.minBytes, variant.fetch.maxWaitMs] : []),
  ].join(':');

const fetchSettings = (variant: WorkerVariant) =>
  variant.fetch ? { batchMinBytes: variant.fetch.minBytes, batchMaxWaitMs: variant.fetch.maxWaitMs } : {};

function workerVariants(): WorkerVariant[] {
  const spec =
    process.env['BENCH_WORKER_VARIANTS'] ??
    `${process.env['INGEST_PARTITIONS_CONCURRENCY'] ?? 2}:${process.env['INGEST_MAX_BATCH_BYTES'] ?? 4 * 1024 * 1024}`;
  return spec.split(',').map((item) => {
    const [concurrency, maxBatchBytes, minBytes, maxWaitMs] = item.trim().split(':').map(Number);
    const fetch = minBytes === undefined ? undefined : { minBytes, maxWaitMs: Number(maxWaitMs) };
    if (
      !(Number(concurrency) >= 1) ||
      !(Number(maxBatchBytes) >= 65_536) ||
      (fetch && !(fetch.minBytes >= 1 && fetch.maxWaitMs >= 10))
    )
      throw new Error(
        `BENCH_WORKER_VARIANTS: "${item}" is not <concurrency>:<max batch bytes>[:<min bytes>:<max wait ms>]`,
      );
    return {
      concurrency: concurrency as number,
      maxBatchBytes: maxBatchBytes as number,
      ...(fetch ? { fetch } : {}),
    };
  });
}

function* chunksOf(lines: string[], size: number): Generator<string> {
  for (let i = 0; i < lines.length; i += size) yield lines.slice(i, i + size).join('');
}

async function count(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM activity_events');
  return rows[0]?.n ?? 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
