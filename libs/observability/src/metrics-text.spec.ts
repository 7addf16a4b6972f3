import { Counter, Gauge, Registry } from 'prom-client';
import { lagCaughtUp, metricSamples, metricSum } from './metrics-text';

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

describe('lagCaughtUp', () => {
  const page = (values: number[]) =>
    values
      .map((value, partition) => `chronicle_kafka_consumer_lag{topic="t",partition="${partition}"} ${value}`)
      .join('\n');

  it('is true only when every partition of the topic reports 0', () => {
    expect(lagCaughtUp(page([0, 0, 0]), 't', 3)).toBe(true);
    expect(lagCaughtUp(page([0, 4, 0]), 't', 3)).toBe(false);
    // A partition not measured yet is not caught up.
    expect(lagCaughtUp(page([0, 0]), 't', 3)).toBe(false);
    expect(lagCaughtUp(page([0, 0, 0]), 'other', 3)).toBe(false);
  });
});
