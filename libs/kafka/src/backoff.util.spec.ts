import { backoffDelay } from './backoff.util';

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
