import type { ActivityEvent } from '@chronicle/contracts';
import { BatchRefusedError, type BatchPublisher, type EncodedBatch } from './batch-publisher';

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
 * stored. A 4xx other than 408 and 429 refuses the batch for good (a wrong API key, a body over the
 * limit): its events are dropped (`refused`) rather than retried for ever. Any other answer, or none,
 * means send the batch again (the event ids make a repeat a no-op downstream). Events a 200 reports as
 * rejected are refused for good.
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
      if (response.status !== 200) {
        const message = `HTTP ${response.status}: ${text.slice(0, 200)}`;
        throw refusedForGood(response.status) ? new BatchRefusedError(message) : new Error(message);
      }
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

/** A client error the same request would get again; 408 and 429 say "later", not "never". */
function refusedForGood(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}
