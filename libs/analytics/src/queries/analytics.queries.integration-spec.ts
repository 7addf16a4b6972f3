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
const only = (filter: string | string[]) => catalog.filterPredicate(filter);

/*
 * Every figure in four zones: UTC (the stored aggregates), Etc/GMT (UTC's days, but computed from the
 * raw events, so both sources are held to one reference), Pacific/Auckland (UTC+12, and +13 from
 * 27 September 2026: a DST change inside the range) and Asia/Kolkata (UTC+5:30).
 */
const ZONES = ['UTC', 'Etc/GMT', 'Pacific/Auckland', 'Asia/Kolkata'] as const;
const references = new Map(
  ZONES.map((tz) => [tz, new ReferenceAnalytics(events, pseudonymize, { timeZone: tz })] as const),
);
const reference = references.get('UTC') as ReferenceAnalytics;
const MODES = ['calendar', 'rolling', 'unbounded'] as const;

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

  /** Each zone with its reference. */
  const eachZone = (test: (tz: string, model: ReferenceAnalytics) => Promise<void>) => async () => {
    for (const tz of ZONES) await test(tz, references.get(tz) as ReferenceAnalytics);
  };

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

  it('gives other days in other zones: the reference models themselves differ', () => {
    const utc = reference.activeUsersSeries(FIRST_DAY, LAST_DAY, 1);
    expect(references.get('Etc/GMT')?.activeUsersSeries(FIRST_DAY, LAST_DAY, 1)).toEqual(utc);
    expect(references.get('Pacific/Auckland')?.activeUsersSeries(FIRST_DAY, LAST_DAY, 1)).not.toEqual(utc);
    expect(references.get('Asia/Kolkata')?.activeUsersSeries(FIRST_DAY, LAST_DAY, 1)).not.toEqual(utc);
  });

  it(
    'counts DAU exactly for every day, for all types and for filters',
    eachZone(async (tz, model) => {
      const series = await queries.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY, tz });
      expect(series).toHaveLength(60);
      expect(series).toEqual(model.activeUsersSeries(FIRST_DAY, LAST_DAY, 1));
      expect(
        await queries.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY, types: 'download.*', tz }),
      ).toEqual(model.activeUsersSeries(FIRST_DAY, LAST_DAY, 1, only('download.*')));
      const viewsOrSearches = ['app.viewed', 'search.performed'];
      expect(
        await queries.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY, types: viewsOrSearches, tz }),
      ).toEqual(model.activeUsersSeries(FIRST_DAY, LAST_DAY, 1, only(viewsOrSearches)));
      expect(await queries.dailyActiveUsers({ day: '2026-09-27', tz })).toBe(
        model.activeUsers('2026-09-27', 1),
      );
    }),
  );

  it(
    'counts zero users on days without activity around the data',
    eachZone(async (tz, model) => {
      const series = await queries.dailyActiveUsersSeries({ from: '2026-07-29', to: '2026-08-01', tz });
      expect(series.map(({ users }) => users)).toEqual(
        model.activeUsersSeries('2026-07-29', '2026-08-01', 1).map(({ users }) => users),
      );
      expect(series[0]?.users).toBe(0);
    }),
  );

  it(
    'counts WAU and MAU exactly, as rolling series and for one day',
    eachZone(async (tz, model) => {
      for (const windowDays of [7, 30]) {
        expect(await queries.activeUsersSeries({ from: FIRST_DAY, to: LAST_DAY, windowDays, tz })).toEqual(
          model.activeUsersSeries(FIRST_DAY, LAST_DAY, windowDays),
        );
      }
      // A window that starts before `from` still counts the days before it.
      expect(
        await queries.activeUsersSeries({
          from: '2026-09-10',
          to: '2026-09-20',
          windowDays: 30,
          types: 'app.*',
          tz,
        }),
      ).toEqual(model.activeUsersSeries('2026-09-10', '2026-09-20', 30, only('app.*')));
      expect(await queries.weeklyActiveUsers({ day: LAST_DAY, tz })).toBe(model.activeUsers(LAST_DAY, 7));
      expect(await queries.monthlyActiveUsers({ day: LAST_DAY, types: 'review.submitted', tz })).toBe(
        model.activeUsers(LAST_DAY, 30, only('review.submitted')),
      );
    }),
  );

  it(
    'computes stickiness (DAU / MAU) for every day',
    eachZone(async (tz, model) => {
      expect(await queries.stickiness({ from: FIRST_DAY, to: LAST_DAY, tz })).toEqual(
        model.stickiness(FIRST_DAY, LAST_DAY),
      );
    }),
  );

  it(
    'builds the daily and weekly cohort retention matrices in every mode',
    eachZone(async (tz, model) => {
      for (const mode of MODES) {
        expect(
          await queries.cohortRetention({ from: FIRST_DAY, to: LAST_DAY, periods: 31, tz, mode }),
        ).toEqual(model.cohortRetention(FIRST_DAY, LAST_DAY, 31, 'day', undefined, { mode }));
        expect(
          await queries.cohortRetention({
            from: '2026-08-10',
            to: '2026-09-20',
            periods: 14,
            types: 'app.viewed',
            tz,
            mode,
          }),
        ).toEqual(model.cohortRetention('2026-08-10', '2026-09-20', 14, 'day', only('app.viewed'), { mode }));
        const weekly = await queries.cohortRetention({
          from: '2026-08-05',
          to: LAST_DAY,
          periods: 8,
          granularity: 'week',
          tz,
          mode,
        });
        expect(weekly[0]?.cohort).toBe('2026-08-03');
        expect(weekly).toEqual(model.cohortRetention('2026-08-05', LAST_DAY, 8, 'week', undefined, { mode }));
      }
    }),
  );

  it(
    'takes cohorts from the first event of a chosen type',
    eachZone(async (tz, model) => {
      for (const mode of MODES) {
        expect(
          await queries.cohortRetention({
            from: FIRST_DAY,
            to: LAST_DAY,
            periods: 15,
            cohortTypes: 'download.*',
            tz,
            mode,
          }),
        ).toEqual(
          model.cohortRetention(FIRST_DAY, LAST_DAY, 15, 'day', undefined, {
            mode,
            cohortTypes: only('download.*'),
          }),
        );
      }
      const firstDownloads = await queries.retentionRates({
        from: FIRST_DAY,
        to: LAST_DAY,
        cohortTypes: 'download.completed',
        types: 'download.*',
        tz,
      });
      expect(firstDownloads).toEqual(
        model.retentionRates(FIRST_DAY, LAST_DAY, [1, 7, 30], only('download.*'), {
          cohortTypes: only('download.completed'),
        }),
      );
    }),
  );

  it(
    'computes D1, D7 and D30 retention over the cohorts old enough, in every mode',
    eachZone(async (tz, model) => {
      for (const mode of MODES) {
        expect(await queries.retentionRates({ from: FIRST_DAY, to: LAST_DAY, tz, mode })).toEqual(
          model.retentionRates(FIRST_DAY, LAST_DAY, [1, 7, 30], undefined, { mode }),
        );
        expect(
          await queries.retentionRates({
            from: '2026-09-01',
            to: LAST_DAY,
            days: [1, 30],
            types: 'download.*',
            tz,
            mode,
          }),
        ).toEqual(model.retentionRates('2026-09-01', LAST_DAY, [1, 30], only('download.*'), { mode }));
      }
    }),
  );

  it('tells the modes apart: unbounded ≥ calendar, and rolling differs from calendar', async () => {
    const rates = Object.fromEntries(
      await Promise.all(
        MODES.map(
          async (mode) =>
            [mode, await queries.retentionRates({ from: FIRST_DAY, to: LAST_DAY, mode })] as const,
        ),
      ),
    );
    expect(rates['calendar']?.map(({ cohorts }) => cohorts)).toEqual([59, 53, 30]);
    for (const [index, calendar] of (rates['calendar'] ?? []).entries()) {
      expect(rates['unbounded']?.[index]?.retainedUsers).toBeGreaterThan(calendar.retainedUsers);
      expect(rates['rolling']?.[index]?.retainedUsers).not.toBe(calendar.retainedUsers);
    }
  });

  it(
    'ranks the most viewed apps, and apps by all their events or by their users',
    eachZone(async (tz, model) => {
      const mostViewed = await queries.topEntities({
        from: FIRST_DAY,
        to: LAST_DAY,
        entityType: 'app',
        types: 'app.viewed',
        tz,
      });
      expect(mostViewed).toHaveLength(10);
      expect(mostViewed).toEqual(model.topEntities(FIRST_DAY, LAST_DAY, 'app', 10, only('app.viewed')));
      expect(
        await queries.topEntities({ from: '2026-09-01', to: '2026-09-07', entityType: 'app', limit: 25, tz }),
      ).toEqual(model.topEntities('2026-09-01', '2026-09-07', 'app', 25));
      expect(
        await queries.topEntities({ from: FIRST_DAY, to: LAST_DAY, entityType: 'media_item', limit: 5, tz }),
      ).toEqual(model.topEntities(FIRST_DAY, LAST_DAY, 'media_item', 5));
      expect(
        await queries.topEntities({
          from: '2026-09-20',
          to: LAST_DAY,
          entityType: 'app',
          limit: 25,
          rank: 'users',
          tz,
        }),
      ).toEqual(model.topEntities('2026-09-20', LAST_DAY, 'app', 25, () => true, 'users'));
    }),
  );

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

  it(
    'lists the most active users by actor id',
    eachZone(async (tz, model) => {
      const top = await queries.mostActiveUsers({ from: FIRST_DAY, to: LAST_DAY, tz });
      expect(top).toHaveLength(10);
      expect(top).toEqual(model.mostActiveUsers(FIRST_DAY, LAST_DAY, 10));
      expect(
        await queries.mostActiveUsers({
          from: '2026-09-20',
          to: LAST_DAY,
          limit: 50,
          types: 'search.performed',
          tz,
        }),
      ).toEqual(model.mostActiveUsers('2026-09-20', LAST_DAY, 50, only('search.performed')));
    }),
  );

  it(
    'counts the activity mix per type per day, of every actor type',
    eachZone(async (tz, model) => {
      expect(await queries.activityMix({ from: FIRST_DAY, to: LAST_DAY, tz })).toEqual(
        model.activityMix(FIRST_DAY, LAST_DAY),
      );
      expect(await queries.activityMix({ from: '2026-09-01', to: '2026-09-03', types: 'job.*', tz })).toEqual(
        model.activityMix('2026-09-01', '2026-09-03', only('job.*')),
      );
    }),
  );

  it('marks the periods that are not over yet, as of a "now" inside the data', async () => {
    // Evening of 15 September in UTC: already the 16th in Auckland.
    const now = Date.parse('2026-09-15T20:00:00Z');
    for (const tz of ['UTC', 'Pacific/Auckland']) {
      const model = new ReferenceAnalytics(events, pseudonymize, { timeZone: tz, now });
      const atNow = new AnalyticsQueries(db.client, {
        database: db.database,
        catalog,
        resolvePseudonyms: model.resolvePseudonyms,
        timeZone: tz,
        now: () => now,
      });
      const dau = await atNow.dailyActiveUsersSeries({ from: '2026-09-10', to: '2026-09-20' });
      expect(dau).toEqual(model.activeUsersSeries('2026-09-10', '2026-09-20', 1));
      expect(
        dau
          .filter(({ complete }) => complete)
          .map(({ day }) => day)
          .at(-1),
      ).toBe(tz === 'UTC' ? '2026-09-14' : '2026-09-15');
      for (const mode of MODES) {
        const matrix = await atNow.cohortRetention({
          from: '2026-09-01',
          to: '2026-09-20',
          periods: 10,
          mode,
        });
        expect(matrix).toEqual(
          model.cohortRetention('2026-09-01', '2026-09-20', 10, 'day', undefined, { mode }),
        );
        expect(matrix.some(({ complete }) => complete.includes(false))).toBe(true);
        expect(
          await atNow.retentionRates({ from: '2026-09-01', to: '2026-09-20', days: [1, 7], mode }),
        ).toEqual(model.retentionRates('2026-09-01', '2026-09-20', [1, 7], undefined, { mode }));
      }
      expect(await atNow.activityMix({ from: '2026-09-14', to: '2026-09-17' })).toEqual(
        model.activityMix('2026-09-14', '2026-09-17'),
      );
      expect(atNow.isRangeComplete('2026-09-14')).toBe(true);
      expect(atNow.isRangeComplete('2026-09-16')).toBe(false);
    }
  });
});
