import { createPseudonymizer, getDefaultActivityCatalog, type ActivityEvent } from '@chronicle/contracts';
import { stackEnvironmentFromEnv } from '@chronicle/stack';
import fc from 'fast-check';
import { eraseActor } from '../erasure/erase-actor';
import { toAnalyticsRow } from '../rows/analytics-row.mapper';
import { generateSyntheticActivity } from '../testing/synthetic-activity.generator';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.fixture';
import { AnalyticsQueries } from './analytics.queries';

jest.setTimeout(600_000);

const { clickhouseUrl } = stackEnvironmentFromEnv();
const catalog = getDefaultActivityCatalog();
const pseudonymize = createPseudonymizer('figure-cache-test-secret-of-32-bytes');

const FIRST_DAY = '2026-08-01';
const LAST_DAY = '2026-08-12';
// From the UTC day before the figures' first (its evening is 1 August in the zones east of UTC) to
// four days after their last (the rest of its week, which the weekly cohorts take in).
const pool = generateSyntheticActivity(20261207, { users: 30, apps: 5, days: 17, firstDay: '2026-07-31' });
const poolDays = [...new Set(pool.map((event) => event.time.slice(0, 10)))].sort();
const userIds = [...new Set(pool.filter((e) => e.data.actor.type === 'user').map((e) => e.data.actor.id))];

/** Every figure the cache keeps, in the zones and modes whose sources differ. */
const FIGURES: Record<string, (queries: AnalyticsQueries) => Promise<unknown>> = {
  'DAU series': (q) => q.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY }),
  'DAU series, Asia/Kolkata': (q) =>
    q.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY, tz: 'Asia/Kolkata' }),
  'WAU series of app.* in Europe/Berlin': (q) =>
    q.activeUsersSeries({
      from: '2026-08-05',
      to: LAST_DAY,
      windowDays: 7,
      types: 'app.*',
      tz: 'Europe/Berlin',
    }),
  MAU: (q) => q.monthlyActiveUsers({ day: LAST_DAY }),
  'retention, calendar': (q) => q.cohortRetention({ from: FIRST_DAY, to: LAST_DAY, periods: 12 }),
  'retention, rolling': (q) =>
    q.cohortRetention({ from: FIRST_DAY, to: LAST_DAY, periods: 12, mode: 'rolling' }),
  'retention, unbounded, weekly, Pacific/Auckland': (q) =>
    q.cohortRetention({
      from: FIRST_DAY,
      to: LAST_DAY,
      periods: 3,
      mode: 'unbounded',
      granularity: 'week',
      tz: 'Pacific/Auckland',
    }),
  'D1/D7, cohorts by first app.viewed': (q) =>
    q.retentionRates({ from: FIRST_DAY, to: LAST_DAY, days: [1, 7], cohortTypes: 'app.viewed' }),
  'top apps by users': (q) =>
    q.topEntities({ from: FIRST_DAY, to: LAST_DAY, entityType: 'app', rank: 'users' }),
  'most active users, Asia/Kolkata': (q) =>
    q.mostActiveUsers({ from: FIRST_DAY, to: LAST_DAY, tz: 'Asia/Kolkata' }),
  'activity mix': (q) => q.activityMix({ from: FIRST_DAY, to: LAST_DAY }),
};

const MERGED_TABLES = [
  'events',
  'daily_active_users',
  'user_daily_activity',
  'actor_first_seen',
  'actor_first_seen_by_type',
  'entity_daily_counts',
  'activity_daily_counts',
];

type Step =
  | { kind: 'insert'; picks: number[]; twice: boolean }
  | { kind: 'insert-day'; day: number; picks: number[] }
  | { kind: 'erase'; user: number }
  | { kind: 'merge'; table: string }
  | { kind: 'read'; figure: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    // Any events of the pool, in any order: late events and redeliveries included.
    picks: fc.array(fc.nat(pool.length - 1), { minLength: 1, maxLength: 60 }),
    twice: fc.boolean(),
  }),
  // Some events of one UTC day only: a part whose days are that day.
  fc.record({
    kind: fc.constant('insert-day' as const),
    day: fc.nat(poolDays.length - 1),
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
  }),
  fc.record({ kind: fc.constant('erase' as const), user: fc.nat(userIds.length - 1) }),
  fc.record({ kind: fc.constant('merge' as const), table: fc.constantFrom(...MERGED_TABLES) }),
  fc.record({ kind: fc.constant('read' as const), figure: fc.constantFrom(...Object.keys(FIGURES)) }),
);

/** An event at `time` of a user the pool does not have. */
function newcomerEvent(time: string): ActivityEvent {
  const model = pool.at(-1) as ActivityEvent;
  return {
    ...model,
    id: '0193a0b0-0000-7000-8000-000000000001',
    time,
    data: { ...model.data, actor: { type: 'user', id: 'user-newcomer' } },
  };
}

describe('the figure cache against ClickHouse', () => {
  let db: TestDatabase;
  let computed: AnalyticsQueries;
  let cached: AnalyticsQueries;

  const options = () => ({
    database: db.database,
    catalog,
    resolvePseudonyms: async () => new Map(),
  });
  const insert = (events: readonly ActivityEvent[]) =>
    db.client.insert({
      table: `${db.database}.events`,
      values: events.map((event) => toAnalyticsRow(event, catalog, pseudonymize, Date.now())),
      format: 'JSONEachRow',
    });

  beforeEach(async () => {
    db = await createTestDatabase(clickhouseUrl, { retentionDays: 3650 });
    computed = new AnalyticsQueries(db.client, options());
    cached = new AnalyticsQueries(db.client, { ...options(), cacheRows: 10_000 });
  });
  afterEach(() => db.drop());

  it('answers exactly what the query computes, through inserts, redeliveries, late events, erasures and merges', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 10 }), async (steps) => {
        for (const current of steps) {
          if (current.kind === 'insert') {
            const events = current.picks.map((index) => pool[index] as ActivityEvent);
            await insert(events);
            if (current.twice) await insert(events);
          } else if (current.kind === 'insert-day') {
            const day = poolDays[current.day] as string;
            const ofDay = pool.filter((event) => event.time.startsWith(day));
            await insert(current.picks.map((index) => ofDay[index % ofDay.length] as ActivityEvent));
          } else if (current.kind === 'erase') {
            await eraseActor(db.client, db.database, userIds[current.user] as string, pseudonymize);
          } else if (current.kind === 'merge') {
            await db.client.command({ query: `OPTIMIZE TABLE \`${db.database}\`.${current.table} FINAL` });
          } else {
            const figure = FIGURES[current.figure] as (queries: AnalyticsQueries) => Promise<unknown>;
            const [expected, first, again] = [
              await figure(computed),
              await figure(cached),
              await figure(cached),
            ];
            expect(first).toEqual(expected);
            expect(again).toEqual(expected);
          }
        }
      }),
      { numRuns: 15 },
    );
    // The comparison above means something only if the cache answered some of the reads.
    expect(cached.cacheStats.hits).toBeGreaterThan(0);
  });

  it('recomputes only the days whose windows reach a new part', async () => {
    await insert(pool);
    const series = () => cached.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY });
    await series();
    expect(cached.cacheStats).toMatchObject({ hits: 0, misses: 12 });
    await series();
    expect(cached.cacheStats).toMatchObject({ hits: 12, misses: 12 });

    // A user active on the last day only: a new part of that day.
    await insert([newcomerEvent(`${LAST_DAY}T12:00:00.000Z`)]);
    const after = await series();
    expect(cached.cacheStats).toMatchObject({ hits: 23, misses: 13 });
    expect(after).toEqual(await computed.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY }));
  });

  it("recomputes a zone's figures after a new part of the UTC day before its first local day", async () => {
    await insert(pool.filter((event) => event.time >= `${FIRST_DAY}T00:00:00Z`));
    const series = () => cached.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY, tz: 'Asia/Kolkata' });
    const before = await series();
    // 20:00 UTC on 31 July is 01:30 on 1 August in Kolkata: a user that day, in a part of 31 July.
    await insert([newcomerEvent(`2026-07-31T20:00:00.000Z`)]);
    const after = await series();
    expect(after[0]?.users).toBe((before[0]?.users ?? 0) + 1);
    expect(after).toEqual(
      await computed.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY, tz: 'Asia/Kolkata' }),
    );
  });

  it('keeps a matrix of past cohorts through newcomers after them, and recomputes it for a late event inside them', async () => {
    await insert(pool);
    const cohorts = { from: FIRST_DAY, to: '2026-08-05', periods: 5 };
    const matrix = () => cached.cohortRetention(cohorts);
    await matrix();
    const { misses } = cached.cacheStats;

    await insert([newcomerEvent(`${LAST_DAY}T12:00:00.000Z`)]);
    await matrix();
    expect(cached.cacheStats.misses).toBe(misses);

    // A user first seen after the range, with an event found late inside it: now in a cohort.
    const firstSeen = new Map<string, string>();
    for (const { time, data } of pool) {
      const seen = firstSeen.get(data.actor.id);
      if (data.actor.type === 'user' && (seen === undefined || time < seen))
        firstSeen.set(data.actor.id, time);
    }
    const latecomer = [...firstSeen].find(([, time]) => time >= '2026-08-07')?.[0];
    if (latecomer === undefined) throw new Error('the pool has no user first seen after 6 August');
    const before = await computed.cohortRetention(cohorts);
    const model = pool[0] as ActivityEvent;
    await insert([
      {
        ...model,
        id: '0193a0b0-0000-7000-8000-000000000002',
        time: '2026-08-03T09:00:00.000Z',
        data: { ...model.data, actor: { type: 'user', id: latecomer } },
      },
    ]);
    const after = await matrix();
    expect(cached.cacheStats.misses).toBeGreaterThan(misses);
    expect(after).toEqual(await computed.cohortRetention(cohorts));
    const usersOf = (rows: typeof before) => rows.find((row) => row.cohort === '2026-08-03')?.users ?? 0;
    expect(usersOf(after)).toBe(usersOf(before) + 1);
  });

  it("recomputes weekly cohorts for a newcomer later in the last cohort's week", async () => {
    await insert(pool.filter((event) => event.time < `2026-08-13`));
    // 12 August 2026 is a Wednesday: its week's cohort takes users first seen up to Sunday 16 August.
    const weekly = { from: FIRST_DAY, to: LAST_DAY, periods: 3, granularity: 'week' as const };
    const before = await cached.cohortRetention(weekly);
    await insert([newcomerEvent('2026-08-15T12:00:00.000Z')]);
    const after = await cached.cohortRetention(weekly);
    expect(after).toEqual(await computed.cohortRetention(weekly));
    expect(after.at(-1)?.users).toBe((before.at(-1)?.users ?? 0) + 1);
  });
});
