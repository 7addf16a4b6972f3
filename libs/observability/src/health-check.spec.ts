import { cachedHealth, checkDependency } from './health-check';

describe('checkDependency', () => {
  it('is ok when the check resolves, and carries the message when it throws', async () => {
    await expect(checkDependency(async () => 1)).resolves.toEqual({ ok: true });
    await expect(checkDependency(() => Promise.reject(new Error('down')))).resolves.toEqual({
      ok: false,
      error: 'down',
    });
  });
});

describe('cachedHealth', () => {
  it('runs the check at most once per interval, and shares a run in progress', async () => {
    let clock = 0;
    let runs = 0;
    let release: (() => void) | undefined;
    const check = () =>
      new Promise<number>((resolve) => {
        runs++;
        release = () => resolve(runs);
      });
    const health = cachedHealth(check, 1_000, () => clock);
    const first = health();
    const second = health();
    release?.();
    await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
    expect(runs).toBe(1);
    clock = 999;
    await expect(health()).resolves.toBe(1);
    expect(runs).toBe(1);
    clock = 1_000;
    const third = health();
    release?.();
    await expect(third).resolves.toBe(2);
  });

  it('runs again after a check that threw, rather than keeping the failure', async () => {
    let fail = true;
    const health = cachedHealth(async () => {
      if (fail) throw new Error('no answer');
      return 'ok';
    }, 60_000);
    await expect(health()).rejects.toThrow('no answer');
    fail = false;
    await expect(health()).resolves.toBe('ok');
  });
});
