import { Registry } from 'prom-client';
import { SdkSink } from './sdk-sink';

// Nothing listens on port 1: the clients queue and count, and give up at close after the timeout.
const UNREACHABLE = ['127.0.0.1:1'];

describe('SdkSink', () => {
  it('logs each event through the client of the service that logs its type, and sums their stats', async () => {
    const registry = new Registry();
    const sink = new SdkSink(
      { brokers: UNREACHABLE, topic: 'unused', overflow: 'drop-newest', shutdownTimeoutMs: 50 },
      registry,
      { warn: () => undefined },
    );
    const time = new Date('2026-11-22T12:00:00Z');
    expect(
      sink.log({
        type: 'app.viewed',
        actor: { type: 'user', id: 'u_1' },
        entity: { type: 'app', id: 'app_1' },
        metadata: { referrer: 'home' },
        time,
      }),
    ).toBe(true);
    expect(
      await sink.logAsync({
        type: 'user.logged_out',
        actor: { type: 'user', id: 'u_1' },
        metadata: { reason: 'revoked' },
        time,
      }),
    ).toBe(true);
    expect(
      sink.log({ type: 'user.logged_out', actor: { type: 'user', id: 'u_1' }, metadata: {}, time }),
    ).toBe(false);

    expect(sink.stats()).toMatchObject({ enqueued: 2, published: 0, queueDepth: 2 });
    expect(sink.stats().dropped['invalid']).toBe(1);
    const metrics = await registry.metrics();
    expect(metrics).toContain(
      'chronicle_sdk_events_enqueued_total{source="/services/app-store",type="app.viewed"} 1',
    );
    expect(metrics).toContain(
      'chronicle_sdk_events_enqueued_total{source="/services/media-server",type="user.logged_out"} 1',
    );

    await sink.close();
    expect(sink.stats()).toMatchObject({ enqueued: 2, published: 0, queueDepth: 0 });
    expect(sink.stats().dropped['shutdown']).toBe(2);
  });

  it("tells onDelivery what became of each event, from both services' clients", async () => {
    const reports: string[] = [];
    const sink = new SdkSink(
      {
        brokers: UNREACHABLE,
        topic: 'unused',
        overflow: 'drop-newest',
        shutdownTimeoutMs: 50,
        onDelivery: {
          dropped: (reason, count, events) =>
            reports.push(`${reason} ${count}: ${events.map((event) => event.source).join(', ')}`),
        },
      },
      new Registry(),
      { warn: () => undefined },
    );
    const time = new Date('2026-11-22T12:00:00Z');
    sink.log({
      type: 'app.viewed',
      actor: { type: 'user', id: 'u_1' },
      entity: { type: 'app', id: 'a_1' },
      metadata: { referrer: 'home' },
      time,
    });
    sink.log({
      type: 'user.logged_out',
      actor: { type: 'user', id: 'u_1' },
      metadata: { reason: 'revoked' },
      time,
    });

    await sink.close();

    expect(reports.sort()).toEqual(['shutdown 1: /services/app-store', 'shutdown 1: /services/media-server']);
  });
});
