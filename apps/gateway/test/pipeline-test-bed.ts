import { randomBytes, randomUUID } from 'node:crypto';
import { ActivityClient } from '@chronicle/sdk';
import {
  ActivityEventWriter,
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
  waitForGroupCaughtUp,
  type ServiceProcess,
  type TestDatabase,
  type TestTopic,
} from '@chronicle/stack';
import { migrateClickHouse } from '@chronicle/analytics';
import { createPseudonymizer } from '@chronicle/contracts';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { mintLocalToken } from '../src/auth/local-token';
import { startGateway, type Gateway } from '../src/gateway';
import { loadGatewayConfig } from '../src/gateway.config';

/** The in-process gateway's logs would drown the test output; its warnings and errors still show. */
const quietLogger = {
  info: () => undefined,
  warn: (message: string, fields?: Record<string, unknown>) => console.warn(message, fields ?? ''),
  error: (message: string, fields?: Record<string, unknown>) => console.error(message, fields ?? ''),
};

export const TEST_JWT_SECRET = 'gateway-e2e-test-secret-of-at-least-32-bytes';
export const COLLECTOR_SOURCE = '/services/e2e-http';
export const SDK_SOURCE = '/services/e2e-sdk';
export const ALLOWED_ORIGIN = 'https://admin.example';

/**
 * The whole pipeline for one test file: topics, a Postgres database and a ClickHouse database of its
 * own, and the ingest worker, the analytics worker and the gateway as processes, as `npm start` runs
 * them. Tests talk to it over HTTP, as a person or another service would.
 */
export interface PipelineTestBed {
  /** The gateway of this process. */
  gatewayUrl: string;
  /** A gateway of the same configuration in a process of its own (to measure its memory); the caller stops it. */
  spawnGateway(): Promise<ServiceProcess>;
  /** Another gateway in this process, its environment changed by `env`; the caller stops it. */
  startGateway(env: Record<string, string>): Promise<Gateway>;
  topics: { events: TestTopic; dlq: TestTopic; erasure: TestTopic; erasureStatus: TestTopic };
  database: TestDatabase;
  /** The events database as its owner, for seeding and checks. */
  dataSource: DataSource;
  clickhouse: ClickHouseClient;
  clickhouseDatabase: string;
  apiKey: string;
  /** An SDK client publishing as SDK_SOURCE. */
  sdk: ActivityClient;
  /** The workers' /metrics (none when the bed runs without workers). */
  workerMetricsUrls: { ingest?: string; analytics?: string };
  token(userId: string, options?: { admin?: boolean; ttlSeconds?: number; secret?: string }): Promise<string>;
  /** Both workers have consumed everything published so far. */
  caughtUp(timeoutMs?: number): Promise<void>;
  teardown(): Promise<void>;
}

/** The workers' pseudonym key: a test computes with it what ClickHouse should hold. */
export const PIPELINE_PSEUDONYM_SECRET = 'gateway-e2e-pseudonym-secret-of-32+bytes';
const pseudonymize = createPseudonymizer(PIPELINE_PSEUDONYM_SECRET);

export interface PipelineTestBedOptions {
  /** Added to (or overriding) the gateway's environment, e.g. `{ GATEWAY_DEV_SIGN_IN: 'true' }`. */
  gatewayEnv?: Record<string, string>;
  /** false: the gateway alone, without the ingest and analytics workers (then caughtUp() throws). */
  workers?: boolean;
  /** Where the SDK client registers its metrics (for a test that scrapes them); default its own. */
  sdkRegistry?: Registry;
}

export async function createPipelineTestBed(
  prefix: string,
  options: PipelineTestBedOptions = {},
): Promise<PipelineTestBed> {
  const stack = stackEnvironmentFromEnv();
  const brokers = stack.kafkaBrokers;
  const database = await createTestDatabase(stack.databaseUrl, prefix);
  const dataSource = createEventsDataSource({ url: database.url, poolSize: 4 });
  await dataSource.initialize();
  await migrateEventsStore(dataSource);
  // The services connect as their own logins, as a deployment's do, so that their privileges are tested too.
  await ensureLocalServiceLogins(database.url);
  // The last 30 days' partitions, for rows a test seeds straight into the table.
  await new ActivityEventWriter(dataSource, { pseudonymize }).prepareAhead(Date.now() - 30 * 86_400_000, 33);
  const clickhouseDatabase = `${prefix}_${randomBytes(6).toString('hex')}`;
  const clickhouse = createClient({ url: stack.clickhouseUrl, log: { level: ClickHouseLogLevel.OFF } });
  // As the migrate command does before the services start: they refuse a database with pending migrations.
  await migrateClickHouse(clickhouse, { database: clickhouseDatabase });
  const [events, dlq, erasure, erasureStatus] = await Promise.all([
    createTestTopic(brokers, { prefix: `${prefix}.events`, partitions: 12 }),
    createTestTopic(brokers, { prefix: `${prefix}.dlq`, partitions: 3 }),
    createTestTopic(brokers, { prefix: `${prefix}.erasure`, partitions: 3 }),
    createTestTopic(brokers, { prefix: `${prefix}.erasure-status`, partitions: 3 }),
  ]);
  const apiKey = randomBytes(24).toString('hex');
  const groups = {
    ingest: `${prefix}.ingest.${randomUUID()}`,
    analytics: `${prefix}.analytics.${randomUUID()}`,
  };
  const common = {
    KAFKA_BROKERS: brokers.join(','),
    CLICKHOUSE_URL: stack.clickhouseUrl,
    CLICKHOUSE_DATABASE: clickhouseDatabase,
    EVENTS_TOPIC: events.name,
    DLQ_TOPIC: dlq.name,
    ERASURE_TOPIC: erasure.name,
    ERASURE_STATUS_TOPIC: erasureStatus.name,
    // Both workers: the analytics worker writes pseudonyms, the ingest worker the table resolving them.
    ANALYTICS_PSEUDONYM_SECRET: PIPELINE_PSEUDONYM_SECRET,
  };
  const services: ServiceProcess[] = [];
  let stopGateway = async () => undefined as void;
  const teardownServices = async () => {
    await stopGateway();
    await Promise.all(services.map((service) => service.kill('SIGTERM')));
  };
  try {
    if (options.workers !== false)
      services.push(
        await spawnService({
          script: 'apps/ingest-worker/src/main.ts',
          startedMessage: 'ingest worker started',
          env: {
            ...common,
            DATABASE_URL: localServiceDatabaseUrl(database.url, 'ingest'),
            INGEST_GROUP_ID: groups.ingest,
            INGEST_OPS_PORT: '0',
          },
        }),
        await spawnService({
          script: 'apps/analytics-worker/src/main.ts',
          startedMessage: 'analytics worker started',
          env: {
            ...common,
            ANALYTICS_GROUP_ID: groups.analytics,
            ANALYTICS_OPS_PORT: '0',
            ANALYTICS_BATCH_MAX_WAIT_MS: '100',
            ANALYTICS_ERASURE_SETTLE_MS: '500',
          },
        }),
      );
    const gatewayEnv = {
      ...common,
      DATABASE_URL: localServiceDatabaseUrl(database.url, 'gateway'),
      GATEWAY_PORT: '0',
      GATEWAY_HOST: '127.0.0.1',
      JWT_HS256_SECRET: TEST_JWT_SECRET,
      GATEWAY_API_KEYS: `${COLLECTOR_SOURCE}=${apiKey}`,
      GATEWAY_AUDIT_SOURCE: '/services/gateway',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '1000',
      GATEWAY_CORS_ORIGINS: ALLOWED_ORIGIN,
      ...options.gatewayEnv,
    };
    // In this process, so that its code counts towards coverage; spawnGateway() gives one of its own.
    const gateway = await startGateway(loadGatewayConfig(gatewayEnv), { logger: quietLogger });
    stopGateway = () => gateway.stop();
    const gatewayUrl = gateway.url;
    await waitFor(async () => (await fetch(`${gatewayUrl}/health/ready`)).ok, {
      timeoutMs: 60_000,
      what: 'the gateway to be ready',
    });
    // Strict: an invalid event in a test is a mistake in the test, to throw rather than count.
    const sdk = new ActivityClient({
      source: SDK_SOURCE,
      brokers,
      topic: events.name,
      strict: true,
      batch: { lingerMs: 5 },
      registry: options.sdkRegistry,
    });
    const [ingestWorker, analyticsWorker] = services;
    return {
      gatewayUrl,
      spawnGateway: () =>
        spawnService({
          script: 'apps/gateway/src/main.ts',
          startedMessage: 'gateway started',
          env: gatewayEnv,
        }),
      topics: { events, dlq, erasure, erasureStatus },
      database,
      dataSource,
      clickhouse,
      clickhouseDatabase,
      apiKey,
      sdk,
      workerMetricsUrls: {
        ingest: ingestWorker && `${ingestWorker.started['ops'] as string}/metrics`,
        analytics: analyticsWorker && `${analyticsWorker.started['ops'] as string}/metrics`,
      },
      token: (userId, options = {}) =>
        mintLocalToken({
          secret: options.secret ?? TEST_JWT_SECRET,
          userId,
          admin: options.admin ?? false,
          ttlSeconds: options.ttlSeconds ?? 3_600,
        }),
      startGateway: (env) =>
        startGateway(loadGatewayConfig({ ...gatewayEnv, ...env }), { logger: quietLogger }),
      async caughtUp(timeoutMs = 120_000) {
        if (options.workers === false) throw new Error('this test bed runs no workers');
        await sdk.flush();
        await Promise.all([
          waitForGroupCaughtUp(brokers, groups.ingest, events.name, { timeoutMs }),
          waitForGroupCaughtUp(brokers, groups.analytics, events.name, { timeoutMs }),
        ]);
      },
      async teardown() {
        await sdk.close();
        await teardownServices();
        await dataSource.destroy();
        await clickhouse.command({
          query: 'DROP DATABASE IF EXISTS {db:Identifier}',
          query_params: { db: clickhouseDatabase },
        });
        await clickhouse.close();
        await Promise.all([events.delete(), dlq.delete(), erasure.delete(), erasureStatus.delete()]);
        await database.drop();
      },
    };
  } catch (error) {
    await teardownServices();
    throw error;
  }
}
