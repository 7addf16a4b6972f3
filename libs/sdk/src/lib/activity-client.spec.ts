import type { ActivityInput } from '@chronicle/contracts';
import { Registry } from 'prom-client';
import { ActivityClient, InvalidActivityError } from './activity-client';

// No broker listens on port 1: these tests cover what the client decides before Kafka is involved.
const NO_BROKER = ['127.0.0.1:1'];

const viewed = (userId: string): ActivityInput => ({
  type: 'app.viewed',
  actor: { type: 'user', id: userId },
  entity: { type: 'app', id: 'app_42' },
  metadata: { referrer: 'search' },
});

describe('ActivityClient without a broker', () => {
  const clients: ActivityClient[] = [];
  const client = (options: Partial<ConstructorParameters<typeof ActivityClient>[0]> = {}) => {
    const created = new ActivityClient({
      source: '/services/app-catalog',
      brokers: NO_BROKER,
      shutdownTimeoutMs: 50,
      // Short, so the connection attempts kafkajs cannot cancel end soon after close().
      retry: { initialMs: 10, maxMs: 20 },
      logger: { warn: () => undefined },
      ...options,
    });
    clients.push(created);
    return created;
  };
  afterAll(() => Promise.all(clients.map((c) => c.close())));

  it('queues a valid event and returns at once', () => {
    const activity = client();
    expect(activity.log(viewed('u_1'))).toBe(true);
    expect(activity.stats()).toMatchObject({ enqueued: 1, published: 0, queueDepth: 1 });
  });

  it("drops an invalid event, counts it, and warns without the event's values", () => {
    const warnings: string[] = [];
    const activity = client({ logger: { warn: (message) => warnings.push(message) } });
    expect(
      activity.log({
        type: 'app.viewed',
        actor: { type: 'user', id: 'someone@example.com' },
        metadata: {},
      } as ActivityInput),
    ).toBe(false);
    expect(activity.log({ type: 'no.such_type', actor: { type: 'user', id: 'u_1' } })).toBe(false);
    expect(activity.log(null as unknown as ActivityInput)).toBe(false);
    expect(activity.stats()).toMatchObject({ enqueued: 0, dropped: expect.objectContaining({ invalid: 3 }) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^\[chronicle-sdk\] dropped an invalid event of app\.viewed: data\.actor\.id: /,
    );
    expect(warnings[0]).not.toContain('someone@example.com');
  });

  it('refuses an event the pipeline would not store: timed too far ahead, or past retention', () => {
    const activity = client({ admission: { maxFutureMs: 60_000, retentionDays: 30 } });
    const at = (ms: number) => ({ ...viewed('u_1'), time: new Date(ms) });
    expect(activity.log(at(Date.now() + 3_600_000))).toBe(false);
    expect(activity.log(at(Date.now() - 31 * 86_400_000))).toBe(false);
    expect(activity.log(at(Date.now() - 29 * 86_400_000))).toBe(true);
    expect(activity.stats()).toMatchObject({ enqueued: 1, dropped: expect.objectContaining({ invalid: 2 }) });
    expect(() => client({ strict: true }).log({ ...viewed('u_1'), time: '2999-01-01T00:00:00Z' })).toThrow(
      /time: more than 86400000 ms ahead/,
    );
  });

  it('refuses personal data as an id, naming the field: phone, card, IP address', () => {
    const activity = client({ strict: true });
    const withIds = (actorId: string, entityId: string) => ({
      type: 'app.viewed',
      actor: { type: 'user' as const, id: actorId },
      entity: { type: 'app', id: entityId },
      metadata: { referrer: 'search' },
    });
    expect(() => activity.log(withIds('+33 6 12 34 56 78', 'app_1'))).toThrow(
      /data\.actor\.id: looks like a phone number/,
    );
    expect(() => activity.log(withIds('u_1', '4111-1111-1111-1111'))).toThrow(
      /data\.entity\.id: looks like a payment card number/,
    );
    expect(() => activity.log(withIds('203.0.113.9', 'app_1'))).toThrow(
      /data\.actor\.id: looks like an IP address/,
    );
    expect(activity.stats().enqueued).toBe(0);
  });

  it('throws on an invalid event when strict, naming every problem', () => {
    const activity = client({ strict: true });
    expect(() =>
      activity.log({ type: 'app.viewed', actor: { type: 'user', id: '' }, metadata: {} } as ActivityInput),
    ).toThrow(InvalidActivityError);
    expect(() =>
      activity.log({ type: 'app.viewed', actor: { type: 'user', id: '' }, metadata: {} } as ActivityInput),
    ).toThrow(/data\.actor\.id: .*data\.entity: required/);
  });

  it('drops the newest events once the queue is full, counting each', () => {
    const activity = client({ queue: { maxEvents: 100 } });
    const accepted = Array.from({ length: 250 }, (_, i) => activity.log(viewed(`u_${i}`))).filter(
      Boolean,
    ).length;
    expect(accepted).toBe(100);
    expect(activity.stats()).toMatchObject({
      enqueued: 100,
      queueDepth: 100,
      dropped: expect.objectContaining({ queue_full: 150 }),
    });
  });

  it('makes logAsync wait for room with the block policy, and drop after the timeout', async () => {
    const activity = client({ queue: { maxEvents: 2, overflow: 'block', blockTimeoutMs: 30 } });
    await expect(activity.logAsync(viewed('u_1'))).resolves.toBe(true);
    await expect(activity.logAsync(viewed('u_2'))).resolves.toBe(true);
    const began = Date.now();
    await expect(activity.logAsync(viewed('u_3'))).resolves.toBe(false);
    expect(Date.now() - began).toBeGreaterThanOrEqual(25);
    expect(activity.stats().dropped.block_timeout).toBe(1);
  });

  it('drops what it could not publish when closing, and everything logged afterwards', async () => {
    const activity = client({ queue: { maxEvents: 10 } });
    for (let i = 0; i < 5; i++) activity.log(viewed(`u_${i}`));
    await activity.close();
    expect(activity.log(viewed('u_late'))).toBe(false);
    await expect(activity.logAsync(viewed('u_later'))).resolves.toBe(false);
    expect(activity.stats()).toMatchObject({
      queueDepth: 0,
      dropped: expect.objectContaining({ shutdown: 5, closed: 2 }),
    });
    await expect(activity.close()).resolves.toBeUndefined();
  });

  it('reports its counts on the registry the application passes in', async () => {
    const registry = new Registry();
    const activity = client({ registry, queue: { maxEvents: 1 } });
    activity.log(viewed('u_1'));
    activity.log(viewed('u_2'));
    activity.log({ type: 'app.viewed', actor: { type: 'user', id: '' } } as ActivityInput);
    const text = await registry.metrics();
    const source = 'source="/services/app-catalog"';
    expect(text).toContain(`chronicle_sdk_events_enqueued_total{${source},type="app.viewed"} 1`);
    expect(text).toContain(`chronicle_sdk_events_dropped_total{${source},reason="queue_full"} 1`);
    expect(text).toContain(`chronicle_sdk_events_dropped_total{${source},reason="invalid"} 1`);
    expect(text).toContain(`chronicle_sdk_queue_depth{${source}} 1`);
    expect(text).toContain(`chronicle_sdk_events_published_total{${source}} 0`);
    // Every series from the start: each reason, each type of the catalog, the publish errors.
    expect(text).toContain(`chronicle_sdk_events_dropped_total{${source},reason="block_timeout"} 0`);
    expect(text).toContain(`chronicle_sdk_events_enqueued_total{${source},type="job.failed"} 0`);
    expect(text).toMatch(new RegExp(`^chronicle_sdk_publish_errors_total\\{${source}\\} \\d+$`, 'm'));
  });

  it('counts each failed attempt to publish a batch', async () => {
    const registry = new Registry();
    const activity = client({ registry, batch: { lingerMs: 0 } });
    activity.log(viewed('u_1'));
    const errors = async () =>
      Number(/^chronicle_sdk_publish_errors_total\{[^}]*\} (\d+)$/m.exec(await registry.metrics())?.[1] ?? 0);
    const deadline = Date.now() + 20_000;
    while ((await errors()) === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await errors()).toBeGreaterThan(0);
    expect(activity.stats()).toMatchObject({ published: 0, queueDepth: 1 });
  });

  it('lets several clients share one registry, each under its own source', async () => {
    const registry = new Registry();
    const store = client({ registry, source: '/services/app-store' });
    const media = client({ registry, source: '/services/media-server' });
    store.log(viewed('u_1'));
    store.log(viewed('u_2'));
    media.log({
      type: 'job.started',
      actor: { type: 'system', id: 'indexer' },
      metadata: { jobType: 'library_scan', trigger: 'schedule' },
    });
    const text = await registry.metrics();
    expect(text).toContain(
      'chronicle_sdk_events_enqueued_total{source="/services/app-store",type="app.viewed"} 2',
    );
    expect(text).toContain('chronicle_sdk_queue_depth{source="/services/media-server"} 1');
  });

  it('fails a flush that cannot finish in time, saying how much is left', async () => {
    const activity = client();
    activity.log(viewed('u_1'));
    await expect(activity.flush(50)).rejects.toThrow(
      'flush timed out after 50 ms with 1 events still queued',
    );
  });
});
