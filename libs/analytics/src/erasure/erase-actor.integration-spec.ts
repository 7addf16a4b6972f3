import { createPseudonymizer, getDefaultActivityCatalog } from '@chronicle/contracts';
import { stackEnvironmentFromEnv } from '@chronicle/stack';
import { AnalyticsQueries } from '../queries/analytics.queries';
import { toAnalyticsRow } from '../rows/analytics-row.mapper';
import { ReferenceAnalytics } from '../testing/reference-analytics.model';
import { generateSyntheticActivity, userId } from '../testing/synthetic-activity.generator';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.fixture';
import { eraseActor, PER_ACTOR_TABLES } from './erase-actor';

jest.setTimeout(60_000);

const { clickhouseUrl } = stackEnvironmentFromEnv();
const catalog = getDefaultActivityCatalog();
const pseudonymize = createPseudonymizer('erasure-test-secret-of-at-least-32-bytes');
const userKey = (id: string) => pseudonymize('user', id);
const FIRST_DAY = '2026-10-01';
const LAST_DAY = '2026-10-14';
const events = generateSyntheticActivity(7, { users: 300, apps: 40, days: 14, firstDay: FIRST_DAY });

describe('eraseActor', () => {
  let db: TestDatabase;
  let queries: AnalyticsQueries;

  beforeAll(async () => {
    db = await createTestDatabase(clickhouseUrl, { retentionDays: 3650 });
    queries = new AnalyticsQueries(db.client, {
      database: db.database,
      catalog,
      resolvePseudonyms: new ReferenceAnalytics(events, pseudonymize).resolvePseudonyms,
    });
    const rows = events.map((event) => toAnalyticsRow(event, catalog, pseudonymize, Date.now()));
    for (let copy = 0; copy < 2; copy++)
      await db.client.insert({ table: `${db.database}.events`, values: rows, format: 'JSONEachRow' });
  });
  afterAll(() => db?.drop());

  const rowsOf = async (table: string, actorKey: string): Promise<number> => {
    const result = await db.client.query({
      query: 'SELECT count() AS n FROM {db:Identifier}.{table:Identifier} WHERE actor_key = {key:String}',
      query_params: { db: db.database, table, key: actorKey },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ n: string }>();
    return Number(row?.n);
  };

  it("deletes the user's per-actor rows, so that no query returns their id", async () => {
    const [top] = await queries.mostActiveUsers({ from: FIRST_DAY, to: LAST_DAY, limit: 1 });
    const actorId = top?.actorId as string;
    const actorKey = userKey(actorId);
    const dauBefore = await queries.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY });
    const cohortUsersBefore = (
      await queries.cohortRetention({ from: FIRST_DAY, to: LAST_DAY, periods: 1 })
    ).reduce((sum, row) => sum + row.users, 0);
    for (const table of PER_ACTOR_TABLES) expect(await rowsOf(table, actorKey)).toBeGreaterThan(0);

    const result = await eraseActor(db.client, db.database, actorId, pseudonymize);

    const theirEvents = events.filter((event) => event.data.actor.id === actorId);
    expect(result).toEqual({ actorKey, eventsDeleted: theirEvents.length });
    for (const table of PER_ACTOR_TABLES) expect(await rowsOf(table, actorKey)).toBe(0);
    const everyone = await queries.mostActiveUsers({ from: FIRST_DAY, to: LAST_DAY, limit: 1000 });
    expect(everyone.map((user) => user.actorId)).not.toContain(actorId);
    expect(everyone.map((user) => user.actorKey)).not.toContain(actorKey);
    // Everybody else is as before.
    const remaining = new ReferenceAnalytics(
      events.filter((event) => event.data.actor.id !== actorId),
      pseudonymize,
    );
    expect(everyone).toEqual(remaining.mostActiveUsers(FIRST_DAY, LAST_DAY, 1000));
    const cohortUsersAfter = (
      await queries.cohortRetention({ from: FIRST_DAY, to: LAST_DAY, periods: 1 })
    ).reduce((sum, row) => sum + row.users, 0);
    expect(cohortUsersAfter).toBe(cohortUsersBefore - 1);
    // The anonymous daily counts keep counting them: a number, no longer linked to anyone.
    expect(await queries.dailyActiveUsersSeries({ from: FIRST_DAY, to: LAST_DAY })).toEqual(dauBefore);
  });

  it('erases ids with quotes and backslashes, and is idempotent', async () => {
    const actorId = userId(1); // u_"quoted"\slash
    const first = await eraseActor(db.client, db.database, actorId, pseudonymize);
    expect(first.eventsDeleted).toBe(events.filter((event) => event.data.actor.id === actorId).length);
    expect(first.eventsDeleted).toBeGreaterThan(0);
    expect(await eraseActor(db.client, db.database, actorId, pseudonymize)).toEqual({
      actorKey: userKey(actorId),
      eventsDeleted: 0,
    });
  });

  it("keeps the user's audit records and the events of another actor type with the same id", async () => {
    const actorId = 'u_audited';
    const at = `${FIRST_DAY}T10:00:00.000Z`;
    const event = (type: string, actorType: 'user' | 'service', id: string) => {
      const example = structuredClone(catalog.get(type)?.example) as (typeof events)[number];
      return { ...example, id, time: at, data: { ...example.data, actor: { type: actorType, id: actorId } } };
    };
    const mine = [
      event('app.viewed', 'user', '0192f0c1-7d3e-7a4b-9c1d-000000000001'),
      event('admin.activities_viewed', 'user', '0192f0c1-7d3e-7a4b-9c1d-000000000002'),
      event('job.started', 'service', '0192f0c1-7d3e-7a4b-9c1d-000000000003'),
    ];
    await db.client.insert({
      table: `${db.database}.events`,
      values: mine.map((e) => toAnalyticsRow(e, catalog, pseudonymize, Date.now())),
      format: 'JSONEachRow',
    });
    expect(await eraseActor(db.client, db.database, actorId, pseudonymize)).toEqual({
      actorKey: userKey(actorId),
      eventsDeleted: 1,
    });
    const left = await db.client.query({
      query: `SELECT actor_type, activity_type FROM {db:Identifier}.events FINAL
               WHERE actor_key IN {keys:Array(String)} ORDER BY activity_type`,
      query_params: { db: db.database, keys: [userKey(actorId), pseudonymize('service', actorId)] },
      format: 'JSONEachRow',
    });
    expect(await left.json()).toEqual([
      { actor_type: 'user', activity_type: 'admin.activities_viewed' },
      { actor_type: 'service', activity_type: 'job.started' },
    ]);
  });

  it('refuses a missing actor id or a bad database name', async () => {
    await expect(eraseActor(db.client, db.database, '', pseudonymize)).rejects.toThrow(
      'actorId must be a non-empty string of at most 128 characters',
    );
    await expect(eraseActor(db.client, 'a-b', 'u_1', pseudonymize)).rejects.toThrow(/^database must be/);
  });
});
