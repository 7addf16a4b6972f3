import { Counter, Gauge, Registry } from 'prom-client';
import { metricSamples, metricSum } from './metrics-text';

describe('metricSamples and metricSum', () => {
  it('read the series of one metric from a /metrics page, filtered by labels', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'ingest-worker' });
    const lag = new Gauge({
      name: 'lag',
      help: 'h',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    });
    lag.set({ topic: 'events', partition: 0 }, 3);
    lag.set({ topic: 'events', partition: 1 }, 4);
    lag.set({ topic: 'erasure', partition: 0 }, 5);
    new Gauge({ name: 'lag_seconds', help: 'h', registers: [registry] }).set(9);
    new Counter({ name: 'odd', help: 'h', labelNames: ['why'], registers: [registry] }).inc(
      { why: 'a "quoted", \\ value' },
      2,
    );
    const text = await registry.metrics();
    expect(metricSamples(text, 'lag', { topic: 'events' })).toEqual([
      { labels: { topic: 'events', partition: '0', service: 'ingest-worker' }, value: 3 },
      { labels: { topic: 'events', partition: '1', service: 'ingest-worker' }, value: 4 },
    ]);
    expect(metricSum(text, 'lag')).toBe(12);
    expect(metricSum(text, 'lag_seconds')).toBe(9);
    expect(metricSum(text, 'odd', { why: 'a "quoted", \\ value' })).toBe(2);
    expect(metricSum(text, 'missing')).toBe(0);
  });
});
