// @chronicle/service: how a Chronicle process reads its configuration, starts and stops.
export {
  ConfigError,
  requiredEnv,
  integerEnv,
  booleanEnv,
  configValue,
  postgresUrlEnv,
  httpUrlEnv,
} from './env-config';
export type { Env } from './env-config';
export { runService } from './run-service';
export type { RunServiceOptions } from './run-service';
export { writeIsolatingRejects } from './reject-isolation';
export type { IsolationResult, RejectIsolationOptions, StoreFailureKind } from './reject-isolation';
