import { formatReport, passed, type ChaosReport } from './report';

const report: ChaosReport = {
  title: 'Chaos suite',
  load: '2,000 events/s',
  faults: [
    {
      name: 'SIGKILL an ingest worker',
      faultSeconds: 31,
      recoverySeconds: 4.25,
      peakLag: { ingest: 12_000, analytics: 300 },
      freshnessP99: { postgres: 6.5, clickhouse: 1.2 },
    },
    { name: 'stop Postgres', faultSeconds: 15.25, recoverySeconds: undefined, peakLag: {}, freshnessP99: {} },
  ],
  throughput: { before: { postgres: 1999.6, clickhouse: 2000 }, after: { postgres: 2001, clickhouse: 1998 } },
  totals: { published: 1_200_000, stored: 1_199_900, deadLettered: 3, dropped: 0, erased: 100 },
  checks: [{ name: 'Postgres holds exactly the accepted valid events', pass: true, detail: 'ok' }],
};

describe('the chaos report', () => {
  it('is a Markdown fault matrix, throughput table and verdict', () => {
    const text = formatReport(report);
    expect(text).toContain('### Chaos suite: PASS');
    expect(text).toContain('| SIGKILL an ingest worker | 31.0 s | 4.25 s | 12,000 | 300 | 6.50 s | 1.20 s |');
    expect(text).toContain('| stop Postgres | 15.3 s | n/a | n/a | n/a | n/a | n/a |');
    expect(text).toContain('| before the first fault | 2,000 | 2,000 |');
    expect(text).toContain('Published 1,200,000, stored 1,199,900');
  });

  it('passes only when every check passed, and there was one', () => {
    expect(passed(report)).toBe(true);
    expect(passed({ checks: [] })).toBe(false);
    expect(passed({ checks: [...report.checks, { name: 'x', pass: false, detail: '' }] })).toBe(false);
    expect(formatReport({ ...report, checks: [{ name: 'x', pass: false, detail: 'd' }] })).toContain(
      '| x | **FAIL** | d |',
    );
  });
});
