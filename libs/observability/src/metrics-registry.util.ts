import { collectDefaultMetrics, Registry, type Counter } from 'prom-client';

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
 * Creates a labelled counter's series at 0 for every combination of its known label values, so that
 * they exist from the start: `rate()` and `increase()` need a sample before the first increment, or
 * the first burst after a restart goes unseen. Pass the values from the constants the code counts
 * with, so that there is one list of them.
 */
export function initialiseCounter<T extends string>(
  counter: Counter<T>,
  values: { [label in T]: readonly string[] },
): void {
  let combinations: Partial<Record<T, string>>[] = [{}];
  for (const label of Object.keys(values) as T[])
    combinations = combinations.flatMap((partial) =>
      values[label].map((value) => ({ ...partial, [label]: value })),
    );
  for (const labels of combinations) counter.inc(labels as Record<T, string>, 0);
}
