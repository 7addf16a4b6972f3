import {
  cumulativeWeights,
  hashUnit,
  Prng,
  sampleCumulative,
  seedFromString,
  WeightedChoice,
} from './prng.util';

function draws(prng: Prng, n: number, draw: (prng: Prng) => number = (p) => p.next()): number[] {
  return Array.from({ length: n }, () => draw(prng));
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('Prng', () => {
  it('replays the same sequence for the same seed and another for another seed', () => {
    expect(draws(new Prng(42), 1000)).toEqual(draws(new Prng(42), 1000));
    expect(draws(new Prng(42), 1000)).not.toEqual(draws(new Prng(43), 1000));
  });

  it('draws uniformly in [0, 1)', () => {
    const values = draws(new Prng(7), 100_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(mean(values)).toBeCloseTo(0.5, 2);
    // Each tenth of the range gets about a tenth of the draws.
    const deciles = new Map<number, number>();
    for (const value of values)
      deciles.set(Math.floor(value * 10), (deciles.get(Math.floor(value * 10)) ?? 0) + 1);
    expect(deciles.size).toBe(10);
    for (const count of deciles.values()) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('draws integers in the inclusive range, every one of them', () => {
    const values = draws(new Prng(1), 10_000, (p) => p.int(3, 7));
    expect(new Set(values)).toEqual(new Set([3, 4, 5, 6, 7]));
  });

  it('has the means its distributions promise', () => {
    const prng = new Prng(9);
    expect(mean(draws(prng, 50_000, (p) => p.exponential(25)))).toBeCloseTo(25, 0);
    expect(mean(draws(prng, 50_000, (p) => p.geometric(0.25)))).toBeCloseTo(3, 0);
    const sizes = draws(prng, 50_001, (p) => p.logNormal(100, 2)).sort((a, b) => a - b);
    expect(sizes[25_000]).toBeGreaterThan(95);
    expect(sizes[25_000]).toBeLessThan(105);
    expect(draws(prng, 10_000, (p) => (p.chance(0.3) ? 1 : 0)).filter(Boolean).length).toBeGreaterThan(2_800);
  });

  it('makes base-36 tokens of the asked length', () => {
    const token = new Prng(3).token(12);
    expect(token).toMatch(/^[0-9a-z]{12}$/);
  });

  it('picks every item of a list', () => {
    const prng = new Prng(5);
    expect(new Set(draws(prng, 1000, (p) => p.pick([10, 20, 30])))).toEqual(new Set([10, 20, 30]));
  });
});

describe('seedFromString', () => {
  it('takes a number as is and hashes anything else to 32 bits', () => {
    expect(seedFromString('42')).toBe(42);
    expect(seedFromString(7)).toBe(7);
    expect(seedFromString('demo')).toBe(seedFromString('demo'));
    expect(seedFromString('demo')).not.toBe(seedFromString('demo2'));
    expect(seedFromString('99999999999')).toBeLessThanOrEqual(0xffffffff);
  });
});

describe('hashUnit', () => {
  it('is a function of its arguments only, and spreads them uniformly', () => {
    expect(hashUnit(1, 17, 20_512)).toBe(hashUnit(1, 17, 20_512));
    const values = Array.from({ length: 20_000 }, (_, user) => hashUnit(1, user, 20_512));
    expect(mean(values)).toBeCloseTo(0.5, 1);
    expect(values.filter((v) => v < 0.1).length).toBeGreaterThan(1_800);
    expect(values.filter((v) => v < 0.1).length).toBeLessThan(2_200);
    expect(hashUnit(1, 17, 20_512)).not.toBe(hashUnit(1, 17, 20_513));
    expect(hashUnit(1, 17, 20_512)).not.toBe(hashUnit(2, 17, 20_512));
  });
});

describe('WeightedChoice', () => {
  it('draws values in proportion to their weights', () => {
    const choice = new WeightedChoice([
      ['a', 70],
      ['b', 20],
      ['c', 10],
    ]);
    const prng = new Prng(11);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 100_000; i++) counts[choice.sample(prng) as 'a' | 'b' | 'c']++;
    expect(counts.a / 100_000).toBeCloseTo(0.7, 1);
    expect(counts.b / 100_000).toBeCloseTo(0.2, 1);
    expect(counts.c / 100_000).toBeCloseTo(0.1, 1);
  });

  it('refuses no values, negative weights and all-zero weights', () => {
    expect(() => new WeightedChoice([])).toThrow('at least one value');
    expect(() => cumulativeWeights([1, -1])).toThrow('non-negative');
    expect(() => cumulativeWeights([0, 0])).toThrow('not all be zero');
  });

  it('never picks a value of weight zero', () => {
    const cumulative = cumulativeWeights([0, 1, 0]);
    expect(sampleCumulative(cumulative, 0)).toBe(1);
    expect(sampleCumulative(cumulative, 0.999_999)).toBe(1);
  });
});
