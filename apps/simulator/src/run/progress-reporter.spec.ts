import { LOG_INTERVAL_MS, ProgressReporter, TTY_INTERVAL_MS } from './progress-reporter';

const SNAPSHOT = {
  mode: 'live' as const,
  total: undefined,
  elapsedMs: 1_000,
  targetRate: 100,
  dropped: 0,
  queueDepth: 0,
};

function output(isTTY: boolean) {
  const written: string[] = [];
  return { written, out: { isTTY, write: (text: string) => written.push(text) } };
}

describe('ProgressReporter', () => {
  it('rewrites one line in place on a terminal, a few times a second', () => {
    const { written, out } = output(true);
    const reporter = new ProgressReporter(out, 0);
    expect(reporter.intervalMs).toBe(TTY_INTERVAL_MS);
    expect(reporter.intervalMs).toBeGreaterThanOrEqual(200);

    reporter.report(500, { ...SNAPSHOT, generated: 50 });
    reporter.report(1_000, { ...SNAPSHOT, generated: 150 });
    reporter.finish();

    expect(written[0]).toMatch(/^\r\[simulator\] live {2}50 sent {2}100\/s /);
    expect(written[0]?.endsWith('\u001b[K')).toBe(true); // clears what a longer previous line left
    expect(written[1]).toMatch(/^\r\[simulator\] live {2}150 sent {2}200\/s /);
    expect(written[2]).toBe('\n');
  });

  it('writes whole lines, every few seconds, to a pipe or a log', () => {
    const { written, out } = output(false);
    const reporter = new ProgressReporter(out, 0);
    expect(reporter.intervalMs).toBe(LOG_INTERVAL_MS);

    reporter.report(5_000, { ...SNAPSHOT, generated: 500 });
    reporter.finish();

    expect(written).toEqual([expect.stringMatching(/^\[simulator\] live {2}500 sent {2}100\/s .*\n$/)]);
  });

  it('writes as often as it is told, e.g. each second of a short backfill through a pipe', () => {
    const { written, out } = output(false);
    const reporter = new ProgressReporter(out, 0, 1_000);
    expect(reporter.intervalMs).toBe(1_000);

    reporter.report(1_000, { ...SNAPSHOT, generated: 100 });
    reporter.finish();

    expect(written).toEqual([expect.stringMatching(/^\[simulator\] live {2}100 sent {2}100\/s .*\n$/)]);
  });

  it('ends no line that it never started', () => {
    const { written, out } = output(true);
    new ProgressReporter(out, 0).finish();
    expect(written).toEqual([]);
  });
});
