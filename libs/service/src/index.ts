// @chronicle/service: how a Chronicle process reads its configuration, starts and stops, and the
// runtime both workers are built on (Kafka client, consumers, publisher, ops endpoint, ordered stop).
export {
  ConfigError,
  requiredEnv,
  integerEnv,
  booleanEnv,
  configValue,
  postgresUrlEnv,
  httpUrlEnv,
  pseudonymSecretEnv,
} from './env-config';
export type { Env } from './env-config';
export { runService } from './run-service';
export type { RunServiceOptions } from './run-service';
export { WorkerRuntime } from './worker-runtime';
export type { WorkerConsumerOptions, WorkerRuntimeOptions } from './worker-runtime';
