/*
 * Seeded randomness for the traffic model. Math.random cannot be seeded, and the model must be a pure
 * function of its seed: the same seed replays the same traffic, which is what makes a benchmark or a
 * demo reproducible and a test of the model possible.
 */

/** A 32-bit seed from a number or any string (FNV-1a), so `--seed demo` works as well as `--seed 42`. */
export function seedFromString(seed: string | number): number {
  const text = String(seed);
  if (/^[0-9]+$/.test(text) && Number(text) <= 0xffffffff) return Number(text) >>> 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A stateless hash of up to three integers to [0, 1): the model's answer to "is user 17 active on
 * day 20512?" must not depend on how many draws happened before, or the population would change with
 * the rate.
 */
export function hashUnit(seed: number, a: number, b = 0): number {
  let h = finalizeHash((seed + Math.imul(a, 0x9e3779b1)) | 0);
  h = finalizeHash(h ^ Math.imul(b + 1, 0x85ebca77));
  return (h >>> 0) / 4294967296;
}

/** murmur3's 32-bit finalizer: every input bit affects every output bit. */
function finalizeHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

const BASE36_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, fast, passes PractRand. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // The first outputs of a fresh sfc32 still resemble the seed.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Exponentially distributed with the given mean (waiting times between independent events). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Log-normal around `median`, `spread` = the factor one standard deviation away (sizes, durations). */
  logNormal(median: number, spread: number): number {
    // Box–Muller; one of the pair is enough here.
    const u = 1 - this.next();
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.pow(spread, z);
  }

  /** Geometric: failures before the first success, mean (1 - p) / p (list positions, retries). */
  geometric(p: number): number {
    return Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
  }

  /** A random base-36 token of `length` characters for opaque ids (request, session, collection). */
  token(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += BASE36_DIGITS[this.nextUint32() % 36];
    return text;
  }
}

/** A fixed discrete distribution, built once, sampled in O(log n). */
export class WeightedChoice<T> {
  private readonly values: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(weighted: ReadonlyArray<readonly [T, number]>) {
    if (weighted.length === 0) throw new Error('WeightedChoice needs at least one value');
    this.values = weighted.map(([value]) => value);
    this.cumulative = cumulativeWeights(weighted.map(([, weight]) => weight));
  }

  sample(prng: Prng): T {
    return this.values[sampleCumulative(this.cumulative, prng.next())] as T;
  }
}

/** Running sums normalised to end at 1. */
export function cumulativeWeights(weights: ArrayLike<number>): Float64Array {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i] as number;
    if (!(weight >= 0)) throw new Error(`weights must be non-negative numbers, got ${weight}`);
    total += weight;
    cumulative[i] = total;
  }
  if (total <= 0) throw new Error('weights must not all be zero');
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = (cumulative[i] as number) / total;
  return cumulative;
}

/** The first index whose running sum exceeds `unit` (binary search). */
export function sampleCumulative(cumulative: Float64Array, unit: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cumulative[mid] as number) > unit) high = mid;
    else low = mid + 1;
  }
  return low;
}
