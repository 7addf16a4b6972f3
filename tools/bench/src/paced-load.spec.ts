import { freshnessPercentiles } from './paced-load';

/** A /metrics page with one freshness histogram per store and clock. */
const page = [
  '# TYPE chronicle_freshness_seconds histogram',
  ...[
    ['clickhouse', 'kafka_append', [0, 50, 100, 100]],
    ['clickhouse', 'event_time', [100, 100, 100, 100]],
    ['postgres', 'kafka_append', [100, 100, 100, 100]],
  ].flatMap(([store, since, counts]) =>
    ([0.5, 1, 2, '+Inf'] as const).map(
      (le, i) =>
        `chronicle_freshness_seconds_bucket{le="${le}",store="${String(store)}",since="${String(since)}"} ${(counts as number[])[i]}`,
    ),
  ),
].join('\n');

describe('freshnessPercentiles', () => {
  it('reads the store’s histogram since the Kafka append, interpolated within buckets', () => {
    // Half of the 100 observations are under 1 s, all under 2 s.
    expect(freshnessPercentiles(page, 'clickhouse')).toEqual({ p50: 1, p99: expect.closeTo(1.98, 5) });
    expect(freshnessPercentiles(page, 'postgres').p99).toBeLessThanOrEqual(0.5);
  });

  it('is NaN for a store that observed nothing', () => {
    const { p50, p99 } = freshnessPercentiles('', 'clickhouse');
    expect([p50, p99]).toEqual([Number.NaN, Number.NaN]);
  });
});
