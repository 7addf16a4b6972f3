// @chronicle/config: every deployable's environment, declared once — the values a service starts
// with, its checks (a wrong value names the variable), .env.example, docs/configuration.md and the
// environment docker-compose.yml must pass.
export { ConfigError, readEnv } from './env-schema';
export type { Env, EnvSchema, EnvValues, EnvVariable } from './env-schema';
export { clickhouseConnection, KAFKA_ENV, kafkaConnection, TOPIC_ENV } from './connections.env';
export type {
  ClickHouseConnectionSettings,
  KafkaConnectionSettings,
  KafkaSecuritySettings,
} from './connections.env';
export { RUNTIME_ENV } from './runtime.env';
export { INGEST_WORKER_ENV } from './services/ingest-worker.env';
export { ANALYTICS_WORKER_ENV } from './services/analytics-worker.env';
export { GATEWAY_ENV } from './services/gateway.env';
export { ANALYTICS_MIGRATION_ENV, EVENTS_STORE_MIGRATION_ENV } from './services/migrations.env';
export { SIMULATOR_ENV } from './services/simulator.env';
export { SERVICE_ENVIRONMENTS } from './service-environments';
export type { ServiceEnvironment } from './service-environments';
export { renderConfigurationDoc, renderEnvExample } from './configuration-docs';
