import fc from 'fast-check';
import { addBuckets, bucketDelta, bucketQuantile, readBuckets, type Buckets } from './histogram';

const page = (counts: number[], labels = 'store="postgres",since="event_time"') =>
  [0.1, 1, 10, Infinity]
    .map(
      (le, i) =>
        `chronicle_freshness_seconds_bucket{${labels},le="${le === Infinity ? '+Inf' : le}"} ${counts[i]}`,
    )
    .join('\n');

describe('freshness histograms', () => {
  it('reads the buckets of one label set, summed over the others', () => {
    const text = `${page([1, 2, 3, 4])}\n${page([5, 6, 7, 8], 'store="clickhouse",since="event_time"')}`;
    expect([...readBuckets(text, 'chronicle_freshness_seconds', { store: 'postgres' })]).toEqual([
      [0.1, 1],
      [1, 2],
      [10, 3],
      [Infinity, 4],
    ]);
  });

  it('interpolates inside the bucket like histogram_quantile', () => {
    const buckets: Buckets = new Map([
      [1, 0],
      [2, 100],
      [Infinity, 100],
    ]);
    expect(bucketQuantile(0.5, buckets)).toBeCloseTo(1.5);
    expect(bucketQuantile(0.99, buckets)).toBeCloseTo(1.99);
    expect(bucketQuantile(0.99, new Map([[Infinity, 0]]))).toBeUndefined();
    // Beyond the last finite bound: the bound itself.
    expect(
      bucketQuantile(
        0.99,
        new Map([
          [1, 0],
          [Infinity, 5],
        ]),
      ),
    ).toBe(1);
  });

  it('subtracts an earlier scrape and adds processes together', () => {
    const later: Buckets = new Map([
      [1, 10],
      [Infinity, 12],
    ]);
    expect([
      ...bucketDelta(
        later,
        new Map([
          [1, 4],
          [Infinity, 4],
        ]),
      ),
    ]).toEqual([
      [1, 6],
      [Infinity, 8],
    ]);
    expect([...bucketDelta(later, undefined)]).toEqual([...later]);
    expect([...addBuckets(new Map([[1, 1]]), later)]).toEqual([
      [1, 11],
      [Infinity, 12],
    ]);
  });

  it('gives a quantile inside the bounds, rising with q', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(100), { minLength: 1, maxLength: 6 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (increments, q) => {
          const bounds = [0.05, 0.5, 1, 5, 30, 300];
          let total = 0;
          const buckets: Buckets = new Map();
          increments.forEach((n, i) => buckets.set(bounds[i] as number, (total += n)));
          buckets.set(Infinity, total);
          const value = bucketQuantile(q, buckets);
          if (total === 0) return value === undefined;
          const lower = bucketQuantile(q / 2, buckets) as number;
          return value !== undefined && value >= 0 && value <= 300 && lower <= value + 1e-9;
        },
      ),
    );
  });
});
