import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { BenchReport } from './bench-report';

describe('BenchReport', () => {
  it('judges each figure against its target, in the direction the target gives', () => {
    const report = new BenchReport('demo')
      .add('ratio', 0.9, 'x', { atLeast: 0.85 })
      .add('p50', 60, 'ms', { atMost: 50 })
      .add('baseline', 1234, 'rows/s');
    expect(report.toJSON(new Date('2026-12-06T00:00:00Z'))).toEqual({
      bench: 'demo',
      measuredAt: '2026-12-06T00:00:00.000Z',
      metrics: {
        ratio: { value: 0.9, unit: 'x', target: 0.85, better: 'higher', pass: true },
        p50: { value: 60, unit: 'ms', target: 50, better: 'lower', pass: false },
        baseline: { value: 1234, unit: 'rows/s' },
      },
    });
    expect(report.summary()).toBe('bench:demo 1/2 targets met');
  });

  it('meets a target exactly at its bound, and never with a figure that was not measured', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), (bound) => {
        const report = new BenchReport('edge')
          .add('low', bound, 'ms', { atMost: bound })
          .add('high', bound, 'x', { atLeast: bound })
          .add('none', Number.NaN, 'ms', { atMost: bound })
          .add('infinite', Number.POSITIVE_INFINITY, 'x', { atLeast: bound });
        const { metrics } = report.toJSON();
        return (
          metrics['low']?.pass === true &&
          metrics['high']?.pass === true &&
          metrics['none']?.pass === false &&
          metrics['none']?.value === null &&
          metrics['infinite']?.pass === false &&
          report.summary() === 'bench:edge 2/4 targets met'
        );
      }),
    );
  });

  it('refuses a figure reported twice', () => {
    const report = new BenchReport('twice').add('p50', 1, 'ms');
    expect(() => report.add('p50', 2, 'ms')).toThrow('bench:twice reports p50 twice');
  });

  it('writes <name>.json and ends with the summary line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    try {
      const lines: string[] = [];
      const file = new BenchReport('written')
        .add('rows', 10, 'rows/s', { atLeast: 5 })
        .finish(join(dir, 'nested'), (line) => lines.push(line));
      expect(file).toBe(join(dir, 'nested', 'written.json'));
      expect(JSON.parse(readFileSync(file, 'utf8')).metrics).toEqual({
        rows: { value: 10, unit: 'rows/s', target: 5, better: 'higher', pass: true },
      });
      expect(lines.at(-1)).toBe('bench:written 1/1 targets met');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
