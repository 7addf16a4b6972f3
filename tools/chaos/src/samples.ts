import { addBuckets, bucketDelta, bucketQuantile, type Buckets } from '@chronicle/bench';

export type GroupName = 'ingest' | 'analytics';
export type StoreName = 'postgres' | 'clickhouse';

/** What the sampler saw at one moment: each group's lag and each worker's freshness histogram. */
export interface Sample {
  at: number;
  /** Records published to the events topic and not yet committed by the group; absent when the broker did not answer. */
  lag: Partial<Record<GroupName, number>>;
  /** By worker (its ops URL): the cumulative freshness buckets of its store, since the Kafka append. */
  freshness: Map<string, { store: StoreName; buckets: Buckets }>;
}

export interface WindowFigures {
  peakLag: Partial<Record<GroupName, number>>;
  /** Seconds; absent when the store acknowledged nothing in the window. */
  freshnessP99: Partial<Record<StoreName, number>>;
}

/** The peak lag and the freshness p99 of each store between `from` and `to` (ms). */
export function windowFigures(samples: readonly Sample[], from: number, to: number): WindowFigures {
  const inside = samples.filter((sample) => sample.at >= from && sample.at <= to);
  const before = samples.filter((sample) => sample.at < from);
  const peakLag: WindowFigures['peakLag'] = {};
  for (const sample of inside)
    for (const [group, lag] of Object.entries(sample.lag) as [GroupName, number][])
      peakLag[group] = Math.max(peakLag[group] ?? 0, lag);

  // Per worker: its last scrape in the window minus its last one before (a worker started inside the
  // window counts from zero; one killed inside it counts up to its last scrape).
  const observed: Record<StoreName, Buckets> = { postgres: new Map(), clickhouse: new Map() };
  const workers = new Set(inside.flatMap((sample) => [...sample.freshness.keys()]));
  for (const worker of workers) {
    const last = [...inside]
      .reverse()
      .find((sample) => sample.freshness.has(worker))
      ?.freshness.get(worker);
    const baseline = [...before]
      .reverse()
      .find((sample) => sample.freshness.has(worker))
      ?.freshness.get(worker);
    if (last) addBuckets(observed[last.store], bucketDelta(last.buckets, baseline?.buckets));
  }
  const freshnessP99: WindowFigures['freshnessP99'] = {};
  for (const store of ['postgres', 'clickhouse'] as const) {
    const p99 = bucketQuantile(0.99, observed[store]);
    if (p99 !== undefined) freshnessP99[store] = p99;
  }
  return { peakLag, freshnessP99 };
}

/**
 * The first moment after `after` from which both groups' lag stays at or under `threshold` for
 * `holdMs`: recovered, not merely passing through a low point. Undefined if it has not happened yet.
 * A sample in which the brokers did not answer for a group is a gap: it neither breaks the hold nor
 * proves it (on a saturated machine the lag query times out while the pipeline is fine).
 */
export function recoveredAt(
  samples: readonly Sample[],
  after: number,
  threshold: number,
  holdMs: number,
): number | undefined {
  let since: number | undefined;
  for (const sample of samples) {
    if (sample.at < after) continue;
    const { ingest, analytics } = sample.lag;
    if (ingest === undefined || analytics === undefined) continue;
    if (ingest > threshold || analytics > threshold) since = undefined;
    else {
      since ??= sample.at;
      if (sample.at - since >= holdMs) return since;
    }
  }
  return undefined;
}

/** The highest lag of either group between `from` and `to` (0 when no sample answered). */
export function peakLagBetween(samples: readonly Sample[], from: number, to: number): number {
  const { ingest = 0, analytics = 0 } = windowFigures(samples, from, to).peakLag;
  return Math.max(ingest, analytics);
}
