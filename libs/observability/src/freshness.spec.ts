import { Registry } from 'prom-client';
import { FRESHNESS_BUCKETS, FreshnessMetric } from './freshness';

/** The histogram's samples; prom-client names each (`_bucket`, `_sum`, `_count`) beyond its type. */
async function series(registry: Registry) {
  const metric = await registry.getSingleMetric('chronicle_freshness_seconds')?.get();
  return (metric?.values ?? []) as { metricName?: string; labels: Record<string, unknown>; value: number }[];
}

describe('FreshnessMetric', () => {
  it('starts both series of its store at zero, with the documented buckets', async () => {
    const registry = new Registry();
    new FreshnessMetric(registry, 'postgres');
    const values = await series(registry);
    const counts = values.filter((v) => v.metricName === 'chronicle_freshness_seconds_count');
    expect(counts.map((v) => [v.labels['since'], v.value])).toEqual([
      ['event_time', 0],
      ['kafka_append', 0],
    ]);
    const buckets = values
      .filter(
        (v) => v.metricName === 'chronicle_freshness_seconds_bucket' && v.labels['since'] === 'event_time',
      )
      .map((v) => v.labels['le']);
    expect(buckets).toEqual([...FRESHNESS_BUCKETS, '+Inf']);
  });

  it('observes stored time − event time and stored time − Kafka timestamp, in seconds', async () => {
    const registry = new Registry();
    const freshness = new FreshnessMetric(registry, 'clickhouse');
    freshness.observe(10_000, 7_000, 9_900);
    freshness.observe(10_000, 9_000, 9_950);
    const values = await series(registry);
    const sum = (since: string) =>
      values.find((v) => v.metricName === 'chronicle_freshness_seconds_sum' && v.labels['since'] === since)
        ?.value;
    const count = (since: string) =>
      values.find((v) => v.metricName === 'chronicle_freshness_seconds_count' && v.labels['since'] === since)
        ?.value;
    expect([count('event_time'), sum('event_time')]).toEqual([2, 4]);
    expect(count('kafka_append')).toBe(2);
    expect(sum('kafka_append')).toBeCloseTo(0.15, 9);
    expect(values.every((v) => v.labels['store'] === 'clickhouse')).toBe(true);
  });

  it('counts a time ahead of the store as 0 s, and leaves out a missing time', async () => {
    const registry = new Registry();
    const freshness = new FreshnessMetric(registry, 'postgres');
    freshness.observe(10_000, 12_000, -1);
    freshness.observe(10_000, Number.NaN, 9_000);
    const values = await series(registry);
    const pick = (name: string, since: string) =>
      values.find((v) => v.metricName === name && v.labels['since'] === since)?.value;
    expect(pick('chronicle_freshness_seconds_count', 'event_time')).toBe(1);
    expect(pick('chronicle_freshness_seconds_sum', 'event_time')).toBe(0);
    expect(pick('chronicle_freshness_seconds_count', 'kafka_append')).toBe(1);
    expect(pick('chronicle_freshness_seconds_sum', 'kafka_append')).toBe(1);
  });

  it('shares one histogram between the stores of one registry', async () => {
    const registry = new Registry();
    new FreshnessMetric(registry, 'postgres');
    new FreshnessMetric(registry, 'clickhouse');
    const stores = new Set((await series(registry)).map((v) => v.labels['store']));
    expect(stores).toEqual(new Set(['postgres', 'clickhouse']));
  });
});
