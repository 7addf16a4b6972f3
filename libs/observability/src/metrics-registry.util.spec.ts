import { Counter, Registry } from 'prom-client';
import { combineRegistries, createMetricsRegistry } from './metrics-registry.util';

describe('createMetricsRegistry', () => {
  it('collects the process metrics by default', async () => {
    const text = await createMetricsRegistry().metrics();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('can leave the process metrics out', async () => {
    const text = await createMetricsRegistry({ defaultMetrics: false }).metrics();
    expect(text).not.toContain('process_');
    expect(text).not.toContain('nodejs_');
  });

  it('labels every series with the default labels', async () => {
    const registry = createMetricsRegistry({
      defaultLabels: { service: 'simulator' },
      defaultMetrics: false,
    });
    new Counter({ name: 'test_events_total', help: 'Events.', registers: [registry] }).inc();
    expect(await registry.metrics()).toContain('test_events_total{service="simulator"} 1');
  });

  it('gives each call a registry of its own', () => {
    const name = 'test_unique_total';
    new Counter({ name, help: 'One.', registers: [createMetricsRegistry({ defaultMetrics: false })] });
    expect(
      () =>
        new Counter({ name, help: 'Two.', registers: [createMetricsRegistry({ defaultMetrics: false })] }),
    ).not.toThrow();
  });
});

describe('combineRegistries', () => {
  function registryWithCounter(labels: Record<string, string>, value: number): Registry {
    const registry = new Registry();
    registry.setDefaultLabels(labels);
    new Counter({ name: 'test_published_total', help: 'Published.', registers: [registry] }).inc(value);
    return registry;
  }

  it('serves the series of every registry under one metric family', async () => {
    const combined = combineRegistries([
      registryWithCounter({ source: 'a' }, 2),
      registryWithCounter({ source: 'b' }, 5),
    ]);

    const text = await combined.metrics();

    expect(text.match(/# TYPE test_published_total counter/g)).toHaveLength(1);
    expect(text).toContain('test_published_total{source="a"} 2');
    expect(text).toContain('test_published_total{source="b"} 5');
  });

  it('adds up series that have the same labels', async () => {
    const combined = combineRegistries([registryWithCounter({}, 2), registryWithCounter({}, 5)]);
    expect(await combined.metrics()).toContain('test_published_total 7');
  });

  it('keeps the series only one registry has, the process start time included', async () => {
    const combined = combineRegistries([createMetricsRegistry(), registryWithCounter({ source: 'a' }, 1)]);
    const text = await combined.metrics();
    expect(text).toContain('process_start_time_seconds');
    expect(text).toContain('test_published_total{source="a"} 1');
  });

  it('has the content type of the registries', () => {
    expect(combineRegistries([new Registry()]).contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
  });
});
