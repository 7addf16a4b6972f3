import {
  createPseudonymizer,
  toActivityEvent,
  uuidv7,
  validateActivityEvent,
  type ActivityEvent,
} from '@chronicle/contracts';
import { createTestDatabase, stackEnvironmentFromEnv, waitFor, type TestDatabase } from '@chronicle/stack';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { toActivityEventRow, type ActivityEventRow } from './activity-event.row';
import { ActivityEventWriter } from './activity-event.writer';
import { DAY_MS, listDailyPartitions, partitionName, utcDayStart } from './daily-partitions';
import { createEventsDataSource, EVENTS_STORE_MIGRATIONS } from './data-source';
import { ActivityEventEntity } from './entities/activity-event.entity';
import { ErasureStore } from './erasure.store';
import { MAX_RESOLVE_KEYS, resolvePseudonyms } from './pseudonyms';
import { assertEventsStoreMigrated, migrateEventsStore } from './migrate';
import { applyRetention } from './retention';

const NOW = Date.UTC(2026, 10, 22, 12);
const pseudonymize = createPseudonymizer('events-store-test-pseudonym-secret-32+');

function viewed(actorId: string, atMs: number, appId = 'app_1'): ActivityEventRow {
  const event = toActivityEvent(
    {
      type: 'app.viewed',
      actor: { type: 'user', id: actorId },
      entity: { type: 'app', id: appId },
      metadata: { referrer: 'search', position: 2 },
      time: new Date(atMs).toISOString(),
    } as never,
    { source: '/services/app-catalog' },
  ) as ActivityEvent;
  expect(validateActivityEvent(event).ok).toBe(true);
  return toActivityEventRow(event, NOW);
}

describe('events store (Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let writer: ActivityEventWriter;

  beforeAll(async () => {
    database = await createTestDatabase(stackEnvironmentFromEnv().databaseUrl, 'events_store');
    dataSource = createEventsDataSource({ url: database.url, poolSize: 4 });
    await dataSource.initialize();
    writer = new ActivityEventWriter(dataSource, { pseudonymize });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const count = async (where = 'true', params: unknown[] = []) =>
    Number((await dataSource.query(`SELECT count(*) AS n FROM activity_events WHERE ${where}`, params))[0].n);

  it('has Postgres cancel a statement past its timeout and end a session left idle in a transaction', async () => {
    const bounded = createEventsDataSource({
      url: database.url,
      poolSize: 1,
      statementTimeoutMs: 300,
      idleInTransactionTimeoutMs: 300,
    });
    await bounded.initialize();
    try {
      await expect(bounded.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
      const runner = bounded.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      const pid = ((await runner.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0]?.pid;
      // Idle inside the transaction, as a client that stopped half-way would leave it: Postgres ends it.
      const alive = async () =>
        (
          (await dataSource.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [
            pid,
          ])) as {
            n: number;
          }[]
        )[0]?.n;
      await waitFor(async () => (await alive()) === 0, {
        timeoutMs: 5_000,
        what: 'Postgres to end the idle session',
      });
      await runner.release().catch(() => undefined);
    } finally {
      await bounded.destroy().catch(() => undefined);
    }
  });

  it('refuses to serve before migrating, migrates once, and a second run applies nothing', async () => {
    await expect(assertEventsStoreMigrated(dataSource)).rejects.toThrow(/pending migrations/);
    const lines: string[] = [];
    expect(await migrateEventsStore(dataSource, (line) => lines.push(line))).toEqual(
      EVENTS_STORE_MIGRATIONS.map((migration) => migration.name),
    );
    expect(lines.join('\n')).toMatch(/applied CreateActivityStore/);
    expect(await migrateEventsStore(dataSource)).toEqual([]);
    await expect(assertEventsStoreMigrated(dataSource)).resolves.toBeUndefined();
  });

  it('creates the partitions a batch needs, and writing the batch again changes nothing', async () => {
    const rows = [0, 1, 2].map((day) => viewed('u_write', NOW - day * DAY_MS));
    const first = await writer.write([...rows, rows[0] as ActivityEventRow]);
    expect(first).toMatchObject({ inserted: 3, duplicates: 1, erased: 0 });
    expect(first.insertedByType.get('app.viewed')).toBe(3);
    const names = (await listDailyPartitions(await client())).map((p) => p.name);
    for (const day of [0, 1, 2]) expect(names).toContain(partitionName(utcDayStart(NOW - day * DAY_MS)));

    const again = await writer.write(rows);
    expect(again).toMatchObject({ inserted: 0, duplicates: 3, erased: 0 });
    expect(await count('actor_id = $1', ['u_write'])).toBe(3);
  });

  it('reads back through the TypeORM entity what was written', async () => {
    const row = viewed('u_entity', NOW);
    await writer.write([row]);
    const stored = await dataSource.getRepository(ActivityEventEntity).findOneByOrFail({ id: row.id });
    expect(stored).toMatchObject({
      actorId: 'u_entity',
      activityType: 'app.viewed',
      entityType: 'app',
      entityId: 'app_1',
      metadata: { referrer: 'search', position: 2 },
    });
    expect(stored.occurredAt.getTime()).toBe(row.occurredAtMs);
  });

  it('keeps the pseudonym of each actor and of each entity that is a person, and resolves odd ids as written', async () => {
    const odd = 'u_"quoted"\\slash ユーザー';
    const flagged = {
      ...viewed('moderation', NOW - DAY_MS),
      id: uuidv7(),
      actorType: 'service',
      activityType: 'account.flagged',
      entityType: 'user',
      entityId: odd,
    };
    await writer.write([viewed(odd, NOW - 2 * DAY_MS), viewed(odd, NOW), flagged]);
    const keys = [pseudonymize('user', odd), pseudonymize('service', 'moderation'), 'f'.repeat(64)];
    expect(await resolvePseudonyms(dataSource, keys)).toEqual(
      new Map([
        [keys[0], { type: 'user', id: odd }],
        [keys[1], { type: 'service', id: 'moderation' }],
      ]),
    );
    // One row per subject, last seen on the newest day; an app is not a person and has none.
    const rows = await dataSource.query(
      `SELECT subject_type, last_seen::text AS day FROM pseudonyms WHERE subject_id = ANY($1) ORDER BY 1`,
      [[odd, 'moderation', 'app_1']],
    );
    expect(rows).toEqual([
      { subject_type: 'service', day: new Date(NOW - DAY_MS).toISOString().slice(0, 10) },
      { subject_type: 'user', day: new Date(NOW).toISOString().slice(0, 10) },
    ]);
    await expect(resolvePseudonyms(dataSource, Array(MAX_RESOLVE_KEYS + 1).fill('a'))).rejects.toThrow(
      /at most 1000 keys/,
    );
  });

  it('erases every event of the user whatever its time, drops late ones from before the request, and keeps audit and other actors', async () => {
    const requestedAt = new Date(NOW - 60_000).toISOString();
    // The same id as a service actor, and the user's own audit record (an admin's read): not erased.
    const asService = (atMs: number) => ({ ...viewed('u_gone', atMs), id: uuidv7(), actorType: 'service' });
    const audit = (atMs: number) => ({
      ...viewed('u_gone', atMs),
      id: uuidv7(),
      activityType: 'admin.activities_viewed',
    });
    await writer.write([
      viewed('u_gone', NOW - DAY_MS),
      viewed('u_gone', NOW + 3_600_000), // dated after the request, present when it is processed
      asService(NOW - DAY_MS),
      audit(NOW - DAY_MS),
      viewed('u_kept', NOW - DAY_MS),
    ]);
    const erasures = new ErasureStore(dataSource);
    const request = { requestId: uuidv7(), userId: 'u_gone', requestedAt };
    const ofUser = "actor_type = 'user' AND actor_id = $1";

    const outcome = await erasures.erase(request);
    expect(outcome).toEqual({ status: 'completed', rowsDeleted: 2, performedNow: true });
    expect(await count(`${ofUser} AND activity_type = 'app.viewed'`, ['u_gone'])).toBe(0);
    expect(await count(`${ofUser} AND activity_type = 'admin.activities_viewed'`, ['u_gone'])).toBe(1);
    expect(await count("actor_type = 'service' AND actor_id = $1", ['u_gone'])).toBe(1);
    expect(await count('actor_id = $1', ['u_kept'])).toBe(1);
    // Nothing maps the analytics store's key back to the user any more; the service keeps its own.
    const [userKey, serviceKey] = [pseudonymize('user', 'u_gone'), pseudonymize('service', 'u_gone')];
    expect([...(await resolvePseudonyms(dataSource, [userKey, serviceKey])).keys()]).toEqual([serviceKey]);
    expect(await erasures.status(request.requestId)).toEqual({
      userId: request.userId,
      status: 'completed',
      rowsDeleted: 2,
    });

    // Arriving later: the user's event from before the request is dropped; one after it is new
    // activity; an audit record and another actor's event are kept whenever they are timed.
    const late = await writer.write([
      viewed('u_gone', NOW - 3 * DAY_MS),
      viewed('u_gone', NOW),
      audit(NOW - 3 * DAY_MS),
      asService(NOW - 3 * DAY_MS),
    ]);
    expect(late).toMatchObject({ inserted: 3, erased: 1 });
    expect(await count(`${ofUser} AND activity_type = 'app.viewed'`, ['u_gone'])).toBe(1);
    // New activity names them again, though this writer had stored their pseudonym before.
    expect((await resolvePseudonyms(dataSource, [userKey])).get(userKey)).toEqual({
      type: 'user',
      id: 'u_gone',
    });

    expect(await erasures.erase(request)).toEqual({
      status: 'completed',
      rowsDeleted: 2,
      performedNow: false,
    });
    expect(await count(`${ofUser} AND activity_type = 'app.viewed'`, ['u_gone'])).toBe(1);
    expect(await erasures.pendingCount()).toBe(0);
    expect(await erasures.status(uuidv7())).toBeUndefined();
  });

  it('records a request before any worker has read it, with its owner, once', async () => {
    const erasures = new ErasureStore(dataSource);
    const request = { requestId: uuidv7(), userId: 'u_early', requestedAt: new Date(NOW).toISOString() };
    await erasures.recordRequest(request);
    await erasures.recordRequest(request);
    expect(await erasures.status(request.requestId)).toEqual({
      userId: 'u_early',
      status: 'pending',
      rowsDeleted: null,
    });
    expect(await erasures.erase(request)).toMatchObject({ status: 'completed', performedNow: true });
  });

  it('says how long the oldest pending erasure has waited, and 0 once none is pending', async () => {
    const erasures = new ErasureStore(dataSource);
    const hourAgo = {
      requestId: uuidv7(),
      userId: 'u_waiting',
      requestedAt: new Date(Date.now() - 3_600_000).toISOString(),
    };
    const minuteAgo = {
      requestId: uuidv7(),
      userId: 'u_waiting',
      requestedAt: new Date(Date.now() - 60_000).toISOString(),
    };
    await erasures.recordRequest(minuteAgo);
    await erasures.recordRequest(hourAgo);
    const age = await erasures.oldestPendingAgeSeconds();
    expect(age).toBeGreaterThanOrEqual(3_600);
    expect(age).toBeLessThan(3_660);
    await erasures.erase(hourAgo);
    await erasures.erase(minuteAgo);
    expect(await erasures.oldestPendingAgeSeconds()).toBe(0);
  });

  it('retention drops the partitions older than the window, keeps the rest, and a second run changes nothing', async () => {
    const days = Array.from({ length: 120 }, (_, i) => i);
    await writer.write(days.map((day) => viewed('u_retention', NOW - day * DAY_MS - 3_600_000)));
    // Last seen on the day the cutoff falls in (kept, as its partition is), and on the day before it.
    await writer.write([
      viewed('u_last_kept_day', NOW - 90 * DAY_MS),
      viewed('u_forgotten', NOW - 91 * DAY_MS),
    ]);
    const before = await count('actor_id = $1', ['u_retention']);
    expect(before).toBe(120);

    const first = await applyRetention(dataSource, { retentionDays: 90, nowMs: NOW });
    expect(first.ran).toBe(true);
    const oldest = utcDayStart(NOW - 90 * DAY_MS);
    const remaining = await listDailyPartitions(await client());
    expect(remaining.every((p) => p.dayStartMs >= oldest)).toBe(true);
    // The cutoff falls at noon 90 days ago: that day's partition still holds younger rows, so it stays.
    expect(first.droppedPartitions).toHaveLength(29);
    // Every event younger than the window is still there; every older one is gone.
    expect(await count('occurred_at < $1', [new Date(oldest)])).toBe(0);
    const kept = await count('actor_id = $1', ['u_retention']);
    expect(kept).toBe(91);
    // A pseudonym goes with the last event that named its subject, not before.
    const subjects = ['u_retention', 'u_last_kept_day', 'u_forgotten'];
    const resolved = await resolvePseudonyms(
      dataSource,
      subjects.map((id) => pseudonymize('user', id)),
    );
    expect([...resolved.values()].map((subject) => subject.id).sort()).toEqual([
      'u_last_kept_day',
      'u_retention',
    ]);
    expect(first.prunedPseudonyms).toBeGreaterThanOrEqual(1);

    const second = await applyRetention(dataSource, { retentionDays: 90, nowMs: NOW });
    expect(second).toMatchObject({ ran: true, droppedPartitions: [], prunedPseudonyms: 0 });
    expect(await count('actor_id = $1', ['u_retention'])).toBe(kept);
  });

  it('lets one instance run retention at a time', async () => {
    const holder = await client();
    await holder.query('SELECT pg_advisory_lock($1)', [0x63_68_72_03]);
    try {
      expect(await applyRetention(dataSource, { retentionDays: 90, nowMs: NOW })).toMatchObject({
        ran: false,
      });
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1)', [0x63_68_72_03]);
    }
  });

  it('writes again after retention dropped a partition it had made before', async () => {
    const old = NOW - 200 * DAY_MS;
    await writer.write([viewed('u_old', old)]);
    await applyRetention(dataSource, { retentionDays: 90, nowMs: NOW });
    expect(await count('actor_id = $1', ['u_old'])).toBe(0);
    await expect(writer.write([viewed('u_old', old + 1)])).rejects.toMatchObject({ code: '23514' });
    // The writer forgot the partition with the failure; the next attempt makes it again.
    await expect(writer.write([viewed('u_old', old + 2)])).resolves.toMatchObject({ inserted: 1 });
  });

  let held: PoolClient | undefined;
  async function client(): Promise<PoolClient> {
    if (!held) held = (await dataSource.createQueryRunner().connect()) as PoolClient;
    return held;
  }
});
