import type { ActivityEvent, ActivityInput } from '@chronicle/contracts';
import { waitFor } from '@chronicle/stack';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ActivityClient } from './activity-client';
import type { ActivityClientOptions } from './activity-client.options';

const viewed = (userId: string): ActivityInput => ({
  type: 'app.viewed',
  actor: { type: 'user', id: userId },
  entity: { type: 'app', id: 'app_42' },
  metadata: { referrer: 'search' },
});

interface ReceivedRequest {
  method: string;
  url: string;
  apiKey: string | undefined;
  contentType: string | undefined;
  events: ActivityEvent[];
}

/** The collector's answer to one request; `never`: it keeps the request waiting. */
type Answer = (events: ActivityEvent[]) => { status: number; body: unknown } | 'never';

/**
 * Stands in for the gateway's collector: records each request and answers it with whatever the
 * test queued (by default 200, every event accepted, in the collector's reply shape).
 */
class FakeCollector {
  readonly requests: ReceivedRequest[] = [];
  /** Requests left waiting that the client gave up on. */
  abandoned = 0;
  private readonly answers: Answer[] = [];
  private server: Server | undefined;
  url = '';

  answerNext(answer: Answer): void {
    this.answers.push(answer);
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/v1/events`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    const { events } = JSON.parse(text) as { events: ActivityEvent[] };
    this.requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      apiKey: request.headers['x-api-key'] as string | undefined,
      contentType: request.headers['content-type'],
      events,
    });
    const answer = (this.answers.shift() ?? acceptAll)(events);
    if (answer === 'never') {
      response.on('close', () => (this.abandoned += 1));
      return;
    }
    const { status, body } = answer;
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

const acceptAll = (events: ActivityEvent[]) => ({
  status: 200,
  body: {
    accepted: events.length,
    rejected: 0,
    results: events.map((event, index) => ({ index, id: event.id, status: 'accepted' })),
  },
});

describe('ActivityClient with the HTTP transport, against a stand-in collector', () => {
  const collector = new FakeCollector();
  const clients: ActivityClient[] = [];
  beforeAll(() => collector.start());
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await collector.stop();
  });
  beforeEach(() => collector.requests.splice(0));

  const client = (options: Partial<ActivityClientOptions> = {}) => {
    const created = new ActivityClient({
      source: '/services/app-catalog',
      transport: { kind: 'http', url: collector.url, apiKey: 'key-123' },
      retry: { initialMs: 10, maxMs: 20 },
      shutdownTimeoutMs: 50,
      logger: { warn: () => undefined },
      ...options,
    });
    clients.push(created);
    return created;
  };

  it("posts batches as { events } with the API key, and counts them published on the collector's 200", async () => {
    const activity = client({ batch: { maxEvents: 2, lingerMs: 0 } });
    for (const user of ['u_1', 'u_2', 'u_3']) expect(activity.log(viewed(user))).toBe(true);
    await activity.flush(5_000);

    expect(collector.requests.map((request) => request.events.length)).toEqual([2, 1]);
    expect(collector.requests[0]).toMatchObject({
      method: 'POST',
      url: '/v1/events',
      apiKey: 'key-123',
      contentType: 'application/json',
    });
    const posted = collector.requests.flatMap((request) => request.events);
    expect(posted.map((event) => [event.source, event.type, event.data.actor.id])).toEqual([
      ['/services/app-catalog', 'app.viewed', 'u_1'],
      ['/services/app-catalog', 'app.viewed', 'u_2'],
      ['/services/app-catalog', 'app.viewed', 'u_3'],
    ]);
    expect(activity.stats()).toMatchObject({ enqueued: 3, published: 3, queueDepth: 0 });
  });

  it("sends at most 100 events a request by default, well within the collector's body limit", async () => {
    const activity = client({ batch: { lingerMs: 0 } });
    for (let i = 0; i < 150; i++) activity.log(viewed(`u_${i}`));
    await activity.flush(5_000);
    expect(collector.requests.map((request) => request.events.length)).toEqual([100, 50]);
  });

  it('sends the same batch again after a 503, and reports the failure', async () => {
    const failures: string[] = [];
    const activity = client({
      batch: { lingerMs: 0 },
      onError: (error, { reason, events }) => failures.push(`${reason} ${events}: ${error.message}`),
    });
    collector.answerNext(() => ({ status: 503, body: { message: 'retry the batch' } }));
    activity.log(viewed('u_1'));
    await activity.flush(5_000);

    expect(collector.requests).toHaveLength(2);
    expect(collector.requests[1]?.events[0]?.id).toBe(collector.requests[0]?.events[0]?.id);
    expect(failures).toEqual([expect.stringMatching(/^publish_failed 1: HTTP 503: /)]);
    expect(activity.stats()).toMatchObject({ published: 1, queueDepth: 0 });
  });

  it.each([400, 401, 403, 413, 422])(
    'drops a batch the collector refuses for good (HTTP %i) instead of retrying it, and sends the next',
    async (status) => {
      const dropped: string[] = [];
      const failures: string[] = [];
      const activity = client({
        batch: { lingerMs: 0, maxEvents: 2 },
        onDelivery: { dropped: (reason, count) => dropped.push(`${reason} ${count}`) },
        onError: (error, { reason }) => failures.push(`${reason}: ${error.message}`),
      });
      collector.answerNext(() => ({ status, body: { message: 'no' } }));
      for (const user of ['u_1', 'u_2', 'u_3']) activity.log(viewed(user));
      await activity.flush(5_000);

      expect(collector.requests.map((request) => request.events.length)).toEqual([2, 1]);
      expect(dropped).toEqual(['refused 2']);
      expect(failures).toEqual([`refused: HTTP ${status}: {"message":"no"}`]);
      expect(activity.stats()).toMatchObject({ published: 1, queueDepth: 0, dropped: { refused: 2 } });
    },
  );

  it.each([408, 429, 500])('sends a batch again after HTTP %i: a later answer may differ', async (status) => {
    const activity = client({ batch: { lingerMs: 0 } });
    collector.answerNext(() => ({ status, body: { message: 'later' } }));
    activity.log(viewed('u_1'));
    await activity.flush(5_000);
    expect(collector.requests).toHaveLength(2);
    expect(activity.stats()).toMatchObject({ published: 1, queueDepth: 0, dropped: { refused: 0 } });
  });

  it('counts the events a 200 reports rejected as dropped, and the rest as published', async () => {
    const published: string[] = [];
    const dropped: string[] = [];
    const activity = client({
      batch: { lingerMs: 0, maxEvents: 3 },
      onDelivery: {
        published: (events) => published.push(...events.map((event) => event.data.actor.id)),
        dropped: (reason, count, events) =>
          dropped.push(`${reason} ${count} ${events.map((event) => event.data.actor.id).join(',')}`),
      },
    });
    collector.answerNext((events) => ({
      status: 200,
      body: {
        accepted: 2,
        rejected: 1,
        results: events.map((event, index) =>
          index === 1
            ? {
                index,
                id: event.id,
                status: 'rejected',
                problems: [{ path: 'source', message: 'must be …' }],
              }
            : { index, id: event.id, status: 'accepted' },
        ),
      },
    }));
    for (const user of ['u_1', 'u_2', 'u_3']) activity.log(viewed(user));
    await activity.flush(5_000);

    expect(published).toEqual(['u_1', 'u_3']);
    expect(dropped).toEqual(['invalid 1 u_2']);
    expect(activity.stats()).toMatchObject({
      published: 2,
      queueDepth: 0,
      dropped: expect.objectContaining({ invalid: 1 }),
    });
  });

  it('abandons a request the collector never answers when it closes, counting its events dropped', async () => {
    const activity = client({
      batch: { lingerMs: 0 },
      transport: { kind: 'http', url: collector.url, apiKey: 'k', timeoutMs: 60_000 },
    });
    collector.answerNext(() => 'never');
    activity.log(viewed('u_1'));
    await waitFor(() => collector.requests.length === 1, { timeoutMs: 5_000 });
    const began = Date.now();
    await activity.close();
    expect(Date.now() - began).toBeLessThan(5_000);
    await waitFor(() => collector.abandoned === 1, { timeoutMs: 5_000 });
    expect(activity.stats()).toMatchObject({
      published: 0,
      dropped: expect.objectContaining({ shutdown: 1 }),
    });
  });

  it('keeps retrying while the collector is unreachable', async () => {
    const failures: string[] = [];
    const activity = client({
      transport: { kind: 'http', url: 'http://127.0.0.1:1/v1/events', apiKey: 'key-123' },
      batch: { lingerMs: 0 },
      onError: (_error, { reason }) => failures.push(reason),
    });
    activity.log(viewed('u_1'));
    await waitFor(() => failures.length >= 2, { timeoutMs: 10_000 });
    expect(failures.every((reason) => reason === 'publish_failed')).toBe(true);
    expect(activity.stats()).toMatchObject({ published: 0, queueDepth: 1 });
  });
});
