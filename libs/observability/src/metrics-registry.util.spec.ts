import { Counter } from 'prom-client';
import { createMetricsRegistry, initialiseCounter } from './metrics-registry.util';

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

describe('initialiseCounter', () => {
  it('creates every combination of the known label values at 0, and leaves counting to inc()', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const counter = new Counter({
      name: 'test_letters_total',
      help: 'Letters.',
      labelNames: ['reason', 'stage'],
      registers: [registry],
    });
    counter.inc({ reason: 'invalid', stage: 'decode' }, 2);
    initialiseCounter(counter, { reason: ['invalid', 'undecodable'], stage: ['decode', 'store'] });
    const values = (await counter.get()).values.map((v) => [v.labels['reason'], v.labels['stage'], v.value]);
    expect(values).toEqual(
      expect.arrayContaining([
        ['invalid', 'decode', 2],
        ['invalid', 'store', 0],
        ['undecodable', 'decode', 0],
        ['undecodable', 'store', 0],
      ]),
    );
    expect(values).toHaveLength(4);
  });
});
