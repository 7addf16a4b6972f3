import fc from 'fast-check';
import { ConcurrencyLimit, TooManyRequestsError } from './concurrency-limit';
import { thrownBy } from '../../test/thrown-by';

describe('ConcurrencyLimit', () => {
  it('lets a caller hold up to its cap, then answers 429 with Retry-After until one is released', () => {
    const limit = new ConcurrencyLimit('exports', { perCaller: 2, overall: 10 }, 30);
    const first = limit.acquire('user:a');
    limit.acquire('user:a');
    const refused = thrownBy(TooManyRequestsError, () => limit.acquire('user:a'));
    expect(refused.getStatus()).toBe(429);
    expect(refused.retryAfterSeconds).toBe(30);
    expect(refused.message).toMatch(/2 exports open/);
    // Another caller is not held back by the first one's cap.
    limit.acquire('user:b');
    first();
    expect(() => limit.acquire('user:a')).not.toThrow();
  });

  it('caps everyone together, whoever holds them', () => {
    const limit = new ConcurrencyLimit('live streams', { perCaller: 5, overall: 3 }, 60);
    limit.acquire('user:a');
    limit.acquire('user:b');
    const release = limit.acquire('user:c');
    expect(thrownBy(TooManyRequestsError, () => limit.acquire('user:d')).message).toMatch(
      /serves 3 live streams, its limit/,
    );
    release();
    expect(() => limit.acquire('user:d')).not.toThrow();
  });

  it('never counts a release twice, whatever the order of acquires and releases', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('acquire' as const), caller: fc.constantFrom('a', 'b', 'c') }),
      fc.record({
        kind: fc.constant('release' as const),
        index: fc.nat(50),
        times: fc.integer({ min: 1, max: 3 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const limit = new ConcurrencyLimit('x', { perCaller: 3, overall: 7 }, 1);
        const held: { caller: string; release: () => void; released: boolean }[] = [];
        for (const s of steps) {
          if (s.kind === 'acquire') {
            const mine = held.filter((h) => h.caller === s.caller && !h.released).length;
            const all = held.filter((h) => !h.released).length;
            if (mine >= 3 || all >= 7) expect(() => limit.acquire(s.caller)).toThrow(TooManyRequestsError);
            else held.push({ caller: s.caller, release: limit.acquire(s.caller), released: false });
          } else if (held.length > 0) {
            const h = held[s.index % held.length] as (typeof held)[number];
            for (let i = 0; i < s.times; i++) h.release();
            h.released = true;
          }
          expect(limit.inUse).toBe(held.filter((h) => !h.released).length);
        }
      }),
    );
  });
});
