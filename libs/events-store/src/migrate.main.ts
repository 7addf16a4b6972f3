// `nx run events-store:migrate`: brings the events database (DATABASE_URL) up to date.
import { createEventsDataSource } from './data-source';
import { migrateEventsStore } from './migrate';

async function main(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL must be set (postgres://user:password@host:port/database)');
  const dataSource = createEventsDataSource({ url, poolSize: 1, applicationName: 'chronicle-migrate' });
  await dataSource.initialize();
  try {
    await migrateEventsStore(dataSource, (line) => console.log(line));
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`events-store migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
