import type { DataSource } from 'typeorm';

/** Applies the pending migrations, each in its own transaction; returns the names applied. */
export async function migrateEventsStore(
  dataSource: DataSource,
  progress: (line: string) => void = () => undefined,
): Promise<string[]> {
  const known = dataSource.migrations.length;
  progress(`events-store: ${known} migration(s) known, applying the pending ones`);
  const started = Date.now();
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  for (const migration of applied) progress(`events-store: applied ${migration.name}`);
  progress(`events-store: ${applied.length} applied, schema up to date (${Date.now() - started} ms)`);
  return applied.map((migration) => migration.name);
}

/** For services at start-up: they never migrate themselves, they refuse an out-of-date schema. */
export async function assertEventsStoreMigrated(dataSource: DataSource): Promise<void> {
  if (await dataSource.showMigrations())
    throw new Error(
      'the events database has pending migrations: run `npm run migrate:events` (nx run events-store:migrate) first',
    );
}
