// The public API of @chronicle/observability: the ops endpoint (/metrics, /health) and metrics registries.

export { startOpsServer } from './ops-server';
export type { HealthReport, MetricsSource, OpsServer, OpsServerOptions } from './ops-server';
export { createMetricsRegistry } from './metrics-registry.util';
export type { MetricsRegistryOptions } from './metrics-registry.util';
