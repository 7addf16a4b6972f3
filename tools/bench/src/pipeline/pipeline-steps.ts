import { bucketQuantile, type Buckets } from '../histogram';

/** The freshness target: 99% of events queryable in their store within this many seconds. */
export const FRESHNESS_TARGET_SECONDS = 2;
const WITHIN_TARGET = 0.99;
/** A step whose stores took less than this share of the offered rate fell behind. */
const DELIVERED_SHARE = 0.95;

export interface StoreWindow {
  /** Freshness observations in the window (since the Kafka append), cumulative buckets. */
  freshness: Buckets;
}

export interface StepFigures {
  offeredRate: number;
  seconds: number;
  published: number;
  dropped: number;
  stores: Record<'postgres' | 'clickhouse', StoreWindow>;
}

export interface StepVerdict {
  sustained: boolean;
  /** Stored events per second, per store. */
  storedRate: Record<'postgres' | 'clickhouse', number>;
  /** Estimated p99 (interpolated inside its bucket) and the exact share within the target, per store. */
  p99: Record<'postgres' | 'clickhouse', number | undefined>;
  withinTarget: Record<'postgres' | 'clickhouse', number>;
  why?: string;
}

/**
 * A rate is sustained when the SDK dropped nothing, both stores stored at least 95% of what was
 * offered, and in each store 99% of the events were queryable within 2 s of their Kafka append (the
 * pipeline's own delay: the simulator's events carry the time of its traffic model, not the wall
 * clock's). The share is exact: 2 s is a bucket bound of chronicle_freshness_seconds.
 */
export function judgeStep(step: StepFigures): StepVerdict {
  const stores = ['postgres', 'clickhouse'] as const;
  const total = (buckets: Buckets) => buckets.get(Infinity) ?? 0;
  const storedRate = { postgres: 0, clickhouse: 0 };
  const p99: StepVerdict['p99'] = { postgres: undefined, clickhouse: undefined };
  const withinTarget = { postgres: 0, clickhouse: 0 };
  const reasons: string[] = [];
  if (step.dropped > 0) reasons.push(`the SDK dropped ${step.dropped} events`);
  for (const store of stores) {
    const { freshness } = step.stores[store];
    const observed = total(freshness);
    storedRate[store] = observed / step.seconds;
    p99[store] = bucketQuantile(0.99, freshness);
    withinTarget[store] = observed === 0 ? 0 : (freshness.get(FRESHNESS_TARGET_SECONDS) ?? 0) / observed;
    if (storedRate[store] < DELIVERED_SHARE * step.offeredRate)
      reasons.push(`${store} stored ${Math.round(storedRate[store])}/s of ${step.offeredRate}/s offered`);
    if (withinTarget[store] < WITHIN_TARGET)
      reasons.push(
        `${store}: ${(100 * withinTarget[store]).toFixed(1)}% within ${FRESHNESS_TARGET_SECONDS} s (99% needed)`,
      );
  }
  return {
    sustained: reasons.length === 0,
    storedRate,
    p99,
    withinTarget,
    ...(reasons.length > 0 ? { why: reasons.join('; ') } : {}),
  };
}

/**
 * The offered rates, rising: each step `factor` times the last, rounded to a hundred, up to `max`.
 * The search stops at the first step that is not sustained.
 */
export function risingRates(start: number, factor: number, max: number): number[] {
  if (!(start > 0) || !(factor > 1) || !(max >= start))
    throw new Error('rates: need start > 0, factor > 1 and max ≥ start');
  const rates: number[] = [];
  for (let rate = start; rate <= max; rate = Math.max(rate + 100, Math.round((rate * factor) / 100) * 100))
    rates.push(rate);
  return rates;
}
