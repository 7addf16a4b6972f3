import { randomBytes } from 'node:crypto';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { migrateClickHouse } from '@chronicle/analytics';
import {
  createEventsDataSource,
  ensureLocalServiceLogins,
  localServiceDatabaseUrl,
  migrateEventsStore,
} from '@chronicle/events-store';
import {
  createTestDatabase,
  createTestTopic,
  spawnService,
  spawnSimulator,
  stackStatus,
  waitFor,
  waitForGroupCaughtUp,
  type ServiceProcess,
  type StackEnvironment,
  type TestDatabase,
  type TestTopic,
} from '@chronicle/stack';

/** A process whose CPU the bench reads, and (for ours) the ops URL it serves /metrics on. */
export interface MeasuredProcess {
  name: string;
  pid: number;
  opsUrl?: string;
}

/**
 * What the pipeline bench runs on the local stack: topics and a database of its own, a ClickHouse
 * database of its own, one ingest and one analytics worker as deployed, and the simulator per step.
 */
export class PipelineRig {
  private readonly cleanups: Array<() => Promise<unknown>> = [];
  private clickhouse: ClickHouseClient | undefined;
  private workers: ServiceProcess[] = [];
  private groups: string[] = [];
  eventsTopic = '';

  constructor(
    private readonly stack: StackEnvironment,
    private readonly say: (line: string) => void,
  ) {}

  async start(): Promise<MeasuredProcess[]> {
    const tag = randomBytes(4).toString('hex');
    const topic = async (prefix: string, partitions: number): Promise<TestTopic> => {
      const made = await createTestTopic(this.stack.kafkaBrokers, { prefix, partitions });
      this.cleanups.push(() => made.delete());
      return made;
    };
    const [events, dlq, erasure, erasureStatus] = await Promise.all([
      topic('bench-pipeline', 12),
      topic('bench-pipeline-dlq', 3),
      topic('bench-pipeline-erasure', 3),
      topic('bench-pipeline-erasure-status', 3),
    ]);
    this.eventsTopic = (events as TestTopic).name;

    const database: TestDatabase = await createTestDatabase(this.stack.databaseUrl, 'bench_pipeline');
    this.cleanups.push(() => database.drop());
    const dataSource = createEventsDataSource({ url: database.url, poolSize: 1 });
    await dataSource.initialize();
    await migrateEventsStore(dataSource);
    await dataSource.destroy();
    await ensureLocalServiceLogins(database.url);

    this.clickhouse = createClient({ url: this.stack.clickhouseUrl, request_timeout: 120_000 });
    const clickhouseDatabase = `bench_pipeline_${tag}`;
    await migrateClickHouse(this.clickhouse, { database: clickhouseDatabase });
    this.cleanups.push(() =>
      (this.clickhouse as ClickHouseClient).command({
        query: 'DROP DATABASE IF EXISTS {db:Identifier}',
        query_params: { db: clickhouseDatabase },
      }),
    );

    const common = {
      KAFKA_BROKERS: this.stack.kafkaBrokers.join(','),
      EVENTS_TOPIC: this.eventsTopic,
      DLQ_TOPIC: (dlq as TestTopic).name,
      ERASURE_TOPIC: (erasure as TestTopic).name,
      ERASURE_STATUS_TOPIC: (erasureStatus as TestTopic).name,
      ANALYTICS_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
      OPS_HOST: '127.0.0.1',
    };
    this.groups = [`bench-pipeline-ingest-${tag}`, `bench-pipeline-analytics-${tag}`];
    this.say('starting an ingest worker and an analytics worker');
    this.workers = await Promise.all([
      spawnService({
        script: 'apps/ingest-worker/src/main.ts',
        env: {
          ...common,
          DATABASE_URL: localServiceDatabaseUrl(database.url, 'ingest'),
          INGEST_GROUP_ID: this.groups[0] as string,
          INGEST_OPS_PORT: '0',
        },
        startedMessage: 'ingest worker started',
        timeoutMs: 90_000,
      }),
      spawnService({
        script: 'apps/analytics-worker/src/main.ts',
        env: {
          ...common,
          CLICKHOUSE_URL: this.stack.clickhouseUrl,
          CLICKHOUSE_DATABASE: clickhouseDatabase,
          ANALYTICS_GROUP_ID: this.groups[1] as string,
          ANALYTICS_OPS_PORT: '0',
        },
        startedMessage: 'analytics worker started',
        timeoutMs: 90_000,
      }),
    ]);
    for (const worker of this.workers) this.cleanups.push(() => worker.kill('SIGTERM'));
    const [ingest, analytics] = this.workers as [ServiceProcess, ServiceProcess];
    // The local stack's own record of its engines (with the environment set they count as
    // external, without pids): those the environment points at are measured too.
    const inUse = new Set([
      this.stack.kafkaBrokers.join(','),
      this.stack.databaseUrl,
      this.stack.clickhouseUrl,
    ]);
    const engines = (await stackStatus({ env: {} }))
      .filter((engine) => engine.pid !== undefined && inUse.has(engine.url))
      .map((engine) => ({ name: engine.name, pid: engine.pid as number }));
    return [
      { name: 'ingest worker', pid: ingest.process.pid as number, opsUrl: ingest.started['ops'] as string },
      {
        name: 'analytics worker',
        pid: analytics.process.pid as number,
        opsUrl: analytics.started['ops'] as string,
      },
      ...engines,
    ];
  }

  /** Until both workers have stored everything published so far (a step's backlog gone). */
  async waitCaughtUp(): Promise<void> {
    for (const group of this.groups)
      await waitForGroupCaughtUp(this.stack.kafkaBrokers, group, this.eventsTopic, { timeoutMs: 600_000 });
  }

  /** The simulator offering `rate` events/s through the SDK until stopped; resolves once it serves /metrics. */
  async startSimulator(rate: number, seed: string): Promise<SimulatorRun> {
    const simulator = spawnSimulator([
      '--rate',
      String(rate),
      '--seed',
      seed,
      '--brokers',
      this.stack.kafkaBrokers.join(','),
      '--topic',
      this.eventsTopic,
      '--ops-port',
      '0',
      '--progress-every',
      '30s',
    ]);
    const opsUrl = await waitFor(
      () => {
        if (simulator.child.exitCode !== null)
          throw new Error(`the simulator exited: ${simulator.stderr().slice(-2_000)}`);
        return /metrics and health on (http:\/\/\S+)\/metrics/.exec(simulator.stderr())?.[1];
      },
      { timeoutMs: 60_000, what: 'the simulator to serve /metrics' },
    );
    return {
      process: { name: 'simulator (SDK)', pid: simulator.child.pid as number, opsUrl },
      stop: async () => (await simulator.stop()).code,
    };
  }

  async teardown(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => undefined);
    await this.clickhouse?.close();
  }
}

export interface SimulatorRun {
  process: MeasuredProcess;
  stop(): Promise<number | null>;
}
