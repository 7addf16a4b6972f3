import { whenTokenExpires } from './token-expiry';

describe('whenTokenExpires', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('calls back once, at the moment the token stops verifying', () => {
    const expired = jest.fn();
    whenTokenExpires(1_000_000 + 5_000, expired);
    jest.advanceTimersByTime(4_999);
    expect(expired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(60_000);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('calls back at once for a token already expired', () => {
    const expired = jest.fn();
    whenTokenExpires(999_999, expired);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('waits past the longest timer for a token valid for months, and can be cancelled', () => {
    const expired = jest.fn();
    whenTokenExpires(1_000_000 + 60 * 86_400_000, expired);
    jest.advanceTimersByTime(30 * 86_400_000);
    expect(expired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(30 * 86_400_000);
    expect(expired).toHaveBeenCalledTimes(1);

    const never = jest.fn();
    whenTokenExpires(1_000_000 + 60 * 86_400_000 + 1_000, never)();
    jest.advanceTimersByTime(10_000);
    expect(never).not.toHaveBeenCalled();
  });
});
