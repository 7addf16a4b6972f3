// The public API of @chronicle/observability: the ops endpoint (/metrics, /health), metrics registries, logs.

export { startOpsServer } from './ops-server';
export type { HealthReport, MetricsSource, OpsServer, OpsServerOptions } from './ops-server';
export { createMetricsRegistry, initialiseCounter } from './metrics-registry.util';
export type { MetricsRegistryOptions } from './metrics-registry.util';
export { lagCaughtUp, metricSamples, metricSum } from './metrics-text';
export type { MetricSample } from './metrics-text';
export { createLogger, errorMessage, storeErrorSummary } from './logger';
export type { Logger, LogLevel } from './logger';
export { startProgressLog, metricTotal } from './progress-log';
export type { ProgressLog } from './progress-log';
export { cachedHealth, checkDependency } from './health-check';
export type { DependencyHealth } from './health-check';
export { readBuildInfo, registerBuildInfo } from './build-info';
export type { BuildInfo } from './build-info';
export { FRESHNESS_BUCKETS, FreshnessMetric } from './freshness';
export type { FreshnessStore } from './freshness';
export { DEFAULT_READINESS_INTERVAL_MS, trackReadiness } from './service-ready';
export type { TrackedReadiness } from './service-ready';
