import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checksumOf, readMigrationFiles, renderMigration } from './migration-files';

describe('readMigrationFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'analytics-migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the .sql files in version order with their checksums, ignoring other files', () => {
    writeFileSync(join(dir, '0002_second.sql'), 'SELECT 2');
    writeFileSync(join(dir, '0001_first.sql'), 'SELECT 1');
    writeFileSync(join(dir, 'README.md'), 'not a migration');
    expect(readMigrationFiles(dir)).toEqual([
      { version: 1, name: '0001_first.sql', template: 'SELECT 1', checksum: checksumOf('SELECT 1') },
      { version: 2, name: '0002_second.sql', template: 'SELECT 2', checksum: checksumOf('SELECT 2') },
    ]);
  });

  it('refuses a misnamed migration, naming it', () => {
    writeFileSync(join(dir, '1_first.sql'), 'SELECT 1');
    expect(() => readMigrationFiles(dir)).toThrow(
      'migration file 1_first.sql is not named <4-digit version>_<snake_case_name>.sql',
    );
  });

  it('refuses two migrations with one version', () => {
    writeFileSync(join(dir, '0001_a.sql'), 'SELECT 1');
    writeFileSync(join(dir, '0001_b.sql'), 'SELECT 2');
    expect(() => readMigrationFiles(dir)).toThrow(
      'migrations 0001_a.sql and 0001_b.sql have the same version',
    );
  });

  it("reads the library's own migrations, numbered from 0001 without gaps", () => {
    const migrations = readMigrationFiles();
    expect(migrations[0]?.name).toBe('0001_events.sql');
    expect(migrations.map(({ version }) => version)).toEqual(migrations.map((_, index) => index + 1));
  });
});

describe('renderMigration', () => {
  it('fills in the quoted database and the retention, and nothing else', () => {
    const template =
      "CREATE TABLE {database}.t (k String CHECK match(k, '^[0-9a-f]{64}$')) TTL d + toIntervalDay({retention_days}); SELECT {x:UInt8}";
    expect(renderMigration(template, { database: 'chronicle', retentionDays: 30 })).toBe(
      "CREATE TABLE `chronicle`.t (k String CHECK match(k, '^[0-9a-f]{64}$')) TTL d + toIntervalDay(30); SELECT {x:UInt8}",
    );
  });

  it('leaves no placeholder in the library migrations', () => {
    for (const migration of readMigrationFiles()) {
      const sql = renderMigration(migration.template, { database: 'db', retentionDays: 90 });
      expect(sql).not.toMatch(/\{(database|retention_days)\}/);
      expect(sql).not.toContain('{db');
    }
  });
});
