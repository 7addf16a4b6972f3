import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@chronicle/observability';
import { startStack, stopStack, waitFor, type StackRunOptions } from '@chronicle/stack';
import { buildIngestDataset, type IngestDataset } from '../test/ingest-dataset';
import {
  createIngestTestBed,
  spawnIngestWorker,
  metricSum,
  type IngestTestBed,
  type WorkerProcess,
} from '../test/ingest-test-bed';
import { startIngestWorker, type IngestWorker } from './ingest-worker';

jest.setTimeout(420_000);

/** After everything was consumed and committed: exactly the valid events, and every invalid one dead-lettered. */
async function expectExact(bed: IngestTestBed, dataset: IngestDataset): Promise<void> {
  await bed.caughtUp();
  const stored = await bed.stored();
  expect(stored.rows).toBe(dataset.validIds.size);
  expect(stored.distinct).toBe(dataset.validIds.size);
  expect([...stored.ids].every((id) => dataset.validIds.has(id))).toBe(true);
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
