import { Histogram, type Registry } from 'prom-client';

/** The stores an event becomes queryable in; each worker observes its own. */
export type FreshnessStore = 'postgres' | 'clickhouse';

/** From 50 ms (a healthy pipeline) to a day (a backlog replayed after an outage). */
export const FRESHNESS_BUCKETS = [
  0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1_800, 3_600, 21_600, 86_400,
] as const;

const FRESHNESS_METRIC = 'chronicle_freshness_seconds';

/**
 * `chronicle_freshness_seconds{store,since}`: how old a record is when its store acknowledges it,
 * measured from the event's own `time` (`since="event_time"`: what a user waits for, producer delays
 * included) and from its Kafka timestamp (`since="kafka_append"`: the pipeline's own delay). Both
 * series exist from the start, at zero.
 */
export class FreshnessMetric {
  private readonly sinceEvent: Histogram.Internal<'store' | 'since'>;
  private readonly sinceAppend: Histogram.Internal<'store' | 'since'>;

  constructor(registry: Registry, store: FreshnessStore) {
    const histogram =
      (registry.getSingleMetric(FRESHNESS_METRIC) as Histogram<'store' | 'since'> | undefined) ??
      new Histogram({
        name: FRESHNESS_METRIC,
        help: "Seconds from an event's time (since=event_time) or its Kafka timestamp (since=kafka_append) to its store's acknowledgement, per stored record.",
        labelNames: ['store', 'since'],
        buckets: [...FRESHNESS_BUCKETS],
        registers: [registry],
      });
    const sinceEvent = { store, since: 'event_time' };
    const sinceAppend = { store, since: 'kafka_append' };
    histogram.zero(sinceEvent);
    histogram.zero(sinceAppend);
    this.sinceEvent = histogram.labels(sinceEvent);
    this.sinceAppend = histogram.labels(sinceAppend);
  }

  /**
   * One record the store has just acknowledged at `storedAtMs`. A time ahead of the store's clock
   * (a producer's clock runs fast) counts as fresh, 0 s; a missing one (NaN, or Kafka's -1) is left out.
   */
  observe(storedAtMs: number, eventTimeMs: number, appendTimeMs: number): void {
    if (Number.isFinite(eventTimeMs)) this.sinceEvent.observe(Math.max(0, storedAtMs - eventTimeMs) / 1000);
    if (Number.isFinite(appendTimeMs) && appendTimeMs > 0)
      this.sinceAppend.observe(Math.max(0, storedAtMs - appendTimeMs) / 1000);
  }
}
