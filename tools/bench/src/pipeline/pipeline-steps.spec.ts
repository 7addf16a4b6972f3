import fc from 'fast-check';
import { judgeStep, risingRates, type StepFigures } from './pipeline-steps';
import { parseProcStat } from './process-cpu';

/** Cumulative freshness buckets with `fast` observations at ≤ 1 s and `slow` ones in (2, 5]. */
const buckets = (fast: number, slow: number) =>
  new Map([
    [1, fast],
    [2, fast],
    [5, fast + slow],
    [Infinity, fast + slow],
  ]);

const step = (overrides: Partial<StepFigures> = {}): StepFigures => ({
  offeredRate: 1_000,
  seconds: 10,
  published: 10_000,
  dropped: 0,
  stores: { postgres: { freshness: buckets(10_000, 0) }, clickhouse: { freshness: buckets(10_000, 0) } },
  ...overrides,
});

describe('a pipeline bench step', () => {
  it('is sustained when nothing is dropped, both stores keep up and 99% are fresh within 2 s', () => {
    const verdict = judgeStep(step());
    expect(verdict).toMatchObject({
      sustained: true,
      storedRate: { postgres: 1_000, clickhouse: 1_000 },
      withinTarget: { postgres: 1, clickhouse: 1 },
    });
    expect(verdict.why).toBeUndefined();
  });

  it('is not sustained when more than 1% of a store’s events took over 2 s, and says which', () => {
    const verdict = judgeStep(
      step({
        stores: {
          postgres: { freshness: buckets(9_890, 110) },
          clickhouse: { freshness: buckets(10_000, 0) },
        },
      }),
    );
    expect(verdict.sustained).toBe(false);
    expect(verdict.why).toBe('postgres: 98.9% within 2 s (99% needed)');
    expect(verdict.p99.postgres).toBeGreaterThan(2);
  });

  it('is not sustained when the SDK dropped events or a store fell behind the offered rate', () => {
    expect(judgeStep(step({ dropped: 3 })).why).toBe('the SDK dropped 3 events');
    const behind = judgeStep(
      step({
        stores: { postgres: { freshness: buckets(10_000, 0) }, clickhouse: { freshness: buckets(9_000, 0) } },
      }),
    );
    expect(behind.why).toBe('clickhouse stored 900/s of 1000/s offered');
  });

  it('holds 99% within 2 s as the boundary, for any mix of fast and slow events', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (fast, slow) => {
          // One event a second offered over one second: the stores always keep up, freshness decides.
          const figures = step({
            offeredRate: 1,
            seconds: 1,
            stores: {
              postgres: { freshness: buckets(fast, slow) },
              clickhouse: { freshness: buckets(fast, 0) },
            },
          });
          return judgeStep(figures).sustained === fast / (fast + slow) >= 0.99;
        },
      ),
    );
  });
});

describe('rising rates', () => {
  it('multiply from the start, rounded to a hundred, up to the maximum', () => {
    expect(risingRates(2_000, 1.5, 20_000)).toEqual([2_000, 3_000, 4_500, 6_800, 10_200, 15_300]);
  });

  it('always rise, even when the factor is too small to change a rounded rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.double({ min: 1.001, max: 4, noNaN: true }),
        (start, factor) => {
          const rates = risingRates(start, factor, start + 10_000);
          return rates[0] === start && rates.every((rate, i) => i === 0 || rate > (rates[i - 1] as number));
        },
      ),
    );
  });

  it('refuses a range that cannot rise', () => {
    expect(() => risingRates(0, 1.5, 10)).toThrow('rates: need start > 0, factor > 1 and max ≥ start');
    expect(() => risingRates(100, 1, 1_000)).toThrow();
    expect(() => risingRates(100, 2, 50)).toThrow();
  });
});

describe('/proc/<pid>/stat', () => {
  it('reads the parent and the CPU ticks after a command name holding spaces and parentheses', () => {
    const fields = ['S', '77', ...Array.from({ length: 9 }, () => '0'), '120', '30', '5', '2', '20', '0'];
    expect(parseProcStat(`4242 (node (my worker)) ${fields.join(' ')}`)).toEqual({
      ppid: 77,
      ownTicks: 150,
      reapedChildrenTicks: 7,
    });
  });
});
