import type { ClickHouseClient } from '@clickhouse/client';
import { DEFAULT_RETENTION_DAYS } from '@chronicle/contracts';
import { checkClusterName, checkDatabaseName } from './clickhouse-identifier.util';
import { MIGRATIONS_DIR, readMigrationFiles, type MigrationFile } from './migration-files';
import { renderSchema, type RenderedSchema, type SchemaParameters } from './schema-ddl';

/** The longest TTL the migrations accept: ten years. */
export const MAX_ANALYTICS_RETENTION_DAYS = 3650;

export interface MigrateOptions {
  /** The database to create (if missing) and migrate. */
  database: string;
  /** TTL of the raw events, the per-user activity and the erasure log; whole days, default 90 (the catalog's default class). */
  retentionDays?: number;
  /**
   * A cluster of the servers' remote_servers: every statement runs ON CLUSTER, with Replicated engines
   * (docs/clickhouse-cluster.md). Absent: one server, plain MergeTree engines.
   */
  cluster?: string;
  /** Called once per migration, applied or already applied. */
  progress?: (event: MigrationProgress) => void;
  /** Another folder of migrations (tests); defaults to the library's own. */
  migrationsDir?: string;
}

export interface MigrationProgress {
  version: number;
  name: string;
  status: 'applied' | 'already-applied';
  /** Statements run (0 when already applied). */
  statements: number;
  elapsedMs: number;
}

export interface MigrateResult {
  /** File names applied by this run, in order. */
  applied: string[];
  alreadyApplied: string[];
}

/** A migration could not be applied, or the recorded history does not match the files. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies the numbered migrations not yet applied to `database`, in order, recording each in
 * `schema_migrations` (version, name, checksum, applied_at). Running it again applies nothing. Before
 * anything runs, the recorded history is checked against the files: an applied migration whose file
 * changed, or disappeared, is an error naming it. Each statement is idempotent (IF NOT EXISTS), so a
 * run interrupted halfway can simply be repeated. Run it from one process at a time (the `migrate`
 * command); ClickHouse has no lock to serialise two. With `cluster`, the same migrations run ON
 * CLUSTER with Replicated engines, and the checksums recorded are the files' own, as on one server.
 */
export async function migrateClickHouse(
  client: ClickHouseClient,
  options: MigrateOptions,
): Promise<MigrateResult> {
  const { database, schema } = renderMigrations(options);
  for (const statement of schema.bootstrap) await client.command({ query: statement });
  const migrations = schema.migrations.map(({ migration }) => migration);
  const applied = await appliedMigrations(client, database);
  checkHistory(applied, migrations);

  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  for (const { migration, statements } of schema.migrations) {
    const { version, name } = migration;
    if (applied.has(version)) {
      result.alreadyApplied.push(name);
      options.progress?.({ version, name, status: 'already-applied', statements: 0, elapsedMs: 0 });
      continue;
    }
    const started = Date.now();
    for (const [index, statement] of statements.entries()) {
      try {
        await client.command({ query: statement });
      } catch (error) {
        throw new MigrationError(
          migration.name,
          `migration ${migration.name} failed at statement ${index + 1} of ${statements.length}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    await client.insert({
      table: `${database}.schema_migrations`,
      values: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
      format: 'JSONEachRow',
    });
    result.applied.push(name);
    options.progress?.({
      version,
      name,
      status: 'applied',
      statements: statements.length,
      elapsedMs: Date.now() - started,
    });
  }
  return result;
}

/**
 * Checks the options and renders every statement `migrateClickHouse` would send, without a server:
 * what `migrate --print` shows.
 */
export function renderMigrations(
  options: Pick<MigrateOptions, 'database' | 'retentionDays' | 'cluster' | 'migrationsDir'>,
): SchemaParameters & { schema: RenderedSchema } {
  const parameters: SchemaParameters = {
    database: checkDatabaseName(options.database),
    retentionDays: checkRetentionDays(options.retentionDays ?? DEFAULT_RETENTION_DAYS),
    ...(options.cluster === undefined ? {} : { cluster: checkClusterName(options.cluster) }),
  };
  const migrations = readMigrationFiles(options.migrationsDir ?? MIGRATIONS_DIR);
  return { ...parameters, schema: renderSchema(migrations, parameters) };
}

/**
 * Throws unless every migration of the folder is applied to `database` as it is: what a service
 * checks at start instead of migrating (migrations are applied by the `migrate` command, one process
 * at a time). The error names the pending migrations and the command to run.
 */
export async function assertClickHouseMigrated(
  client: ClickHouseClient,
  options: Pick<MigrateOptions, 'database' | 'migrationsDir'>,
): Promise<void> {
  const database = checkDatabaseName(options.database);
  const migrations = readMigrationFiles(options.migrationsDir ?? MIGRATIONS_DIR);
  const exists = await client.query({
    query: `SELECT count() AS n FROM system.tables WHERE database = {database:String} AND name = 'schema_migrations'`,
    query_params: { database },
    format: 'JSONEachRow',
  });
  const [row] = await exists.json<{ n: string | number }>();
  const applied = Number(row?.n ?? 0) > 0 ? await appliedMigrations(client, database) : new Map();
  checkHistory(applied, migrations);
  const pending = migrations.filter((migration) => !applied.has(migration.version)).map((m) => m.name);
  if (pending.length > 0)
    throw new MigrationError(
      pending[0] as string,
      `the analytics database ${database} has pending migrations (${pending.join(', ')}): run \`npm run migrate:analytics\` (nx run analytics:migrate) first`,
    );
}

/** Throws unless `days` is a whole number of days from 1 to MAX_ANALYTICS_RETENTION_DAYS. */
export function checkRetentionDays(days: unknown): number {
  if (
    typeof days !== 'number' ||
    !Number.isInteger(days) ||
    days < 1 ||
    days > MAX_ANALYTICS_RETENTION_DAYS
  ) {
    throw new RangeError(
      `retentionDays must be a whole number of days from 1 to ${MAX_ANALYTICS_RETENTION_DAYS}, got ${typeof days === 'number' ? days : JSON.stringify(days)}`,
    );
  }
  return days;
}

async function appliedMigrations(
  client: ClickHouseClient,
  database: string,
): Promise<Map<number, AppliedMigration>> {
  const rows = await client.query({
    query: `SELECT version, any(name) AS name, any(checksum) AS checksum
      FROM {database:Identifier}.schema_migrations GROUP BY version ORDER BY version`,
    query_params: { database },
    format: 'JSONEachRow',
  });
  const applied = new Map<number, AppliedMigration>();
  for (const row of await rows.json<AppliedMigration>()) applied.set(Number(row.version), row);
  return applied;
}

function checkHistory(applied: Map<number, AppliedMigration>, migrations: MigrationFile[]): void {
  for (const record of applied.values()) {
    const file = migrations.find((migration) => migration.version === record.version);
    if (file === undefined || file.name !== record.name) {
      throw new MigrationError(
        record.name,
        `migration ${record.name} was applied but is missing from the migrations folder${file ? ` (version ${record.version} is now ${file.name})` : ''}`,
      );
    }
    if (file.checksum !== record.checksum) {
      throw new MigrationError(
        record.name,
        `migration ${record.name} was changed after it was applied (checksum ${record.checksum.slice(0, 12)}… recorded, ${file.checksum.slice(0, 12)}… now): add a new migration instead of editing an applied one`,
      );
    }
  }
}
