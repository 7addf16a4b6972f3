import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The gateway's own metrics, beside the Node defaults and the SDK's (audit events) in the same registry. */
export class GatewayMetrics {
  readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly collected: Counter<'result'>;
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
    this.exportedRows = new Counter({
      name: 'chronicle_gateway_exported_rows_total',
      help: 'Rows sent by the admin export, by format.',
      labelNames: ['format'],
      registers: [registry],
    });
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
}
