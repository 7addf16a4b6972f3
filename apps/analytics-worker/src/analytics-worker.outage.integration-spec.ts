import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticActivity, ReferenceAnalytics } from '@chronicle/analytics/testing';
import { createPseudonymizer } from '@chronicle/contracts';
import { createLogger, metricSum } from '@chronicle/observability';
import { startStack, stopStack, waitFor, type StackRunOptions } from '@chronicle/stack';
import {
  createAnalyticsTestBed,
  TEST_PSEUDONYM_SECRET,
  type AnalyticsTestBed,
} from '../test/analytics-test-bed';
import { startAnalyticsWorker, type AnalyticsWorker } from './analytics-worker';

jest.setTimeout(420_000);

// A ClickHouse endpoint of this test's own, so that stopping it disturbs no other test.
const stackDir = mkdtempSync(join(tmpdir(), 'chronicle-analytics-outage-'));
const ownClickHouse: StackRunOptions = {
  stackDir,
  engines: ['clickhouse'],
  ports: { clickhouse: 38123 },
  env: {},
  progress: () => undefined,
};

describe('analytics worker through a ClickHouse outage', () => {
  let bed: AnalyticsTestBed | undefined;
  let worker: AnalyticsWorker | undefined;

  afterAll(async () => {
    await worker?.stop();
    await bed?.teardown();
    await stopStack(ownClickHouse);
    rmSync(stackDir, { recursive: true, force: true });
  });

  it('pauses while ClickHouse is down for 15 s, skips nothing, and catches up with exact figures', async () => {
    const own = await startStack(ownClickHouse);
    bed = await createAnalyticsTestBed('analytics_outage', { clickhouseUrl: own.clickhouseUrl });
    const events = generateSyntheticActivity(7, {
      users: 2_000,
      apps: 100,
      days: 30,
      firstDay: '2026-08-01',
    });
    const reference = new ReferenceAnalytics(events, createPseudonymizer(TEST_PSEUDONYM_SECRET));
    const warnings: string[] = [];
    const logger = createLogger('analytics-worker', (level, line) => {
      if (level !== 'info') warnings.push(line);
    });
    // Shorter than the outage: the partitions whose batch cannot be inserted are named as stalled.
    const stallAfterMs = 5_000;
    worker = await startAnalyticsWorker({ ...bed.config, stallAfterMs }, { logger, progressIntervalMs: 0 });
    const current = bed;
    const running = worker;
    // The first half goes in while ClickHouse is up; the second half arrives while it is down, so the
    // worker must try, fail and hold those batches whatever its speed.
    const half = Math.floor(events.length / 2);
    await current.publishEvents(events.slice(0, half));
    await current.caughtUp();

    await stopStack(ownClickHouse);
    const stoppedAt = Date.now();
    await current.publishEvents(events.slice(half));
    await waitFor(() => warnings.join('\n').includes('batch not inserted; retrying, partition paused'), {
      timeoutMs: 20_000,
      what: 'a failed insert to be retried',
    });
    await waitFor(async () => !(await running.health()).ok, { timeoutMs: 20_000, what: '/health to fail' });
    const stalled = await waitFor(
      async () => {
        const response = await fetch(`${running.opsUrl}/health/ready`);
        const body = (await response.json()) as {
          details: {
            consumers: Record<string, { stalled: { reason: string; forMs: number; error?: string }[] }>;
          };
        };
        const stalls = body.details.consumers[current.config.topics.events]?.stalled ?? [];
        return response.status === 503 && stalls.some((s) => s.reason === 'batch_not_committed')
          ? stalls
          : undefined;
      },
      { timeoutMs: 20_000, what: 'a partition stalled on the outage' },
    );
    for (const stall of stalled.filter((s) => s.reason === 'batch_not_committed')) {
      expect(stall.forMs).toBeGreaterThanOrEqual(stallAfterMs);
      expect(stall.error).toEqual(expect.any(String));
    }
    // Retried with backoff, and counted: each failed attempt's records as retried.
    const during = await (await fetch(`${running.opsUrl}/metrics`)).text();
    expect(metricSum(during, 'chronicle_records_total', { outcome: 'retried' })).toBeGreaterThan(0);
    expect(metricSum(during, 'chronicle_analytics_dead_letters_total')).toBe(0);
    await waitFor(() => Date.now() - stoppedAt >= 15_000, { timeoutMs: 20_000, intervalMs: 500 });
    expect(await current.storedEvents().catch(() => 'unreachable')).toBe('unreachable');
    await startStack(ownClickHouse);

    await current.caughtUp();
    expect(await current.storedEvents()).toBe(events.length);
    expect(await current.queries.dailyActiveUsersSeries({ from: '2026-08-01', to: '2026-08-30' })).toEqual(
      reference.activeUsersSeries('2026-08-01', '2026-08-30', 1),
    );
    await waitFor(async () => (await running.health()).ok, { timeoutMs: 30_000, what: '/health to recover' });
  });
});
