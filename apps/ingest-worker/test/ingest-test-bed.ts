import { randomUUID } from 'node:crypto';
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
  stackEnvironmentFromEnv,
  waitForGroupCaughtUp,
  type ServiceProcess,
  type TestDatabase,
  type TestTopic,
} from '@chronicle/stack';
import type { EncodedKafkaMessage } from '@chronicle/contracts';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { IngestWorkerConfig } from '../src/ingest-worker.config';

/** Topics, a migrated database and a worker configuration of one test's own. */
export interface IngestTestBed {
  /** Connects as the ingest worker's own login, as a deployment does, so that its privileges are tested too. */
  config: IngestWorkerConfig;
  topics: { events: TestTopic; dlq: TestTopic; erasure: TestTopic; erasureStatus: TestTopic };
  database: TestDatabase;
  /** For the test's own queries, as the database's owner. */
  dataSource: DataSource;
  /** The environment that makes a worker process use this bed. */
  env: Record<string, string>;
  publish(topic: string, messages: EncodedKafkaMessage[]): Promise<void>;
  caughtUp(timeoutMs?: number): Promise<void>;
  stored(): Promise<{ rows: number; distinct: number; ids: Set<string> }>;
  teardown(): Promise<void>;
}

/** Postgres holds exactly `validIds`: each of them once, and nothing else. */
export async function expectStoredExactly(bed: IngestTestBed, validIds: ReadonlySet<string>): Promise<void> {
  const stored = await bed.stored();
  expect(stored.rows).toBe(validIds.size);
  expect(stored.distinct).toBe(validIds.size);
  expect([...stored.ids].every((id) => validIds.has(id))).toBe(true);
}

export const TEST_PSEUDONYM_SECRET = 'ingest-worker-test-pseudonym-secret-32+';

export async function createIngestTestBed(
  prefix: string,
  engines: { brokers?: string[]; databaseUrl?: string; databaseEncoding?: 'LATIN1' } = {},
): Promise<IngestTestBed> {
  const stack = stackEnvironmentFromEnv();
  const brokers = engines.brokers ?? stack.kafkaBrokers;
  const database = await createTestDatabase(engines.databaseUrl ?? stack.databaseUrl, prefix, {
    ...(engines.databaseEncoding ? { encoding: engines.databaseEncoding } : {}),
  });
  const dataSource = createEventsDataSource({ url: database.url, poolSize: 2 });
  await dataSource.initialize();
  await migrateEventsStore(dataSource);
  await ensureLocalServiceLogins(database.url);
  const workerDatabaseUrl = localServiceDatabaseUrl(database.url, 'ingest');
  const [events, dlq, erasure, erasureStatus] = await Promise.all([
    createTestTopic(brokers, { prefix: `${prefix}.events`, partitions: 12 }),
    createTestTopic(brokers, { prefix: `${prefix}.dlq`, partitions: 3 }),
    createTestTopic(brokers, { prefix: `${prefix}.erasure`, partitions: 3 }),
    createTestTopic(brokers, { prefix: `${prefix}.erasure-status`, partitions: 3 }),
  ]);
  const config: IngestWorkerConfig = {
    brokers,
    databaseUrl: workerDatabaseUrl,
    pseudonymSecret: TEST_PSEUDONYM_SECRET,
    groupId: `${prefix}.${randomUUID()}`,
    topics: { events: events.name, dlq: dlq.name, erasure: erasure.name, erasureStatus: erasureStatus.name },
    retentionDays: 90,
    maxFutureMs: 86_400_000,
    maintenanceIntervalMs: 3_600_000,
    opsPort: 0,
    opsHost: '127.0.0.1',
    stallAfterMs: 60_000,
    // Lag measured often, so that a test sees it settle within a second.
    lagPollIntervalMs: 500,
    partitionsConcurrency: 2,
    maxBatchBytes: 4 * 1024 * 1024,
    dbPoolSize: 6,
  };
  const kafka = new Kafka({ clientId: 'chronicle-test', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    config,
    topics: { events, dlq, erasure, erasureStatus },
    database,
    dataSource,
    env: {
      KAFKA_BROKERS: brokers.join(','),
      DATABASE_URL: workerDatabaseUrl,
      ANALYTICS_PSEUDONYM_SECRET: TEST_PSEUDONYM_SECRET,
      INGEST_GROUP_ID: config.groupId,
      EVENTS_TOPIC: events.name,
      DLQ_TOPIC: dlq.name,
      ERASURE_TOPIC: erasure.name,
      ERASURE_STATUS_TOPIC: erasureStatus.name,
      INGEST_OPS_PORT: '0',
      LAG_POLL_INTERVAL_MS: String(config.lagPollIntervalMs),
    },
    async publish(topic, messages) {
      for (let start = 0; start < messages.length; start += 2_000)
        await producer.send({
          topic,
          acks: -1,
          compression: CompressionTypes.None,
          messages: messages.slice(start, start + 2_000),
        });
    },
    caughtUp: (timeoutMs = 180_000) =>
      waitForGroupCaughtUp(brokers, config.groupId, events.name, { timeoutMs }),
    async stored() {
      const [counts] = await dataSource.query(
        'SELECT count(*)::int AS rows, count(DISTINCT id)::int AS distinct FROM activity_events',
      );
      const ids: { id: string }[] = await dataSource.query('SELECT id FROM activity_events');
      return { rows: counts.rows, distinct: counts.distinct, ids: new Set(ids.map((r) => r.id)) };
    },
    async teardown() {
      await producer.disconnect();
      await dataSource.destroy();
      await Promise.all([events.delete(), dlq.delete(), erasure.delete(), erasureStatus.delete()]);
      await database.drop();
    },
  };
}

/** An ingest worker in a process of its own, so that a test can SIGKILL it. */
export interface WorkerProcess extends ServiceProcess {
  /** Its /metrics and /health. */
  opsUrl: string;
}

export async function spawnIngestWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const worker = await spawnService({
    script: 'apps/ingest-worker/src/main.ts',
    env,
    startedMessage: 'ingest worker started',
  });
  return { ...worker, opsUrl: worker.started['ops'] as string };
}

/** How tests read a /metrics page (Prometheus text format). */
export { metricSamples, metricSum } from '@chronicle/observability';
