import {
  encodeBinary,
  encodeStructured,
  getDefaultActivityCatalog,
  uuidv7,
  type ActivityEvent,
  type EncodedKafkaMessage,
} from '@chronicle/contracts';
import { DLQ_HEADERS } from '@chronicle/kafka';
import { createLogger, lagCaughtUp, metricSum } from '@chronicle/observability';
import { waitForMetrics } from '@chronicle/stack';
import { createAnalyticsTestBed, type AnalyticsTestBed } from '../test/analytics-test-bed';
import { startAnalyticsWorker, type AnalyticsWorker } from './analytics-worker';

jest.setTimeout(300_000);

const example = getDefaultActivityCatalog().get('app.viewed')?.example as ActivityEvent;
const quiet = createLogger('analytics-worker', () => undefined);

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

describe('analytics worker: no record can stall a partition', () => {
  let bed: AnalyticsTestBed;
  let worker: AnalyticsWorker;

  beforeAll(async () => {
    bed = await createAnalyticsTestBed('analytics_poison');
    worker = await startAnalyticsWorker(bed.config, { logger: quiet, progressIntervalMs: 0 });
    // A store narrower than the contract (which allows 128 characters): entity ids of at most 40.
    await bed.client.command({
      query: 'ALTER TABLE {db:Identifier}.events ADD CONSTRAINT entity_id_fits CHECK length(entity_id) <= 40',
      query_params: { db: bed.config.database },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await bed?.teardown();
  });

  it('dead-letters a row ClickHouse refuses, inserts every other one once, and commits', async () => {
    const valid = Array.from({ length: 3_000 }, (_, i) => appViewed(`u_${i % 7}`, `app_${i % 50}`, i));
    const tooLong = appViewed('u_1', `app_${'x'.repeat(100)}`, 1_500);
    const messages: EncodedKafkaMessage[] = valid.map(encodeBinary);
    messages.splice(1_500, 0, encodeBinary(tooLong));
    await bed.publish(bed.topics.events.name, messages);
    await bed.caughtUp(120_000);

    expect(await bed.storedEvents()).toBe(3_000);
    expect(await bed.storedEvents('event_id = {id:UUID}', { id: tooLong.id })).toBe(0);
    const [letter] = await bed.topics.dlq.read(1);
    const headers = letter?.message.headers ?? {};
    expect(headers['ce_id']?.toString()).toBe(tooLong.id);
    expect(headers[DLQ_HEADERS.reason]?.toString()).toBe('store_rejected');
    expect(headers[DLQ_HEADERS.stage]?.toString()).toBe('clickhouse');
    expect(headers[DLQ_HEADERS.detail]?.toString()).toMatch(/^\[469\] Constraint/);
    expect(headers[DLQ_HEADERS.detail]?.toString()).not.toContain('xxxx');
    expect(await bed.topics.dlq.recordCount()).toBe(1);
    expect((await worker.health()).ok).toBe(true);

    // The lag is the broker's answer on the worker's timer: the first one after the group caught up.
    const topic = { topic: bed.topics.events.name };
    const metrics = await waitForMetrics(worker.opsUrl, (text) => lagCaughtUp(text, topic.topic, 12), {
      timeoutMs: 10_000,
      what: 'the measured lag of all 12 partitions to be 0',
    });
    expect(metricSum(metrics, 'chronicle_kafka_consumer_lag_seconds', topic)).toBe(0);
    expect(metricSum(metrics, 'chronicle_analytics_dead_letters_total', { reason: 'store_rejected' })).toBe(
      1,
    );
    expect(
      metricSum(metrics, 'chronicle_analytics_insert_failures_total', { failure: 'deterministic' }),
    ).toBeGreaterThan(0);
    expect(metricSum(metrics, 'chronicle_analytics_rows_inserted_total')).toBe(3_000);
    // One freshness observation per inserted row, from each of the two clocks.
    for (const since of ['event_time', 'kafka_append'])
      expect(metricSum(metrics, 'chronicle_freshness_seconds_count', { store: 'clickhouse', since })).toBe(
        3_000,
      );
    expect(metricSum(metrics, 'chronicle_records_total', { outcome: 'stored' })).toBe(3_000);
    expect(metricSum(metrics, 'chronicle_records_total', { outcome: 'dead_lettered' })).toBe(1);
    expect(metrics).toMatch(
      /^chronicle_build_info\{service="analytics-worker",version="[^"]+",revision="[^"]+"\} 1$/m,
    );
  });

  it('counts an event with an upper-case id once, however often and in whichever binding it comes again', async () => {
    const event = appViewed('u_upper', 'app_upper', 0);
    const upper: ActivityEvent = { ...event, id: event.id.toUpperCase() };
    await bed.publish(bed.topics.events.name, [encodeBinary(upper)]);
    await bed.caughtUp(60_000);
    await bed.publish(bed.topics.events.name, [encodeStructured(upper), encodeBinary(event)]);
    await bed.caughtUp(60_000);

    expect(await bed.storedEvents('event_id = {id:UUID}', { id: event.id })).toBe(1);
    // The rows that survive merging: one, because every copy has the same sorting key.
    const result = await bed.client.query({
      query: 'SELECT count() AS n FROM {db:Identifier}.events FINAL WHERE event_id = {id:UUID}',
      query_params: { db: bed.config.database, id: event.id },
      format: 'JSONEachRow',
    });
    const rows = await result.json<{ n: string | number }>();
    expect(rows.map((row) => Number(row.n))).toEqual([1]);
    expect(await bed.topics.dlq.recordCount()).toBe(1);
  });
});
