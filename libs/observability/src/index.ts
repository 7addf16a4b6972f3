// The public API of @chronicle/observability: the ops endpoint (/metrics, /health), metrics registries, logs.

export { startOpsServer } from './ops-server';
export type { HealthReport, MetricsSource, OpsServer, OpsServerOptions } from './ops-server';
export { createMetricsRegistry } from './metrics-registry.util';
export type { MetricsRegistryOptions } from './metrics-registry.util';
export { createLogger, errorMessage, storeErrorSummary } from './logger';
export type { Logger, LogLevel } from './logger';
export { startProgressLog, metricTotal } from './progress-log';
export type { ProgressLog } from './progress-log';
export { cachedHealth, checkDependency } from './health-check';
export type { DependencyHealth } from './health-check';
