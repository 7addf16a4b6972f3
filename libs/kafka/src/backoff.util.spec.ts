import { backoffDelay, retryWithBackoff } from './backoff.util';

describe('backoffDelay', () => {
  const options = { initialMs: 100, maxMs: 1_000 };

  it('doubles from the initial delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, options))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('takes away up to the jitter fraction at random', () => {
    expect(backoffDelay(2, { ...options, jitter: 0.5 }, () => 0)).toBe(100);
    expect(backoffDelay(2, { ...options, jitter: 0.5 }, () => 1)).toBe(200);
  });

  it('treats attempt 0 like the first', () => {
    expect(backoffDelay(0, options)).toBe(100);
  });
});

describe('retryWithBackoff', () => {
  it('retries until the operation succeeds, telling each failure', async () => {
    let calls = 0;
    const onRetry = jest.fn();
    const value = await retryWithBackoff(
      async () => {
        calls++;
        if (calls < 3) throw new Error(`fail ${calls}`);
        return 'ok';
      },
      { backoff: { initialMs: 1, maxMs: 2 }, onRetry },
    );
    expect(value).toBe('ok');
    expect(onRetry.mock.calls.map((call) => [(call[0] as Error).message, call[1]])).toEqual([
      ['fail 1', 1],
      ['fail 2', 2],
    ]);
  });

  it('throws the last error once told to stop', async () => {
    await expect(
      retryWithBackoff(
        async () => {
          throw new Error('down');
        },
        { shouldStop: () => true },
      ),
    ).rejects.toThrow('down');
  });
});
