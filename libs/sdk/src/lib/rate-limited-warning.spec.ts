import { RateLimitedWarning } from './rate-limited-warning';

describe('RateLimitedWarning', () => {
  it('writes at most one warning per interval and says how many it held back', () => {
    const written: string[] = [];
    let now = 0;
    const warning = new RateLimitedWarning(
      (message) => written.push(message),
      1_000,
      () => now,
    );
    warning.warn('first');
    warning.warn('second');
    warning.warn('third');
    now = 999;
    warning.warn('fourth');
    now = 1_000;
    warning.warn('fifth');
    now = 5_000;
    warning.warn('sixth');
    expect(written).toEqual(['first', 'fifth (3 similar warnings held back)', 'sixth']);
  });
});
