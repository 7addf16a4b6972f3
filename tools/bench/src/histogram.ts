import { metricSamples } from '@chronicle/observability';

/** A Prometheus histogram's cumulative bucket counts, by upper bound (`le`), +Inf last. */
export type Buckets = Map<number, number>;

/** The cumulative buckets of `metric` with `labels` on one /metrics page (summed over other labels). */
export function readBuckets(text: string, metric: string, labels: Record<string, string>): Buckets {
  const buckets: Buckets = new Map();
  for (const sample of metricSamples(text, `${metric}_bucket`, labels)) {
    const le = sample.labels['le'] === '+Inf' ? Infinity : Number(sample.labels['le']);
    buckets.set(le, (buckets.get(le) ?? 0) + sample.value);
  }
  return buckets;
}

/** `later - earlier`, bucket by bucket: what was observed between two scrapes of one process. */
export function bucketDelta(later: Buckets, earlier: Buckets | undefined): Buckets {
  const delta: Buckets = new Map();
  for (const [le, count] of later) delta.set(le, count - (earlier?.get(le) ?? 0));
  return delta;
}

export function addBuckets(into: Buckets, more: Buckets): Buckets {
  for (const [le, count] of more) into.set(le, (into.get(le) ?? 0) + count);
  return into;
}

/**
 * The q-quantile of cumulative buckets, interpolated linearly inside its bucket as Prometheus's
 * histogram_quantile does; undefined without observations. In the +Inf bucket it is the highest bound.
 */
export function bucketQuantile(q: number, buckets: Buckets): number | undefined {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? buckets.get(bounds[bounds.length - 1] as number) ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound) ?? 0;
    if (count >= rank) {
      if (bound === Infinity) return lower;
      return lower + ((bound - lower) * (rank - below)) / Math.max(count - below, 1e-12);
    }
    lower = bound;
    below = count;
  }
  return lower;
}
