import type { ClickHouseClient } from '@clickhouse/client';
import type { PseudonymSubject } from './analytics-query.types';
import { AnalyticsQueries } from './analytics.queries';
import { AnalyticsQueryError } from './query-parameters';

interface SentQuery {
  query: string;
  query_params: Record<string, unknown>;
}

/** A client that records what it is sent and answers with `respond`'s rows (JSONEachRow, 64-bit counts as strings). */
function fakeClient(respond: (sent: SentQuery) => unknown[] = () => []) {
  const sent: SentQuery[] = [];
  const client = {
    query: jest.fn(async (params: SentQuery) => {
      sent.push(params);
      return { json: async () => respond(params) };
    }),
  };
  return { client: client as unknown as ClickHouseClient, sent };
}

const range = { from: '2026-09-01', to: '2026-09-03' };
/** An identified store that knows no pseudonym. */
const nobody = jest.fn(async () => new Map<string, PseudonymSubject>());
/** Noon UTC on the range's last day: that day is not over yet, the others are. */
const now = () => Date.parse('2026-09-03T12:00:00Z');
const queriesOf = (client: ClickHouseClient, options: { timeZone?: string } = {}) =>
  new AnalyticsQueries(client, { database: 'chronicle', resolvePseudonyms: nobody, now, ...options });

describe('AnalyticsQueries (without a server)', () => {
  it('refuses a database name that would need quoting', () => {
    expect(
      () => new AnalyticsQueries(fakeClient().client, { database: 'x; DROP', resolvePseudonyms: nobody }),
    ).toThrow(/^database must be/);
  });

  it('checks every input before sending anything, naming the parameter', async () => {
    const { client } = fakeClient();
    const queries = new AnalyticsQueries(client, { database: 'chronicle', resolvePseudonyms: nobody });
    const refusals: [Promise<unknown>, string][] = [
      [queries.dailyActiveUsers({ day: '2026-02-30' }), 'day'],
      [queries.weeklyActiveUsers({ day: 'today' }), 'day'],
      [queries.monthlyActiveUsers({ day: '2026-09-01', types: 'nope.*' }), 'types'],
      [queries.dailyActiveUsersSeries({ from: '2026-09-02', to: '2026-09-01' }), 'to'],
      [queries.activeUsersSeries({ ...range, windowDays: 91 }), 'windowDays'],
      [queries.stickiness({ from: 'x', to: '2026-09-01' }), 'from'],
      [queries.cohortRetention({ ...range, periods: 0 }), 'periods'],
      [queries.cohortRetention({ ...range, periods: 4, granularity: 'month' as never }), 'granularity'],
      [queries.retentionRates({ ...range, days: [] }), 'days'],
      [queries.retentionRates({ ...range, days: [1, 0] }), 'days[1]'],
      [queries.topEntities({ ...range, entityType: '' }), 'entityType'],
      [queries.topEntities({ ...range, entityType: 'app', limit: 1001 }), 'limit'],
      [queries.topEntities({ ...range, entityType: 'app', rank: 'views' as never }), 'rank'],
      [queries.mostActiveUsers({ ...range, limit: -1 }), 'limit'],
      [queries.activityMix({ ...range, types: ['app.viewed', 'app.clicked'] }), 'types'],
      [queries.dailyActiveUsersSeries({ ...range, tz: 'Mars/Olympus' }), 'tz'],
      [queries.topEntities({ ...range, entityType: 'app', tz: "UTC' --" }), 'tz'],
      [queries.mostActiveUsers({ ...range, tz: 42 as never }), 'tz'],
      [queries.cohortRetention({ ...range, periods: 4, mode: 'monthly' as never }), 'mode'],
      [queries.retentionRates({ ...range, cohortTypes: 'nope.*' }), 'cohortTypes'],
    ];
    for (const [refusal, parameter] of refusals) {
      await expect(refusal).rejects.toThrow(AnalyticsQueryError);
      await expect(refusal).rejects.toMatchObject({ parameter });
    }
    expect(client.query).not.toHaveBeenCalled();
  });

  it('binds every value as a parameter and never writes one into the SQL', async () => {
    const { client, sent } = fakeClient();
    const queries = new AnalyticsQueries(client, { database: 'chronicle', resolvePseudonyms: nobody });
    const evil = "app' OR 1 = 1 --";
    await queries.topEntities({ ...range, entityType: evil, types: 'app.viewed', limit: 3 });
    expect(sent).toHaveLength(1);
    const [{ query, query_params }] = sent as [SentQuery];
    expect(query).not.toContain(evil);
    expect(query).not.toContain('chronicle');
    expect(query).not.toContain('2026-09');
    expect(query).toContain('{db:Identifier}.entity_daily_counts');
    expect(query_params).toEqual({
      db: 'chronicle',
      entityType: evil,
      from: '2026-09-01',
      to: '2026-09-03',
      limit: 3,
      types: ['app.viewed'],
      tz: 'UTC',
      sourceFrom: '2026-09-01',
      sourceTo: '2026-09-03',
    });
  });

  it('reads the UTC aggregates for UTC, and the raw events with days taken in the zone for any other', async () => {
    const { client, sent } = fakeClient();
    await queriesOf(client).activityMix(range);
    await queriesOf(client, { timeZone: 'Asia/Kolkata' }).activityMix(range);
    await queriesOf(client).activeUsersSeries({ ...range, windowDays: 7, tz: 'America/New_York' });
    const [utc, kolkata, newYork] = sent as [SentQuery, SentQuery, SentQuery];
    expect(utc.query).toContain('FROM {db:Identifier}.activity_daily_counts');
    expect(utc.query).not.toContain('{tz:String}');
    for (const zoned of [kolkata, newYork]) {
      expect(zoned.query).toContain('toDate(occurred_at, {tz:String}) AS day');
      expect(zoned.query).toContain('FROM {db:Identifier}.events');
    }
    expect(kolkata.query_params).toMatchObject({ tz: 'Asia/Kolkata', sourceFrom: '2026-09-01' });
    // A 7-day window ending on `from` reaches 6 days before it.
    expect(newYork.query_params).toMatchObject({ tz: 'America/New_York', sourceFrom: '2026-08-26' });
  });

  it('turns a zone the store does not know into an error naming tz', async () => {
    const client = {
      query: jest.fn(async () => {
        throw new Error('Code: 36. DB::Exception: Cannot load time zone Etc/Unknown: (BAD_ARGUMENTS)');
      }),
    } as unknown as ClickHouseClient;
    await expect(queriesOf(client).activityMix({ ...range, tz: 'Asia/Kolkata' })).rejects.toMatchObject({
      name: 'AnalyticsQueryError',
      parameter: 'tz',
    });
  });

  it('leaves the type condition out when no filter is given', async () => {
    const { client, sent } = fakeClient();
    await new AnalyticsQueries(client, { database: 'chronicle', resolvePseudonyms: nobody }).activityMix(
      range,
    );
    expect(sent[0]?.query).not.toContain('activity_type IN');
    expect(sent[0]?.query_params).not.toHaveProperty('types');
  });

  it('fills the days without activity with 0 and reads 64-bit counts', async () => {
    const { client } = fakeClient(() => [{ on_day: '2026-09-02', user_count: '12' }]);
    expect(await queriesOf(client).dailyActiveUsersSeries(range)).toEqual([
      { day: '2026-09-01', users: 0, complete: true },
      { day: '2026-09-02', users: 12, complete: true },
      { day: '2026-09-03', users: 0, complete: false },
    ]);
    // In Auckland (UTC+12) it is already 4 September: 3 September is over there.
    expect((await queriesOf(client).dailyActiveUsersSeries({ ...range, tz: 'Pacific/Auckland' }))[2]).toEqual(
      {
        day: '2026-09-03',
        users: 0,
        complete: true,
      },
    );
  });

  it('has no stickiness ratio on a day without monthly users', async () => {
    const { client } = fakeClient(({ query_params }) =>
      query_params['window'] === 30
        ? [{ on_day: '2026-09-02', user_count: '4' }]
        : [{ on_day: '2026-09-02', user_count: '1' }],
    );
    expect(await queriesOf(client).stickiness(range)).toEqual([
      { day: '2026-09-01', dau: 0, mau: 0, ratio: null, complete: true },
      { day: '2026-09-02', dau: 1, mau: 4, ratio: 0.25, complete: true },
      { day: '2026-09-03', dau: 0, mau: 0, ratio: null, complete: false },
    ]);
  });

  it('assembles the cohort matrix: zeros for periods without activity, null after `to`', async () => {
    const { client } = fakeClient(({ query }) =>
      query.includes('INNER JOIN')
        ? [
            { cohort: '2026-09-01', period: 0, user_count: '10' },
            { cohort: '2026-09-01', period: 2, user_count: '3' },
            { cohort: '2026-09-02', period: 0, user_count: '5' },
          ]
        : [
            { cohort: '2026-09-01', user_count: '10' },
            { cohort: '2026-09-02', user_count: '5' },
          ],
    );
    expect(await queriesOf(client).cohortRetention({ ...range, periods: 3 })).toEqual([
      {
        cohort: '2026-09-01',
        users: 10,
        retained: [10, 0, 3],
        rates: [1, 0, 0.3],
        complete: [true, true, false],
      },
      {
        cohort: '2026-09-02',
        users: 5,
        retained: [5, 0, null],
        rates: [1, 0, null],
        complete: [true, false, false],
      },
    ]);
  });

  it('counts unbounded retention as active in period k or later, and marks rolling periods over a day later', async () => {
    const { client, sent } = fakeClient(({ query, query_params }) => {
      const cohort = query_params['from'];
      return query.includes('INNER JOIN')
        ? // Unbounded: users by the last period they were active in (3 is past the matrix).
          [
            { cohort, period: 0, user_count: '4' },
            { cohort, period: 1, user_count: '3' },
            { cohort, period: 3, user_count: '2' },
          ]
        : [{ cohort, user_count: '9' }];
    });
    const queries = queriesOf(client);
    const unbounded = await queries.cohortRetention({
      from: '2026-08-01',
      to: '2026-08-31',
      periods: 3,
      mode: 'unbounded',
    });
    expect(unbounded[0]?.retained).toEqual([9, 5, 2]);
    expect(sent[1]?.query).toContain('max(period) AS last_period');
    const rolling = await queries.cohortRetention({
      from: '2026-09-01',
      to: '2026-09-03',
      periods: 3,
      mode: 'rolling',
    });
    // Calendar day 1 of the 1 September cohort is over on the 2nd; its rolling day 1 only on the 3rd.
    expect(rolling[0]?.complete).toEqual([true, false, false]);
    expect(sent[3]?.query).toContain('toUnixTimestamp64Milli(a.occurred_at)');
  });

  it('takes cohorts from the first event of the cohort types when asked', async () => {
    const { client, sent } = fakeClient();
    await queriesOf(client).cohortRetention({ ...range, periods: 2, cohortTypes: 'download.*' });
    expect(sent[0]?.query).toContain('FROM {db:Identifier}.actor_first_seen_by_type');
    expect(sent[0]?.query_params['cohortTypes']).toEqual(
      expect.arrayContaining(['download.initiated', 'download.completed']),
    );
  });

  it('says whether a whole range is over, in its zone', () => {
    const queries = queriesOf(fakeClient().client);
    expect(queries.isRangeComplete('2026-09-02')).toBe(true);
    expect(queries.isRangeComplete('2026-09-03')).toBe(false);
    expect(queries.isRangeComplete('2026-09-03', 'Pacific/Auckland')).toBe(true);
    expect(() => queries.isRangeComplete('2026-09-03', 'Nowhere/Land')).toThrow(AnalyticsQueryError);
  });

  it('snaps weekly cohorts to the Monday of `from`', async () => {
    const { client, sent } = fakeClient();
    await new AnalyticsQueries(client, { database: 'chronicle', resolvePseudonyms: nobody }).cohortRetention({
      from: '2026-11-22',
      to: '2026-11-30',
      periods: 2,
      granularity: 'week',
    });
    expect(sent[0]?.query).toContain('toMonday(toDate(first_at, {tz:String}))');
    expect(sent[0]?.query_params).toMatchObject({ from: '2026-11-16', periodDays: 7 });
  });

  it('sums day-N retention over the cohorts old enough, null when there is none', async () => {
    const { client } = fakeClient(({ query }) =>
      query.includes('INNER JOIN')
        ? [
            { cohort: '2026-09-01', period: 1, user_count: '4' },
            { cohort: '2026-09-02', period: 1, user_count: '1' },
          ]
        : [
            { cohort: '2026-09-01', user_count: '10' },
            { cohort: '2026-09-02', user_count: '10' },
            { cohort: '2026-09-03', user_count: '10' },
          ],
    );
    expect(await queriesOf(client).retentionRates({ ...range, days: [1, 7] })).toEqual([
      // The 2 September cohort's day 1 is today: counted, but not over.
      { day: 1, cohorts: 2, cohortUsers: 20, retainedUsers: 5, rate: 0.25, complete: false },
      { day: 7, cohorts: 0, cohortUsers: 0, retainedUsers: 0, rate: null, complete: true },
    ]);
  });

  it('names users through the identified store, and gives a null id for a key it does not have', async () => {
    const known = 'a'.repeat(64);
    const unknown = 'b'.repeat(64);
    const { client, sent } = fakeClient(() => [
      { actor_key: known, event_count: '9', active_days: '3' },
      { actor_key: unknown, event_count: '2', active_days: '1' },
    ]);
    const resolvePseudonyms = jest.fn(async () => new Map([[known, { type: 'user', id: 'u_1' }]]));
    const queries = new AnalyticsQueries(client, { database: 'chronicle', resolvePseudonyms });
    expect(await queries.mostActiveUsers(range)).toEqual([
      { actorId: 'u_1', actorKey: known, events: 9, activeDays: 3 },
      { actorId: null, actorKey: unknown, events: 2, activeDays: 1 },
    ]);
    expect(resolvePseudonyms).toHaveBeenCalledWith([known, unknown]);
    // ClickHouse was asked once, for the ranking: it has no way back from a key.
    expect(sent).toHaveLength(1);
  });

  it('names the entities that are people through the identified store, and no others', async () => {
    const person = 'c'.repeat(64);
    const { client } = fakeClient(({ query_params }) =>
      query_params['entityType'] === 'user'
        ? [{ entity_id: person, event_count: '4', user_count: '2' }]
        : [{ entity_id: 'app_42', event_count: '7', user_count: '5' }],
    );
    const resolvePseudonyms = jest.fn(async () => new Map([[person, { type: 'user', id: 'u_9' }]]));
    const queries = new AnalyticsQueries(client, { database: 'chronicle', resolvePseudonyms });
    expect(await queries.topEntities({ ...range, entityType: 'user' })).toEqual([
      { entityId: 'u_9', entityKey: person, events: 4, users: 2 },
    ]);
    expect(await queries.topEntities({ ...range, entityType: 'app' })).toEqual([
      { entityId: 'app_42', events: 7, users: 5 },
    ]);
    expect(resolvePseudonyms).toHaveBeenCalledTimes(1);
  });
});
