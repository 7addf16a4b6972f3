// `nx run events-store:migrate`: brings the events database (DATABASE_URL, a role that may create
// roles and own the tables) up to date. With `--local-logins`, a local run's (npm start, compose) it
// also makes the services' local logins (LOCAL_SERVICE_LOGINS), which a deployment makes its own way.
import { EVENTS_STORE_MIGRATION_ENV, readEnv } from '@chronicle/config';
import { parseArgs } from 'node:util';
import { createEventsDataSource } from './data-source';
import { migrateEventsStore } from './migrate';
import { ensureLocalServiceLogins, LOCAL_SERVICE_LOGINS } from './service-roles';

const USAGE = `Usage: tsx libs/events-store/src/migrate.main.ts [--local-logins]   (npm run migrate:events)

Brings the events database at DATABASE_URL up to date; the role must be able to create roles and own
the tables.

  --local-logins     also make the services' local logins (a local run's: npm start, compose)
  -h, --help         this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'local-logins': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const url = readEnv(EVENTS_STORE_MIGRATION_ENV, process.env).databaseUrl;
  const dataSource = createEventsDataSource({ url, poolSize: 1, applicationName: 'chronicle-migrate' });
  await dataSource.initialize();
  try {
    await migrateEventsStore(dataSource, (line) => console.log(line));
  } finally {
    await dataSource.destroy();
  }
  if (values['local-logins']) {
    await ensureLocalServiceLogins(url);
    const users = Object.values(LOCAL_SERVICE_LOGINS).map((login) => login.user);
    console.log(`events-store: local logins ${users.join(', ')} ready`);
  }
}

main().catch((error: unknown) => {
  console.error(`events-store migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
