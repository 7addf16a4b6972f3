import { clusterStatements } from './cluster-ddl';

const target = { cluster: 'prod', database: 'db' };
const create = (engine: string, table = 't') =>
  `CREATE TABLE IF NOT EXISTS \`db\`.${table}\n(\n    k String\n)\nENGINE = ${engine}\nORDER BY k`;

describe('clusterStatements', () => {
  it('puts ON CLUSTER right after the name of what is created, altered or dropped', () => {
    expect(clusterStatements('CREATE VIEW `db`.v AS SELECT 1', target)).toEqual([
      'CREATE VIEW `db`.v ON CLUSTER `prod` AS SELECT 1',
    ]);
    expect(
      clusterStatements('CREATE MATERIALIZED VIEW IF NOT EXISTS `db`.v_mv\nTO `db`.v\nAS SELECT 1', target),
    ).toEqual(['CREATE MATERIALIZED VIEW IF NOT EXISTS `db`.v_mv ON CLUSTER `prod`\nTO `db`.v\nAS SELECT 1']);
    expect(clusterStatements('ALTER TABLE `db`.t ADD COLUMN x UInt8', target)).toEqual([
      'ALTER TABLE `db`.t ON CLUSTER `prod` ADD COLUMN x UInt8',
    ]);
    expect(clusterStatements('drop table if exists `db`.t', target)).toEqual([
      'drop table if exists `db`.t ON CLUSTER `prod`',
    ]);
  });

  it('replaces each MergeTree engine by its Replicated counterpart, the original arguments kept after path and replica', () => {
    const engineOf = (engine: string) => {
      const [statement] = clusterStatements(create(engine), target);
      return /ENGINE = (.*)\n/.exec(statement ?? '')?.[1];
    };
    const path = `'/clickhouse/tables/{shard}/db/t', '{replica}'`;
    expect(engineOf('MergeTree')).toBe(`ReplicatedMergeTree(${path})`);
    expect(engineOf('MergeTree()')).toBe(`ReplicatedMergeTree(${path})`);
    expect(engineOf('ReplacingMergeTree(ingested_at)')).toBe(
      `ReplicatedReplacingMergeTree(${path}, ingested_at)`,
    );
    expect(engineOf('AggregatingMergeTree')).toBe(`ReplicatedAggregatingMergeTree(${path})`);
    expect(engineOf('SummingMergeTree((a, b))')).toBe(`ReplicatedSummingMergeTree(${path}, (a, b))`);
    expect(engineOf('VersionedCollapsingMergeTree(sign, v)')).toBe(
      `ReplicatedVersionedCollapsingMergeTree(${path}, sign, v)`,
    );
    expect(engineOf("GraphiteMergeTree('rollup (x)')")).toBe(
      `ReplicatedGraphiteMergeTree(${path}, 'rollup (x)')`,
    );
  });

  it('creates the Distributed table over events, sharded by actor, right after events', () => {
    const statements = clusterStatements(create('ReplacingMergeTree(ingested_at)', 'events'), target);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS `db`\.events ON CLUSTER `prod`\n/);
    expect(statements[1]).toBe(
      "CREATE TABLE IF NOT EXISTS `db`.events_distributed ON CLUSTER `prod` AS `db`.events\nENGINE = Distributed('prod', 'db', 'events', cityHash64(actor_key))",
    );
  });

  it('runs a backfill (INSERT INTO … SELECT) once as it is: its Replicated table carries the rows', () => {
    const backfill = 'INSERT INTO `db`.t SELECT k FROM `db`.events';
    expect(clusterStatements(backfill, target)).toEqual([backfill]);
  });

  it('refuses what it cannot carry to a cluster, rather than guessing', () => {
    const refused = [
      ['INSERT INTO `db`.t VALUES (1)', /only CREATE TABLE, CREATE \[MATERIALIZED\] VIEW, ALTER TABLE, DROP/],
      ['INSERT INTO `other`.t SELECT 1', /names database other, not \{database\}/],
      ['CREATE TABLE IF NOT EXISTS t (k String) ENGINE = MergeTree ORDER BY k', /only CREATE TABLE/],
      [
        'CREATE TABLE `other`.t (k String) ENGINE = MergeTree ORDER BY k',
        /names database other, not \{database\}/,
      ],
      [create("ReplicatedMergeTree('/p', 'r')"), /already names ReplicatedMergeTree; write the plain engine/],
      [create('MergeTree(('), /unbalanced engine arguments/],
      ['ALTER TABLE `db`.events ADD COLUMN x UInt8', /changes events, and events_distributed/],
      ['DROP TABLE IF EXISTS `db`.events', /changes events, and events_distributed/],
    ] as const;
    for (const [statement, error] of refused)
      expect(() => clusterStatements(statement, target)).toThrow(error);
  });
});
