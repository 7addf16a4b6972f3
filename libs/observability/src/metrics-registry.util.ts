import { AggregatorRegistry, collectDefaultMetrics, Registry } from 'prom-client';
import type { MetricsSource } from './ops-server';

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

/**
 * Serves several registries as one `/metrics`, for a process whose components each need a registry of
 * their own (two SDK clients register the same metric names). Series are united; series with the same
 * name and labels are added up, so give each registry a default label that tells its series apart.
 */
export function combineRegistries(registries: readonly Registry[]): MetricsSource {
  return {
    contentType: registries[0]?.contentType ?? Registry.PROMETHEUS_CONTENT_TYPE,
    async metrics() {
      const collected = await Promise.all(registries.map((registry) => registry.getMetricsAsJSON()));
      // 'sum' everywhere: prom-client's per-metric aggregators are meant for cluster workers, and some
      // of them ('omit' for the process start time) would drop a series that only one registry has.
      const summed = collected.map((metrics) =>
        metrics.map((metric) => ({ ...metric, aggregator: 'sum' as const })),
      );
      return AggregatorRegistry.aggregate(summed).metrics();
    },
  };
}
