import { clusterStatements } from './cluster-ddl';
import { renderMigration, type MigrationFile } from './migration-files';
import { splitSqlStatements } from './sql-statements.util';

/** What the DDL is rendered for; every value already checked. */
export interface SchemaParameters {
  database: string;
  retentionDays: number;
  /** A cluster of the servers' remote_servers: ON CLUSTER and Replicated engines. Absent: one server. */
  cluster?: string;
}

export interface RenderedSchema {
  /** The database and the migrator's bookkeeping table, run before any migration. */
  bootstrap: string[];
  /** Every migration's statements, in order, as they are sent one by one. */
  migrations: { migration: MigrationFile; statements: string[] }[];
}

/**
 * The statements the migrator sends, without a server: the same on every call for the same
 * parameters. A cluster rendering that cannot carry a statement throws here, before anything runs.
 */
export function renderSchema(migrations: MigrationFile[], parameters: SchemaParameters): RenderedSchema {
  const { database, cluster } = parameters;
  const forServer = (statement: string) =>
    cluster === undefined ? [statement] : clusterStatements(statement, { cluster, database });
  return {
    bootstrap: bootstrapStatements(database, cluster),
    migrations: migrations.map((migration) => ({
      migration,
      statements: splitSqlStatements(renderMigration(migration.template, parameters)).flatMap(forServer),
    })),
  };
}

/**
 * On a cluster, the history is one replicated table across every shard (no {shard} in its path, so
 * the replica name carries it): the DDL ran ON CLUSTER everywhere, and a migrator or a service
 * checking the history may be connected to any host.
 */
function bootstrapStatements(database: string, cluster: string | undefined): string[] {
  const onCluster = cluster === undefined ? '' : ` ON CLUSTER \`${cluster}\``;
  const engine =
    cluster === undefined
      ? 'MergeTree'
      : `ReplicatedMergeTree('/clickhouse/tables/all_shards/${database}/schema_migrations', '{shard}-{replica}')`;
  return [
    `CREATE DATABASE IF NOT EXISTS \`${database}\`${onCluster}`,
    `CREATE TABLE IF NOT EXISTS \`${database}\`.schema_migrations${onCluster}
      (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ${engine} ORDER BY version`,
  ];
}

/** The whole schema as one script, for an operator to review before migrating (`migrate --print`). */
export function schemaScript(schema: RenderedSchema, parameters: SchemaParameters): string {
  const target = parameters.cluster === undefined ? 'one server' : `ON CLUSTER ${parameters.cluster}`;
  const sections = [
    `-- Chronicle analytics schema: database ${parameters.database}, retention ${parameters.retentionDays} days, ${target}.\n` +
      `-- Every statement, including those of migrations already applied; the history goes to schema_migrations.`,
    ...[
      { title: 'bookkeeping', statements: schema.bootstrap },
      ...schema.migrations.map(({ migration, statements }) => ({ title: migration.name, statements })),
    ].map(({ title, statements }) => [`-- ${title}`, ...statements.map((s) => `${s};`)].join('\n')),
  ];
  return `${sections.join('\n\n')}\n`;
}
