import {
  encodeBinary,
  encodeStructured,
  getDefaultActivityCatalog,
  uuidv7,
  type ActivityEvent,
  type EncodedKafkaMessage,
} from '@chronicle/contracts';
import { DLQ_HEADERS } from '@chronicle/kafka';
import { createLogger } from '@chronicle/observability';
import { waitFor } from '@chronicle/stack';
import { Client } from 'pg';
import { createIngestTestBed, metricSum, type IngestTestBed } from '../test/ingest-test-bed';
import { startIngestWorker, type IngestWorker } from './ingest-worker';

jest.setTimeout(240_000);

/*
 * Records that fail the same way every time must leave their partition: stored, dead-lettered with a
 * reason, or dropped and counted, and the offsets committed. Each test ends with every other record of
 * the batch stored exactly once and the group caught up.
 */

const example = getDefaultActivityCatalog().get('app.viewed')?.example as ActivityEvent;

/** An app.viewed by `actorId` (which picks the partition) of `entityId`, `ageMs` ago. */
function appViewed(actorId: string, entityId: string, ageMs: number): ActivityEvent {
  return {
    ...example,
    id: uuidv7(),
    time: new Date(Date.now() - ageMs).toISOString(),
    subject: `app/${entityId}`,
    data: { ...example.data, actor: { type: 'user', id: actorId }, entity: { type: 'app', id: entityId } },
  };
}

/** `count` valid events of a few actors, so that each partition gets a batch of many. */
function validEvents(count: number, firstAgeMs = 0): ActivityEvent[] {
  return Array.from({ length: count }, (_, i) => appViewed(`u_${i % 7}`, `app_${i % 50}`, firstAgeMs + i));
}

describe('ingest worker: no record can stall a partition', () => {
  let bed: IngestTestBed | undefined;
  let worker: IngestWorker | undefined;
  const logLines: string[] = [];
  const logger = createLogger('ingest-worker', (_level, line) => logLines.push(line));

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await bed?.teardown();
    bed = undefined;
    logLines.length = 0;
  });

  async function storedIds(current: IngestTestBed): Promise<string[]> {
    const rows: { id: string }[] = await current.dataSource.query(
      'SELECT id FROM activity_events ORDER BY id',
    );
    return rows.map((r) => r.id);
  }

  it('stores an event with an upper-case id once, however often and in whichever binding it comes again', async () => {
    const current = (bed = await createIngestTestBed('ingest_upper_id'));
    worker = await startIngestWorker(current.config, { logger, progressIntervalMs: 0 });
    const first = validEvents(500);
    const later = validEvents(500, 10_000);
    const lower = appViewed('u_3', 'app_upper', 5_000);
    const upper: ActivityEvent = { ...lower, id: lower.id.toUpperCase() };
    // The same instant written with an offset and more fraction digits: the same event.
    const millis = lower.time.slice(20, 23);
    const offsetTime = new Date(Date.parse(lower.time) + 2 * 3_600_000).toISOString().slice(0, 19);
    const respelled: ActivityEvent = { ...upper, time: `${offsetTime}.${millis}999+02:00` };

    await current.publish(current.topics.events.name, [...first.map(encodeBinary), encodeBinary(upper)]);
    await current.caughtUp();
    // Delivered again in later batches: once structured, once binary, once in lower case.
    await current.publish(current.topics.events.name, [
      encodeStructured(respelled),
      ...later.map(encodeBinary),
      encodeBinary(upper),
      encodeBinary(lower),
    ]);
    await current.caughtUp(60_000);

    const expected = [...first, ...later, lower].map((e) => e.id).sort();
    expect(await storedIds(current)).toEqual(expected);
    const metrics = await (await fetch(`${worker.opsUrl}/metrics`)).text();
    expect(metricSum(metrics, 'chronicle_ingest_duplicates_total')).toBe(3);
    expect(metricSum(metrics, 'chronicle_ingest_dead_letters_total')).toBe(0);
    expect((await worker.health()).ok).toBe(true);
  });

  it('dead-letters the records Postgres refuses for length or encoding, and stores every other one once', async () => {
    // A store narrower than the contract: LATIN1 cannot hold "Ω", and entity ids are cut to 40 characters.
    const current = (bed = await createIngestTestBed('ingest_refused', { databaseEncoding: 'LATIN1' }));
    await current.dataSource.query('ALTER TABLE activity_events ALTER COLUMN entity_id TYPE varchar(40)');
    worker = await startIngestWorker(current.config, { logger, progressIntervalMs: 0 });
    const valid = validEvents(3_000);
    const tooLong = appViewed('u_1', `app_${'x'.repeat(100)}`, 1_500);
    const unencodable = appViewed('u_1', 'app_Ω', 1_600);
    const messages: EncodedKafkaMessage[] = valid.map(encodeBinary);
    // In the middle of one actor's records, so in the middle of a batch.
    messages.splice(1_500, 0, encodeBinary(tooLong));
    messages.splice(2_200, 0, encodeStructured(unencodable));
    await current.publish(current.topics.events.name, messages);
    await current.caughtUp(120_000);

    expect(await storedIds(current)).toEqual(valid.map((e) => e.id).sort());
    const letters = await current.topics.dlq.read(2);
    const byId = new Map(
      letters.map(({ message }) => [
        (message.headers?.['ce_id'] ?? JSON.parse(String(message.value)).id).toString(),
        message.headers ?? {},
      ]),
    );
    expect([...byId.keys()].sort()).toEqual([tooLong.id, unencodable.id].sort());
    for (const headers of byId.values()) {
      expect(headers[DLQ_HEADERS.reason]?.toString()).toBe('store_rejected');
      expect(headers[DLQ_HEADERS.stage]?.toString()).toBe('postgres');
    }
    expect(byId.get(tooLong.id)?.[DLQ_HEADERS.detail]?.toString()).toMatch(/^\[22001\] value too long/);
    expect(byId.get(unencodable.id)?.[DLQ_HEADERS.detail]?.toString()).toMatch(/^\[22P05\] /);
    // The reason names the problem, not the value.
    for (const headers of byId.values())
      expect(headers[DLQ_HEADERS.detail]?.toString()).not.toMatch(/xxxx|Ω/);
    const metrics = await (await fetch(`${worker.opsUrl}/metrics`)).text();
    expect(metricSum(metrics, 'chronicle_ingest_dead_letters_total')).toBe(2);
    expect(metricSum(metrics, 'chronicle_ingest_events_total')).toBe(3_000);
    expect((await worker.health()).ok).toBe(true);
  });

  it('reports a partition that cannot commit as not ready, naming it, and recovers when the store does', async () => {
    const current = (bed = await createIngestTestBed('ingest_stall'));
    worker = await startIngestWorker(
      { ...current.config, stallAfterMs: 2_000 },
      { logger, progressIntervalMs: 0 },
    );
    const running = worker;
    // Another session holds the table: the worker's write waits, neither failing nor committing.
    const blocker = new Client({ connectionString: current.database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE activity_events IN ACCESS EXCLUSIVE MODE');
      const events = validEvents(200).map((e) => appViewed('u_stalled', e.data.entity?.id ?? 'app_0', 0));
      await current.publish(current.topics.events.name, events.map(encodeBinary));

      await waitFor(async () => !(await running.health()).ok, { timeoutMs: 30_000, what: 'not ready' });
      // What an operator or a probe sees.
      const response = await fetch(`${running.opsUrl}/health`);
      expect(response.status).toBe(503);
      const report = (await response.json()) as {
        details: { consumers: Record<string, { stalled: { partition: number; forMs: number }[] }> };
      };
      const stalled = report.details.consumers[current.topics.events.name]?.stalled ?? [];
      expect(stalled).toHaveLength(1);
      expect(stalled[0]?.forMs).toBeGreaterThanOrEqual(2_000);
      await waitFor(() => logLines.some((line) => line.includes('partition stalled')), {
        timeoutMs: 10_000,
        what: 'the stall to be logged',
      });
      const logged = logLines.find((line) => line.includes('partition stalled')) as string;
      expect(JSON.parse(logged)).toMatchObject({ level: 'error', partition: stalled[0]?.partition });
      expect(logged).not.toContain('u_stalled');
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    await current.caughtUp(60_000);
    await waitFor(async () => (await running.health()).ok, { timeoutMs: 30_000, what: 'ready again' });
    expect((await storedIds(current)).length).toBe(200);
  });
});
