import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { renderMigrations } from './clickhouse-migrator';
import { schemaScript } from './schema-ddl';

jest.setTimeout(30_000);

// The command as an operator runs it. Nothing listens on port 1: a command that tried to connect
// would fail, so these prove that --help and --print do not.
function migrate(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), join(__dirname, '..', 'migrate.main.ts'), ...args],
    {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', CLICKHOUSE_URL: 'http://127.0.0.1:1', ...env },
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the migrate command', () => {
  it('answers --help without connecting, naming CLICKHOUSE_CLUSTER', () => {
    const { status, stdout } = migrate(['--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: tsx libs\/analytics\/src\/migrate.main.ts \[--print \| --help\]/);
    expect(stdout).toMatch(/--print +print the DDL/);
    expect(stdout).toMatch(/CLICKHOUSE_CLUSTER +Create the schema ON CLUSTER/);
  });

  it('prints the DDL for CLICKHOUSE_CLUSTER and the other settings, without connecting', () => {
    const env = {
      CLICKHOUSE_CLUSTER: 'prod',
      CLICKHOUSE_DATABASE: 'analytics',
      RETENTION_DAYS: '30',
    };
    const { status, stdout } = migrate(['--print'], env);
    expect(status).toBe(0);
    const { schema, ...parameters } = renderMigrations({
      database: 'analytics',
      retentionDays: 30,
      cluster: 'prod',
    });
    expect(stdout).toBe(schemaScript(schema, parameters));
    expect(stdout).toContain('CREATE TABLE IF NOT EXISTS `analytics`.events ON CLUSTER `prod`');
  });

  it('prints the one-server DDL when CLICKHOUSE_CLUSTER is unset', () => {
    const { status, stdout } = migrate(['--print']);
    expect(status).toBe(0);
    expect(stdout).toContain('database chronicle, retention 90 days, one server.');
    expect(stdout).not.toContain('ON CLUSTER');
  });

  it('refuses a bad cluster name or an unknown argument, naming it', () => {
    const bad = migrate(['--print'], { CLICKHOUSE_CLUSTER: 'prod-1' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /^Migration failed: CLICKHOUSE_CLUSTER must be letters, digits and underscores/,
    );
    const unknown = migrate(['--dry']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown argument --dry (see --help)');
  });
});
