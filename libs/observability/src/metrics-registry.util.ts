import { collectDefaultMetrics, Registry } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Labels added to every series, e.g. `{ service: 'simulator' }`. */
  defaultLabels?: Record<string, string>;
  /** The process metrics prom-client collects (CPU, memory, event loop lag, GC); on by default. */
  defaultMetrics?: boolean;
}

/**
 * A registry of the process's own, rather than prom-client's global one: tests and processes that
 * make several of them (one per service under test) do not collide on metric names.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
