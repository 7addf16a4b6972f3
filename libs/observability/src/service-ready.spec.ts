import { Registry } from 'prom-client';
import { trackReadiness } from './service-ready';

async function ready(registry: Registry): Promise<number | undefined> {
  return (await registry.getSingleMetric('chronicle_service_ready')?.get())?.values[0]?.value;
}

describe('trackReadiness', () => {
  it('sets chronicle_service_ready from each answer: 1 ready, 0 not ready or failed', async () => {
    const registry = new Registry();
    let answer: 'ready' | 'not ready' | 'throws' = 'ready';
    const readiness = trackReadiness(registry, async () => {
      if (answer === 'throws') throw new Error('no answer');
      return { ok: answer === 'ready' };
    });
    try {
      expect(await ready(registry)).toBe(0);
      await expect(readiness.check()).resolves.toEqual({ ok: true });
      expect(await ready(registry)).toBe(1);
      answer = 'not ready';
      await readiness.check();
      expect(await ready(registry)).toBe(0);
      answer = 'ready';
      await readiness.check();
      answer = 'throws';
      await expect(readiness.check()).rejects.toThrow('no answer');
      expect(await ready(registry)).toBe(0);
    } finally {
      readiness.stop();
    }
  });

  it('evaluates on its own every interval, so the gauge moves without a probe', async () => {
    jest.useFakeTimers();
    try {
      const registry = new Registry();
      const check = jest.fn(async () => ({ ok: true }));
      const readiness = trackReadiness(registry, check, 1_000);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(check).toHaveBeenCalledTimes(1);
      expect(await ready(registry)).toBe(1);
      readiness.stop();
      await jest.advanceTimersByTimeAsync(5_000);
      expect(check).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
