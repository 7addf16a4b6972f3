import type { ActivityEvent } from '@chronicle/contracts';
import type { BatchPublisher, EncodedBatch } from './batch-publisher';

interface HttpBatch extends EncodedBatch {
  body: string;
}

export interface HttpTransportOptions {
  kind: 'http';
  /** The gateway's collector, e.g. `https://chronicle.example.com/v1/events`. */
  url: string;
  /** An API key of the gateway's `GATEWAY_API_KEYS`, for this client's `source`; sent as `X-API-Key`. */
  apiKey: string;
  /** How long one request may take before it is abandoned and retried. Defaults to 30 s. */
  timeoutMs?: number;
}

/** The collector's reply (docs/gateway.md, Collector). */
interface CollectReply {
  results?: { index: number; status: 'accepted' | 'rejected' }[];
}

/**
 * Posts batches to the gateway's HTTP collector, `{ "events": [CloudEvent, …] }`, for services that
 * cannot reach Kafka. The collector answers once Kafka has acknowledged the events, so a 200 means
 * stored; any other answer, or none, means send the batch again (the event ids make a repeat a
 * no-op downstream). Events a 200 reports as rejected are refused for good.
 */
export class HttpPublisher implements BatchPublisher<HttpBatch> {
  readonly name = 'the collector';
  private readonly timeoutMs: number;
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: HttpTransportOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  encode(events: readonly ActivityEvent[]): HttpBatch {
    return { count: events.length, body: JSON.stringify({ events }) };
  }

  async send({ body }: HttpBatch): Promise<readonly number[]> {
    const request = new AbortController();
    this.inFlight.add(request);
    const timer = setTimeout(
      () => request.abort(new Error(`no answer within ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    timer.unref();
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': this.options.apiKey },
        body,
        signal: request.signal,
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
      const reply = JSON.parse(text) as CollectReply;
      return (reply.results ?? [])
        .filter((result) => result.status === 'rejected')
        .map((result) => result.index);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(request);
    }
  }

  async recover(): Promise<void> {
    // Nothing kept between requests.
  }

  /** Abandons a request still in flight: close() has already counted its batch as dropped. */
  async close(): Promise<void> {
    for (const request of this.inFlight) request.abort(new Error('the client closed'));
  }
}
