import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBinary } from '@chronicle/contracts';
// This test belongs with the ingest worker's (apps/ingest-worker/src), whose test bed and engines it
// uses; it sits here until that project is free to take it, hence the three exceptions below.
import { startStack, stopStack, waitFor, type StackRunOptions } from '@chronicle/stack';
import { Client } from 'pg';
import { parse, stringify } from 'yaml';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the ingest worker's own test data, not a second copy
import { seededRandom, validEvent } from '../../../apps/ingest-worker/test/ingest-dataset';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the ingest worker's own test bed, not a second copy
import {
  createIngestTestBed,
  spawnIngestWorker,
  type IngestTestBed,
  type WorkerProcess,
} from '../../../apps/ingest-worker/test/ingest-test-bed';
import { yamlFiles } from './alert-rules';
import { ALERT_RULES_DIR } from './prometheus.process';
import { startPrometheusTestServer, type PrometheusTestServer } from './prometheus-test-server';

/*
 * The alert rules against a real Prometheus (Debian's binary, as `npm start` runs it) scraping a real
 * ingest worker while events keep coming: a Postgres outage fires the lag alerts, a Postgres that
 * answers slowly fires the freshness alert, and each resolves once the store is well again.
 *
 * Time is compressed 30 times so that the test takes minutes rather than hours: every `for:` and
 * every range of the rules is divided by 30 (5m → 10s) in a copy the test's Prometheus loads, which
 * scrapes and evaluates every second. Thresholds are not: the lag alert still needs a record 30 s
 * old, the freshness alert a p99 over 5 s.
 */

jest.setTimeout(600_000);

const TIME_COMPRESSION = 30;
const EVENTS_PER_SECOND = 100;

const DURATION = /^(\d+)([smhd])$/;
const SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** `5m` → `10s` at a compression of 30 (never under a second). */
function compress(duration: string): string {
  const match = DURATION.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  const seconds = Number(match[1]) * SECONDS[match[2] as keyof typeof SECONDS];
  return `${Math.max(1, Math.round(seconds / TIME_COMPRESSION))}s`;
}

/** The rule files with every `for:` and range selector compressed, written to `dir`. */
function writeCompressedRules(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of yamlFiles(ALERT_RULES_DIR)) {
    const rules = parse(readFileSync(join(ALERT_RULES_DIR, file), 'utf8')) as {
      groups: { rules: { expr: string; for?: string }[] }[];
    };
    for (const group of rules.groups)
      for (const rule of group.rules) {
        rule.expr = rule.expr.replace(/\[(\d+[smhd])\]/g, (_, range: string) => `[${compress(range)}]`);
        if (rule.for) rule.for = compress(rule.for);
      }
    writeFileSync(join(dir, file), stringify(rules));
  }
}

interface ActiveAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

describe('the alert rules on a real Prometheus scraping an ingest worker', () => {
  // A Postgres of this test's own, so that stopping it disturbs no other test.
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-prometheus-alerts-'));
  const ownPostgres: StackRunOptions = {
    stackDir: join(dir, 'stack'),
    engines: ['postgres'],
    // Below the ephemeral port range (32768–60999), where a client socket may hold the port.
    ports: { postgres: 26432 },
    env: {},
    progress: () => undefined,
  };
  let bed: IngestTestBed | undefined;
  let worker: WorkerProcess | undefined;
  let prometheus: PrometheusTestServer | undefined;
  let publishing = false;
  let publisher: Promise<void> | undefined;

  afterAll(async () => {
    publishing = false;
    await publisher;
    await worker?.kill('SIGTERM');
    await prometheus?.stop();
    await bed?.teardown().catch(() => undefined);
    await stopStack(ownPostgres);
    rmSync(dir, { recursive: true, force: true });
  });

  /** The alerts Prometheus holds pending or firing for the worker's events topic (or store). */
  async function activeAlerts(): Promise<Map<string, ActiveAlert['state']>> {
    const response = await fetch(`${prometheus?.url}/api/v1/alerts`);
    const body = (await response.json()) as { data: { alerts: ActiveAlert[] } };
    const states = new Map<string, ActiveAlert['state']>();
    for (const { labels, state } of body.data.alerts) {
      const ours = labels['topic'] === bed?.topics.events.name || labels['store'] === 'postgres';
      if (ours && states.get(labels['alertname'] as string) !== 'firing')
        states.set(labels['alertname'] as string, state);
    }
    return states;
  }

  async function query(expr: string): Promise<string> {
    const result = (await prometheus?.query(expr)) ?? [];
    return result.map(({ metric, value }) => `${JSON.stringify(metric)} ${value[1]}`).join('; ');
  }

  /** Waits for `done`; on time-out, says what Prometheus saw. */
  async function waitForAlerts(what: string, done: (states: Map<string, string>) => boolean): Promise<void> {
    try {
      await waitFor(async () => done(await activeAlerts()), { timeoutMs: 180_000, intervalMs: 1_000, what });
    } catch (error) {
      const seen = [
        `alerts: ${JSON.stringify([...(await activeAlerts())])}`,
        `up: ${await query('up')}`,
        `lag: ${await query('sum by (topic) (chronicle_kafka_consumer_lag)')}`,
        `lag seconds: ${await query('max by (topic) (chronicle_kafka_consumer_lag_seconds)')}`,
        `freshness p99: ${await query('histogram_quantile(0.99, sum by (le) (rate(chronicle_freshness_seconds_bucket{since="kafka_append"}[10s])))')}`,
        `worker: ${worker?.output.join('').slice(-3_000)}`,
      ];
      throw new Error(`${(error as Error).message}\n${seen.join('\n')}`);
    }
  }

  it('fires the lag alerts through a Postgres outage and the freshness alert while Postgres is slow, and resolves them', async () => {
    const own = await startStack(ownPostgres);
    bed = await createIngestTestBed('prometheus_alerts', { databaseUrl: own.databaseUrl });
    const current = bed;
    worker = await spawnIngestWorker({ ...bed.env, LAG_POLL_INTERVAL_MS: '1000' });

    const rulesDir = join(dir, 'rules');
    writeCompressedRules(rulesDir);
    prometheus = await startPrometheusTestServer({
      dir: join(dir, 'prometheus'),
      targets: [{ job: 'ingest-worker', metricsUrl: `${worker.opsUrl}/metrics` }],
      intervalSeconds: 1,
      ruleFiles: [join(rulesDir, '*.yml')],
    });
    const server = prometheus;

    // Live traffic for the whole test, timed now: 100 events/s in batches of 10.
    const random = seededRandom(16);
    publishing = true;
    publisher = (async () => {
      while (publishing) {
        const now = Date.now();
        const messages = Array.from({ length: EVENTS_PER_SECOND / 10 }, (_, i) =>
          encodeBinary(validEvent(random, `user-${i}`, now)),
        );
        await current.publish(current.topics.events.name, messages);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    // Healthy: the worker stores, Prometheus sees it, nothing of ours fires.
    await waitFor(
      async () => {
        const result = await server.query('sum(chronicle_freshness_seconds_count{store="postgres"})');
        return Number(result[0]?.value[1] ?? 0) > 0;
      },
      { timeoutMs: 60_000, what: 'freshness observed through Prometheus' },
    );
    expect([...(await activeAlerts()).keys()]).toEqual([]);

    // Postgres down while events keep coming: the records wait, and both lag alerts fire.
    await stopStack(ownPostgres);
    await waitForAlerts(
      'ChronicleConsumerLagOverSlo and ChronicleConsumerLagGrowing firing',
      (states) =>
        states.get('ChronicleConsumerLagOverSlo') === 'firing' &&
        states.get('ChronicleConsumerLagGrowing') === 'firing',
    );

    // Postgres back: the worker catches up by itself and the alerts resolve.
    await startStack(ownPostgres);
    await waitForAlerts(
      'the lag alerts resolved',
      (states) => !states.has('ChronicleConsumerLagOverSlo') && !states.has('ChronicleConsumerLagGrowing'),
    );

    // Postgres slow: a session holds the events table 7 s at a time, so every batch waits for it.
    // Records are stored up to 7 s after their append, never 30 s: freshness fires, lag does not.
    const locker = new Client({ connectionString: current.database.url });
    await locker.connect();
    let slow = true;
    const slowness = (async () => {
      while (slow) {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE activity_events IN EXCLUSIVE MODE');
        await new Promise((resolve) => setTimeout(resolve, 7_000));
        await locker.query('COMMIT');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    try {
      await waitForAlerts(
        'ChronicleFreshnessOverSlo firing for postgres',
        (states) => states.get('ChronicleFreshnessOverSlo') === 'firing',
      );
      expect((await activeAlerts()).get('ChronicleConsumerLagOverSlo')).toBeUndefined();
    } finally {
      slow = false;
      await slowness;
      await locker.end();
    }
    await waitForAlerts(
      'ChronicleFreshnessOverSlo resolved',
      (states) => !states.has('ChronicleFreshnessOverSlo'),
    );

    publishing = false;
    await publisher;
    await current.caughtUp();
  });
});
