import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChaos } from './chaos-run';
import { CHAOS_PORTS } from './chaos-rig';
import { CHAOS_PRESETS } from './chaos-presets';
import { formatReport, passed, type ChaosReport } from './report';

/*
 * The chaos suite's short version (docs/reliability.md): every fault once at 200 events/s, on a
 * 3-broker cluster, Postgres and ClickHouse of its own, so that it disturbs no other test. It fails on
 * any loss, duplicate, unexplained drop, wrong figure or unfinished erasure.
 */

// Each fault waits up to 4 min to recover; on a slow or busy machine the whole run can take 20.
jest.setTimeout(1_500_000);

describe('chaos suite, short version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-chaos-'));
  let report: ChaosReport;

  beforeAll(async () => {
    report = await runChaos({
      ...CHAOS_PRESETS.short,
      dir,
      ports: CHAOS_PORTS,
      // Jest prints console.log with a stack line each; the progress goes to stderr as it comes.
      progress: (line) => process.stderr.write(`${line}\n`),
    });
  });
  // A failed run keeps its directory: the workers' and the simulator's logs, the missing events.
  afterAll(() => {
    if (report !== undefined && passed(report)) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`[chaos] the failed run's logs are in ${join(dir, 'logs')}\n`);
  });

  it('ran every fault, and the pipeline recovered from each', () => {
    expect(report.faults.map((fault) => fault.name)).toHaveLength(7);
    for (const fault of report.faults)
      expect({ fault: fault.name, recovered: fault.recoverySeconds !== undefined }).toEqual({
        fault: fault.name,
        recovered: true,
      });
  });

  it('lost nothing, stored nothing twice, dropped nothing unexplained', () => {
    const failed = report.checks.filter((check) => !check.pass);
    expect(failed).toEqual([]);
    expect(passed(report)).toBe(true);
    expect(report.totals.published).toBeGreaterThan(10_000);
    expect(formatReport(report)).toContain('PASS');
  });
});
