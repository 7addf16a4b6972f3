import type { EnvSchema } from './env-schema';
import { ANALYTICS_WORKER_ENV } from './services/analytics-worker.env';
import { DEPLOYMENT_ENV } from './services/deployment.env';
import { GATEWAY_ENV } from './services/gateway.env';
import { INGEST_WORKER_ENV } from './services/ingest-worker.env';
import { ANALYTICS_MIGRATION_ENV, EVENTS_STORE_MIGRATION_ENV } from './services/migrations.env';
import { SIMULATOR_ENV } from './services/simulator.env';

export interface ServiceEnvironment {
  /** Its heading in docs/configuration.md. */
  title: string;
  /** The docker-compose.yml services that run it, which must pass every variable. */
  composeServices: readonly string[];
  schema: EnvSchema;
}

/** Every deployable's environment: the source of .env.example, docs/configuration.md and the compose check. */
export const SERVICE_ENVIRONMENTS: readonly ServiceEnvironment[] = [
  {
    title: 'Ingest worker (apps/ingest-worker)',
    composeServices: ['ingest-worker'],
    schema: INGEST_WORKER_ENV,
  },
  {
    title: 'Analytics worker (apps/analytics-worker)',
    composeServices: ['analytics-worker'],
    schema: ANALYTICS_WORKER_ENV,
  },
  { title: 'Gateway (apps/gateway)', composeServices: ['gateway'], schema: GATEWAY_ENV },
  {
    title: 'Migrations (libs/events-store and libs/analytics `migrate.main`)',
    composeServices: ['migrate'],
    schema: { ...EVENTS_STORE_MIGRATION_ENV, ...ANALYTICS_MIGRATION_ENV },
  },
  { title: 'Simulator (apps/simulator)', composeServices: ['simulator'], schema: SIMULATOR_ENV },
  { title: 'Docker Compose (docker-compose.yml)', composeServices: [], schema: DEPLOYMENT_ENV },
];
