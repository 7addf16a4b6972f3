import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The migrations shipped with the library, beside this folder. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

export interface MigrationFile {
  version: number;
  /** The file name, e.g. `0001_events.sql`: what schema_migrations records and errors name. */
  name: string;
  /** The file as written, with its `{database}` and `{retention_days}` placeholders. */
  template: string;
  /** sha256 of the template, hex: an applied migration whose file changes is refused. */
  checksum: string;
}

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** The migrations of `dir` in version order. Throws for a misnamed .sql file or a repeated version. */
export function readMigrationFiles(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  const migrations: MigrationFile[] = [];
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()) {
    const match = MIGRATION_FILE.exec(name);
    if (match === null) {
      throw new Error(
        `migration file ${name} is not named <4-digit version>_<snake_case_name>.sql (e.g. 0002_daily_active_users.sql)`,
      );
    }
    const version = Number(match[1]);
    const clash = migrations.find((migration) => migration.version === version);
    if (clash !== undefined) throw new Error(`migrations ${clash.name} and ${name} have the same version`);
    const template = readFileSync(join(dir, name), 'utf8');
    migrations.push({ version, name, template, checksum: checksumOf(template) });
  }
  return migrations;
}

export function checksumOf(template: string): string {
  return createHash('sha256').update(template, 'utf8').digest('hex');
}

export interface MigrationParameters {
  database: string;
  retentionDays: number;
}

/**
 * The migration's SQL for a database: `{database}` becomes the (already checked) database name in
 * backquotes, `{retention_days}` the (already checked) integer. Nothing else is substituted, so
 * ClickHouse's own `{name:Type}` syntax and regular expressions such as `[0-9a-f]{64}` are untouched.
 */
export function renderMigration(template: string, parameters: MigrationParameters): string {
  return template
    .replaceAll('{database}', `\`${parameters.database}\``)
    .replaceAll('{retention_days}', String(parameters.retentionDays));
}
