import { Counter, Registry } from 'prom-client';
import { checkDependency } from './health-check';
import { createLogger } from './logger';
import { metricTotal, startProgressLog } from './progress-log';

describe('startProgressLog', () => {
  it('logs the counters and a rate when they moved, and stays quiet when they did not', async () => {
    const lines: string[] = [];
    const logger = createLogger('svc', (_level, line) => lines.push(line));
    let stored = 0;
    const progress = startProgressLog(logger, 0, async () => ({ stored, failed: 0 }), 'stored');
    await progress.report();
    expect(lines).toHaveLength(0);
    stored = 500;
    await progress.report();
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ message: 'progress', stored: 500, failed: 0 });
    expect(JSON.parse(lines[0] ?? '{}').storedPerSecond).toBeGreaterThan(0);
    await progress.report();
    expect(lines).toHaveLength(1);
    progress.stop();
  });

  it('logs by itself every interval', async () => {
    jest.useFakeTimers();
    try {
      const lines: string[] = [];
      const logger = createLogger('svc', (_level, line) => lines.push(line));
      const progress = startProgressLog(logger, 1_000, async () => ({ n: 1 }), 'n');
      await jest.advanceTimersByTimeAsync(1_000);
      expect(lines).toHaveLength(1);
      progress.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('metricTotal', () => {
  it('adds up every labelled series', async () => {
    const counter = new Counter({ name: 'c', help: 'h', labelNames: ['t'], registers: [new Registry()] });
    counter.inc({ t: 'a' }, 2);
    counter.inc({ t: 'b' }, 3);
    expect(await metricTotal(counter)).toBe(5);
  });
});

describe('checkDependency', () => {
  it('is ok when the check resolves, and carries the message when it throws', async () => {
    expect(await checkDependency(async () => 1)).toEqual({ ok: true });
    expect(
      await checkDependency(async () => {
        throw new Error('connection refused');
      }),
    ).toEqual({ ok: false, error: 'connection refused' });
  });
});
