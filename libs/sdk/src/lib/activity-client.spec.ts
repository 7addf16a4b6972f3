import type { ActivityEvent, ActivityInput } from '@chronicle/contracts';
import fc from 'fast-check';
import { Kafka, type Producer, type ProducerConfig, type ProducerRecord, type RecordMetadata } from 'kafkajs';
import { Registry } from 'prom-client';
import { ActivityClient, InvalidActivityError, type DropReason } from './activity-client';
import { DEFAULTS, type ActivityClientOptions, type DeliveryListener } from './activity-client.options';
import { NO_BROKER, offlineClients, viewed } from '../../test/offline-clients';

describe('ActivityClient without a broker', () => {
  const { client, closeAll } = offlineClients();
  afterAll(closeAll);

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

/**
 * Stands in for Kafka behind every producer the client makes: each send stays pending until the test
 * acknowledges or fails it, oldest first.
 */
class FakeBroker {
  readonly pending: Array<{ ids: string[]; resolve(): void; reject(error: Error): void }> = [];
  /** The ids of each batch acknowledged, in order. */
  readonly acknowledged: string[][] = [];

  /** Like kafkajs: the config's partitioner places each message, and the answer names each partition written. */
  producer(config?: ProducerConfig): Producer {
    const partitioner = config?.createPartitioner?.();
    const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
    }));
    const producer: Pick<Producer, 'connect' | 'disconnect' | 'send'> = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: (record: ProducerRecord) =>
        new Promise<RecordMetadata[]>((resolve, reject) => {
          const ids = record.messages.map((message) => String(message.headers?.['ce_id']));
          const partitions = new Set(
            record.messages.map(
              (message) => partitioner?.({ topic: record.topic, partitionMetadata, message }) ?? 0,
            ),
          );
          const answer = [...partitions].map((partition) => ({
            topicName: record.topic,
            partition,
            errorCode: 0,
          }));
          this.pending.push({ ids, resolve: () => resolve(answer), reject });
        }),
    };
    return producer as Producer;
  }

  ack(): boolean {
    const send = this.pending.shift();
    if (send === undefined) return false;
    this.acknowledged.push(send.ids);
    send.resolve();
    return true;
  }

  /** `lostState`: the error that makes the client start a new producer. */
  fail(lostState: boolean): void {
    const error = Object.assign(
      new Error('broker unavailable'),
      lostState ? { type: 'UNKNOWN_PRODUCER_ID' } : {},
    );
    this.pending.shift()?.reject(error);
  }
}

/** Each call's tag travels in context.requestId, so a report can be traced to the call. */
const tagged = (tag: string, kind: 'valid' | 'invalid' | 'broken'): ActivityInput =>
  kind === 'broken'
    ? (null as unknown as ActivityInput)
    : {
        type: 'app.viewed',
        actor: { type: 'user', id: kind === 'valid' ? `u_${tag}` : '' },
        entity: { type: 'app', id: 'app_42' },
        metadata: { referrer: 'search' },
        context: { requestId: tag },
      };
const tagOf = (event: ActivityEvent): string => event.data.context?.requestId as string;

/** Everything a listener was told, by the call it concerns. */
class DeliveryRecorder implements DeliveryListener {
  /** Tag → 'published' or the drop reason. */
  readonly outcomes = new Map<string, 'published' | DropReason>();
  readonly reportedTwice: string[] = [];
  readonly publishedBatches: string[][] = [];
  /** Drops reported without their events, by reason. */
  readonly eventless = new Map<DropReason, number>();
  readonly droppedByReason = new Map<DropReason, number>();
  readonly malformed: string[] = [];

  published(events: readonly ActivityEvent[]): void {
    this.publishedBatches.push(events.map((event) => event.id));
    for (const event of events) this.record(tagOf(event), 'published');
  }

  dropped(reason: DropReason, count: number, events: readonly ActivityEvent[]): void {
    if (count < 1 || (events.length !== count && events.length !== 0))
      this.malformed.push(`${reason}: count ${count} with ${events.length} events`);
    this.droppedByReason.set(reason, (this.droppedByReason.get(reason) ?? 0) + count);
    if (events.length === 0) this.eventless.set(reason, (this.eventless.get(reason) ?? 0) + count);
    for (const event of events) this.record(tagOf(event), reason);
  }

  private record(tag: string, outcome: 'published' | DropReason): void {
    if (this.outcomes.has(tag)) this.reportedTwice.push(tag);
    this.outcomes.set(tag, outcome);
  }
}

type Step =
  | { kind: 'log'; input: 'valid' | 'invalid' | 'broken' }
  | { kind: 'logAsync' }
  | { kind: 'ack' }
  | { kind: 'fail'; lostState: boolean }
  | { kind: 'wait'; ms: number }
  | { kind: 'close' };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('log' as const), input: fc.constantFrom('valid' as const) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('log' as const),
      input: fc.constantFrom('invalid' as const, 'broken' as const),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'logAsync' as const }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'ack' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fail' as const), lostState: fc.boolean() }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 40 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
);

const settingsArbitrary = fc.record({
  queueMaxEvents: fc.integer({ min: 1, max: 5 }),
  batchMaxEvents: fc.integer({ min: 1, max: 3 }),
  lingerMs: fc.integer({ min: 0, max: 5 }),
  overflow: fc.constantFrom('drop-newest' as const, 'block' as const),
  blockTimeoutMs: fc.integer({ min: 1, max: 30 }),
  shutdownTimeoutMs: fc.integer({ min: 1, max: 50 }),
});

describe('ActivityClient delivery reports (onDelivery), against a fake broker', () => {
  let broker: FakeBroker;

  beforeEach(() => {
    jest.useFakeTimers();
    broker = new FakeBroker();
    jest.spyOn(Kafka.prototype, 'producer').mockImplementation((config) => broker.producer(config));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  const client = (options: Partial<ActivityClientOptions>) =>
    new ActivityClient({
      source: '/services/app-catalog',
      brokers: NO_BROKER,
      retry: { initialMs: 1, maxMs: 4 },
      logger: { warn: () => undefined },
      ...options,
    });

  /** Closes the client while the broker acknowledges whatever is sent, then acknowledges late sends too. */
  async function closeAndDrain(activity: ActivityClient): Promise<void> {
    let closed = false;
    void activity.close().then(() => (closed = true));
    for (let i = 0; i < 1_000 && !closed; i++) {
      broker.ack();
      await jest.advanceTimersByTimeAsync(5);
    }
    expect(closed).toBe(true);
    // A batch acknowledged after close() was already reported dropped ('shutdown'): no second report.
    while (broker.ack()) await jest.advanceTimersByTimeAsync(5);
  }

  it('reports each outcome: published batches, and drops with their reason and events', async () => {
    const recorder = new DeliveryRecorder();
    const activity = client({ onDelivery: recorder, queue: { maxEvents: 2 }, batch: { lingerMs: 0 } });

    expect(activity.log(tagged('a', 'valid'))).toBe(true);
    await jest.advanceTimersByTimeAsync(0);
    expect(broker.pending).toHaveLength(1);
    expect(activity.log(tagged('b', 'valid'))).toBe(true);
    expect(activity.log(tagged('c', 'valid'))).toBe(false); // a and b fill the queue
    expect(activity.log(tagged('d', 'invalid'))).toBe(false);
    expect(activity.log(tagged('e', 'broken'))).toBe(false);
    broker.ack();
    await jest.advanceTimersByTimeAsync(0);
    expect(recorder.publishedBatches).toEqual([broker.acknowledged[0]]);
    // b is in flight and never acknowledged: close() gives up on it.
    const closing = activity.close();
    await jest.advanceTimersByTimeAsync(DEFAULTS.shutdownTimeoutMs);
    await closing;
    expect(activity.log(tagged('f', 'valid'))).toBe(false);

    expect(Object.fromEntries(recorder.outcomes)).toEqual({
      a: 'published',
      b: 'shutdown',
      c: 'queue_full',
      d: 'invalid',
    });
    expect(Object.fromEntries(recorder.eventless)).toEqual({ invalid: 1, closed: 1 });
    expect(recorder.malformed).toEqual([]);
  });

  it('accounts for every call exactly once, whatever the interleaving of logs, sends and close', async () => {
    await fc.assert(
      fc.asyncProperty(
        settingsArbitrary,
        fc.array(stepArbitrary, { maxLength: 40 }),
        async (settings, steps) => {
          broker = new FakeBroker();
          const recorder = new DeliveryRecorder();
          const activity = client({
            onDelivery: recorder,
            queue: {
              maxEvents: settings.queueMaxEvents,
              overflow: settings.overflow,
              blockTimeoutMs: settings.blockTimeoutMs,
            },
            batch: { maxEvents: settings.batchMaxEvents, lingerMs: settings.lingerMs },
            shutdownTimeoutMs: settings.shutdownTimeoutMs,
          });
          const results = new Map<string, boolean>();
          const kinds = new Map<string, 'valid' | 'invalid' | 'broken'>();
          const waiting: Promise<unknown>[] = [];
          for (const step of steps) {
            const tag = `r${kinds.size}`;
            if (step.kind === 'log') {
              kinds.set(tag, step.input);
              results.set(tag, activity.log(tagged(tag, step.input)));
            } else if (step.kind === 'logAsync') {
              kinds.set(tag, 'valid');
              waiting.push(activity.logAsync(tagged(tag, 'valid')).then((ok) => results.set(tag, ok)));
            } else if (step.kind === 'ack') broker.ack();
            else if (step.kind === 'fail') broker.fail(step.lostState);
            else if (step.kind === 'close') void activity.close();
            await jest.advanceTimersByTimeAsync(step.kind === 'wait' ? step.ms : 0);
          }
          await closeAndDrain(activity);
          await Promise.all(waiting);

          expect(results.size).toBe(kinds.size);
          expect(recorder.reportedTwice).toEqual([]);
          expect(recorder.malformed).toEqual([]);
          // What each call may have become; `none`: refused with no event to report (closed, or broken).
          const possible = {
            accepted: ['published', 'shutdown'],
            valid: ['queue_full', 'block_timeout', 'closed', 'none'],
            invalid: ['invalid', 'none'],
            broken: ['none'],
          };
          const unexpected: string[] = [];
          let refusedWithoutEvent = 0;
          for (const [tag, accepted] of results) {
            const outcome = recorder.outcomes.get(tag) ?? 'none';
            if (!accepted && outcome === 'none') refusedWithoutEvent++;
            const allowed = accepted ? possible.accepted : possible[kinds.get(tag) ?? 'broken'];
            if (!allowed.includes(outcome))
              unexpected.push(`${tag} (${kinds.get(tag)}, ${accepted}): ${outcome}`);
          }
          expect(unexpected).toEqual([]);
          for (const tag of recorder.outcomes.keys()) expect(results.has(tag)).toBe(true);
          // Those are in event-less reports: a broken input ('invalid'), a call after close ('closed').
          expect([...recorder.eventless.keys()].filter((r) => r !== 'invalid' && r !== 'closed')).toEqual([]);
          expect([...recorder.eventless.values()].reduce((sum, n) => sum + n, 0)).toBe(refusedWithoutEvent);
          // Exactly the batches Kafka acknowledged, in order, until close() (after which none counts).
          expect(recorder.publishedBatches).toEqual(
            broker.acknowledged.slice(0, recorder.publishedBatches.length),
          );
          const stats = activity.stats();
          expect(stats.published).toBe(recorder.publishedBatches.flat().length);
          expect(stats.queueDepth).toBe(0);
          for (const [reason, count] of Object.entries(stats.dropped))
            expect([reason, recorder.droppedByReason.get(reason as DropReason) ?? 0]).toEqual([
              reason,
              count,
            ]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('goes on as usual when the listener throws', async () => {
    const thrower: DeliveryListener = {
      published: () => {
        throw new Error('published listener failed');
      },
      dropped: () => {
        throw new Error('dropped listener failed');
      },
    };
    const activity = client({ onDelivery: thrower, queue: { maxEvents: 3 }, batch: { maxEvents: 2 } });

    expect([1, 2, 3, 4].map((n) => activity.log(tagged(`t${n}`, 'valid')))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(activity.log(tagged('bad', 'invalid'))).toBe(false);
    expect(activity.log(tagged('worse', 'broken'))).toBe(false);
    await jest.advanceTimersByTimeAsync(0);
    broker.ack();
    await jest.advanceTimersByTimeAsync(20);
    broker.ack();
    await jest.advanceTimersByTimeAsync(20);
    expect(activity.stats()).toMatchObject({ published: 3, queueDepth: 0 });
    expect(activity.log(tagged('t5', 'valid'))).toBe(true);
    await closeAndDrain(activity);
    expect(activity.log(tagged('late', 'valid'))).toBe(false);
    expect(activity.stats()).toMatchObject({
      enqueued: 4,
      published: 4,
      dropped: expect.objectContaining({ queue_full: 1, invalid: 2, closed: 1, shutdown: 0 }),
    });
  });
});
