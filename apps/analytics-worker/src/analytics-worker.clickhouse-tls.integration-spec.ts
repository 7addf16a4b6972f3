import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticActivity } from '@chronicle/analytics/testing';
import { createLogger } from '@chronicle/observability';
import {
  freePort,
  makeTestCertificates,
  startClickHouseEndpoint,
  stackEnvironmentFromEnv,
  waitFor,
  type ClickHouseEndpoint,
} from '@chronicle/stack';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import {
  createAnalyticsTestBed,
  TEST_PSEUDONYM_SECRET,
  type AnalyticsTestBed,
} from '../test/analytics-test-bed';
import { startAnalyticsWorker, type AnalyticsWorker } from './analytics-worker';
import { loadAnalyticsWorkerConfig } from './analytics-worker.config';

jest.setTimeout(180_000);

// ClickHouse behind HTTPS with a private CA and a password, configured the way a deployment does it:
// CLICKHOUSE_URL=https://…, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_CA_FILE. The endpoint is
// the same chdb engine as the local stack's, in this process, asking for the user as a server does.
describe('analytics worker to ClickHouse over TLS with a password', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-clickhouse-tls-'));
  const certificates = makeTestCertificates(dir);
  const user = { name: 'chronicle', password: 'clickhouse-test-password' };
  let endpoint: ClickHouseEndpoint | undefined;
  let bed: AnalyticsTestBed | undefined;
  let worker: AnalyticsWorker | undefined;

  beforeAll(async () => {
    endpoint = await startClickHouseEndpoint({
      dataDir: join(dir, 'data'),
      port: await freePort(),
      user,
      tls: { cert: certificates.cert, key: certificates.key },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await bed?.teardown();
    await endpoint?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({
    KAFKA_BROKERS: stackEnvironmentFromEnv().kafkaBrokers.join(','),
    ANALYTICS_PSEUDONYM_SECRET: TEST_PSEUDONYM_SECRET,
    CLICKHOUSE_URL: endpoint?.url,
    CLICKHOUSE_USER: user.name,
    CLICKHOUSE_PASSWORD: user.password,
    CLICKHOUSE_CA_FILE: certificates.caFile,
  });

  it('stores the events it consumes', async () => {
    const config = loadAnalyticsWorkerConfig(env());
    expect(config.clickhouseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    bed = await createAnalyticsTestBed('analytics_tls', {
      clickhouseUrl: config.clickhouseUrl,
      clickhouseAuth: config.clickhouseAuth,
    });
    worker = await startAnalyticsWorker(bed.config, {
      logger: createLogger('analytics-worker', () => undefined),
      progressIntervalMs: 0,
    });
    const events = generateSyntheticActivity(11, { users: 50, apps: 10, days: 3, firstDay: '2026-08-01' });
    await bed.publishEvents(events);
    const current = bed;
    await waitFor(async () => (await current.storedEvents()) === events.length, {
      timeoutMs: 120_000,
      what: `${events.length} events in ClickHouse over TLS`,
    });
  });

  it('is refused with a wrong password, and without the CA', async () => {
    const { clickhouseAuth, clickhouseUrl } = loadAnalyticsWorkerConfig(env());
    const wrongPassword = createClient({
      url: clickhouseUrl,
      ...clickhouseAuth,
      password: 'not-the-password',
      log: { level: ClickHouseLogLevel.OFF },
    });
    await expect(wrongPassword.query({ query: 'SELECT 1' })).rejects.toThrow(/Authentication failed/);
    await wrongPassword.close();
    const { tls: _withoutCa, ...credentials } = clickhouseAuth ?? {};
    const untrusted = createClient({
      url: clickhouseUrl,
      ...credentials,
      log: { level: ClickHouseLogLevel.OFF },
    });
    await expect(untrusted.query({ query: 'SELECT 1' })).rejects.toThrow(
      /self-signed certificate|unable to verify/,
    );
    await untrusted.close();
  });
});
