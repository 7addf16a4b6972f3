import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMigrations } from './clickhouse-migrator';
import { readMigrationFiles, renderMigration } from './migration-files';
import { renderSchema, schemaScript } from './schema-ddl';
import { splitSqlStatements } from './sql-statements.util';

const migrations = readMigrationFiles();
const parameters = { database: 'chronicle', retentionDays: 30 };
const statementsOf = (schema: ReturnType<typeof renderSchema>) =>
  schema.migrations.flatMap(({ statements }) => statements);

describe('renderSchema without a cluster', () => {
  it("sends each migration file's statements unchanged, and the bookkeeping as before clusters existed", () => {
    const schema = renderSchema(migrations, parameters);
    for (const [index, migration] of migrations.entries()) {
      expect(schema.migrations[index]?.migration).toBe(migration);
      expect(schema.migrations[index]?.statements).toEqual(
        splitSqlStatements(renderMigration(migration.template, parameters)),
      );
    }
    expect(schema.bootstrap).toEqual([
      'CREATE DATABASE IF NOT EXISTS `chronicle`',
      `CREATE TABLE IF NOT EXISTS \`chronicle\`.schema_migrations
      (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = MergeTree ORDER BY version`,
    ]);
  });
});

describe('renderSchema for a cluster', () => {
  const schema = renderSchema(migrations, { ...parameters, cluster: 'prod' });
  const all = [...schema.bootstrap, ...statementsOf(schema)];
  const created = new Map(
    all.flatMap((statement) => {
      const match = /^CREATE TABLE IF NOT EXISTS `chronicle`\.(\w+) [\s\S]*?\bENGINE = (\w+)/.exec(statement);
      return match ? [[match[1] as string, match[2] as string]] : [];
    }),
  );

  it('runs every statement, bookkeeping included, ON CLUSTER right after the name (a backfill once, as it is)', () => {
    for (const statement of all)
      expect(statement).toMatch(
        /^((CREATE (DATABASE|TABLE|MATERIALIZED VIEW)|DROP TABLE) IF (NOT )?EXISTS `chronicle`(\.\w+)? ON CLUSTER `prod`(\s|$)|INSERT INTO `chronicle`\.\w+\s+SELECT )/,
      );
  });

  it('leaves no non-replicated MergeTree, and gives each replicated table a Keeper path of its own', () => {
    for (const statement of all)
      for (const [engine] of statement.matchAll(/\w*MergeTree\b/g)) expect(engine).toMatch(/^Replicated/);
    const paths = all.flatMap((statement) => [
      ...statement.matchAll(/Replicated\w*MergeTree\('([^']+)', '([^']+)'/g),
    ]);
    expect(paths.map(([, path, replica]) => `${path} ${replica}`)).toEqual([
      '/clickhouse/tables/all_shards/chronicle/schema_migrations {shard}-{replica}',
      ...[...created.keys()]
        .filter((table) => !['schema_migrations', 'events_distributed'].includes(table))
        .map((table) => `/clickhouse/tables/{shard}/chronicle/${table} {replica}`),
    ]);
  });

  it('keeps the engine arguments of the files, e.g. the version column of the events', () => {
    expect(statementsOf(schema)[0]).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/chronicle/events', '{replica}', ingested_at)\n",
    );
  });

  it('points every materialized view at a replicated table', () => {
    const targets = all.flatMap((statement) =>
      [...statement.matchAll(/\bTO `chronicle`\.(\w+)/g)].map((m) => m[1]),
    );
    expect(targets.length).toBeGreaterThanOrEqual(5);
    for (const table of targets) expect(created.get(table as string)).toMatch(/^Replicated\w*MergeTree$/);
  });

  it('adds a Distributed table over events, sharded by actor, and nothing else', () => {
    expect(created.get('events_distributed')).toBe('Distributed');
    expect(all).toContain(
      "CREATE TABLE IF NOT EXISTS `chronicle`.events_distributed ON CLUSTER `prod` AS `chronicle`.events\nENGINE = Distributed('prod', 'chronicle', 'events', cityHash64(actor_key))",
    );
    expect(statementsOf(schema)).toHaveLength(statementsOf(renderSchema(migrations, parameters)).length + 1);
  });
});

describe('renderMigrations', () => {
  it('checks the cluster name like the database name, before reading anything', () => {
    expect(() => renderMigrations({ database: 'chronicle', cluster: 'prod; DROP' })).toThrow(
      /^cluster must be a cluster name of letters, digits and underscores/,
    );
    expect(() => renderMigrations({ database: 'chronicle', retentionDays: 0 })).toThrow(
      /^retentionDays must/,
    );
  });

  it('records the same checksums with or without a cluster: those of the files', () => {
    const checksums = (cluster?: string) =>
      renderMigrations({ database: 'chronicle', ...(cluster ? { cluster } : {}) }).schema.migrations.map(
        ({ migration }) => migration.checksum,
      );
    expect(checksums('prod')).toEqual(migrations.map(({ checksum }) => checksum));
    expect(checksums()).toEqual(checksums('prod'));
  });
});

describe('schemaScript', () => {
  it('holds every statement, in the order they are sent, under the name of its migration', () => {
    const cluster = { ...parameters, cluster: 'prod' };
    const schema = renderSchema(migrations, cluster);
    const script = schemaScript(schema, cluster);
    expect(script).toMatch(
      /^-- Chronicle analytics schema: database chronicle, retention 30 days, ON CLUSTER prod\./,
    );
    expect(splitSqlStatements(script)).toEqual([...schema.bootstrap, ...statementsOf(schema)]);
    const headings = [...script.matchAll(/^-- (\S+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual(['bookkeeping', ...migrations.map(({ name }) => name)]);
    expect(schemaScript(renderSchema(migrations, parameters), parameters)).toContain(
      'retention 30 days, one server.',
    );
  });
});

describe('docs/clickhouse-cluster.md', () => {
  it('quotes the DDL exactly as migrate --print renders it for its cluster', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/clickhouse-cluster.md'), 'utf8');
    const quoted = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1] as string);
    expect(quoted.length).toBeGreaterThanOrEqual(2);
    const cluster = { database: 'chronicle', retentionDays: 90, cluster: 'chronicle_cluster' };
    // Markdown formatting empties the whitespace-only lines that stripped comments leave.
    const printed = schemaScript(renderSchema(migrations, cluster), cluster).replace(/^[ \t]+$/gm, '');
    for (const block of quoted) expect(printed).toContain(block);
  });
});
