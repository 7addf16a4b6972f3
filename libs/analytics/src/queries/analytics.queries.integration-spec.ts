import { createPseudonymizer, getDefaultActivityCatalog, type ActivityEvent } from '@chronicle/contracts';
import { stackEnvironmentFromEnv } from '@chronicle/stack';
import { toAnalyticsRow } from '../rows/analytics-row.mapper';
import { ReferenceAnalytics } from '../testing/reference-analytics.model';
import { generateSyntheticActivity } from '../testing/synthetic-activity.generator';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.fixture';
import { AnalyticsQueries } from './analytics.queries';

jest.setTimeout(120_000);

const { clickhouseUrl } = stackEnvironmentFromEnv();
const catalog = getDefaultActivityCatalog();
const pseudonymize = createPseudonymizer('integration-test-secret-of-32-bytes!');

// 60 days, 2,000 users, about 100,000 events. Fixed days far from "now", so retention is set long
// enough that the TTL never removes them.
const FIRST_DAY = '2026-08-01';
const LAST_DAY = '2026-09-29';
const events = generateSyntheticActivity(20261122, {
  users: 2_000,
  apps: 200,
  days: 60,
  firstDay: FIRST_DAY,
});
const reference = new ReferenceAnalytics(events, pseudonymize);
const only = (filter: string | string[]) => catalog.filterPredicate(filter);

/** Inserts the events in batches of `size`; with `twice`, each batch is delivered again at once. */
async function deliver(db: TestDatabase, batch: readonly ActivityEvent[], size: number, twice: boolean) {
  for (let start = 0; start < batch.length; start += size) {
    const slice = batch.slice(start, start + size);
    const rows = slice.map((event) => toAnalyticsRow(event, catalog, pseudonymize, Date.now()));
    for (let copy = 0; copy < (twice ? 2 : 1); copy++)
      await db.client.insert({ table: `${db.database}.events`, values: rows, format: 'JSONEachRow' });
  }
}

describe('AnalyticsQueries against ClickHouse, with every batch delivered more than once', () => {
  let db: TestDatabase;
  let queries: AnalyticsQueries;

  beforeAll(async () => {
    db = await createTestDatabase(clickhouseUrl, { retentionDays: 3650 });
    queries = new AnalyticsQueries(db.client, {
      database: db.database,
      catalog,
      resolvePseudonyms: reference.resolvePseudonyms,
    });
    // Each batch twice in a row (a retried insert), then everything again cut differently (a replay
    // after a consumer-group rebalance).
    await deliver(db, events, 10_000, true);
    await deliver(db, events, 7_000, false);
  });
  afterAll(() => db?.drop());

  it('holds about 100,000 distinct events, each once after deduplication', async () => {
    expect(events.length).toBeGreaterThan(90_000);
    const result = await db.client.query({
      query: 'SELECT count() AS n FROM {db:Identifier}.events FINAL',
      query_params: { db: db.database },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ n: string | number }>();
    expect(Number(row?.n)).toBe(events.length);
  });

  it('counts DAU exactly for every day, for all types and for filters', async () => {
    const series = await queries.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY });
    expect(series).toHaveLength(60);
    expect(series).toEqual(reference.activeUsersSeries(FIRST_DAY, LAST_DAY, 1));
    expect(
      await queries.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY, types: 'download.*' }),
    ).toEqual(reference.activeUsersSeries(FIRST_DAY, LAST_DAY, 1, only('download.*')));
    const viewsOrSearches = ['app.viewed', 'search.performed'];
    expect(
      await queries.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY, types: viewsOrSearches }),
    ).toEqual(reference.activeUsersSeries(FIRST_DAY, LAST_DAY, 1, only(viewsOrSearches)));
    expect(await queries.dailyActiveUsers({ day: '2026-09-01' })).toBe(
      reference.activeUsers('2026-09-01', 1),
    );
  });

  it('counts zero users on days without activity around the data', async () => {
    const series = await queries.dailyActiveUsersSeries({ from: '2026-07-30', to: '2026-08-01' });
    expect(series.map(({ users }) => users)).toEqual([0, 0, reference.activeUsers(FIRST_DAY, 1)]);
  });

  it('counts WAU and MAU exactly, as rolling series and for one day', async () => {
    for (const windowDays of [7, 30]) {
      expect(await queries.activeUsersSeries({ from: FIRST_DAY, to: LAST_DAY, windowDays })).toEqual(
        reference.activeUsersSeries(FIRST_DAY, LAST_DAY, windowDays),
      );
    }
    // A window that starts before `from` still counts the days before it.
    expect(
      await queries.activeUsersSeries({
        from: '2026-09-10',
        to: '2026-09-20',
        windowDays: 30,
        types: 'app.*',
      }),
    ).toEqual(reference.activeUsersSeries('2026-09-10', '2026-09-20', 30, only('app.*')));
    expect(await queries.weeklyActiveUsers({ day: LAST_DAY })).toBe(reference.activeUsers(LAST_DAY, 7));
    expect(await queries.monthlyActiveUsers({ day: LAST_DAY })).toBe(reference.activeUsers(LAST_DAY, 30));
    expect(await queries.monthlyActiveUsers({ day: LAST_DAY, types: 'review.submitted' })).toBe(
      reference.activeUsers(LAST_DAY, 30, only('review.submitted')),
    );
  });

  it('computes stickiness (DAU / MAU) for every day', async () => {
    expect(await queries.stickiness({ from: FIRST_DAY, to: LAST_DAY })).toEqual(
      reference.stickiness(FIRST_DAY, LAST_DAY),
    );
  });

  it('builds the daily and weekly cohort retention matrices', async () => {
    expect(await queries.cohortRetention({ from: FIRST_DAY, to: LAST_DAY, periods: 31 })).toEqual(
      reference.cohortRetention(FIRST_DAY, LAST_DAY, 31, 'day'),
    );
    expect(
      await queries.cohortRetention({
        from: '2026-08-10',
        to: '2026-09-20',
        periods: 14,
        types: 'app.viewed',
      }),
    ).toEqual(reference.cohortRetention('2026-08-10', '2026-09-20', 14, 'day', only('app.viewed')));
    const weekly = await queries.cohortRetention({
      from: '2026-08-05',
      to: LAST_DAY,
      periods: 8,
      granularity: 'week',
    });
    expect(weekly[0]?.cohort).toBe('2026-08-03');
    expect(weekly).toEqual(reference.cohortRetention('2026-08-05', LAST_DAY, 8, 'week'));
  });

  it('computes D1, D7 and D30 retention over the cohorts old enough', async () => {
    const rates = await queries.retentionRates({ from: FIRST_DAY, to: LAST_DAY });
    expect(rates).toEqual(reference.retentionRates(FIRST_DAY, LAST_DAY, [1, 7, 30]));
    expect(rates.map(({ cohorts }) => cohorts)).toEqual([59, 53, 30]);
    expect(
      await queries.retentionRates({ from: '2026-09-01', to: LAST_DAY, days: [1, 30], types: 'download.*' }),
    ).toEqual(reference.retentionRates('2026-09-01', LAST_DAY, [1, 30], only('download.*')));
  });

  it('ranks the most viewed apps, and apps by all their events', async () => {
    const mostViewed = await queries.topEntities({
      from: FIRST_DAY,
      to: LAST_DAY,
      entityType: 'app',
      types: 'app.viewed',
    });
    expect(mostViewed).toHaveLength(10);
    expect(mostViewed).toEqual(reference.topEntities(FIRST_DAY, LAST_DAY, 'app', 10, only('app.viewed')));
    expect(
      await queries.topEntities({ from: '2026-09-01', to: '2026-09-07', entityType: 'app', limit: 25 }),
    ).toEqual(reference.topEntities('2026-09-01', '2026-09-07', 'app', 25));
    expect(
      await queries.topEntities({ from: FIRST_DAY, to: LAST_DAY, entityType: 'media_item', limit: 5 }),
    ).toEqual(reference.topEntities(FIRST_DAY, LAST_DAY, 'media_item', 5));
  });

  it('ranks apps by their distinct users when asked, and that order differs from by events', async () => {
    const byUsers = await queries.topEntities({
      from: FIRST_DAY,
      to: LAST_DAY,
      entityType: 'app',
      limit: 25,
      rank: 'users',
    });
    expect(byUsers).toEqual(reference.topEntities(FIRST_DAY, LAST_DAY, 'app', 25, () => true, 'users'));
    for (const [i, row] of byUsers.entries())
      if (i > 0) expect(row.users).toBeLessThanOrEqual((byUsers[i - 1] as { users: number }).users);
    const byEvents = await queries.topEntities({
      from: FIRST_DAY,
      to: LAST_DAY,
      entityType: 'app',
      limit: 25,
    });
    expect(byUsers.map((row) => row.entityId)).not.toEqual(byEvents.map((row) => row.entityId));
  });

  it('lists the most active users by actor id', async () => {
    const top = await queries.mostActiveUsers({ from: FIRST_DAY, to: LAST_DAY });
    expect(top).toHaveLength(10);
    expect(top).toEqual(reference.mostActiveUsers(FIRST_DAY, LAST_DAY, 10));
    expect(
      await queries.mostActiveUsers({
        from: '2026-09-20',
        to: LAST_DAY,
        limit: 50,
        types: 'search.performed',
      }),
    ).toEqual(reference.mostActiveUsers('2026-09-20', LAST_DAY, 50, only('search.performed')));
  });

  it('counts the activity mix per type per day, of every actor type', async () => {
    expect(await queries.activityMix({ from: FIRST_DAY, to: LAST_DAY })).toEqual(
      reference.activityMix(FIRST_DAY, LAST_DAY),
    );
    expect(await queries.activityMix({ from: '2026-09-01', to: '2026-09-03', types: 'job.*' })).toEqual(
      reference.activityMix('2026-09-01', '2026-09-03', only('job.*')),
    );
  });
});
