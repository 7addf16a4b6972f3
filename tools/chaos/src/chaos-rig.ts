import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { migrateClickHouse } from '@chronicle/analytics';
import { DEFAULT_EVENTS_TOPIC_PARTITIONS, TOPICS } from '@chronicle/contracts';
import {
  createEventsDataSource,
  ensureLocalServiceLogins,
  localServiceDatabaseUrl,
  migrateEventsStore,
} from '@chronicle/events-store';
import {
  findProcessesMentioning,
  spawnSimulator,
  startStack,
  stopProcess,
  stopStack,
  type EngineName,
  type SimulatorProcess,
  type StackRunOptions,
} from '@chronicle/stack';
import type { DataSource } from 'typeorm';
import { KafkaCluster } from './kafka-cluster';
import { WorkerFleet } from './worker-fleet';

export interface RigPorts {
  /** The first broker's; the others follow, controllers 100 above. */
  kafka: number;
  postgres: number;
  clickhouse: number;
}

export const CHAOS_PORTS: RigPorts = { kafka: 29092, postgres: 26432, clickhouse: 28123 };
export const CLICKHOUSE_DATABASE = 'chronicle';
export const GROUPS = { ingest: 'chronicle-ingest', analytics: 'chronicle-analytics' } as const;
const PSEUDONYM_SECRET = 'chronicle-chaos-suite-pseudonym-secret';

/**
 * Everything the chaos run drives: its own 3-broker cluster, its own Postgres and ClickHouse engines
 * (stopping them disturbs nothing else), the worker fleet and the simulator. Nothing is shared with
 * the local stack, so the suite can run beside it and inside `npm test`.
 */
export class ChaosRig {
  readonly cluster: KafkaCluster;
  /** Made by start(), once the workers' environment is known. */
  fleet!: WorkerFleet;
  readonly logDir: string;
  readonly pseudonymSecret = PSEUDONYM_SECRET;
  databaseUrl = '';
  clickhouseUrl = '';
  private dataSource: DataSource | undefined;
  private clickhouse: ClickHouseClient | undefined;
  private readonly stackOptions: StackRunOptions;

  constructor(
    readonly dir: string,
    readonly ports: RigPorts,
    private readonly progress: (line: string) => void,
  ) {
    this.logDir = join(dir, 'logs');
    this.cluster = new KafkaCluster({ dir, basePort: ports.kafka, progress });
    this.stackOptions = {
      stackDir: join(dir, 'stack'),
      engines: ['postgres', 'clickhouse'],
      ports: { postgres: ports.postgres, clickhouse: ports.clickhouse },
      env: {},
      progress: (line) => progress(`  ${line}`),
    };
  }

  /** The rig's Postgres, as the database's owner (for the verdict's queries). */
  get postgres(): DataSource {
    if (!this.dataSource) throw new Error('the chaos rig has not started');
    return this.dataSource;
  }

  get clickhouseClient(): ClickHouseClient {
    if (!this.clickhouse) throw new Error('the chaos rig has not started');
    return this.clickhouse;
  }

  get brokers(): string[] {
    return this.cluster.brokers;
  }

  /** Engines up, topics made (replication 3), both stores migrated, the workers' environment set. */
  async start(): Promise<void> {
    await this.killAll();
    // A clean slate each run: the verdict compares the whole stores with this run's ledger.
    for (const stale of ['stack', 'kafka-1', 'kafka-2', 'kafka-3', 'ledger.ndjson'])
      rmSync(join(this.dir, stale), { recursive: true, force: true });
    mkdirSync(this.logDir, { recursive: true });
    const [, stack] = await Promise.all([this.cluster.start(), startStack(this.stackOptions)]);
    this.databaseUrl = stack.databaseUrl;
    this.clickhouseUrl = stack.clickhouseUrl;
    await this.cluster.createTopics([
      { topic: TOPICS.events, numPartitions: DEFAULT_EVENTS_TOPIC_PARTITIONS },
      { topic: TOPICS.dlq, numPartitions: 3 },
      { topic: TOPICS.erasure, numPartitions: 3 },
      { topic: TOPICS.erasureStatus, numPartitions: 3 },
    ]);
    this.dataSource = createEventsDataSource({ url: this.databaseUrl, poolSize: 2 });
    await this.dataSource.initialize();
    await migrateEventsStore(this.dataSource);
    await ensureLocalServiceLogins(this.databaseUrl);
    this.clickhouse = createClient({ url: this.clickhouseUrl, request_timeout: 60_000 });
    await migrateClickHouse(this.clickhouse, { database: CLICKHOUSE_DATABASE });

    const common = {
      KAFKA_BROKERS: this.brokers.join(','),
      ANALYTICS_PSEUDONYM_SECRET: PSEUDONYM_SECRET,
      LAG_POLL_INTERVAL_MS: '1000',
      OPS_HOST: '127.0.0.1',
    };
    this.fleet = new WorkerFleet(
      {
        ingest: {
          ...common,
          DATABASE_URL: localServiceDatabaseUrl(this.databaseUrl, 'ingest'),
          INGEST_GROUP_ID: GROUPS.ingest,
          INGEST_OPS_PORT: '0',
        },
        analytics: {
          ...common,
          CLICKHOUSE_URL: this.clickhouseUrl,
          CLICKHOUSE_DATABASE,
          ANALYTICS_GROUP_ID: GROUPS.analytics,
          ANALYTICS_OPS_PORT: '0',
        },
      },
      this.logDir,
      this.dir,
    );
  }

  /** Stops one of the rig's own store engines (Postgres or the ClickHouse endpoint). */
  stopEngine(engine: Exclude<EngineName, 'kafka'>): Promise<void> {
    return stopStack({ ...this.stackOptions, engines: [engine] });
  }

  async startEngine(engine: Exclude<EngineName, 'kafka'>): Promise<void> {
    await startStack({ ...this.stackOptions, engines: [engine] });
  }

  /** The simulator as a process of its own, writing its ledger; stopped with SIGTERM, it publishes what is queued. */
  startSimulator(rate: number, seed: string): SimulatorProcess & { ledger: string } {
    const ledger = join(this.dir, 'ledger.ndjson');
    const simulator = spawnSimulator(
      [
        '--rate',
        String(rate),
        '--seed',
        seed,
        '--brokers',
        this.brokers.join(','),
        '--ops-port',
        '0',
        '--progress-every',
        '10s',
        '--ledger',
        ledger,
      ],
      { title: `chronicle-chaos simulator ${this.dir}` },
    );
    return { ...simulator, ledger };
  }

  async teardown(): Promise<void> {
    await this.fleet?.stopAll().catch(() => undefined);
    await this.dataSource?.destroy().catch(() => undefined);
    await this.clickhouse?.close().catch(() => undefined);
    await this.cluster.destroy();
    await stopStack(this.stackOptions);
    rmSync(join(this.dir, 'stack'), { recursive: true, force: true });
  }

  /** Stops every process of this rig, also those of a run that died without cleaning up. */
  async killAll(): Promise<void> {
    const strays = findProcessesMentioning(this.dir);
    await Promise.all(strays.map((pid) => stopProcess(pid, 'SIGKILL', 1_000)));
    await stopStack(this.stackOptions);
  }

  writeLog(name: string, text: string): void {
    writeFileSync(join(this.logDir, name), text);
  }
}
