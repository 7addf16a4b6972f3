// The build as the image runs it: the migrations, both workers and the gateway from dist/ under plain
// `node` against the local stack. With BUILT_SERVICES_DIR=<a dist/ directory> it runs that build (e.g.
// one next to a production-only `npm install`) instead of building one of its own.
import { decodeActivityEvent } from '@chronicle/contracts';
import { localServiceDatabaseUrl } from '@chronicle/events-store';
import { ActivityClient } from '@chronicle/sdk';
import {
  createTestDatabase,
  createTestTopic,
  stackEnvironmentFromEnv,
  waitFor,
  waitForGroupCaughtUp,
  type ServiceProcess,
  type TestDatabase,
  type TestTopic,
} from '@chronicle/stack';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runBuiltCommand, runBuiltToExit, spawnBuiltService } from '../test/built-service';
import { buildDist } from './build';

jest.setTimeout(300_000);

const REPO_ROOT = join(__dirname, '../../..');
const JWT_SECRET = 'built-services-test-secret-of-at-least-32-bytes';
const PSEUDONYM_SECRET = 'built-services-pseudonym-secret-of-32+bytes';
const SOURCE = '/services/built-services-test';

describe('the built services, run with plain node', () => {
  const stack = stackEnvironmentFromEnv();
  const given = process.env['BUILT_SERVICES_DIR'];
  // The image's layout: dist/ beside node_modules, outside the checkout.
  const imageDir = given === undefined ? mkdtempSync(join(tmpdir(), 'chronicle-built-')) : undefined;
  const outDir = given ?? join(imageDir as string, 'dist');
  const run = randomBytes(4).toString('hex');
  const groups = { ingest: `built.ingest.${run}`, analytics: `built.analytics.${run}` };
  const clickhouseDatabase = `built_services_${run}`;
  let database: TestDatabase;
  let topics: TestTopic[] = [];
  let events: TestTopic;
  let clickhouse: ClickHouseClient;
  let sdk: ActivityClient | undefined;
  const services: ServiceProcess[] = [];
  let gatewayUrl: string;

  beforeAll(async () => {
    if (imageDir !== undefined) {
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(imageDir, 'node_modules'), 'dir');
      await buildDist({
        repoRoot: REPO_ROOT,
        outDir,
        log: (line) => process.stdout.write(`[build] ${line}\n`),
      });
    }
    database = await createTestDatabase(stack.databaseUrl, 'built_services');
    clickhouse = createClient({ url: stack.clickhouseUrl, log: { level: ClickHouseLogLevel.OFF } });
    topics = await Promise.all(
      ['events', 'dlq', 'erasure', 'erasure-status'].map((name) =>
        createTestTopic(stack.kafkaBrokers, { prefix: `built.${name}`, partitions: 3 }),
      ),
    );
    const [eventsTopic, dlq, erasure, erasureStatus] = topics as [TestTopic, TestTopic, TestTopic, TestTopic];
    events = eventsTopic;
    const common = {
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      CLICKHOUSE_URL: stack.clickhouseUrl,
      CLICKHOUSE_DATABASE: clickhouseDatabase,
      EVENTS_TOPIC: events.name,
      DLQ_TOPIC: dlq.name,
      ERASURE_TOPIC: erasure.name,
      ERASURE_STATUS_TOPIC: erasureStatus.name,
      ANALYTICS_PSEUDONYM_SECRET: PSEUDONYM_SECRET,
    };
    // The migrations as compose runs them, before any service (which refuse a database behind its migrations).
    await runBuiltCommand(outDir, 'libs/events-store/src/migrate.main.js', ['--local-logins'], {
      DATABASE_URL: database.url,
    });
    await runBuiltCommand(outDir, 'libs/analytics/src/migrate.main.js', [], common);
    // One at a time, so that afterAll stops those that started when a later one fails.
    services.push(
      await spawnBuiltService(
        outDir,
        'apps/ingest-worker/src/main.js',
        {
          ...common,
          DATABASE_URL: localServiceDatabaseUrl(database.url, 'ingest'),
          INGEST_GROUP_ID: groups.ingest,
          INGEST_OPS_PORT: '0',
        },
        'ingest worker started',
      ),
    );
    services.push(
      await spawnBuiltService(
        outDir,
        'apps/analytics-worker/src/main.js',
        {
          ...common,
          ANALYTICS_GROUP_ID: groups.analytics,
          ANALYTICS_OPS_PORT: '0',
          ANALYTICS_BATCH_MAX_WAIT_MS: '100',
        },
        'analytics worker started',
      ),
    );
    services.push(
      await spawnBuiltService(
        outDir,
        'apps/gateway/src/main.js',
        {
          ...common,
          DATABASE_URL: localServiceDatabaseUrl(database.url, 'gateway'),
          GATEWAY_PORT: '0',
          GATEWAY_HOST: '127.0.0.1',
          JWT_HS256_SECRET: JWT_SECRET,
        },
        'gateway started',
      ),
    );
    gatewayUrl = services[2]?.started['url'] as string;
  });

  afterAll(async () => {
    await sdk?.close();
    await Promise.all(services.map((service) => service.kill('SIGTERM')));
    await clickhouse?.command({
      query: 'DROP DATABASE IF EXISTS {db:Identifier}',
      query_params: { db: clickhouseDatabase },
    });
    await clickhouse?.close();
    await Promise.all(topics.map((topic) => topic.delete()));
    await database?.drop();
    if (imageDir !== undefined) rmSync(imageDir, { recursive: true, force: true });
  });

  const token = async (user: string, admin = false) =>
    (
      await runBuiltCommand(
        outDir,
        'apps/gateway/src/auth/mint-token.main.js',
        ['--user', user, '--quiet', ...(admin ? ['--admin'] : [])],
        { JWT_HS256_SECRET: JWT_SECRET },
      )
    ).trim();
  const getJson = async <T>(path: string, bearer: string): Promise<T> => {
    const response = await fetch(`${gatewayUrl}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    if (response.status !== 200)
      throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  it('stores what the SDK publishes, and the gateway serves it to its user and to an admin', async () => {
    const user = `u_built_${run}`;
    sdk = new ActivityClient({
      source: SOURCE,
      brokers: stack.kafkaBrokers,
      topic: events.name,
      strict: true,
      batch: { lingerMs: 5 },
    });
    for (const app of ['app_a', 'app_b', 'app_c'])
      sdk.log({
        type: 'app.viewed',
        actor: { type: 'user', id: user },
        entity: { type: 'app', id: app },
        metadata: { referrer: 'search' },
      });
    await sdk.flush();
    const published = (await events.read(3))
      .map(({ message }) => {
        const decoded = decodeActivityEvent(message);
        if (!decoded.ok)
          throw new Error(`the SDK published an unreadable record: ${JSON.stringify(decoded)}`);
        return decoded.event.id;
      })
      .sort();
    expect(new Set(published).size).toBe(3);

    const owner = new Client({ connectionString: database.url });
    await owner.connect();
    try {
      await waitFor(
        async () =>
          (await owner.query('SELECT id FROM activity_events WHERE id::text = ANY($1)', [published]))
            .rowCount === published.length,
        { timeoutMs: 60_000, what: 'the ingest worker to store the published events' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; the ingest worker said:\n${services[0]?.output.join('')}`);
      });
    } finally {
      await owner.end();
    }

    const timeline = await getJson<{ groups: { activities: { id: string }[] }[] }>(
      '/api/users/me/activity?tz=UTC',
      await token(user),
    );
    expect(
      timeline.groups.flatMap((group) => group.activities.map((activity) => activity.id)).sort(),
    ).toEqual(published);
    const search = await getJson<{ items: { id: string; source: string }[] }>(
      `/api/admin/activities?userId=${user}`,
      await token(`admin_${run}`, true),
    );
    expect(search.items.map((item) => item.id).sort()).toEqual(published);
    expect(search.items.every((item) => item.source === SOURCE)).toBe(true);

    // The analytics worker wrote them to ClickHouse too, under a pseudonym.
    await waitForGroupCaughtUp(stack.kafkaBrokers, groups.analytics, events.name, { timeoutMs: 60_000 });
    const rows = await clickhouse.query({
      query: 'SELECT toString(event_id) AS id FROM {db:Identifier}.events FINAL ORDER BY id',
      query_params: { db: clickhouseDatabase },
      format: 'JSONEachRow',
    });
    expect(((await rows.json()) as { id: string }[]).map((row) => row.id)).toEqual(published);
  });

  it('serves the built web pages and the API document', async () => {
    const page = await fetch(`${gatewayUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(readFileSync(join(outDir, 'apps/web/dist/index.html'), 'utf8'));
    const document = (await (await fetch(`${gatewayUrl}/api/docs/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    // Built from the compiled controllers' decorators at start, as under tsx.
    expect(document.openapi).toMatch(/^3\.0\.\d+$/);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/admin/activities', '/v1/events']),
    );
    const swaggerUi = await fetch(`${gatewayUrl}/api/docs/assets/swagger-ui-bundle.js`);
    expect(swaggerUi.status).toBe(200);
  });

  it('refuses to start on a bad configuration, naming every variable at fault (exit 2)', async () => {
    const { code, output } = await runBuiltToExit(outDir, 'apps/gateway/src/main.js', {
      KAFKA_BROKERS: 'kafka-without-port',
      DATABASE_URL: 'mysql://db/chronicle',
      CLICKHOUSE_URL: stack.clickhouseUrl,
      GATEWAY_PORT: 'http',
      JWT_HS256_SECRET: JWT_SECRET,
    });
    expect(code).toBe(2);
    for (const message of [
      'GATEWAY_PORT must be an integer from 0 to 65535, got \\"http\\"',
      'KAFKA_BROKERS: \\"kafka-without-port\\" is not host:port',
      'DATABASE_URL must be a URL starting with postgres:// or postgresql://',
    ])
      expect(output).toContain(message);
    expect(output).not.toContain(JWT_SECRET);
  });

  it('stops every service gracefully on SIGTERM', async () => {
    const codes = await Promise.all(services.map((service) => service.kill('SIGTERM')));
    expect(codes).toEqual([0, 0, 0]);
  });
});
