import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackEnvironmentFromEnv } from '@chronicle/stack';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.fixture';
import {
  assertClickHouseMigrated,
  migrateClickHouse,
  MigrationError,
  type MigrationProgress,
} from './clickhouse-migrator';
import { MIGRATIONS_DIR, readMigrationFiles } from './migration-files';

jest.setTimeout(60_000);

const { clickhouseUrl } = stackEnvironmentFromEnv();
const shipped = readMigrationFiles().map(({ name }) => name);

describe('migrateClickHouse', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase(clickhouseUrl, { migrate: false });
    dir = mkdtempSync(join(tmpdir(), 'analytics-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  const select = async <Row>(query: string, params: Record<string, unknown> = {}): Promise<Row[]> =>
    (
      await db.client.query({ query, query_params: { db: db.database, ...params }, format: 'JSONEachRow' })
    ).json<Row>();

  it('applies every migration in order and records it; a second run applies nothing', async () => {
    const progress: MigrationProgress[] = [];
    const first = await migrateClickHouse(db.client, {
      database: db.database,
      progress: (event) => progress.push(event),
    });
    expect(first).toEqual({ applied: shipped, alreadyApplied: [] });
    expect(progress.map(({ name, status }) => `${status} ${name}`)).toEqual(
      shipped.map((name) => `applied ${name}`),
    );
    expect(progress.every(({ statements }) => statements > 0)).toBe(true);

    const recorded = await select<{ version: number; name: string; checksum: string; applied: number }>(
      `SELECT version, name, checksum, applied_at > now64(3) - toIntervalMinute(5) AS applied
       FROM {db:Identifier}.schema_migrations ORDER BY version`,
    );
    expect(recorded).toEqual(
      readMigrationFiles().map(({ version, name, checksum }) => ({ version, name, checksum, applied: 1 })),
    );

    progress.length = 0;
    const second = await migrateClickHouse(db.client, {
      database: db.database,
      progress: (event) => progress.push(event),
    });
    expect(second).toEqual({ applied: [], alreadyApplied: shipped });
    expect(progress.map(({ status }) => status)).toEqual(shipped.map(() => 'already-applied'));
    const [{ rows } = { rows: 0 }] = await select<{ rows: string }>(
      'SELECT count() AS rows FROM {db:Identifier}.schema_migrations',
    );
    expect(Number(rows)).toBe(shipped.length);
  });

  it('creates the tables and views, with the retention given', async () => {
    await migrateClickHouse(db.client, { database: db.database, retentionDays: 30 });
    const tables = await select<{ name: string; engine: string }>(
      'SELECT name, engine FROM system.tables WHERE database = {db:String} ORDER BY name',
    );
    expect(Object.fromEntries(tables.map(({ name, engine }) => [name, engine]))).toEqual({
      actor_first_seen: 'AggregatingMergeTree',
      actor_first_seen_mv: 'MaterializedView',
      actor_first_seen_by_type: 'AggregatingMergeTree',
      actor_first_seen_by_type_mv: 'MaterializedView',
      activity_daily_counts: 'AggregatingMergeTree',
      activity_daily_counts_mv: 'MaterializedView',
      daily_active_users: 'AggregatingMergeTree',
      daily_active_users_mv: 'MaterializedView',
      entity_daily_counts: 'AggregatingMergeTree',
      entity_daily_counts_mv: 'MaterializedView',
      erasures: 'ReplacingMergeTree',
      events: 'ReplacingMergeTree',
      schema_migrations: 'MergeTree',
      user_daily_activity: 'AggregatingMergeTree',
      user_daily_activity_mv: 'MaterializedView',
    });
    for (const table of ['events', 'user_daily_activity', 'erasures']) {
      const [create] = await select<{ statement: string }>(`SHOW CREATE TABLE {db:Identifier}.${table}`);
      expect(create?.statement).toMatch(/TTL .*toIntervalDay\(30\)/);
    }
  });

  it('refuses a raw actor id in the events table and the erasure log', async () => {
    await migrateClickHouse(db.client, { database: db.database });
    const raw = { actor_key: 'u_123', actor_type: 'user', occurred_at: '2026-11-22 00:00:00.000' };
    await expect(
      db.client.insert({
        table: `${db.database}.events`,
        values: [{ ...raw, event_id: '019aa5b1-2c3d-7e4f-8a5b-6c7d8e9f0a1b', activity_type: 'app.viewed' }],
        format: 'JSONEachRow',
      }),
    ).rejects.toThrow(/pseudonym/);
    await expect(
      db.client.insert({
        table: `${db.database}.erasures`,
        values: [{ actor_key: 'u_123', request_id: '019aa5b1-2c3d-7e4f-8a5b-6c7d8e9f0a1b' }],
        format: 'JSONEachRow',
      }),
    ).rejects.toThrow(/erasure_actor_key_is_pseudonym/);
  });

  it('drops the pseudonym → id directory that earlier versions kept beside the events', async () => {
    const directory = () =>
      select('SELECT name FROM system.tables WHERE database = {db:String} AND name = {t:String}', {
        t: 'actor_directory',
      });
    // A database migrated by an earlier version has the directory…
    unlinkSync(join(dir, '0009_drop_actor_directory.sql'));
    await migrateClickHouse(db.client, { database: db.database, migrationsDir: dir });
    expect(await directory()).toHaveLength(1);
    // …and loses it with the next migration.
    await migrateClickHouse(db.client, { database: db.database });
    expect(await directory()).toEqual([]);
  });

  it('fills first-seen-by-type from the events stored before its migration, and keeps it up to date after', async () => {
    unlinkSync(join(dir, '0010_actor_first_seen_by_type.sql'));
    await migrateClickHouse(db.client, { database: db.database, migrationsDir: dir });
    const [alice, bob] = ['a'.repeat(64), 'b'.repeat(64)];
    // Recent days: older events would already be past the raw events' TTL.
    const day = (n: number) => new Date(Date.now() - (10 - n) * 86_400_000).toISOString().slice(0, 10);
    const at = (n: number, time = '10:00:00.000') => `${day(n)} ${time}`;
    const row = (actor_key: string, activity_type: string, occurred_at: string, actor_type = 'user') => ({
      event_id: crypto.randomUUID(),
      occurred_at,
      actor_key,
      actor_type,
      activity_type,
      ingested_at: occurred_at,
    });
    const insert = (values: object[]) =>
      db.client.insert({ table: `${db.database}.events`, values, format: 'JSONEachRow' });
    await insert([
      row(alice, 'app.viewed', at(2)),
      row(alice, 'app.viewed', at(1)),
      row(alice, 'download.completed', at(3)),
      row(bob, 'app.viewed', at(5)),
      row(bob, 'job.failed', at(1, '00:00:00.000'), 'service'),
    ]);
    await migrateClickHouse(db.client, { database: db.database });
    await insert([row(bob, 'download.completed', at(6))]);
    const firstSeen = await select<{ actor_key: string; activity_type: string; first: string }>(
      `SELECT actor_key, activity_type, toString(min(first_seen)) AS first
       FROM {db:Identifier}.actor_first_seen_by_type GROUP BY actor_key, activity_type
       ORDER BY actor_key, activity_type`,
    );
    expect(firstSeen).toEqual([
      { actor_key: alice, activity_type: 'app.viewed', first: at(1) },
      { actor_key: alice, activity_type: 'download.completed', first: at(3) },
      { actor_key: bob, activity_type: 'app.viewed', first: at(5) },
      { actor_key: bob, activity_type: 'download.completed', first: at(6) },
    ]);
  });

  it('refuses to run when an applied migration was changed, naming it, and applies nothing', async () => {
    await migrateClickHouse(db.client, { database: db.database, migrationsDir: dir });
    appendFileSync(join(dir, '0002_daily_active_users.sql'), '\n-- an innocent-looking edit\n');
    writeFileSync(
      join(dir, '0099_later.sql'),
      'CREATE TABLE IF NOT EXISTS {database}.later (x UInt8) ENGINE = Memory',
    );
    const run = migrateClickHouse(db.client, { database: db.database, migrationsDir: dir });
    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(
      /^migration 0002_daily_active_users\.sql was changed after it was applied \(checksum [0-9a-f]{12}… recorded, [0-9a-f]{12}… now\): add a new migration instead of editing an applied one$/,
    );
    expect(
      await select('SELECT name FROM system.tables WHERE database = {db:String} AND name = {t:String}', {
        t: 'later',
      }),
    ).toEqual([]);
  });

  it('refuses to run when an applied migration is missing', async () => {
    await migrateClickHouse(db.client, { database: db.database, migrationsDir: dir });
    unlinkSync(join(dir, '0007_actor_directory.sql'));
    await expect(migrateClickHouse(db.client, { database: db.database, migrationsDir: dir })).rejects.toThrow(
      'migration 0007_actor_directory.sql was applied but is missing from the migrations folder',
    );
  });

  it('tells a service at start whether the database is migrated, naming what is pending', async () => {
    const options = { database: db.database, migrationsDir: dir };
    await expect(assertClickHouseMigrated(db.client, options)).rejects.toThrow(
      `the analytics database ${db.database} has pending migrations (${shipped.join(', ')}): run \`npm run migrate:analytics\``,
    );
    await migrateClickHouse(db.client, options);
    await expect(assertClickHouseMigrated(db.client, options)).resolves.toBeUndefined();
    writeFileSync(
      join(dir, '0099_later.sql'),
      'CREATE TABLE IF NOT EXISTS {database}.later (x UInt8) ENGINE = Memory;',
    );
    await expect(assertClickHouseMigrated(db.client, options)).rejects.toThrow(
      'pending migrations (0099_later.sql)',
    );
    appendFileSync(join(dir, '0001_events.sql'), '\n-- edited after it was applied\n');
    await expect(assertClickHouseMigrated(db.client, options)).rejects.toThrow(MigrationError);
  });

  it('applies only a new migration added later', async () => {
    await migrateClickHouse(db.client, { database: db.database, migrationsDir: dir });
    writeFileSync(
      join(dir, '0099_later.sql'),
      'CREATE TABLE IF NOT EXISTS {database}.later (x UInt8) ENGINE = Memory;',
    );
    expect(await migrateClickHouse(db.client, { database: db.database, migrationsDir: dir })).toEqual({
      applied: ['0099_later.sql'],
      alreadyApplied: shipped,
    });
  });

  it('names the migration and statement that failed, records nothing, and completes when run again', async () => {
    const only = mkdtempSync(join(tmpdir(), 'analytics-migrations-'));
    try {
      writeFileSync(
        join(only, '0001_ok.sql'),
        'CREATE TABLE IF NOT EXISTS {database}.a (x UInt8) ENGINE = Memory;',
      );
      writeFileSync(
        join(only, '0002_broken.sql'),
        'CREATE TABLE IF NOT EXISTS {database}.b (x UInt8) ENGINE = Memory;\nCREATE TABLE {database}.c (x NoSuchType) ENGINE = Memory;',
      );
      await expect(
        migrateClickHouse(db.client, { database: db.database, migrationsDir: only }),
      ).rejects.toThrow(/^migration 0002_broken\.sql failed at statement 2 of 2: /);
      const recorded = await select<{ name: string }>('SELECT name FROM {db:Identifier}.schema_migrations');
      expect(recorded).toEqual([{ name: '0001_ok.sql' }]);

      // Fixed (never applied, so it may change), the run completes: the first statement is idempotent.
      writeFileSync(
        join(only, '0002_broken.sql'),
        'CREATE TABLE IF NOT EXISTS {database}.b (x UInt8) ENGINE = Memory;\nCREATE TABLE IF NOT EXISTS {database}.c (x UInt8) ENGINE = Memory;',
      );
      expect(await migrateClickHouse(db.client, { database: db.database, migrationsDir: only })).toEqual({
        applied: ['0002_broken.sql'],
        alreadyApplied: ['0001_ok.sql'],
      });
    } finally {
      rmSync(only, { recursive: true, force: true });
    }
  });

  it('checks its options before touching the server', async () => {
    await expect(migrateClickHouse(db.client, { database: db.database, retentionDays: 0 })).rejects.toThrow(
      'retentionDays must be a whole number of days from 1 to 3650, got 0',
    );
    await expect(migrateClickHouse(db.client, { database: db.database, retentionDays: 7.5 })).rejects.toThrow(
      /got 7\.5/,
    );
    await expect(migrateClickHouse(db.client, { database: 'no-such; db' })).rejects.toThrow(
      /^database must be/,
    );
    expect(await select('SELECT name FROM system.tables WHERE database = {db:String}')).toEqual([]);
  });
});
