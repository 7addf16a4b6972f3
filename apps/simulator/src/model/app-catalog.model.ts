import { cumulativeWeights, hashUnit, Prng, sampleCumulative } from './prng.util';

/** Zipf's exponent of app popularity: the top 1% of apps get a large share of the views, the tail a long trickle. */
const ZIPF_EXPONENT = 1.1;

/**
 * The store's apps: ids, a version and a package size each, and a popularity that follows Zipf's law
 * over a shuffled ranking (so that `app_1` is not simply the most popular one).
 */
export class AppCatalog {
  readonly size: number;
  private readonly appOfRank: Int32Array;
  private readonly cumulative: Float64Array;
  private readonly ids: string[];
  private readonly versions: string[];
  private readonly sizes: Float64Array;

  constructor(seed: number, count: number) {
    this.size = count;
    const prng = new Prng(seed ^ 0x0a9b_ca7a);
    this.appOfRank = Int32Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i--) {
      const j = prng.int(0, i);
      const swap = this.appOfRank[i] as number;
      this.appOfRank[i] = this.appOfRank[j] as number;
      this.appOfRank[j] = swap;
    }
    this.cumulative = cumulativeWeights(
      Float64Array.from({ length: count }, (_, rank) => 1 / Math.pow(rank + 1, ZIPF_EXPONENT)),
    );
    this.ids = Array.from({ length: count }, (_, app) => `app_${app + 1}`);
    this.versions = Array.from({ length: count }, (_, app) => {
      const major = 1 + Math.floor(hashUnit(seed, app, 1) * 12);
      const minor = Math.floor(hashUnit(seed, app, 2) * 20);
      const patch = Math.floor(hashUnit(seed, app, 3) * 30);
      return `${major}.${minor}.${patch}`;
    });
    this.sizes = Float64Array.from({ length: count }, () =>
      Math.round(Math.min(4e9, Math.max(1e6, prng.logNormal(4e7, 3)))),
    );
  }

  /** An app drawn by popularity. */
  sample(prng: Prng): number {
    return this.appOfRank[sampleCumulative(this.cumulative, prng.next())] as number;
  }

  id(app: number): string {
    return this.ids[app] as string;
  }

  version(app: number): string {
    return this.versions[app] as string;
  }

  sizeBytes(app: number): number {
    return this.sizes[app] as number;
  }
}
