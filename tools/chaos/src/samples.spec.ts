import { peakLagBetween, recoveredAt, windowFigures, type Sample } from './samples';

const sample = (
  at: number,
  ingest?: number,
  analytics?: number,
  fresh: Array<[string, number, number]> = [],
): Sample => ({
  at,
  lag: { ...(ingest === undefined ? {} : { ingest }), ...(analytics === undefined ? {} : { analytics }) },
  freshness: new Map(
    fresh.map(([worker, fast, total]) => [
      worker,
      {
        store: worker.startsWith('i') ? 'postgres' : 'clickhouse',
        buckets: new Map([
          [1, fast],
          [10, total],
          [Infinity, total],
        ]),
      },
    ]),
  ),
});

describe('fault window figures', () => {
  it('takes the peak lag of each group inside the window only', () => {
    const samples = [
      sample(0, 900, 900),
      sample(10, 5, 50),
      sample(20, 400),
      sample(30, 1, 1),
      sample(40, 999, 999),
    ];
    expect(windowFigures(samples, 10, 30).peakLag).toEqual({ ingest: 400, analytics: 50 });
  });

  it("counts each worker's observations since the window's start, a new worker from zero", () => {
    const samples = [
      sample(0, 0, 0, [['i1', 100, 100]]),
      // Inside: i1 observes 100 more, all slower than 1 s; i2 (started inside) 100, all fast.
      sample(10, 0, 0, [
        ['i1', 100, 200],
        ['i2', 100, 100],
      ]),
    ];
    const { freshnessP99 } = windowFigures(samples, 5, 10);
    // 200 observations, 100 at ≤ 1 s and 100 in (1, 10]: the p99 lies near the top of the second bucket.
    expect(freshnessP99.postgres).toBeCloseTo(1 + (9 * (198 - 100)) / 100);
    expect(freshnessP99.clickhouse).toBeUndefined();
  });

  it('has recovered once both groups stay low for the hold time, not at a dip', () => {
    const samples = [
      sample(0, 500, 500),
      sample(1, 10, 10),
      sample(2, 600, 10),
      sample(3, 5, 5),
      sample(5, 5, 5),
      sample(8, 5, 5),
    ];
    expect(recoveredAt(samples, 0, 100, 2)).toBe(3);
    expect(recoveredAt(samples, 0, 100, 10)).toBeUndefined();
    expect(recoveredAt(samples, 4, 100, 2)).toBe(5);
  });

  it('takes a sample the brokers did not answer as a gap: it neither breaks nor proves the hold', () => {
    const gapInside = [sample(0, 5, 5), sample(1, 5), sample(2), sample(3, 5, 5)];
    expect(recoveredAt(gapInside, 0, 100, 3)).toBe(0);
    const onlyGaps = [sample(0, 5), sample(1), sample(2, undefined, 5), sample(5)];
    expect(recoveredAt(onlyGaps, 0, 100, 1)).toBeUndefined();
    const highAfterGap = [sample(0, 5, 5), sample(1), sample(2, 500, 5), sample(3, 5, 5), sample(4, 5, 5)];
    expect(recoveredAt(highAfterGap, 0, 100, 1)).toBe(3);
  });

  it("takes the normal lag as the highest of either group's inside the window", () => {
    const samples = [sample(0, 900, 900), sample(10, 40, 70), sample(20, 90), sample(30, 999, 999)];
    expect(peakLagBetween(samples, 5, 25)).toBe(90);
    expect(peakLagBetween(samples, 31, 40)).toBe(0);
  });
});
