// npm run bench:analytics — (1) rows/s into ClickHouse through the analytics worker from a pre-filled
// topic, against a raw insert of the same rows in the same run; (2) latency of the dashboard queries
// over 10,000,000 events.
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AnalyticsQueries, migrateClickHouse, toAnalyticsRow } from '@chronicle/analytics';
import { generateSyntheticActivity } from '@chronicle/analytics/testing';
import {
  createPseudonymizer,
  encodeBinary,
  getDefaultActivityCatalog,
  type ActivityEvent,
} from '@chronicle/contracts';
import { BenchReport, freshnessPercentiles, producePaced, profiled } from '@chronicle/bench';
import { createLogger } from '@chronicle/observability';
import { createTestTopic, stackEnvironmentFromEnv, waitForGroupCaughtUp } from '@chronicle/stack';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { randomBytes, randomUUID } from 'node:crypto';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { startAnalyticsWorker } from '../src/analytics-worker';

const USAGE = `Usage: npm run bench:analytics   (on the local stack, which the script starts)

Rows/s into ClickHouse through the analytics worker from a pre-filled topic, against a raw insert of
the same rows; then the dashboard queries' latency.

  BENCH_USERS           users of the ingest run, about 50 events each (default 20000)
  BENCH_QUERY_EVENTS    events the queries run over (default 10000000)
  BENCH_QUERY_RUNS      runs of each query (default 20)
  BENCH_WORKER_VARIANTS the worker's insert paths to run, each from the same topic into its own
                        database, e.g. per-batch:2,coalesced:12:500 (path:partitions handled at
                        once[:fetch max wait ms, default 1000]; default
                        coalesced:<ANALYTICS_PARTITIONS_CONCURRENCY or 12>). The last one is the
                        reported worker_insert; the others worker_insert_<path>_<n>_<wait>.
  BENCH_PACED_RATE      then, per variant, a live load: this many events/s produced for
                        BENCH_PACED_SECONDS (default 30) into a fresh topic the worker follows; reports
                        freshness p50/p99 in ClickHouse since the Kafka append (default 0: skipped)
  BENCH_CPU_PROFILE_DIR write a CPU profile of each worker run there (<dir>/analytics-worker-<variant>.cpuprofile)
`;

if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
  // Synchronous, so that nothing below (which reads the environment) runs before the exit.
  writeSync(1, USAGE);
  process.exit(0);
}

const USERS = Number(process.env['BENCH_USERS'] ?? 20_000); // about 50 events per user: 1,000,000
const QUERY_EVENTS = Number(process.env['BENCH_QUERY_EVENTS'] ?? 10_000_000);
const QUERY_RUNS = Number(process.env['BENCH_QUERY_RUNS'] ?? 20);
const PACED_RATE = Number(process.env['BENCH_PACED_RATE'] ?? 0);
const PACED_SECONDS = Number(process.env['BENCH_PACED_SECONDS'] ?? 30);
const SECRET = randomBytes(32).toString('hex');
const say = (line: string) => console.log(`[bench:analytics] ${line}`);

async function main(): Promise<void> {
  const report = new BenchReport('analytics');
  await measure(report);
  report.finish();
}

async function measure(report: BenchReport): Promise<void> {
  const stack = stackEnvironmentFromEnv();
  const client = createClient({
    url: stack.clickhouseUrl,
    log: { level: ClickHouseLogLevel.OFF },
    request_timeout: 600_000,
  });
  const databases: string[] = [];
  const fresh = async (label: string) => {
    const database = `bench_analytics_${label}_${randomBytes(4).toString('hex')}`;
    databases.push(database);
    await migrateClickHouse(client, { database, retentionDays: 3_650 });
    return database;
  };
  const topic = await createTestTopic(stack.kafkaBrokers, { prefix: 'bench-analytics', partitions: 12 });
  const side = await Promise.all(
    ['erasure', 'erasure-status', 'dlq'].map((name) =>
      createTestTopic(stack.kafkaBrokers, { prefix: `bench-analytics-${name}`, partitions: 3 }),
    ),
  );
  try {
    // 1. The same events as Kafka records and as rows in memory.
    const catalog = getDefaultActivityCatalog();
    const pseudonymize = createPseudonymizer(SECRET);
    const events = generateSyntheticActivity(2026, {
      users: USERS,
      apps: 500,
      days: 60,
      firstDay: '2026-08-01',
    });
    say(`${events.length} events generated (${USERS} users, 60 days)`);
    const kafka = new Kafka({
      clientId: 'chronicle-bench',
      brokers: stack.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < events.length; i += 10_000) {
      await producer.send({
        topic: topic.name,
        acks: -1,
        compression: CompressionTypes.None,
        messages: events.slice(i, i + 10_000).map(encodeBinary),
      });
      if ((i / 10_000) % 20 === 0)
        say(`topic pre-filled: ${Math.min(events.length, i + 10_000)} / ${events.length}`);
    }
    await producer.disconnect();

    // 2. Raw insert: the same rows (mapped beforehand, which is not measured), in batches of 100,000.
    const now = Date.now();
    const rows = events.map((event) => toAnalyticsRow(event, catalog, pseudonymize, now));
    const raw = await fresh('raw');
    say('raw insert of the same rows…');
    const rawStarted = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i += 100_000)
      await client.insert({
        table: `${raw}.events`,
        values: rows.slice(i, i + 100_000),
        format: 'JSONEachRow',
      });
    const rawSeconds = Number(process.hrtime.bigint() - rawStarted) / 1e9;
    say(
      `raw insert: ${rows.length} rows in ${rawSeconds.toFixed(2)} s = ${Math.round(rows.length / rawSeconds)} rows/s`,
    );

    // 3. The worker, from the topic's first record to every offset committed (migrations applied
    // beforehand, as the migrate command does: services never migrate), once per variant.
    const variants = workerVariants();
    const startVariant = (
      variant: WorkerVariant,
      run: { database: string; groupId: string; topic: string },
      registry?: Registry,
    ) =>
      startAnalyticsWorker(
        {
          brokers: stack.kafkaBrokers,
          clickhouseUrl: stack.clickhouseUrl,
          database: run.database,
          pseudonymSecret: SECRET,
          groupId: run.groupId,
          topics: {
            events: run.topic,
            erasure: side[0]?.name as string,
            erasureStatus: side[1]?.name as string,
            dlq: side[2]?.name as string,
          },
          opsPort: 0,
          opsHost: '127.0.0.1',
          stallAfterMs: 60_000,
          lagPollIntervalMs: 5_000,
          partitionsConcurrency: variant.concurrency,
          batchMinBytes: 1024 * 1024,
          batchMaxWaitMs: variant.maxWaitMs,
          maxBatchBytes: 8 * 1024 * 1024,
          erasureSettleMs: 10_000,
        },
        {
          logger: createLogger('analytics-worker', (_level, line) => say(line)),
          progressIntervalMs: 5_000,
          coalesceInserts: variant.path === 'coalesced',
          ...(registry ? { registry } : {}),
        },
      );
    const runs: { variant: WorkerVariant; seconds: number }[] = [];
    for (const variant of variants) {
      const target = await fresh('worker');
      const groupId = `bench-analytics.${Date.now()}`;
      const name = `${variant.path}:${variant.concurrency}:${variant.maxWaitMs}`;
      say(`worker (${name})…`);
      const workerStarted = process.hrtime.bigint();
      await profiled(
        `analytics-worker-${variant.path}-${variant.concurrency}-${variant.maxWaitMs}`,
        async () => {
          const worker = await startVariant(variant, { database: target, groupId, topic: topic.name });
          await waitForGroupCaughtUp(stack.kafkaBrokers, groupId, topic.name, { timeoutMs: 3_600_000 });
          const inserts = (await worker.metrics.batchRows.get()).values.find((v) =>
            v.metricName?.endsWith('_count'),
          )?.value;
          say(
            `worker (${name}): ${inserts} inserts, ${Math.round(events.length / (inserts || 1))} rows each on average`,
          );
          await worker.stop();
        },
      );
      const seconds = Number(process.hrtime.bigint() - workerStarted) / 1e9;
      runs.push({ variant, seconds });
      say(
        `worker (${name}): ${events.length} events in ${seconds.toFixed(2)} s = ${Math.round(events.length / seconds)} rows/s (start-up included)`,
      );
    }
    const workerSeconds = runs.at(-1)?.seconds ?? Number.NaN;
    if (PACED_RATE > 0)
      for (const variant of variants) {
        // 4. A live load: the worker follows a fresh topic that is fed PACED_RATE events/s.
        const paced = await createTestTopic(stack.kafkaBrokers, {
          prefix: 'bench-analytics-paced',
          partitions: 12,
        });
        const registry = new Registry();
        const groupId = `bench-analytics-paced.${Date.now()}`;
        const name = `${variant.path}:${variant.concurrency}:${variant.maxWaitMs}`;
        try {
          const worker = await startVariant(
            variant,
            { database: await fresh('paced'), groupId, topic: paced.name },
            registry,
          );
          while (!(await worker.health()).ok) await new Promise((resolve) => setTimeout(resolve, 200));
          say(`paced (${name}): ${PACED_RATE} events/s for ${PACED_SECONDS} s…`);
          let next = 0;
          await producePaced(kafka, paced.name, PACED_RATE, PACED_SECONDS, () =>
            encodeBinary(events[next++ % events.length] as ActivityEvent),
          );
          await waitForGroupCaughtUp(stack.kafkaBrokers, groupId, paced.name, { timeoutMs: 600_000 });
          const text = await registry.metrics();
          await worker.stop();
          const inserts = /^chronicle_analytics_batch_rows_count (\d+)/m.exec(text)?.[1];
          const { p50, p99 } = freshnessPercentiles(text, 'clickhouse');
          say(
            `paced (${name}): ${inserts} inserts; freshness since the Kafka append p50 ${p50.toFixed(2)} s, p99 ${p99.toFixed(2)} s`,
          );
          const key = `paced_${PACED_RATE}_${variant.path.replace('-', '_')}_${variant.concurrency}_${variant.maxWaitMs}`;
          report.add(`${key}_freshness_p50`, p50, 's').add(`${key}_freshness_p99`, p99, 's', { atMost: 2 });
        } finally {
          await paced.delete();
        }
      }

    for (const run of runs.slice(0, -1))
      report.add(
        `worker_insert_${run.variant.path.replace('-', '_')}_${run.variant.concurrency}_${run.variant.maxWaitMs}`,
        events.length / run.seconds,
        'rows/s',
      );

    for (const run of runs.slice(0, -1))
      say(
        `${run.variant.path}:${run.variant.concurrency}:${run.variant.maxWaitMs} / raw insert = ${(rawSeconds / run.seconds).toFixed(2)}×`,
      );
    printInsertTable(rows.length, rawSeconds, events.length, workerSeconds);
    report
      .add('raw_insert', rows.length / rawSeconds, 'rows/s')
      .add('worker_insert', events.length / workerSeconds, 'rows/s')
      .add('worker_vs_raw_insert', rawSeconds / workerSeconds, 'x', { atLeast: 0.6 });
    if (QUERY_EVENTS === 0) return;

    // 4. Query latency over QUERY_EVENTS events, made by ClickHouse itself (fast, and not what is measured).
    const big = await fresh('queries');
    say(`generating ${QUERY_EVENTS} events in ClickHouse…`);
    const generated = Date.now();
    await generateEvents(client, big, QUERY_EVENTS);
    say(`${QUERY_EVENTS} events generated in ${((Date.now() - generated) / 1000).toFixed(1)} s`);
    // Generated keys name nobody: "most active users" is measured without the Postgres lookup.
    const options = { database: big, resolvePseudonyms: async () => new Map() };
    const computed = new AnalyticsQueries(client, options);
    // As the gateway serves them (ANALYTICS_CACHE_ROWS): kept while their parts are unchanged.
    const cached = new AnalyticsQueries(client, { ...options, cacheRows: 100_000 });
    const to = '2026-09-29';
    // The generated users are all first seen in the data's first days: the matrices cover those
    // cohorts (a window in September would hold none, and measure an empty join).
    const cohorts = { from: '2026-08-01', to: '2026-08-30', periods: 30 };
    const matrix = await computed.cohortRetention(cohorts);
    say(
      `retention matrices over ${matrix.length} cohorts of ${matrix.reduce((sum, row) => sum + row.users, 0)} users`,
    );
    // Issue 20's definitions: another zone reads the raw events, and so does rolling retention.
    const figures: {
      name: string;
      metric: string;
      target: number;
      run: (q: AnalyticsQueries) => Promise<unknown>;
    }[] = [
      {
        name: 'DAU series, 30 days',
        metric: 'dau_series_30d',
        target: 50,
        run: (q) => q.dailyActiveUsersSeries({ from: '2026-08-31', to }),
      },
      { name: 'MAU', metric: 'mau', target: 50, run: (q) => q.monthlyActiveUsers({ day: to }) },
      {
        name: 'DAU series, 30 days, Europe/Berlin',
        metric: 'dau_series_30d_berlin',
        target: 50,
        run: (q) => q.dailyActiveUsersSeries({ from: '2026-08-31', to, tz: 'Europe/Berlin' }),
      },
      {
        name: 'MAU, Europe/Berlin',
        metric: 'mau_berlin',
        target: 50,
        run: (q) => q.monthlyActiveUsers({ day: to, tz: 'Europe/Berlin' }),
      },
      {
        name: 'retention matrix 30 × 30, calendar',
        metric: 'retention_matrix_30x30',
        target: 150,
        run: (q) => q.cohortRetention(cohorts),
      },
      {
        name: 'retention matrix 30 × 30, rolling',
        metric: 'retention_matrix_30x30_rolling',
        target: 150,
        run: (q) => q.cohortRetention({ ...cohorts, mode: 'rolling' }),
      },
      {
        name: 'retention matrix 30 × 30, unbounded',
        metric: 'retention_matrix_30x30_unbounded',
        target: 150,
        run: (q) => q.cohortRetention({ ...cohorts, mode: 'unbounded' }),
      },
      {
        name: 'retention matrix 30 × 30, Europe/Berlin',
        metric: 'retention_matrix_30x30_berlin',
        target: 150,
        run: (q) => q.cohortRetention({ ...cohorts, tz: 'Europe/Berlin' }),
      },
    ];
    const mauRaw = await time(() =>
      client
        .query({
          query: `SELECT uniqExact(actor_key) AS users FROM {db:Identifier}.events
                   WHERE actor_type = 'user' AND occurred_at >= toDateTime64('2026-08-31', 3, 'UTC')
                     AND occurred_at < toDateTime64('2026-09-30', 3, 'UTC')`,
          query_params: { db: big },
          format: 'JSONEachRow',
        })
        .then((r) => r.json()),
    );
    // A live store: before each run, one event of a new user on the last day, in a part of its own.
    const insertOnLastDay = () =>
      client.insert({
        table: `${big}.events`,
        values: [
          {
            event_id: randomUUID(),
            occurred_at: `${to} 12:00:00.000`,
            actor_key: randomBytes(32).toString('hex'),
            actor_type: 'user',
            activity_type: 'app.viewed',
            entity_type: 'app',
            entity_id: 'app_1',
            source: '/services/app-catalog',
            metadata: '{}',
            ingested_at: `${to} 12:00:00.000`,
          },
        ],
        format: 'JSONEachRow',
      });
    const latencies: { name: string; computed: Latency; cached: Latency; afterInsert: Latency }[] = [];
    for (const figure of figures) {
      say(`timing ${figure.name}…`);
      latencies.push({
        name: figure.name,
        computed: await time(() => figure.run(computed)),
        cached: await time(() => figure.run(cached)),
        afterInsert: await time(() => figure.run(cached), insertOnLastDay),
      });
    }

    console.log('');
    console.log(`Query latency over ${QUERY_EVENTS} events, ${QUERY_RUNS} runs each, p50 / p99 ms:`);
    console.log('- computed: no cache, every run computes (the first request after a change);');
    console.log("- cached: the gateway's cache (ANALYTICS_CACHE_ROWS), nothing inserted between runs;");
    console.log(
      '- after an insert: cached, with one event of a new user inserted on the last day before each run.',
    );
    console.log('');
    console.log('| figure | computed | cached | after an insert on the last day | target (p50) |');
    console.log('| --- | --- | --- | --- | --- |');
    const cell = (ms: Latency) => `${ms.p50.toFixed(1)} / ${ms.p99.toFixed(1)}`;
    for (const [index, row] of latencies.entries())
      console.log(
        `| ${row.name} | ${cell(row.computed)} | ${cell(row.cached)} | ${cell(row.afterInsert)} | ≤ ${(figures[index] as (typeof figures)[number]).target} ms |`,
      );
    console.log(`| MAU exact from raw events (no aggregate) | ${cell(mauRaw)} | | | |`);
    report.add('mau_exact_raw_p50', mauRaw.p50, 'ms');
    for (const [index, row] of latencies.entries()) {
      const { metric, target } = figures[index] as (typeof figures)[number];
      report
        .add(`${metric}_computed_p50`, row.computed.p50, 'ms')
        .add(`${metric}_p50`, row.cached.p50, 'ms', { atMost: target })
        .add(`${metric}_after_insert_p50`, row.afterInsert.p50, 'ms');
    }
    say(`cache: ${JSON.stringify(cached.cacheStats)}`);
  } finally {
    for (const database of databases)
      await client.command({
        query: 'DROP DATABASE IF EXISTS {db:Identifier}',
        query_params: { db: database },
      });
    await client.close();
    await topic.delete();
    for (const t of side) await t.delete();
  }
}

interface WorkerVariant {
  /** One insert per partition batch, or one per round of batches handled together. */
  path: 'per-batch' | 'coalesced';
  /** Partitions handled at once. */
  concurrency: number;
  /** The longest a fetch waits for 1 MiB (ANALYTICS_BATCH_MAX_WAIT_MS; default 1000). */
  maxWaitMs: number;
}

function workerVariants(): WorkerVariant[] {
  const spec =
    process.env['BENCH_WORKER_VARIANTS'] ??
    `coalesced:${process.env['ANALYTICS_PARTITIONS_CONCURRENCY'] ?? 12}`;
  return spec.split(',').map((item) => {
    const [path, concurrency, maxWaitMs = '1000'] = item.trim().split(':');
    if (
      (path !== 'per-batch' && path !== 'coalesced') ||
      !(Number(concurrency) >= 1) ||
      !(Number(maxWaitMs) >= 10)
    )
      throw new Error(`BENCH_WORKER_VARIANTS: "${item}" is not per-batch|coalesced:<n>[:<max wait ms>]`);
    return { path, concurrency: Number(concurrency), maxWaitMs: Number(maxWaitMs) };
  });
}

function printInsertTable(
  rawRows: number,
  rawSeconds: number,
  workerRows: number,
  workerSeconds: number,
): void {
  console.log('');
  console.log('| insert     | rows      | seconds | rows/s  |');
  console.log('| ---------- | --------- | ------- | ------- |');
  console.log(`| raw insert | ${rawRows} | ${rawSeconds.toFixed(2)} | ${Math.round(rawRows / rawSeconds)} |`);
  console.log(
    `| worker     | ${workerRows} | ${workerSeconds.toFixed(2)} | ${Math.round(workerRows / workerSeconds)} |`,
  );
  console.log(`worker / raw insert = ${(rawSeconds / workerSeconds).toFixed(2)}× (target ≥ 0.6×)`);
  console.log('');
}

/** `count` events over 2026-08-01 … 2026-09-29: 200,000 users, 20 types, 5,000 apps, pseudorandom. */
async function generateEvents(client: ClickHouseClient, database: string, count: number): Promise<void> {
  const types = getDefaultActivityCatalog()
    .definitions()
    .map((d) => `'${d.type}'`)
    .join(',');
  for (let start = 0; start < count; start += 2_000_000) {
    await client.command({
      query: `INSERT INTO {db:Identifier}.events
        SELECT generateUUIDv4(number) AS event_id,
               toDateTime64('2026-08-01', 3, 'UTC') + toIntervalMillisecond(cityHash64(number, 1) % (60 * 86400000)) AS occurred_at,
               lower(hex(SHA256(toString(cityHash64(number, 2) % 200000)))) AS actor_key,
               'user' AS actor_type,
               [${types}][1 + cityHash64(number, 3) % ${types.split(',').length}] AS activity_type,
               if(activity_type = 'app.viewed', 'app', '') AS entity_type,
               if(activity_type = 'app.viewed', concat('app_', toString(cityHash64(number, 4) % 5000)), '') AS entity_id,
               '/services/app-catalog' AS source,
               '{}' AS metadata,
               now64(3, 'UTC') AS ingested_at
          FROM numbers({start:UInt64}, {n:UInt64})`,
      query_params: { db: database, start, n: Math.min(2_000_000, count - start) },
    });
    say(`  ${Math.min(count, start + 2_000_000)} / ${count}`);
  }
}

interface Latency {
  p50: number;
  p99: number;
}

/** p50 and p99 of QUERY_RUNS runs after a warm-up; `before` runs untimed before each. */
async function time(run: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<Latency> {
  await before?.();
  await run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < QUERY_RUNS; i++) {
    await before?.();
    const started = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] as number;
  return { p50: at(0.5), p99: at(0.99) };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
