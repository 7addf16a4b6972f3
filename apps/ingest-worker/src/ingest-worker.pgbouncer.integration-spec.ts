import { createPseudonymizer } from '@chronicle/contracts';
import {
  ActivityEventWriter,
  applyRetention,
  createEventsDataSource,
  DAY_MS,
  LOCAL_SERVICE_LOGINS,
  partitionName,
  toActivityEventRow,
  utcDayStart,
  type RetentionRun,
} from '@chronicle/events-store';
import { createLogger } from '@chronicle/observability';
import { startTestPgBouncer, waitFor, waitForMetrics, type TestPgBouncer } from '@chronicle/stack';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { buildIngestDataset, seededRandom, validEvent } from '../test/ingest-dataset';
import {
  createIngestTestBed,
  expectStoredExactly,
  metricSum,
  TEST_PSEUDONYM_SECRET,
  type IngestTestBed,
} from '../test/ingest-test-bed';
import { startIngestWorker, type IngestWorker } from './ingest-worker';

jest.setTimeout(180_000);

const quiet = createLogger('ingest-worker', () => undefined);

/**
 * Production often puts PgBouncer in transaction pooling mode in front of Postgres: every statement
 * outside a transaction may go to another server connection. Three server connections here, taken in
 * turn, so that one client's statements really do.
 */
describe('ingest worker behind PgBouncer (transaction pooling)', () => {
  let bed: IngestTestBed;
  let bouncer: TestPgBouncer;
  /** The ingest worker's login and database, through PgBouncer. */
  let throughBouncer: string;
  let owner: Client;
  let worker: IngestWorker | undefined;
  const instances: DataSource[] = [];

  beforeAll(async () => {
    bed = await createIngestTestBed('ingest_pgbouncer');
    bouncer = await startTestPgBouncer({
      serverUrl: bed.database.url,
      logins: [LOCAL_SERVICE_LOGINS.ingest],
      poolSize: 3,
    });
    throughBouncer = bouncer.urlFor(bed.config.databaseUrl);
    owner = new Client({ connectionString: bed.database.url });
    await owner.connect();
  });

  afterAll(async () => {
    await worker?.stop();
    await Promise.all(instances.map((instance) => instance.destroy()));
    await owner?.end();
    await bouncer?.stop();
    await bed?.teardown();
  });

  /** Retention runs past the point where they hold the lock: their DELETE waits for the table the test locked. */
  const runsInside = async () =>
    (
      await owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks
          WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND relation = 'pseudonyms'::regclass AND NOT granted`,
      )
    ).rows[0]?.n ?? 0;

  it('runs retention in one instance at a time, and leaves no lock behind', async () => {
    // Eight worker instances, each with a pool of its own, all through the one PgBouncer.
    for (let i = 0; i < 8; i++) {
      const instance = createEventsDataSource({ url: throughBouncer, poolSize: 2 });
      instances.push(instance);
      await instance.initialize();
    }
    const old = Date.now() - 200 * DAY_MS;
    const writer = new ActivityEventWriter(bed.dataSource, {
      pseudonymize: createPseudonymizer(TEST_PSEUDONYM_SECRET),
    });
    await writer.write([toActivityEventRow(validEvent(seededRandom(3), 'u_old', old), Date.now())]);
    await bouncer.fillPool(throughBouncer);

    // Holds the first run inside its critical section until the others have tried theirs.
    await owner.query('BEGIN');
    await owner.query('LOCK TABLE pseudonyms IN ACCESS EXCLUSIVE MODE');
    let first: Promise<RetentionRun>;
    let others: Promise<RetentionRun>[] = [];
    let mostInside = 0;
    try {
      first = applyRetention(instances[0] as DataSource, { retentionDays: 90 });
      await waitFor(async () => (await runsInside()) === 1, {
        timeoutMs: 20_000,
        intervalMs: 50,
        what: 'the first retention run to reach its DELETE',
      });
      let othersDone = false;
      others = instances.slice(1).map((instance) => applyRetention(instance, { retentionDays: 90 }));
      void Promise.allSettled(others).then(() => (othersDone = true));
      // Until every other run answered, or one more got inside (which the lock must prevent).
      await waitFor(
        async () => {
          mostInside = Math.max(mostInside, await runsInside());
          return othersDone || mostInside > 1;
        },
        { timeoutMs: 60_000, intervalMs: 50, what: 'the other retention runs to answer' },
      );
    } finally {
      await owner.query('COMMIT');
    }
    const [firstRun, ...otherRuns] = await Promise.all([first, ...others]);

    expect(mostInside).toBe(1);
    expect(firstRun).toMatchObject({ ran: true, droppedPartitions: [partitionName(utcDayStart(old))] });
    expect(otherRuns.map((run) => run.ran)).toEqual(Array(7).fill(false));
    // No server connection kept the lock (or any other advisory lock) once the runs ended.
    const { rows } = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(rows[0]?.n).toBe(0);
    // So every instance runs it in turn.
    for (const instance of instances)
      expect(await applyRetention(instance, { retentionDays: 90 })).toMatchObject({ ran: true });
  });

  it('stores the events published to Kafka with its DATABASE_URL pointing at PgBouncer', async () => {
    const dataset = buildIngestDataset({ total: 5_000, seed: 11 });
    const invalid = [...dataset.invalidByReason.values()].reduce((a, b) => a + b, 0);
    worker = await startIngestWorker({ ...bed.config, databaseUrl: throughBouncer }, { logger: quiet });
    await bed.publish(bed.topics.events.name, dataset.messages);
    await bed.caughtUp();

    await expectStoredExactly(bed, dataset.validIds);
    expect(await bed.topics.dlq.recordCount()).toBe(invalid);
    const metrics = await waitForMetrics(
      worker.opsUrl,
      (text) => metricSum(text, 'chronicle_ingest_events_total') === dataset.validIds.size,
      { timeoutMs: 10_000, what: 'the worker to count the stored events' },
    );
    expect(metricSum(metrics, 'chronicle_ingest_duplicates_total')).toBe(dataset.duplicates);
    // Its start-up retention run held the lock and finished through PgBouncer too.
    expect(metricSum(metrics, 'chronicle_retention_last_run_timestamp_seconds')).toBeGreaterThan(0);
    expect((await fetch(`${worker.opsUrl}/health/ready`)).status).toBe(200);
  });
});
