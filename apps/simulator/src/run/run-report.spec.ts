import { formatDuration, formatProgressLine, formatSummary, type RunSummary } from './run-report';

const SUMMARY: RunSummary = {
  mode: 'live',
  sink: 'kafka',
  seed: '42',
  users: 20_000,
  apps: 1_000,
  backfillDays: 0,
  targetRate: 5_000,
  generated: 300_000,
  accepted: 299_990,
  byType: [
    ['app.viewed', 180_000],
    ['search.performed', 120_000],
  ],
  elapsedMs: 60_010,
  flushMs: 250,
  maxLagMs: 12.4,
  stopped: 'duration',
  stats: { enqueued: 299_990, published: 299_990, dropped: { queue_full: 10, invalid: 0 }, queueDepth: 0 },
};

describe('formatSummary', () => {
  it('reports the achieved rate against the target, what Kafka got, and the mix by type', () => {
    const text = formatSummary(SUMMARY);
    expect(text).toContain('Simulator summary: live, seed 42, 20,000 users, 1,000 apps\n');
    expect(text).toContain(
      'sent      300,000 events in 60.01 s: 4,999.2 events/s (target 5,000/s, 100.0%); max lag behind schedule 12 ms',
    );
    expect(text).toContain(
      'queued 299,990, published 299,990 (4,978.3 events/s including the final flush of 0.25 s), dropped 10 queue_full',
    );
    expect(text).toMatch(/app\.viewed\s+180,000\s+60\.0%/);
    expect(text).toMatch(/search\.performed\s+120,000\s+40\.0%/);
  });

  it('says when a backfill was stopped by a signal, and when nothing went to Kafka', () => {
    const text = formatSummary({
      ...SUMMARY,
      mode: 'backfill',
      sink: 'dry-run',
      backfillDays: 7,
      targetRate: undefined,
      stopped: 'signal',
      stats: { enqueued: 0, published: 0, dropped: {}, queueDepth: 0 },
    });
    expect(text).toContain('backfill of the last 7 days');
    expect(text).toContain('(stopped by a signal)');
    expect(text).toContain('dry run: nothing was sent to Kafka');
    expect(text).not.toContain('target');
  });

  it('names the id ledger and what it holds, when there is one', () => {
    expect(formatSummary(SUMMARY)).not.toContain('ledger');
    const text = formatSummary({
      ...SUMMARY,
      ledger: { path: '/tmp/run/ledger.ndjson', published: 299_990, dropped: 10 },
    });
    expect(text).toContain(
      '\n  ledger    299,990 published and 10 dropped events recorded in /tmp/run/ledger.ndjson\n',
    );
    expect(text.replace(/ {2}ledger .*\n/, '')).toBe(formatSummary(SUMMARY));
  });

  it('says dropped 0 when nothing was dropped', () => {
    const text = formatSummary({ ...SUMMARY, stats: { ...SUMMARY.stats, dropped: { queue_full: 0 } } });
    expect(text).toContain('dropped 0');
  });
});

describe('formatProgressLine', () => {
  it('shows events sent, the rate, elapsed time, drops and the queue', () => {
    expect(
      formatProgressLine({
        mode: 'live',
        generated: 123_456,
        total: undefined,
        elapsedMs: 24_700,
        recentRate: 4_998.4,
        targetRate: 5_000,
        dropped: 3,
        queueDepth: 120,
      }),
    ).toBe('[simulator] live  123,456 sent  4,998/s (target 5,000/s)  elapsed 00:24  dropped 3  queued 120');
  });

  it('shows how far a run of known size has got', () => {
    expect(
      formatProgressLine({
        mode: 'backfill',
        generated: 250,
        total: 1_000,
        elapsedMs: 3_723_000,
        recentRate: 50_000,
        targetRate: undefined,
        dropped: 0,
        queueDepth: 0,
      }),
    ).toBe('[simulator] backfill  250/1,000 sent (25.0%)  50,000/s  elapsed 1:02:03  dropped 0  queued 0');
  });
});

describe('formatDuration', () => {
  it('shows minutes and seconds, and hours when there are any', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(59_999)).toBe('00:59');
    expect(formatDuration(61_000)).toBe('01:01');
    expect(formatDuration(3_600_000)).toBe('1:00:00');
  });
});
