import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('returns the first truthy value of the condition', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls === 3 ? { ready: calls } : undefined), {
      timeoutMs: 2_000,
      intervalMs: 1,
    });
    expect(value).toEqual({ ready: 3 });
  });

  it('keeps polling through errors and names the last one when it gives up', async () => {
    let calls = 0;
    const failing = waitFor(
      () => {
        calls++;
        throw new Error('connection refused');
      },
      { timeoutMs: 50, intervalMs: 5, what: 'the broker' },
    );
    await expect(failing).rejects.toThrow('timed out after 50 ms waiting for the broker: connection refused');
    expect(calls).toBeGreaterThan(1);
  });

  it('awaits asynchronous conditions', async () => {
    await expect(waitFor(async () => 'done', { timeoutMs: 100 })).resolves.toBe('done');
  });
});
