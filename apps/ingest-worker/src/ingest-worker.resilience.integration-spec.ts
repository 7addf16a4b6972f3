import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBinary } from '@chronicle/contracts';
import { SERVICE_ROLES } from '@chronicle/events-store';
import { createLogger } from '@chronicle/observability';
import { startStack, stopStack, waitFor, type StackRunOptions } from '@chronicle/stack';
import { buildIngestDataset, seededRandom, validEvent, type IngestDataset } from '../test/ingest-dataset';
import {
  createIngestTestBed,
  expectStoredExactly,
  spawnIngestWorker,
  metricSamples,
  metricSum,
  type IngestTestBed,
  type WorkerProcess,
} from '../test/ingest-test-bed';
import { startIngestWorker, type IngestWorker } from './ingest-worker';

jest.setTimeout(420_000);

/** After everything was consumed and committed: exactly the valid events, and every invalid one dead-lettered. */
async function expectExact(bed: IngestTestBed, dataset: IngestDataset): Promise<void> {
  await bed.caughtUp();
  await expectStoredExactly(bed, dataset.validIds);
  // At least once on the DLQ: a letter sent again after a crash carries the same source offset.
  const invalid = [...dataset.invalidByReason.values()].reduce((a, b) => a + b, 0);
  const letters = await bed.topics.dlq.read(invalid);
  const sources = new Set(
    letters.map(
      ({ message }) =>
        `${message.headers?.['chronicle-dlq-source-partition']}:${message.headers?.['chronicle-dlq-source-offset']}`,
    ),
  );
  expect(sources.size).toBe(invalid);
}

async function storedRows(bed: IngestTestBed): Promise<number> {
  const [row] = await bed.dataSource.query('SELECT count(*)::int AS n FROM activity_events');
  return row.n;
}

describe('ingest worker under failure', () => {
  let bed: IngestTestBed;
  const workers: WorkerProcess[] = [];

  afterEach(async () => {
    await Promise.all(
      workers.splice(0).map((w) => (w.process.exitCode === null ? w.kill('SIGKILL') : undefined)),
    );
    await bed?.teardown();
  });

  it('loses and duplicates nothing when killed with SIGKILL mid-stream and restarted', async () => {
    bed = await createIngestTestBed('ingest_sigkill');
    const dataset = buildIngestDataset({ total: 60_000, seed: 11 });
    await bed.publish(bed.topics.events.name, dataset.messages);

    const first = await spawnIngestWorker(bed.env);
    workers.push(first);
    await waitFor(async () => (await storedRows(bed)) >= 10_000, { timeoutMs: 120_000, what: '10,000 rows' });
    await first.kill('SIGKILL');
    const atKill = await storedRows(bed);
    expect(atKill).toBeLessThan(dataset.validIds.size);

    workers.push(await spawnIngestWorker(bed.env));
    await expectExact(bed, dataset);
  });

  it('shares partitions among three workers, and loses nothing when one is killed', async () => {
    bed = await createIngestTestBed('ingest_group');
    const dataset = buildIngestDataset({ total: 60_000, seed: 12 });
    for (let i = 0; i < 3; i++) workers.push(await spawnIngestWorker(bed.env));
    await bed.publish(bed.topics.events.name, dataset.messages);
    await waitFor(async () => (await storedRows(bed)) >= 10_000, { timeoutMs: 120_000, what: '10,000 rows' });
    await workers[1]?.kill('SIGKILL');
    await expectExact(bed, dataset);
    // The group shared the partitions: each survivor stored a share, and together less than all.
    const shares = await Promise.all(
      [workers[0], workers[2]].map(async (survivor) =>
        metricSum(await (await fetch(`${survivor?.opsUrl}/metrics`)).text(), 'chronicle_ingest_events_total'),
      ),
    );
    for (const share of shares) expect(share).toBeGreaterThan(0);
    expect((shares[0] ?? 0) + (shares[1] ?? 0)).toBeLessThan(dataset.validIds.size);
  });

  it('finishes the batch in flight on SIGTERM and exits cleanly', async () => {
    bed = await createIngestTestBed('ingest_sigterm');
    const dataset = buildIngestDataset({ total: 20_000, seed: 13 });
    const worker = await spawnIngestWorker(bed.env);
    workers.push(worker);
    await bed.publish(bed.topics.events.name, dataset.messages);
    await waitFor(async () => (await storedRows(bed)) >= 2_000, { timeoutMs: 120_000, what: '2,000 rows' });
    expect(await worker.kill('SIGTERM')).toBe(0);
    expect(worker.output.join('')).toContain('ingest-worker stopped');
    workers.push(await spawnIngestWorker(bed.env));
    await expectExact(bed, dataset);
  });
});

describe('ingest worker through a Postgres outage', () => {
  // A Postgres of this test's own, so that stopping it disturbs no other test.
  const stackDir = mkdtempSync(join(tmpdir(), 'chronicle-ingest-outage-'));
  const ownPostgres: StackRunOptions = {
    stackDir,
    engines: ['postgres'],
    ports: { postgres: 35432 },
    env: {},
    progress: () => undefined,
  };
  let bed: IngestTestBed | undefined;
  let worker: IngestWorker | undefined;

  afterAll(async () => {
    await worker?.stop();
    await bed?.teardown();
    await stopStack(ownPostgres);
    rmSync(stackDir, { recursive: true, force: true });
  });

  it('pauses while Postgres is down for 15 s, skips nothing, and catches up by itself', async () => {
    const own = await startStack(ownPostgres);
    bed = await createIngestTestBed('ingest_outage', { databaseUrl: own.databaseUrl });
    const dataset = buildIngestDataset({ total: 60_000, seed: 14 });
    const warnings: string[] = [];
    const logger = createLogger('ingest-worker', (level, line) => {
      if (level !== 'info') warnings.push(line);
    });
    worker = await startIngestWorker(bed.config, { logger, progressIntervalMs: 0 });
    // The first half is written while Postgres is up; the second half arrives while it is down, so the
    // worker must try, fail and hold those batches whatever its speed.
    const current = bed;
    const half = Math.floor(dataset.messages.length / 2);
    await current.publish(current.topics.events.name, dataset.messages.slice(0, half));
    await current.caughtUp();

    await stopStack(ownPostgres);
    const stoppedAt = Date.now();
    await current.publish(current.topics.events.name, dataset.messages.slice(half));
    await waitFor(() => warnings.join('\n').includes('batch not written; retrying, partition paused'), {
      timeoutMs: 20_000,
      what: 'a failed write to be retried',
    });
    await waitFor(async () => !(await (worker as IngestWorker).health()).ok, {
      timeoutMs: 20_000,
      what: '/health to fail',
    });
    await waitFor(() => Date.now() - stoppedAt >= 15_000, { timeoutMs: 20_000, intervalMs: 500 });
    await startStack(ownPostgres);

    await expectExact(bed, dataset);
    await waitFor(async () => (await (worker as IngestWorker).health()).ok, {
      timeoutMs: 30_000,
      what: '/health to recover',
    });
  });
});

describe('ingest worker whose store refuses every write', () => {
  let bed: IngestTestBed | undefined;
  let worker: IngestWorker | undefined;

  afterAll(async () => {
    await worker?.stop();
    await bed?.teardown();
  });

  it('stops being ready within the stall time, naming the partition and the error, while the lag keeps rising; recovers with the store', async () => {
    const current = (bed = await createIngestTestBed('ingest_refused'));
    const stallAfterMs = 3_000;
    const running = (worker = await startIngestWorker(
      { ...current.config, stallAfterMs, lagPollIntervalMs: 250 },
      { logger: createLogger('ingest-worker', () => undefined), progressIntervalMs: 0 },
    ));
    const topic = { topic: current.topics.events.name };
    const random = seededRandom(21);
    const publish = (count: number) =>
      current.publish(
        current.topics.events.name,
        Array.from({ length: count }, (_, i) =>
          encodeBinary(validEvent(random, `u_${i % 40}`, Date.now() - i)),
        ),
      );
    const scrape = async () => (await fetch(`${running.opsUrl}/metrics`)).text();
    const lag = async () => metricSum(await scrape(), 'chronicle_kafka_consumer_lag', topic);
    const readiness = async () => {
      const response = await fetch(`${running.opsUrl}/health/ready`);
      return { status: response.status, body: (await response.json()) as HealthBody };
    };

    await publish(500);
    await current.caughtUp();
    await waitFor(async () => (await readiness()).status === 200, { timeoutMs: 30_000, what: 'ready' });

    // The worker's role loses INSERT on the events table: Postgres refuses every write with 42501, a
    // setup error no record fixes, so the batches are retried (transient), never dead-lettered.
    await current.dataSource.query(`REVOKE INSERT ON activity_events FROM ${SERVICE_ROLES.ingest}`);
    const refusedAt = Date.now();
    await publish(300);
    const publishedAt = Date.now();
    // Not ready, naming the partitions whose batch keeps failing (those queued behind them follow,
    // as records waiting that no batch has fetched).
    const notReady = await waitFor(
      async () => {
        const answer = await readiness();
        const stalled = answer.body.details.consumers[current.topics.events.name]?.stalled ?? [];
        return answer.status === 503 && stalled.some((s) => s.reason === 'batch_not_committed')
          ? answer.body
          : undefined;
      },
      { timeoutMs: stallAfterMs + 10_000, intervalMs: 100, what: 'not ready' },
    );
    // Within the stall time of the first refused batch's arrival, give or take a probe.
    expect(Date.now() - publishedAt).toBeLessThan(stallAfterMs + 3_000);
    expect(notReady.details.postgres).toEqual({ ok: true });
    const stalled = notReady.details.consumers[current.topics.events.name]?.stalled ?? [];
    const failing = stalled.filter((stall) => stall.reason === 'batch_not_committed');
    for (const stall of failing) {
      expect(stall.partition).toEqual(expect.any(Number));
      expect(stall.forMs).toBeGreaterThanOrEqual(stallAfterMs);
      expect(Date.parse(stall.since)).toBeGreaterThanOrEqual(refusedAt - 1_000);
      expect(stall.error).toBe('[42501] permission denied for table activity_events');
    }

    // Measured from the broker, the lag rises with every record published meanwhile, and so does the
    // age of the oldest unprocessed one.
    const before = await waitFor(async () => ((await lag()) >= 300 ? lag() : undefined), {
      timeoutMs: 10_000,
      what: 'a lag of the 300 refused records',
    });
    await publish(200);
    await waitFor(async () => (await lag()) >= before + 200, {
      timeoutMs: 10_000,
      what: 'the lag to rise by the 200 records published since',
    });
    const stuck = await scrape();
    const oldest = Math.max(
      ...metricSamples(stuck, 'chronicle_kafka_consumer_lag_seconds', topic).map((s) => s.value),
    );
    expect(oldest).toBeGreaterThanOrEqual(stallAfterMs / 1000);
    expect(
      metricSum(stuck, 'chronicle_ingest_write_failures_total', { failure: 'transient' }),
    ).toBeGreaterThan(0);
    expect(metricSum(stuck, 'chronicle_records_total', { outcome: 'retried' })).toBeGreaterThan(0);
    expect(metricSum(stuck, 'chronicle_ingest_dead_letters_total')).toBe(0);
    expect(metricSum(stuck, 'chronicle_service_ready')).toBe(0);
    expect((await fetch(`${running.opsUrl}/health/live`)).status).toBe(200);

    await current.dataSource.query(`GRANT INSERT ON activity_events TO ${SERVICE_ROLES.ingest}`);
    await waitFor(async () => (await readiness()).status === 200, { timeoutMs: 30_000, what: 'ready again' });
    await current.caughtUp(60_000);
    await waitFor(
      async () => {
        const text = await scrape();
        return (
          metricSum(text, 'chronicle_kafka_consumer_lag', topic) === 0 &&
          metricSum(text, 'chronicle_kafka_consumer_lag_seconds', topic) === 0 &&
          metricSum(text, 'chronicle_service_ready') === 1
        );
      },
      { timeoutMs: 10_000, what: 'lag back to 0 and ready' },
    );
    expect((await current.stored()).rows).toBe(1_000);
    expect(await current.topics.dlq.recordCount()).toBe(0);
  });
});

interface HealthBody {
  ok: boolean;
  details: {
    postgres: { ok: boolean };
    consumers: Record<
      string,
      { stalled: { partition: number; reason: string; since: string; forMs: number; error?: string }[] }
    >;
  };
}
