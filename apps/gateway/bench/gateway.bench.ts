// npm run bench:gateway — over 10,000,000 stored events, through a gateway process of its own, over HTTP:
// the timeline's latency against ActivityQueries.page() called directly, admin filters at page 1 and
// page 1,000, and export rows/s against a raw COPY of the same rows, every baseline in the same run.
// Then its capacity: BENCH_CONCURRENCY callers at once for BENCH_CAPACITY_SECONDS, on the timeline and on
// the collector, with the gateway's CPU over the window (throughput per gateway core).
// BENCH_EVENTS, BENCH_USERS and BENCH_RUNS set the sizes.
import { parseArgs } from 'node:util';
import {
  ACTIVITY_CSV_COLUMNS,
  ActivityEventWriter,
  ActivityQueries,
  createEventsDataSource,
  ensureLocalServiceLogins,
  localServiceDatabaseUrl,
  migrateEventsStore,
} from '@chronicle/events-store';
import {
  createTestDatabase,
  createTestTopic,
  spawnService,
  stackEnvironmentFromEnv,
  waitFor,
  type ServiceProcess,
  type StackEnvironment,
} from '@chronicle/stack';
import { BenchReport } from '@chronicle/bench';
import { createPseudonymizer, toActivityEvent } from '@chronicle/contracts';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import http from 'node:http';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { ActivityPage, TimelinePage } from '../src/activity/activity.schemas';
import { mintLocalToken } from '../src/auth/local-token';
import type { CollectReply } from '../src/collector/collector.schemas';
import {
  backgroundCores,
  HttpStatusError,
  measureCapacity,
  type CapacityFigures,
  type Watched,
} from './capacity';
import { seedActivityEvents } from './seed-events';

const USAGE = `Usage: npm run bench:gateway   (on the local stack, which the script starts)

The gateway's timeline, admin search and export against direct queries over stored events, then its
capacity with concurrent callers.

  BENCH_EVENTS              events stored (default 10000000)
  BENCH_USERS               users they belong to (default 100000)
  BENCH_RUNS                runs of each measured request (default 1000)
  BENCH_CONCURRENCY         callers at once in the capacity test (default 16)
  BENCH_CAPACITY_SECONDS    how long the capacity test lasts (default 15)
`;

if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
  // Synchronous, so that nothing below (which reads the environment) runs before the exit.
  writeSync(1, USAGE);
  process.exit(0);
}

const EVENTS = countFromEnv('BENCH_EVENTS', 10_000_000);
const USERS = countFromEnv('BENCH_USERS', 100_000);
const RUNS = countFromEnv('BENCH_RUNS', 1_000);
const DEEP_PAGE = 1_000;
const DEEP_PAGE_RUNS = Math.max(1, Math.round(RUNS / 5));
const WARM_UP_RUNS = 50;
const DAYS = 30;
const DAY_MS = 86_400_000;
const SEED_CHUNK_ROWS = 500_000;
/** Timeline callers: tokens minted up front, for users drawn with the seed's skew. */
const TIMELINE_USERS = 200;
const TIMELINE_LIMIT = 50;
const ADMIN_LIMIT = 100;
const EXPORT_FILTER = { type: 'app.viewed' };
const JWT_SECRET = randomBytes(32).toString('hex');
const CONCURRENCY = countFromEnv('BENCH_CONCURRENCY', 16);
const CAPACITY_SECONDS = countFromEnv('BENCH_CAPACITY_SECONDS', 15);
const CAPACITY_WARM_UP_SECONDS = 3;
const COLLECTOR_BATCH = 100;
/** Batches built before the window and sent in turn, so that the callers spend no CPU building them. */
const COLLECTOR_BODIES = 50;
const COLLECTOR_SOURCE = '/services/bench';
const COLLECTOR_API_KEY = randomBytes(24).toString('hex');

const TARGETS = {
  timelineP99Ms: 15,
  /** The API's p99 over the query's own (ActivityQueries.page() in the bench's process). */
  timelineOverQueryP99: 1.2,
  exportRowsPerSecond: 150_000,
  csvFirstByteSeconds: 1,
  /** The CSV export's rows/s over the raw COPY's of the same rows. */
  csvOverRawCopy: 0.8,
  /** docs/gateway.md: "page 1,000 costs what page 1 costs"; up to 1.5× is taken as the same. */
  deepPageRatio: 1.5,
  /** docs/gateway.md: an export's RSS grows by less than 100 MB. */
  exportRssGrowthBytes: 100 * 1024 * 1024,
};

/** The admin searches measured at page 1; the first one is also walked to page 1,000. */
const ADMIN_FILTERS: ReadonlyArray<Record<string, string>> = [
  { type: 'download.*' },
  { source: '/services/app-store', type: 'app.viewed' },
  { entityType: 'app', entityId: 'app_7' },
];

const say = (line: string) => console.log(`[bench:gateway] ${line}`);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const benchStarted = process.hrtime.bigint();
  const stack = stackEnvironmentFromEnv();
  const teardown = new Teardown();
  // A 10,000,000-row database left behind by a Ctrl-C would be gigabytes on the developer's disk.
  process.once('SIGINT', () => void teardown.run().finally(() => process.exit(130)));
  let gateway: ServiceProcess | undefined;
  try {
    say(`${thousands(EVENTS)} events, ${thousands(USERS)} users, ${thousands(RUNS)} runs per measure`);
    const database = await createTestDatabase(stack.databaseUrl, 'bench_gateway');
    teardown.add(() => database.drop());
    const dataSource = createEventsDataSource({
      url: database.url,
      poolSize: 2,
      applicationName: 'chronicle-bench',
    });
    await dataSource.initialize();
    teardown.add(() => dataSource.destroy());
    await migrateEventsStore(dataSource);
    const nowMs = Date.now();
    await new ActivityEventWriter(dataSource, {
      pseudonymize: createPseudonymizer('bench-gateway-pseudonym-secret-of-32+bytes'),
    }).prepareAhead(nowMs - DAYS * DAY_MS, DAYS + 3);
    say(`database ${database.name} migrated, ${DAYS + 3} daily partitions`);

    const seedSeconds = await seedActivityEvents(dataSource, {
      events: EVENTS,
      users: USERS,
      days: DAYS,
      chunkRows: SEED_CHUNK_ROWS,
      nowMs,
      progress: say,
    });
    say(`seeded ${thousands(EVENTS)} events in ${seedSeconds.toFixed(1)} s`);
    await settleDatabase(dataSource);

    // A topic of its own: the gateway audits every admin read, and those events are not for the demo topic.
    const topic = await createTestTopic(stack.kafkaBrokers, {
      prefix: 'bench-gateway.events',
      partitions: 3,
    });
    teardown.add(() => topic.delete());
    // As `npm start` runs it: its own login, whose privileges are part of what is measured.
    await ensureLocalServiceLogins(database.url);
    gateway = await startGatewayProcess(stack, localServiceDatabaseUrl(database.url, 'gateway'), topic.name);
    const running = gateway;
    teardown.add(async () => void (await running.kill('SIGTERM')));
    const client = new GatewayClient(gateway.started['url'] as string);
    teardown.add(async () => client.close());
    const tokens = await mintTokens();

    const timeline = await measureTimeline(client, new ActivityQueries(dataSource), tokens.users);
    const admin = await measureAdminSearch(client, tokens.admin);
    const exports = await measureExports(client, tokens.admin, database.url, gateway.process.pid as number);
    const capacity = await measureCapacityPhase(
      gateway.started['url'] as string,
      { gatewayPid: gateway.process.pid as number, databaseName: database.name },
      tokens.users,
    );

    const totalSeconds = secondsSince(benchStarted);
    const results = { timeline, admin, exports, capacity, seedSeconds, totalSeconds };
    printSummary(results);
    reportFigures(results).finish();
    const rowCounts = new Set([exports.raw.rows, ...exports.gateway.map((e) => e.rows)]);
    if (rowCounts.size !== 1)
      throw new Error(`the exports and the raw COPY differ in rows: ${[...rowCounts].join(', ')}`);
  } catch (error) {
    if (gateway)
      console.error(
        `gateway output (last lines):\n${gateway.output.join('').split('\n').slice(-30).join('\n')}`,
      );
    throw error;
  } finally {
    await teardown.run();
  }
}

/**
 * VACUUM (ANALYZE) rather than ANALYZE alone: the table is insert-only, so this sets the visibility
 * map and hint bits now, and autovacuum, which would otherwise start on every fresh partition, has
 * nothing to do while latencies are measured. CHECKPOINT likewise writes out what seeding dirtied.
 */
async function settleDatabase(dataSource: DataSource): Promise<void> {
  const started = process.hrtime.bigint();
  say('VACUUM (ANALYZE) activity_events…');
  await dataSource.query('VACUUM (ANALYZE) activity_events');
  await dataSource.query('CHECKPOINT').catch((error: Error) => say(`CHECKPOINT skipped (${error.message})`));
  say(`VACUUM (ANALYZE) and CHECKPOINT in ${secondsSince(started).toFixed(1)} s`);
}

/** The gateway as `npm start` runs it, in a process of its own so that its memory can be read. */
async function startGatewayProcess(
  stack: StackEnvironment,
  databaseUrl: string,
  eventsTopic: string,
): Promise<ServiceProcess> {
  say('starting the gateway…');
  const gateway = await spawnService({
    script: 'apps/gateway/src/main.ts',
    startedMessage: 'gateway started',
    env: {
      DATABASE_URL: databaseUrl,
      CLICKHOUSE_URL: stack.clickhouseUrl,
      CLICKHOUSE_DATABASE: 'bench_gateway',
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      EVENTS_TOPIC: eventsTopic,
      JWT_HS256_SECRET: JWT_SECRET,
      GATEWAY_PORT: '0',
      GATEWAY_HOST: '127.0.0.1',
      // The limit (per token, per API key) must never be what is measured, in the capacity phase either.
      GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
      GATEWAY_API_KEYS: `${COLLECTOR_SOURCE}=${COLLECTOR_API_KEY}`,
    },
  });
  const url = gateway.started['url'] as string;
  await waitFor(async () => (await fetch(`${url}/health/ready`)).ok, {
    timeoutMs: 60_000,
    what: 'the gateway to be ready',
  });
  say(`gateway ready at ${url} (pid ${gateway.process.pid})`);
  return gateway;
}

interface Tokens {
  admin: string;
  users: Array<{ userId: string; token: string }>;
}

async function mintTokens(): Promise<Tokens> {
  const random = seededRandom(7);
  const mint = (userId: string, admin = false) =>
    mintLocalToken({ secret: JWT_SECRET, userId, admin, ttlSeconds: 24 * 3600 });
  const users = await Promise.all(
    Array.from({ length: TIMELINE_USERS }, async () => {
      // The seed's skew (u_<floor(users · r²)>): busy users are called for more often, as in life.
      const userId = `u_${Math.floor(USERS * random() ** 2)}`;
      return { userId, token: await mint(userId) };
    }),
  );
  return { admin: await mint('bench-admin', true), users };
}

// ---------------------------------------------------------------------------------------------------
// Timeline

interface TimelineFigures {
  http: Latency;
  direct: Latency;
  eventsPerPage: number;
}

/**
 * The same sequence of users both ways: straight through ActivityQueries.page() (what the database
 * and the query cost) and over HTTP (what a caller sees: that plus token check, Nest, JSON, grouping).
 */
async function measureTimeline(
  client: GatewayClient,
  queries: ActivityQueries,
  users: Tokens['users'],
): Promise<TimelineFigures> {
  const random = seededRandom(11);
  const callers = Array.from(
    { length: WARM_UP_RUNS + RUNS },
    () => users[Math.floor(random() * users.length)] as Tokens['users'][number],
  );
  const caller = (i: number) => callers[i] as Tokens['users'][number];
  const direct = await measureLatency('timeline, ActivityQueries.page() directly', (i) =>
    queries.page(
      { actorId: caller(i).userId, actorType: 'user', from: new Date(Date.now() - DAYS * DAY_MS) },
      { limit: TIMELINE_LIMIT },
    ),
  );
  let events = 0;
  const overHttp = await measureLatency(
    `timeline, GET /api/users/me/activity?limit=${TIMELINE_LIMIT}`,
    (i) => client.get(`/api/users/me/activity?limit=${TIMELINE_LIMIT}`, caller(i).token),
    (body) => {
      const page = JSON.parse(body) as TimelinePage;
      events += page.groups.reduce((sum, day) => sum + day.activities.length, 0);
    },
  );
  const eventsPerPage = events / (WARM_UP_RUNS + RUNS);
  say(
    `timeline pages held ${eventsPerPage.toFixed(1)} events on average; HTTP / direct p99 = ${ratio(overHttp.p99, direct.p99)}`,
  );
  return { http: overHttp, direct, eventsPerPage };
}

// ---------------------------------------------------------------------------------------------------
// Admin search

interface AdminFigures {
  firstPages: Array<{ filter: string; latency: Latency; rowsPerPage: number }>;
  deepPage: { filter: string; page: number; latency: Latency };
}

async function measureAdminSearch(client: GatewayClient, adminToken: string): Promise<AdminFigures> {
  const search = (filter: Record<string, string>, cursor?: string) =>
    client.get(
      `/api/admin/activities?${new URLSearchParams({ ...filter, limit: String(ADMIN_LIMIT), ...(cursor ? { cursor } : {}) })}`,
      adminToken,
    );
  const firstPages: AdminFigures['firstPages'] = [];
  for (const filter of ADMIN_FILTERS) {
    let rows = 0;
    const latency = await measureLatency(
      `admin ${filterText(filter)}, page 1`,
      () => search(filter),
      (body) => (rows += (JSON.parse(body) as ActivityPage).items.length),
    );
    firstPages.push({ filter: filterText(filter), latency, rowsPerPage: rows / (WARM_UP_RUNS + RUNS) });
  }

  const deepFilter = ADMIN_FILTERS[0] as Record<string, string>;
  const { cursor, page } = await walkToPage(deepFilter, DEEP_PAGE, (c) => search(deepFilter, c));
  const latency = await measureLatency(
    `admin ${filterText(deepFilter)}, page ${thousands(page)}`,
    () => search(deepFilter, cursor),
    undefined,
    DEEP_PAGE_RUNS,
  );
  const first = firstPages[0]?.latency as Latency;
  say(
    `page ${thousands(page)} / page 1: p50 ${ratio(latency.p50, first.p50)}, p99 ${ratio(latency.p99, first.p99)}`,
  );
  return { firstPages, deepPage: { filter: filterText(deepFilter), page, latency } };
}

/**
 * Follows nextCursor from page 1 and returns the cursor that asks for page `target` (or for the last
 * page, when the filter has fewer: a small BENCH_EVENTS).
 */
async function walkToPage(
  filter: Record<string, string>,
  target: number,
  search: (cursor?: string) => Promise<string>,
): Promise<{ cursor: string | undefined; page: number }> {
  say(`walking ${filterText(filter)} to page ${thousands(target)}…`);
  const started = process.hrtime.bigint();
  let cursor: string | undefined;
  for (let page = 1; page < target; page++) {
    const next = (JSON.parse(await search(cursor)) as ActivityPage).nextCursor;
    if (next === null) {
      say(
        `  only ${thousands(page)} pages match ${filterText(filter)}: measuring page ${thousands(page)} instead`,
      );
      return { cursor, page };
    }
    cursor = next;
    if (page % 100 === 0) say(`  ${thousands(page)} pages (${secondsSince(started).toFixed(1)} s)`);
  }
  return { cursor, page: target };
}

// ---------------------------------------------------------------------------------------------------
// Export

interface ExportFigures {
  label: string;
  rows: number;
  bytes: number;
  seconds: number;
  /**
   * Until the first byte: Postgres sorts the whole filtered set before it sends a row when no index
   * gives the order, so the wait grows with the export's size and width.
   */
  firstByteSeconds: number;
}

interface ExportsMeasured {
  raw: ExportFigures;
  gateway: ExportFigures[];
  rss: { beforeBytes: number; peakBytes: number; highWaterBytes: number };
}

/**
 * The raw COPY first: it is the floor the gateway's export is built on (Postgres reading the same
 * rows in the same order, unformatted). It runs twice and the second pass is the baseline: the first
 * read of freshly seeded rows is slower (149,664 rows/s in one run; 193,019 then 229,711 for the two
 * passes of another), and both exports come after it on the same warm cache.
 */
async function measureExports(
  client: GatewayClient,
  adminToken: string,
  databaseUrl: string,
  gatewayPid: number,
): Promise<ExportsMeasured> {
  await rawCopy(databaseUrl, 'warm-up');
  const raw = await rawCopy(databaseUrl, 'baseline');
  const rss = new RssSampler(gatewayPid);
  const gateway: ExportFigures[] = [];
  try {
    for (const format of ['csv', 'ndjson'] as const) {
      const path = `/api/admin/activities/export?${new URLSearchParams({ ...EXPORT_FILTER, format })}`;
      const label = `export ${format} ${filterText(EXPORT_FILTER)}`;
      gateway.push(
        await timeStream(label, format === 'csv' ? 1 : 0, (onChunk) =>
          client.stream(path, adminToken, onChunk),
        ),
      );
      say(
        `  gateway RSS so far: ${megabytes(rss.beforeBytes)} MB before, peak ${megabytes(rss.peakBytes)} MB`,
      );
    }
  } finally {
    rss.stop();
  }
  const highWaterBytes = rss.highWaterBytes();
  return { raw, gateway, rss: { beforeBytes: rss.beforeBytes, peakBytes: rss.peakBytes, highWaterBytes } };
}

/** The export's rows, plain columns, as Postgres's own CSV: no formatting, no HTTP, no Nest. */
async function rawCopy(databaseUrl: string, pass: 'warm-up' | 'baseline'): Promise<ExportFigures> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const sql = `COPY (SELECT ${ACTIVITY_CSV_COLUMNS.join(', ')} FROM activity_events
                        WHERE activity_type = '${EXPORT_FILTER.type}' ORDER BY occurred_at DESC, id DESC)
                   TO STDOUT WITH (FORMAT csv, HEADER true)`;
    return await timeStream(`raw COPY ${filterText(EXPORT_FILTER)} (${pass})`, 1, (onChunk) => {
      const stream = pg.query(copyTo(sql));
      stream.on('data', onChunk);
      return new Promise<void>((resolve, reject) => {
        stream.once('end', resolve);
        stream.once('error', reject);
      });
    });
  } finally {
    await pg.end();
  }
}

/** Reads a stream to its end counting bytes and lines (one row per line: the seeded values hold no line break). */
async function timeStream(
  label: string,
  headerLines: number,
  read: (onChunk: (chunk: Buffer) => void) => Promise<void>,
): Promise<ExportFigures> {
  say(`${label}…`);
  let lines = 0;
  let bytes = 0;
  const started = process.hrtime.bigint();
  let firstByteSeconds = 0;
  let reported = Date.now();
  await read((chunk) => {
    if (bytes === 0) firstByteSeconds = secondsSince(started);
    bytes += chunk.length;
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines++;
    if (Date.now() - reported >= 5_000) {
      reported = Date.now();
      const seconds = secondsSince(started);
      say(`  ${thousands(lines)} rows, ${megabytes(bytes)} MB (${thousands(lines / seconds)} rows/s)`);
    }
  });
  const figures = {
    label,
    rows: lines - headerLines,
    bytes,
    seconds: secondsSince(started),
    firstByteSeconds,
  };
  say(
    `${label}: ${thousands(figures.rows)} rows, ${megabytes(bytes)} MB in ${figures.seconds.toFixed(2)} s = ` +
      `${thousands(figures.rows / figures.seconds)} rows/s, ${megabytes(bytes / figures.seconds)} MB/s ` +
      `(first byte after ${firstByteSeconds.toFixed(2)} s)`,
  );
  return figures;
}

/** Reads a process's resident set every 100 ms, keeping the highest. */
class RssSampler {
  readonly beforeBytes: number;
  peakBytes: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.beforeBytes = this.read();
    this.peakBytes = this.beforeBytes;
    this.timer = setInterval(() => (this.peakBytes = Math.max(this.peakBytes, this.read())), 100);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The kernel's own peak (VmHWM) over the process's life: catches a spike between two samples. */
  highWaterBytes(): number {
    return this.read('VmHWM');
  }

  private read(field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  }
}

// ---------------------------------------------------------------------------------------------------
// Capacity

interface CapacityMeasured {
  /** Busy cores just before, the bench idle: Kafka, ClickHouse, other databases, whatever else runs. */
  backgroundCores: number;
  timeline: CapacityFigures;
  collector: CapacityFigures;
}

/**
 * CONCURRENCY clients, each with a keep-alive connection of its own, first on the timeline (the
 * users' tokens in turn), then posting batches of COLLECTOR_BATCH valid events to the collector.
 */
async function measureCapacityPhase(
  url: string,
  watched: Watched,
  users: Tokens['users'],
): Promise<CapacityMeasured> {
  const clients = Array.from({ length: CONCURRENCY }, () => new GatewayClient(url));
  const client = (caller: number) => clients[caller] as GatewayClient;
  const phase = {
    concurrency: CONCURRENCY,
    seconds: CAPACITY_SECONDS,
    warmUpSeconds: CAPACITY_WARM_UP_SECONDS,
    watched,
  };
  try {
    const background = await backgroundCores(watched, 3);
    say(`machine before the capacity phase, the bench idle: ${background.toFixed(2)} cores busy`);
    let nextUser = 0;
    const timelinePath = `/api/users/me/activity?limit=${TIMELINE_LIMIT}`;
    const timeline = await measureCapacityOf({
      ...phase,
      label: `timeline GET ${timelinePath}`,
      unit: 'requests',
      call: async (caller) => {
        const user = users[nextUser++ % users.length] as Tokens['users'][number];
        await client(caller).get(timelinePath, user.token);
        return 1;
      },
    });

    const bodies = collectorBodies();
    let nextBody = 0;
    const collector = await measureCapacityOf({
      ...phase,
      label: `collector POST /v1/events, ${COLLECTOR_BATCH} events a request`,
      unit: 'events',
      call: async (caller) => {
        const body = bodies[nextBody++ % bodies.length] as string;
        const reply = JSON.parse(
          await client(caller).post('/v1/events', body, { 'x-api-key': COLLECTOR_API_KEY }),
        ) as CollectReply;
        if (reply.rejected > 0)
          throw new Error(
            `the collector rejected valid events: ${JSON.stringify(reply.results.find((r) => r.status === 'rejected'))}`,
          );
        return reply.accepted;
      },
    });
    return { backgroundCores: background, timeline, collector };
  } finally {
    for (const each of clients) each.close();
  }
}

async function measureCapacityOf(options: Parameters<typeof measureCapacity>[0]): Promise<CapacityFigures> {
  say(
    `${options.label}: ${options.concurrency} clients, ${options.warmUpSeconds} s warm-up + ${options.seconds} s…`,
  );
  const figures = await measureCapacity(options);
  say(`${options.label}: ${formatCapacity(figures)}`);
  return figures;
}

/**
 * Request bodies of app.viewed events from many users, as the contract builds them. They are sent again
 * in turn: the gateway does not deduplicate ids (downstream does), and the topic is the bench's own.
 */
function collectorBodies(): string[] {
  const random = seededRandom(13);
  return Array.from({ length: COLLECTOR_BODIES }, () =>
    JSON.stringify({
      events: Array.from({ length: COLLECTOR_BATCH }, () =>
        toActivityEvent(
          {
            type: 'app.viewed',
            actor: { type: 'user', id: `u_${Math.floor(USERS * random() ** 2)}` },
            entity: { type: 'app', id: `app_${Math.floor(5_000 * random())}` },
            metadata: { referrer: 'search', position: Math.floor(24 * random()) },
          },
          { source: COLLECTOR_SOURCE },
        ),
      ),
    }),
  );
}

function formatCapacity(c: CapacityFigures): string {
  const latency = percentiles(c.latenciesMs);
  return (
    `${thousands(c.units / c.seconds)} ${c.unit}/s (${thousands(c.calls / c.seconds)} requests/s), ` +
    `p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms; gateway ${c.gatewayCpuSeconds.toFixed(1)} CPU-s ` +
    `= ${thousands(c.units / c.gatewayCpuSeconds)} ${c.unit} per gateway CPU-second; machine ${machineCpu(c)}; ` +
    `answers other than 200: ${failuresText(c)}`
  );
}

/** In cores: how busy the machine was over the window, and who kept it busy. */
function machineCpu(c: CapacityFigures): string {
  const cores = (cpuSeconds: number) => (cpuSeconds / c.seconds).toFixed(2);
  const others = c.machine.busyCpuSeconds - c.gatewayCpuSeconds - c.postgresCpuSeconds - c.benchCpuSeconds;
  return (
    `${cores(c.machine.busyCpuSeconds)} of ${c.machine.cores} cores busy ` +
    `(${((100 * c.machine.busyCpuSeconds) / (c.seconds * c.machine.cores)).toFixed(0)}%): ` +
    `gateway ${cores(c.gatewayCpuSeconds)}, its Postgres backends ${cores(c.postgresCpuSeconds)}, ` +
    `bench clients ${cores(c.benchCpuSeconds)}, the rest (Kafka, other work) ${cores(others)}`
  );
}

const failuresText = (c: CapacityFigures) =>
  c.failures.size === 0
    ? 'none'
    : [...c.failures].map(([status, count]) => `${thousands(count)} × ${status}`).join(', ');

// ---------------------------------------------------------------------------------------------------
// HTTP: a client with one keep-alive connection, its requests one after another.

class GatewayClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly baseUrl: string) {}

  /**
   * The body of a 200 response; anything else throws an HttpStatusError with the body, so that a 4xx
   * is never timed as a result.
   */
  async get(path: string, token: string): Promise<string> {
    const chunks: Buffer[] = [];
    await this.stream(path, token, (chunk) => chunks.push(chunk));
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Hands each chunk of a 200 response to `onChunk` until the end. */
  stream(path: string, token: string, onChunk: (chunk: Buffer) => void): Promise<void> {
    return this.request('GET', path, { authorization: `Bearer ${token}` }, undefined, onChunk);
  }

  /** Posts a JSON body; the reply's body when it is a 200, as get(). */
  async post(path: string, json: string, headers: Record<string, string>): Promise<string> {
    const chunks: Buffer[] = [];
    await this.request('POST', path, { ...headers, 'content-type': 'application/json' }, json, (chunk) =>
      chunks.push(chunk),
    );
    return Buffer.concat(chunks).toString('utf8');
  }

  private request(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    onChunk: (chunk: Buffer) => void,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${this.baseUrl}${path}`,
        { method, agent: this.agent, headers },
        (response) => {
          if (response.statusCode !== 200) {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.once('end', () =>
              reject(new HttpStatusError(response.statusCode ?? 0, `${method} ${path}`, text)),
            );
            return;
          }
          response.on('data', onChunk);
          response.once('end', resolve);
          response.once('error', reject);
        },
      );
      request.once('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------
// Latency

interface Latency {
  runs: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Runs `request` WARM_UP_RUNS times unmeasured, then `runs` times one after another, timing each
 * from the call to its result (the whole body read). `request(i)` gets the call's number, warm-up
 * included; `inspect` sees each result after its timing.
 */
async function measureLatency<T>(
  label: string,
  request: (i: number) => Promise<T>,
  inspect?: (result: T) => void,
  runs = RUNS,
): Promise<Latency> {
  say(`${label}: ${WARM_UP_RUNS} warm-up + ${thousands(runs)} runs…`);
  const samples: number[] = [];
  for (let i = 0; i < WARM_UP_RUNS + runs; i++) {
    const started = process.hrtime.bigint();
    const result = await request(i);
    if (i >= WARM_UP_RUNS) samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    inspect?.(result);
  }
  const latency = percentiles(samples);
  say(`${label}: ${formatLatency(latency)}`);
  return latency;
}

/** Nearest-rank percentiles. */
function percentiles(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return {
    runs: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1] as number,
  };
}

const formatLatency = (l: Latency) =>
  `p50 ${l.p50.toFixed(2)} ms, p95 ${l.p95.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, max ${l.max.toFixed(2)} ms`;

// ---------------------------------------------------------------------------------------------------
// Summary

interface Results {
  timeline: TimelineFigures;
  admin: AdminFigures;
  exports: ExportsMeasured;
  capacity: CapacityMeasured;
  seedSeconds: number;
  totalSeconds: number;
}

function printSummary({ timeline, admin, exports, capacity, seedSeconds, totalSeconds }: Results): void {
  const met = (ok: boolean) => (ok ? 'yes' : 'NO');
  const p50p99 = (l: Latency) => `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms`;
  const rowsPerSecond = (e: ExportFigures) => e.rows / e.seconds;
  const firstPage = admin.firstPages[0]?.latency as Latency;
  const deep = admin.deepPage;
  const rssGrowth = exports.rss.peakBytes - exports.rss.beforeBytes;

  const rows: string[][] = [
    [
      `timeline GET /api/users/me/activity?limit=${TIMELINE_LIMIT}`,
      `${p50p99(timeline.http)} (p95 ${timeline.http.p95.toFixed(2)}, max ${timeline.http.max.toFixed(2)})`,
      `ActivityQueries.page(): ${p50p99(timeline.direct)}`,
      `p99 ${ratio(timeline.http.p99, timeline.direct.p99)}`,
      `p99 ≤ ${TARGETS.timelineP99Ms} ms`,
      met(timeline.http.p99 <= TARGETS.timelineP99Ms),
    ],
    ...admin.firstPages.map(({ filter, latency, rowsPerPage }) => [
      `admin ${filter}, page 1 (${rowsPerPage.toFixed(0)} rows)`,
      p50p99(latency),
      '—',
      '—',
      '—',
      '—',
    ]),
    [
      `admin ${deep.filter}, page ${thousands(deep.page)} (${deep.latency.runs} runs)`,
      p50p99(deep.latency),
      `page 1: ${p50p99(firstPage)}`,
      `p50 ${ratio(deep.latency.p50, firstPage.p50)}, p99 ${ratio(deep.latency.p99, firstPage.p99)}`,
      `p50 ≤ ${TARGETS.deepPageRatio}× page 1`,
      met(deep.latency.p50 <= TARGETS.deepPageRatio * firstPage.p50),
    ],
    ...exports.gateway.map((e) => [
      `${e.label} (${thousands(e.rows)} rows)`,
      `${thousands(rowsPerSecond(e))} rows/s, ${megabytes(e.bytes / e.seconds)} MB/s, first byte ${e.firstByteSeconds.toFixed(1)} s`,
      `raw COPY: ${thousands(rowsPerSecond(exports.raw))} rows/s, ${megabytes(exports.raw.bytes / exports.raw.seconds)} MB/s, first byte ${exports.raw.firstByteSeconds.toFixed(1)} s`,
      ratio(rowsPerSecond(e), rowsPerSecond(exports.raw)),
      `≥ ${thousands(TARGETS.exportRowsPerSecond)} rows/s`,
      met(rowsPerSecond(e) >= TARGETS.exportRowsPerSecond),
    ]),
    [
      'gateway RSS during the exports',
      `peak ${megabytes(exports.rss.peakBytes)} MB (+${megabytes(rssGrowth)} MB)`,
      `before: ${megabytes(exports.rss.beforeBytes)} MB; VmHWM (lifetime) ${megabytes(exports.rss.highWaterBytes)} MB`,
      '—',
      `growth < ${TARGETS.exportRssGrowthBytes / 1024 / 1024} MB`,
      met(rssGrowth < TARGETS.exportRssGrowthBytes),
    ],
  ];
  console.log('');
  console.log(
    `gateway over ${thousands(EVENTS)} events of ${thousands(USERS)} users (${DAYS} days); ` +
      `seeded in ${seedSeconds.toFixed(0)} s; whole run ${totalSeconds.toFixed(0)} s`,
  );
  printTable(['measure', 'result', 'baseline, same run', 'ratio', 'target', 'met'], rows);
  printCapacity(capacity);
}

/** The figures with their targets, for `.local/bench/gateway.json` (issue 21's table). */
function reportFigures({ timeline, admin, exports, capacity }: Results): BenchReport {
  const report = new BenchReport('gateway');
  const rowsPerSecond = (e: ExportFigures) => e.rows / e.seconds;
  const exported = (format: 'csv' | 'ndjson') => {
    const figures = exports.gateway.find((e) => e.label.startsWith(`export ${format} `));
    if (!figures) throw new Error(`no ${format} export was measured`);
    return figures;
  };
  const csv = exported('csv');
  const ndjson = exported('ndjson');
  const firstPage = admin.firstPages[0]?.latency as Latency;
  report
    .add('timeline_http_p50', timeline.http.p50, 'ms')
    .add('timeline_http_p99', timeline.http.p99, 'ms', { atMost: TARGETS.timelineP99Ms })
    .add('timeline_query_p99', timeline.direct.p99, 'ms')
    .add('timeline_http_over_query_p99', timeline.http.p99 / timeline.direct.p99, 'x', {
      atMost: TARGETS.timelineOverQueryP99,
    })
    .add('admin_deep_page_over_first_p50', admin.deepPage.latency.p50 / firstPage.p50, 'x', {
      atMost: TARGETS.deepPageRatio,
    })
    .add('raw_copy', rowsPerSecond(exports.raw), 'rows/s')
    .add('export_ndjson', rowsPerSecond(ndjson), 'rows/s', { atLeast: TARGETS.exportRowsPerSecond })
    .add('export_csv', rowsPerSecond(csv), 'rows/s')
    .add('export_csv_over_raw_copy', rowsPerSecond(csv) / rowsPerSecond(exports.raw), 'x', {
      atLeast: TARGETS.csvOverRawCopy,
    })
    .add('export_csv_first_byte', csv.firstByteSeconds, 's', { atMost: TARGETS.csvFirstByteSeconds })
    .add('export_rss_growth', (exports.rss.peakBytes - exports.rss.beforeBytes) / 1024 / 1024, 'MB', {
      atMost: TARGETS.exportRssGrowthBytes / 1024 / 1024,
    })
    .add(
      'timeline_per_gateway_cpu_second',
      capacity.timeline.units / capacity.timeline.gatewayCpuSeconds,
      'requests',
    )
    .add(
      'collector_per_gateway_cpu_second',
      capacity.collector.units / capacity.collector.gatewayCpuSeconds,
      'events',
    );
  return report;
}

/** Per gateway core: the units over the gateway's CPU-seconds in the window, all its threads counted. */
function printCapacity({ backgroundCores: background, timeline, collector }: CapacityMeasured): void {
  const row = (c: CapacityFigures) => {
    const latency = percentiles(c.latenciesMs);
    const throughput =
      c.unit === 'requests'
        ? `${thousands(c.calls / c.seconds)} requests/s`
        : `${thousands(c.units / c.seconds)} events/s (${thousands(c.calls / c.seconds)} requests/s)`;
    return [
      c.label,
      throughput,
      `p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms`,
      `${c.gatewayCpuSeconds.toFixed(1)} s (${(c.gatewayCpuSeconds / c.seconds).toFixed(2)} cores)`,
      `${thousands(c.units / c.gatewayCpuSeconds)} ${c.unit}`,
      machineCpu(c),
      failuresText(c),
    ];
  };
  console.log('');
  console.log(
    `capacity: ${CONCURRENCY} keep-alive clients at once, ${CAPACITY_WARM_UP_SECONDS} s warm-up, ` +
      `then ${CAPACITY_SECONDS} s measured; CPU read from /proc over the window; ` +
      `${background.toFixed(2)} cores busy before it, the bench idle`,
  );
  printTable(
    [
      'measure',
      'throughput',
      'latency',
      'gateway CPU',
      'per gateway CPU-second',
      'machine CPU (cores busy)',
      'answers ≠ 200',
    ],
    [row(timeline), row(collector)],
  );
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

/** Cleanups, run once, last added first; a failing one does not stop the others. */
class Teardown {
  private readonly steps: Array<() => Promise<unknown>> = [];
  private running: Promise<void> | undefined;

  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    return (this.running ??= (async () => {
      for (const step of [...this.steps].reverse())
        await step().catch((error: unknown) => console.error('cleanup failed:', error));
    })());
  }
}

const filterText = (filter: Record<string, string>) =>
  Object.entries(filter)
    .map(([name, value]) => `${name}=${value}`)
    .join('&');

const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}×`;

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** mulberry32: the same users and the same order every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function countFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text.replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${text}`);
  return value;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
