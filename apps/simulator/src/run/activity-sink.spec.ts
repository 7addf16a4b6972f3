import { DryRunSink } from './activity-sink';

describe('DryRunSink', () => {
  it('takes every event, counts it and sends nothing', async () => {
    const sink = new DryRunSink();
    const input = {
      type: 'user.logged_out',
      actor: { type: 'user' as const, id: 'u_1' },
      metadata: { reason: 'revoked' },
    };

    expect(sink.log(input)).toBe(true);
    expect(await sink.logAsync(input)).toBe(true);
    await sink.close();

    expect(sink.stats()).toEqual({ enqueued: 2, published: 0, dropped: {}, queueDepth: 0 });
    expect(sink.kind).toBe('dry-run');
  });
});
