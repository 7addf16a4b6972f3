import { createPseudonymizer, toActivityEvent, uuidv7, type ActivityEvent } from '@chronicle/contracts';
import { createTestDatabase, stackEnvironmentFromEnv, type TestDatabase } from '@chronicle/stack';
import type { DataSource } from 'typeorm';
import { toActivityEventRow, type ActivityEventRow } from './activity-event.row';
import { ActivityEventWriter } from './activity-event.writer';
import { DAY_MS, partitionName, utcDayStart } from './daily-partitions';
import { createEventsDataSource } from './data-source';
import { ErasureStore } from './erasure.store';
import { resolvePseudonyms } from './pseudonyms';
import { assertEventsStoreMigrated, migrateEventsStore } from './migrate';
import { applyRetention } from './retention';
import {
  ensureLocalServiceLogins,
  LOCAL_SERVICE_LOGINS,
  localServiceDatabaseUrl,
  SERVICE_ROLES,
} from './service-roles';

const NOW = Date.UTC(2026, 10, 22, 12);
const INSUFFICIENT_PRIVILEGE = '42501';

function viewed(actorId: string, atMs: number): ActivityEventRow {
  const event = toActivityEvent(
    {
      type: 'app.viewed',
      actor: { type: 'user', id: actorId },
      entity: { type: 'app', id: 'app_1' },
      metadata: {},
      time: new Date(atMs).toISOString(),
    } as never,
    { source: '/services/app-catalog' },
  ) as ActivityEvent;
  return toActivityEventRow(event, NOW);
}

/** Each service as it connects: its own login, member of its role; the owner only sets up and checks. */
describe('service roles (Postgres)', () => {
  let database: TestDatabase;
  let owner: DataSource;
  let ingest: DataSource;
  let gateway: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase(stackEnvironmentFromEnv().databaseUrl, 'service_roles');
    owner = createEventsDataSource({ url: database.url, poolSize: 2 });
    await owner.initialize();
    await migrateEventsStore(owner);
    await ensureLocalServiceLogins(database.url);
    ingest = createEventsDataSource({ url: localServiceDatabaseUrl(database.url, 'ingest'), poolSize: 2 });
    gateway = createEventsDataSource({ url: localServiceDatabaseUrl(database.url, 'gateway'), poolSize: 2 });
    await Promise.all([ingest.initialize(), gateway.initialize()]);
  });

  afterAll(async () => {
    await Promise.all([ingest?.destroy(), gateway?.destroy(), owner?.destroy()]);
    await database?.drop();
  });

  const count = async () => Number((await owner.query('SELECT count(*) AS n FROM activity_events'))[0].n);
  const partitions = (): Promise<{ name: string; owner: string }[]> =>
    owner.query(
      `SELECT c.relname AS name, c.relowner::regrole::text AS owner
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'activity_events'::regclass ORDER BY c.relname`,
    );

  it('lets both services check the schema at start, each as a login of its own role', async () => {
    await expect(assertEventsStoreMigrated(ingest)).resolves.toBeUndefined();
    await expect(assertEventsStoreMigrated(gateway)).resolves.toBeUndefined();
    const [{ ingestMember, gatewayMember, crossed }] = await owner.query(
      `SELECT pg_has_role($1, $2, 'MEMBER') AS "ingestMember", pg_has_role($3, $4, 'MEMBER') AS "gatewayMember",
              pg_has_role($3, $2, 'MEMBER') AS crossed`,
      [
        LOCAL_SERVICE_LOGINS.ingest.user,
        SERVICE_ROLES.ingest,
        LOCAL_SERVICE_LOGINS.gateway.user,
        SERVICE_ROLES.gateway,
      ],
    );
    expect({ ingestMember, gatewayMember, crossed }).toEqual({
      ingestMember: true,
      gatewayMember: true,
      crossed: false,
    });
  });

  it("writes as the ingest worker, creating the days' partitions, owned by its role rather than the login", async () => {
    const writer = new ActivityEventWriter(ingest, { pseudonymize: createPseudonymizer('k'.repeat(32)) });
    const rows = [0, 1, 40].map((days) => viewed('u_roles', NOW - days * DAY_MS));
    expect(await writer.write([...rows, viewed('u_other', NOW)])).toMatchObject({ inserted: 4 });
    expect(await partitions()).toEqual(
      [40, 1, 0].map((days) => ({
        name: partitionName(utcDayStart(NOW - days * DAY_MS)),
        owner: SERVICE_ROLES.ingest,
      })),
    );
  });

  it('lets the gateway read the events and resolve pseudonyms, but not change them', async () => {
    expect(Number((await gateway.query('SELECT count(*) AS n FROM activity_events'))[0].n)).toBe(4);
    const key = createPseudonymizer('k'.repeat(32))('user', 'u_roles');
    expect(await resolvePseudonyms(gateway, [key])).toEqual(
      new Map([[key, { type: 'user', id: 'u_roles' }]]),
    );
  });

  const partition = partitionName(utcDayStart(NOW));
  it.each([
    ['DELETE', 'DELETE FROM activity_events'],
    ['UPDATE', `UPDATE activity_events SET actor_id = 'someone_else'`],
    ['TRUNCATE', 'TRUNCATE activity_events'],
    [
      'INSERT',
      `INSERT INTO activity_events (id, occurred_at, actor_type, actor_id, activity_type, source)
       VALUES (gen_random_uuid(), now(), 'user', 'u_forged', 'app.viewed', '/forged')`,
    ],
    ['DELETE from a partition', `DELETE FROM ${partition}`],
    ['UPDATE of a partition', `UPDATE ${partition} SET actor_id = 'someone_else'`],
    ['DROP of a partition', `DROP TABLE ${partition}`],
    ['ALTER', 'ALTER TABLE activity_events DISABLE ROW LEVEL SECURITY'],
    [
      'creating a partition',
      `CREATE TABLE activity_events_p29990101 PARTITION OF activity_events
         FOR VALUES FROM ('2999-01-01') TO ('2999-01-02')`,
    ],
    ['UPDATE of an erasure', `UPDATE activity_erasures SET status = 'completed'`],
    ['DELETE of an erasure', 'DELETE FROM activity_erasures'],
    [
      'INSERT of a pseudonym',
      `INSERT INTO pseudonyms VALUES (repeat('a', 64), 'user', 'u_forged', current_date)`,
    ],
    ['UPDATE of a pseudonym', `UPDATE pseudonyms SET subject_id = 'someone_else'`],
    ['DELETE of a pseudonym', 'DELETE FROM pseudonyms'],
  ])('refuses the gateway %s (insufficient privilege)', async (_what, statement) => {
    await expect(gateway.query(statement)).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
    expect(await count()).toBe(4);
  });

  it('lets the gateway record an erasure request and read its status, and the ingest worker carry it out', async () => {
    const request = { requestId: uuidv7(), userId: 'u_roles', requestedAt: new Date(NOW).toISOString() };
    const asGateway = new ErasureStore(gateway);
    await asGateway.recordRequest(request);
    await asGateway.recordRequest(request); // a retried DELETE: ON CONFLICT DO NOTHING, no UPDATE needed
    expect(await asGateway.status(request.requestId)).toEqual({
      userId: 'u_roles',
      status: 'pending',
      rowsDeleted: null,
    });

    expect(await new ErasureStore(ingest).erase(request)).toMatchObject({
      rowsDeleted: 3,
      performedNow: true,
    });
    expect(await asGateway.status(request.requestId)).toMatchObject({ status: 'completed', rowsDeleted: 3 });
    expect(await count()).toBe(1);
  });

  it('lets the ingest worker apply retention: old partitions dropped, old erasure records pruned', async () => {
    const run = await applyRetention(ingest, { retentionDays: 30, nowMs: NOW + 60 * DAY_MS });
    expect(run).toMatchObject({ ran: true, prunedErasures: 1 });
    expect(run.droppedPartitions).toHaveLength(3);
    expect(await partitions()).toEqual([]);
  });
});
