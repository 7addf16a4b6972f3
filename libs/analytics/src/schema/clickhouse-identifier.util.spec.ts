import { checkClusterName, checkDatabaseName } from './clickhouse-identifier.util';

describe('checkDatabaseName', () => {
  it('accepts plain identifiers', () => {
    for (const name of ['chronicle', 'analytics_test_0a1b', '_x', 'A9'])
      expect(checkDatabaseName(name)).toBe(name);
  });

  it('refuses anything that would need quoting, naming the parameter', () => {
    for (const name of ['', '9lives', 'my-db', 'db`; DROP', 'db.x', 'ü', 'x'.repeat(65), 42, undefined]) {
      expect(() => checkDatabaseName(name)).toThrow(/^database must be a database name of letters, digits/);
    }
    expect(() => checkDatabaseName('a b', 'CLICKHOUSE_DATABASE')).toThrow(/^CLICKHOUSE_DATABASE must be/);
  });
});

describe('checkClusterName', () => {
  it('accepts plain identifiers and refuses the rest, naming the parameter', () => {
    expect(checkClusterName('prod_cluster')).toBe('prod_cluster');
    expect(() => checkClusterName("c' ON CLUSTER x")).toThrow(
      /^cluster must be a cluster name of letters, digits/,
    );
    expect(() => checkClusterName('my-cluster', 'CLICKHOUSE_CLUSTER')).toThrow(/^CLICKHOUSE_CLUSTER must be/);
  });
});
