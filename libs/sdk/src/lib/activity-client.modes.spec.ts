import { getDefaultActivityCatalog, validateActivityEvent, type ActivityInput } from '@chronicle/contracts';
import { waitFor } from '@chronicle/stack';
import { createServer, type Server } from 'node:net';
import { ActivityClient, InvalidActivityError } from './activity-client';
import { offlineClients, viewed } from '../../test/offline-clients';

const invalid = { type: 'app.viewed', actor: { type: 'user', id: 'u_1' }, metadata: {} } as ActivityInput;

const { client, closeAll } = offlineClients();
afterAll(closeAll);

type ErrorCall = { message: string; events?: number; reason: string };

describe('onError', () => {
  const recorder = () => {
    const calls: ErrorCall[] = [];
    return {
      calls,
      onError: (error: Error, context: { events?: number; reason: string }) =>
        calls.push({ message: error.message, ...context }),
    };
  };

  it('is told of each drop with its reason, the invalid one naming the field but not the value', async () => {
    const { calls, onError } = recorder();
    const activity = client({ onError, queue: { maxEvents: 1 } });
    expect(activity.log({ ...viewed('u_1'), actor: { type: 'user', id: 'someone@example.com' } })).toBe(
      false,
    );
    expect(activity.log(viewed('u_1'))).toBe(true);
    expect(activity.log(viewed('u_2'))).toBe(false);
    await activity.close();
    expect(activity.log(viewed('u_3'))).toBe(false);

    // A publish_failed may come in between: the shutdown flush may reach port 1 before it times out.
    const drops = calls.filter((call) => call.reason !== 'publish_failed');
    expect(drops.map(({ reason, events }) => [reason, events])).toEqual([
      ['invalid', 1],
      ['queue_full', 1],
      ['shutdown', 1],
      ['closed', 1],
    ]);
    expect(drops[0]?.message).toMatch(/^invalid activity event: data\.actor\.id: /);
    expect(drops[0]?.message).not.toContain('someone@example.com');
    expect(drops[1]?.message).toBe('1 event(s) dropped: the send queue is full');
  });

  it('is told when a batch could not be published, with the cause and the batch size', async () => {
    const { calls, onError } = recorder();
    const activity = client({ onError, batch: { lingerMs: 0 } });
    activity.log(viewed('u_1'));
    activity.log(viewed('u_2'));
    await waitFor(() => calls.some((call) => call.reason === 'publish_failed'), { timeoutMs: 20_000 });
    const failure = calls.find((call) => call.reason === 'publish_failed');
    expect(failure).toMatchObject({ events: 2 });
    expect(failure?.message).toMatch(/connect|ECONNREFUSED|broker/i);
    expect(activity.stats()).toMatchObject({ published: 0, queueDepth: 2 });
  });

  it('cannot break log() by throwing', () => {
    const activity = client({
      onError: () => {
        throw new Error('listener bug');
      },
      queue: { maxEvents: 1 },
    });
    expect(activity.log(invalid)).toBe(false);
    expect(activity.log(viewed('u_1'))).toBe(true);
    expect(activity.log(viewed('u_2'))).toBe(false);
    expect(activity.stats()).toMatchObject({
      enqueued: 1,
      dropped: expect.objectContaining({ invalid: 1, queue_full: 1 }),
    });
  });
});

describe('disabled', () => {
  let broker: Server;
  let connections = 0;
  let address: string;
  beforeAll(async () => {
    // Counts each connection and hangs up: enough to see whether a client tries to reach Kafka.
    broker = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
    const port = (broker.address() as { port: number }).port;
    address = `127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await closeAll();
    await new Promise((resolve) => broker.close(resolve));
  });

  it('accepts everything, does nothing, never connects, and flushes and closes at once', async () => {
    const activity = client({ brokers: [address], disabled: true, strict: true });
    expect(activity.log(viewed('u_1'))).toBe(true);
    expect(activity.log(invalid)).toBe(true);
    await expect(activity.logAsync(viewed('u_2'))).resolves.toBe(true);
    await activity.flush(1);
    await activity.close();
    expect(activity.log(viewed('u_3'))).toBe(true);
    expect(activity.stats()).toMatchObject({ enqueued: 0, published: 0, queueDepth: 0 });

    // The same calls on an enabled client do reach the broker: what the assertion below rules out.
    const enabled = client({ brokers: [address], batch: { lingerMs: 0 } });
    enabled.log(viewed('u_1'));
    await waitFor(() => connections > 0, { timeoutMs: 10_000 });
    const afterEnabled = connections;
    const disabledAgain = client({ brokers: [address], disabled: true, batch: { lingerMs: 0 } });
    disabledAgain.log(viewed('u_1'));
    await disabledAgain.flush(1);
    await disabledAgain.close();
    expect(connections).toBe(afterEnabled);
  });
});

describe('ActivityClient.forTesting', () => {
  it('captures valid events in memory, in order, as the pipeline would receive them', async () => {
    const activity = ActivityClient.forTesting({ source: '/services/app-catalog' });
    expect(activity.log(viewed('u_1'))).toBe(true);
    await expect(activity.logAsync(viewed('u_2'))).resolves.toBe(true);
    await activity.flush(1);

    const events = activity.captured();
    expect(events.map((event) => event.data.actor.id)).toEqual(['u_1', 'u_2']);
    expect(events[0]).toMatchObject({ type: 'app.viewed', source: '/services/app-catalog' });
    for (const event of events)
      expect(validateActivityEvent(event, getDefaultActivityCatalog())).toMatchObject({ ok: true });
    expect(activity.stats()).toMatchObject({ enqueued: 2, published: 2, queueDepth: 0 });

    activity.clear();
    expect(activity.captured()).toEqual([]);
    activity.log(viewed('u_3'));
    expect(activity.captured()).toHaveLength(1);
    await activity.close();
    expect(activity.log(viewed('u_4'))).toBe(false);
    expect(activity.captured()).toHaveLength(1);
  });

  it('throws on an invalid event, so that the test of the code that logged it fails', () => {
    const activity = ActivityClient.forTesting();
    expect(() => activity.log(invalid)).toThrow(InvalidActivityError);
    expect(activity.captured()).toEqual([]);
  });

  it('counts an invalid event instead when not strict, and reports it like the real client', () => {
    const reasons: string[] = [];
    const published: string[] = [];
    const activity = ActivityClient.forTesting({
      strict: false,
      onError: (_error, { reason }) => reasons.push(reason),
      onDelivery: { published: (events) => published.push(...events.map((event) => event.id)) },
      logger: { warn: () => undefined },
    });
    expect(activity.log(invalid)).toBe(false);
    expect(activity.log(viewed('u_1'))).toBe(true);
    expect(reasons).toEqual(['invalid']);
    expect(published).toEqual(activity.captured().map((event) => event.id));
    expect(activity.stats().dropped.invalid).toBe(1);
  });
});
