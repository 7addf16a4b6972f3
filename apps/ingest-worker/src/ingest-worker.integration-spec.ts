import {
  encodeBinary,
  encodeErasureRequest,
  getDefaultActivityCatalog,
  uuidv7,
  type ActivityEvent,
} from '@chronicle/contracts';
import { DLQ_HEADERS } from '@chronicle/kafka';
import { createLogger, lagCaughtUp } from '@chronicle/observability';
import { buildIngestDataset, CARD_ID, PHONE_ID, seededRandom, validEvent } from '../test/ingest-dataset';
import { waitForMetrics } from '@chronicle/stack';
import {
  createIngestTestBed,
  expectStoredExactly,
  metricSamples,
  metricSum,
  type IngestTestBed,
} from '../test/ingest-test-bed';
import { startIngestWorker, type IngestWorker } from './ingest-worker';

jest.setTimeout(300_000);

const quiet = createLogger('ingest-worker', () => undefined);
const header = (headers: Record<string, unknown> | undefined, name: string) => String(headers?.[name] ?? '');

describe('ingest worker (Kafka → Postgres)', () => {
  let bed: IngestTestBed;
  let worker: IngestWorker | undefined;

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await bed?.teardown();
  });

  it('stores exactly the distinct valid events of 200,000 (1% invalid, 5% twice) and dead-letters exactly the invalid ones', async () => {
    bed = await createIngestTestBed('ingest_exact');
    const dataset = buildIngestDataset({ total: 200_000, seed: 42 });
    const invalid = [...dataset.invalidByReason.values()].reduce((a, b) => a + b, 0);
    expect(invalid).toBe(2_000);
    expect(dataset.duplicates).toBeGreaterThan(9_000);

    worker = await startIngestWorker(bed.config, { logger: quiet });
    await bed.publish(bed.topics.events.name, dataset.messages);
    await bed.caughtUp();

    await expectStoredExactly(bed, dataset.validIds);

    expect(await bed.topics.dlq.recordCount()).toBe(invalid);
    const letters = await bed.topics.dlq.read(invalid);
    const byReason = new Map<string, number>();
    for (const { message } of letters) {
      const reason = header(message.headers, DLQ_HEADERS.reason);
      byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
      expect(header(message.headers, DLQ_HEADERS.sourceTopic)).toBe(bed.topics.events.name);
      expect(header(message.headers, DLQ_HEADERS.sourceOffset)).toMatch(/^\d+$/);
      expect(header(message.headers, DLQ_HEADERS.detail)).not.toBe('');
      const detail = header(message.headers, DLQ_HEADERS.detail);
      for (const personal of ['jane.doe@example.com', PHONE_ID, CARD_ID])
        expect(detail).not.toContain(personal);
    }
    expect(byReason).toEqual(dataset.invalidByReason);

    const health = await fetch(`${worker.opsUrl}/health/ready`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      details: { postgres: { ok: true }, kafka: { ok: true } },
    });
    expect((await fetch(`${worker.opsUrl}/health/live`)).status).toBe(200);
    // The lag is the broker's answer on the worker's timer: the first one after the group caught up.
    const topic = { topic: bed.topics.events.name };
    const metrics = await waitForMetrics(worker.opsUrl, (text) => lagCaughtUp(text, topic.topic, 12), {
      timeoutMs: 10_000,
      what: 'the measured lag of all 12 partitions to be 0',
    });
    expect(metricSum(metrics, 'chronicle_ingest_events_total')).toBe(dataset.validIds.size);
    expect(metricSum(metrics, 'chronicle_ingest_dead_letters_total')).toBe(invalid);
    expect(metricSum(metrics, 'chronicle_ingest_duplicates_total')).toBe(dataset.duplicates);
    expect(metricSamples(metrics, 'chronicle_kafka_consumer_lag_seconds', topic).map((s) => s.value)).toEqual(
      Array(12).fill(0),
    );
    expect(metrics).toMatch(/chronicle_ingest_write_duration_seconds_count\{[^}]*\} [1-9]\d*/);
    // One freshness observation per stored row, from each of the two clocks.
    for (const since of ['event_time', 'kafka_append'])
      expect(metricSum(metrics, 'chronicle_freshness_seconds_count', { store: 'postgres', since })).toBe(
        dataset.validIds.size,
      );
    // Each record's outcome once: stored (new or already there) or dead-lettered.
    expect(metricSum(metrics, 'chronicle_records_total', { outcome: 'stored' })).toBe(
      dataset.validIds.size + dataset.duplicates,
    );
    expect(metricSum(metrics, 'chronicle_records_total', { outcome: 'dead_lettered' })).toBe(invalid);
    expect(metricSum(metrics, 'chronicle_records_total', { outcome: 'dropped' })).toBe(0);
    expect(metricSum(metrics, 'chronicle_service_ready')).toBe(1);
    expect(metrics).toMatch(
      /^chronicle_build_info\{service="ingest-worker",version="[^"]+",revision="[^"]+"\} 1$/m,
    );
  });

  it('erases a user: their rows go but their audit records, a late event from before the request is dropped, a later one kept', async () => {
    bed = await createIngestTestBed('ingest_erasure');
    worker = await startIngestWorker(bed.config, { logger: quiet });
    const random = seededRandom(7);
    const now = Date.now();
    const before = (user: string, n: number) =>
      Array.from({ length: n }, (_, i) => validEvent(random, user, now - (i + 1) * 3_600_000));
    const gone = before('u_gone', 40);
    const kept = before('u_kept', 25);
    await bed.publish(bed.topics.events.name, [...gone, ...kept].map(encodeBinary));
    await bed.caughtUp();
    // The generated events include admin audit records of u_gone, which erasure keeps (erasureCovers).
    const audit = getDefaultActivityCatalog().auditTypes;
    const count = async (user: string, auditRecords = false) =>
      Number(
        (
          await bed.dataSource.query(
            `SELECT count(*) AS n FROM activity_events
              WHERE actor_id = $1 AND (activity_type = ANY($2::text[])) = $3`,
            [user, audit, auditRecords],
          )
        )[0].n,
      );
    const goneRows = await count('u_gone');
    const goneAudit = await count('u_gone', true);
    expect(goneRows).toBeGreaterThan(0);
    expect(goneAudit).toBeGreaterThan(0);
    const keptRows = await count('u_kept');

    const request = { requestId: uuidv7(), userId: 'u_gone', requestedAt: new Date(now).toISOString() };
    await bed.publish(bed.topics.erasure.name, [
      { key: 'u_gone', value: encodeErasureRequest(request), headers: {} },
    ]);
    const [status] = await bed.topics.erasureStatus.read(1);
    expect(JSON.parse(String(status?.message.value))).toMatchObject({
      requestId: request.requestId,
      store: 'postgres',
      status: 'completed',
      rowsDeleted: goneRows,
    });
    expect(String(status?.message.value)).not.toContain('u_gone');
    expect(await count('u_gone')).toBe(0);
    expect(await count('u_gone', true)).toBe(goneAudit);

    // The user's own activity (not an audit record), after the erasure.
    const userEvent = (atMs: number) => {
      const event = structuredClone(getDefaultActivityCatalog().get('app.viewed')?.example) as ActivityEvent;
      event.id = uuidv7();
      event.time = new Date(atMs).toISOString();
      event.data.actor = { type: 'user', id: 'u_gone' };
      return event;
    };
    const late = userEvent(now - 60_000);
    const after = userEvent(Date.now() + 1_000);
    await bed.publish(bed.topics.events.name, [late, after].map(encodeBinary));
    await bed.caughtUp();
    const remaining: { id: string }[] = await bed.dataSource.query(
      'SELECT id FROM activity_events WHERE actor_id = $1 AND activity_type <> ALL($2::text[])',
      ['u_gone', audit],
    );
    expect(remaining.map((r) => r.id)).toEqual([after.id]);
    expect(await count('u_kept')).toBe(keptRows);
    const [row] = await bed.dataSource.query('SELECT status FROM activity_erasures WHERE request_id = $1', [
      request.requestId,
    ]);
    expect(row.status).toBe('completed');
    const metrics = await (await fetch(`${worker.opsUrl}/metrics`)).text();
    expect(metricSum(metrics, 'chronicle_erasures_completed_total')).toBe(1);
    expect(metricSum(metrics, 'chronicle_erasures_pending')).toBe(0);
    expect(metricSum(metrics, 'chronicle_erasures_oldest_pending_seconds')).toBe(0);
    expect(metrics).toMatch(/chronicle_ingest_dropped_total\{[^}]*reason="erased"[^}]*\} 1/);
  });

  it('keeps 90 days: drops expired arrivals, and retention drops the partitions that age out', async () => {
    bed = await createIngestTestBed('ingest_retention');
    const realNow = Date.now();
    let now = realNow - 30 * 86_400_000;
    worker = await startIngestWorker(bed.config, { logger: quiet, clock: () => now });
    const random = seededRandom(3);
    // 120 days of events, one each day at 13:00 UTC (or just now), seen by a worker whose clock is 30 days back.
    const days = Array.from({ length: 120 }, (_, day) => {
      const oneOClock = Math.floor((now - day * 86_400_000) / 86_400_000) * 86_400_000 + 13 * 3_600_000;
      return validEvent(random, `u_${day}`, Math.min(oneOClock, now));
    });
    await bed.publish(bed.topics.events.name, days.map(encodeBinary));
    await bed.caughtUp();
    const storedAt = await partitions(bed);
    const fresh = days.filter((e) => Date.parse(e.time) >= now - 90 * 86_400_000).length;
    expect((await bed.stored()).rows).toBe(fresh);
    const ingestMetrics = await (await fetch(`${worker.opsUrl}/metrics`)).text();
    expect(ingestMetrics).toMatch(
      new RegExp(`chronicle_ingest_dropped_total\\{[^}]*reason="expired"[^}]*\\} ${120 - fresh}\n`),
    );

    now = realNow;
    const run = await worker.maintenance.runOnce();
    expect(run?.ran).toBe(true);
    const retentionRun = await (await fetch(`${worker.opsUrl}/metrics`)).text();
    expect(metricSum(retentionRun, 'chronicle_retention_last_run_timestamp_seconds')).toBeGreaterThanOrEqual(
      Math.floor(realNow / 1000),
    );
    const cutoffDay = Math.floor((realNow - 90 * 86_400_000) / 86_400_000) * 86_400_000;
    const after = await partitions(bed);
    expect(after.every((p) => p.day >= cutoffDay)).toBe(true);
    expect(run?.droppedPartitions.sort()).toEqual(
      storedAt
        .filter((p) => p.day < cutoffDay)
        .map((p) => p.name)
        .sort(),
    );
    const rows: { n: number }[] = await bed.dataSource.query(
      'SELECT count(*)::int AS n FROM activity_events WHERE occurred_at < $1',
      [new Date(cutoffDay)],
    );
    expect(rows[0]?.n).toBe(0);
    const stillThere = (await bed.stored()).rows;

    const again = await worker.maintenance.runOnce();
    expect(again?.droppedPartitions).toEqual([]);
    expect((await bed.stored()).rows).toBe(stillThere);
    expect(await partitions(bed)).toEqual(after);
  });
});

async function partitions(bed: IngestTestBed): Promise<{ name: string; day: number }[]> {
  const rows: { name: string }[] = await bed.dataSource.query(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'activity_events' ORDER BY 1`,
  );
  return rows.map(({ name }) => {
    const m = /p(\d{4})(\d{2})(\d{2})$/.exec(name) as RegExpExecArray;
    return { name, day: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) };
  });
}
