import { readMigrationFiles } from './migration-files';
import { splitSqlStatements } from './sql-statements.util';

describe('splitSqlStatements', () => {
  it('splits at semicolons and trims, leaving out empty statements', () => {
    expect(splitSqlStatements('SELECT 1;\n\n  SELECT 2 ;;\n')).toEqual(['SELECT 1', 'SELECT 2']);
    expect(splitSqlStatements('SELECT 1')).toEqual(['SELECT 1']);
    expect(splitSqlStatements('  \n')).toEqual([]);
  });

  it('leaves out -- and /* */ comments, semicolons in them included', () => {
    expect(
      splitSqlStatements('-- a comment; not a statement\nSELECT 1 /* also; not */ + 2; -- trailing'),
    ).toEqual(['SELECT 1   + 2']);
  });

  it('keeps semicolons and comment markers inside quotes', () => {
    expect(splitSqlStatements("SELECT 'a;b', \"c;d\", `e;f`, '-- not a comment'; SELECT 2")).toEqual([
      "SELECT 'a;b', \"c;d\", `e;f`, '-- not a comment'",
      'SELECT 2',
    ]);
  });

  it('understands backslash escapes and doubled quotes inside strings', () => {
    expect(splitSqlStatements("SELECT 'it\\'s;', 'it''s;'; SELECT 3")).toEqual([
      "SELECT 'it\\'s;', 'it''s;'",
      'SELECT 3',
    ]);
  });

  it('refuses unterminated strings and comments', () => {
    expect(() => splitSqlStatements("SELECT 'open")).toThrow("unterminated 'quoted' text in SQL");
    expect(() => splitSqlStatements('SELECT 1 /* open')).toThrow('unterminated /* comment */ in SQL');
  });

  it("splits the library's migrations into statements that can run again (IF NOT EXISTS / IF EXISTS, backfills of min())", () => {
    for (const migration of readMigrationFiles()) {
      const statements = splitSqlStatements(migration.template);
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements)
        expect(statement).toMatch(
          // A backfill into a SimpleAggregateFunction(min) table only repeats minimums when run again.
          /^(CREATE (TABLE|MATERIALIZED VIEW) IF NOT EXISTS|DROP TABLE IF EXISTS|INSERT INTO \{database\}\.actor_first_seen_by_type\s+SELECT [\s\S]*\bmin\(occurred_at\)) /,
        );
    }
  });
});
