import { EXPORT_FORMATS } from '@chronicle/events-store';
import { initialiseCounter } from '@chronicle/observability';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What POST /v1/events does with each event it receives. */
const COLLECTED_RESULTS = ['accepted', 'rejected'] as const;
type CollectedResult = (typeof COLLECTED_RESULTS)[number];

/**
 * The gateway's own metrics, beside the Node defaults and the SDK's (audit events) in the same
 * registry. Every labelled counter starts at 0 for each value it can take.
 */
export class GatewayMetrics {
  readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly collected: Counter<'result'>;
  readonly exportedRows: Counter<'format'>;
  readonly liveSubscribers: Gauge;
  readonly liveDelivered: Counter;

  constructor(registry: Registry) {
    this.requestDuration = new Histogram({
      name: 'chronicle_gateway_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status (streams: until the response ends).',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers: [registry],
    });
    this.collected = new Counter({
      name: 'chronicle_gateway_collected_events_total',
      help: 'Events received by POST /v1/events, by result (accepted: acknowledged by Kafka; rejected: invalid).',
      labelNames: ['result'],
      registers: [registry],
    });
    initialiseCounter(this.collected, { result: COLLECTED_RESULTS });
    this.exportedRows = new Counter({
      name: 'chronicle_gateway_exported_rows_total',
      help: 'Rows sent by the admin export, by format.',
      labelNames: ['format'],
      registers: [registry],
    });
    initialiseCounter(this.exportedRows, { format: EXPORT_FORMATS });
    this.liveSubscribers = new Gauge({
      name: 'chronicle_gateway_live_subscribers',
      help: 'Open live-feed subscriptions (SSE and GraphQL).',
      registers: [registry],
    });
    this.liveDelivered = new Counter({
      name: 'chronicle_gateway_live_delivered_total',
      help: 'Activities pushed to live-feed subscribers (one per subscriber it matched).',
      registers: [registry],
    });
  }

  /** Counts the analytics cache's answers (hit) and computations (miss), read from `stats` at each scrape. */
  observeAnalyticsCache(registry: Registry, stats: () => { hits: number; misses: number }): void {
    new Counter({
      name: 'chronicle_gateway_analytics_cache_lookups_total',
      help: 'Analytics results looked up in the cache, by result (hit: answered from it; miss: computed).',
      labelNames: ['result'],
      registers: [registry],
      collect() {
        const { hits, misses } = stats();
        this.reset();
        this.inc({ result: 'hit' }, hits);
        this.inc({ result: 'miss' }, misses);
      },
    });
  }

  /** One POST /v1/events: how many of its events were accepted (acknowledged by Kafka) and rejected. */
  countCollected(counts: Record<CollectedResult, number>): void {
    for (const result of COLLECTED_RESULTS) this.collected.inc({ result }, counts[result]);
  }
}
