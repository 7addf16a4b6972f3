import {
  createPseudonymizer,
  encodeErasureRequest,
  getDefaultActivityCatalog,
  uuidv7,
  type ActivityEvent,
} from '@chronicle/contracts';
import { createLogger } from '@chronicle/observability';
import { waitFor } from '@chronicle/stack';
// The analytics library's own test dataset and independent computation (plain TypeScript).
import { generateSyntheticActivity, ReferenceAnalytics, userId } from '@chronicle/analytics/testing';
import {
  createAnalyticsTestBed,
  TEST_PSEUDONYM_SECRET,
  type AnalyticsTestBed,
} from '../test/analytics-test-bed';
import { startAnalyticsWorker, type AnalyticsWorker } from './analytics-worker';

jest.setTimeout(900_000);

// About 60 days, 20,000 users, 1,000,000 events (ANALYTICS_TEST_USERS scales it down for a quick run).
const USERS = Number(process.env['ANALYTICS_TEST_USERS'] ?? 20_000);
const FIRST_DAY = '2026-08-01';
const LAST_DAY = '2026-09-29';
const catalog = getDefaultActivityCatalog();
const pseudonymize = createPseudonymizer(TEST_PSEUDONYM_SECRET);
const quiet = createLogger('analytics-worker', () => undefined);

describe('analytics worker (Kafka → ClickHouse), figures against an independent computation', () => {
  let bed: AnalyticsTestBed;
  let worker: AnalyticsWorker;
  let events: ActivityEvent[];
  let reference: ReferenceAnalytics;

  beforeAll(async () => {
    events = generateSyntheticActivity(20261122, { users: USERS, apps: 500, days: 60, firstDay: FIRST_DAY });
    reference = new ReferenceAnalytics(events, pseudonymize);
    bed = await createAnalyticsTestBed('analytics_worker');
    worker = await startAnalyticsWorker(bed.config, { logger: quiet });
    await bed.publishEvents(events);
    await bed.caughtUp();
  });

  afterAll(async () => {
    await worker?.stop();
    await bed?.teardown();
  });

  /** The figures the issue names, each compared with the reference. */
  async function expectFiguresExact(): Promise<void> {
    const { queries } = bed;
    expect(await queries.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY })).toEqual(
      reference.activeUsersSeries(FIRST_DAY, LAST_DAY, 1),
    );
    expect(await queries.activeUsersSeries({ from: FIRST_DAY, to: LAST_DAY, windowDays: 7 })).toEqual(
      reference.activeUsersSeries(FIRST_DAY, LAST_DAY, 7),
    );
    expect(await queries.monthlyActiveUsers({ day: LAST_DAY })).toBe(reference.activeUsers(LAST_DAY, 30));
    expect(await queries.retentionRates({ from: FIRST_DAY, to: LAST_DAY, days: [1, 7] })).toEqual(
      reference.retentionRates(FIRST_DAY, LAST_DAY, [1, 7]),
    );
    expect(await queries.cohortRetention({ from: FIRST_DAY, to: LAST_DAY, periods: 30 })).toEqual(
      reference.cohortRetention(FIRST_DAY, LAST_DAY, 30, 'day'),
    );
    expect(
      await queries.topEntities({
        from: FIRST_DAY,
        to: LAST_DAY,
        entityType: 'app',
        limit: 10,
        types: 'app.viewed',
      }),
    ).toEqual(reference.topEntities(FIRST_DAY, LAST_DAY, 'app', 10, catalog.filterPredicate('app.viewed')));
  }

  it('stores every event once and computes DAU, WAU, MAU, D1/D7, the cohort matrix and the top 10 apps exactly', async () => {
    expect(events.length).toBeGreaterThan(USERS * 40);
    expect(await bed.storedEvents()).toBe(events.length);
    await expectFiguresExact();
    const metrics = await (await fetch(`${worker.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/chronicle_analytics_insert_duration_seconds_count\{[^}]*\} [1-9]/);
    expect((await fetch(`${worker.opsUrl}/health`)).status).toBe(200);
  });

  it('changes no figure when the same events are delivered again', async () => {
    await bed.publishEvents(events.slice(0, 200_000));
    await bed.caughtUp();
    expect(await bed.storedEvents()).toBe(events.length);
    await expectFiguresExact();
  });

  it('erases a user: gone from the events and the rankings, and a late event of theirs is left out', async () => {
    const user = userId(7);
    const key = pseudonymize('user', user);
    expect(await bed.storedEvents('actor_key = {key:String}', { key })).toBeGreaterThan(0);
    const request = { requestId: uuidv7(), userId: user, requestedAt: new Date().toISOString() };
    await bed.publish(bed.topics.erasure.name, [
      { key: user, value: encodeErasureRequest(request), headers: {} },
    ]);
    const statuses = await bed.topics.erasureStatus.read(1, 60_000);
    expect(JSON.parse(String(statuses[0]?.message.value))).toMatchObject({
      requestId: request.requestId,
      store: 'clickhouse',
      status: 'completed',
    });
    expect(await bed.storedEvents('actor_key = {key:String}', { key })).toBe(0);
    const active = await bed.queries.mostActiveUsers({ from: FIRST_DAY, to: LAST_DAY, limit: 1_000 });
    expect(active.map((row) => row.actorKey)).not.toContain(key);

    const late = events.find((e) => e.data.actor.id === user) as ActivityEvent;
    await bed.publishEvents([{ ...late, id: uuidv7() }]);
    await bed.caughtUp();
    expect(await bed.storedEvents('actor_key = {key:String}', { key })).toBe(0);
    await waitFor(
      async () =>
        /chronicle_analytics_skipped_total\{[^}]*reason="erased"[^}]*\} 1/.test(
          await (await fetch(`${worker.opsUrl}/metrics`)).text(),
        ),
      { timeoutMs: 10_000, what: 'the late event counted as erased' },
    );
  });
});
