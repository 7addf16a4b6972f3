import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '@chronicle/stack';

/** Where every benchmark writes its figures: `.local/bench/` of the workspace (not tracked). */
export const benchDir = (): string => join(findRepoRoot(__dirname), '.local', 'bench');

/** A target: the figure must be at least or at most this value. */
export type BenchTarget = { atLeast: number } | { atMost: number };

export interface BenchMetric {
  value: number | null;
  unit: string;
  /** Absent for a figure reported without a target (a baseline, a context figure). */
  target?: number;
  better?: 'higher' | 'lower';
  pass?: boolean;
}

export interface BenchReportJson {
  bench: string;
  measuredAt: string;
  metrics: Record<string, BenchMetric>;
}

/**
 * The figures of one benchmark run and their targets, written as `.local/bench/<name>.json` so that
 * runs can be compared by a program, and summed up in the run's last line: `bench:<name> k/n targets met`.
 */
export class BenchReport {
  private readonly metrics = new Map<string, BenchMetric>();

  constructor(readonly name: string) {}

  add(metric: string, value: number, unit: string, target?: BenchTarget): this {
    if (this.metrics.has(metric)) throw new Error(`bench:${this.name} reports ${metric} twice`);
    // NaN or Infinity (nothing measured) is written as null and meets no target.
    const finite = Number.isFinite(value) ? value : null;
    const entry: BenchMetric = { value: finite, unit };
    if (target && 'atLeast' in target)
      Object.assign(entry, {
        target: target.atLeast,
        better: 'higher',
        pass: finite !== null && finite >= target.atLeast,
      });
    else if (target)
      Object.assign(entry, {
        target: target.atMost,
        better: 'lower',
        pass: finite !== null && finite <= target.atMost,
      });
    this.metrics.set(metric, entry);
    return this;
  }

  toJSON(measuredAt = new Date()): BenchReportJson {
    return {
      bench: this.name,
      measuredAt: measuredAt.toISOString(),
      metrics: Object.fromEntries(this.metrics),
    };
  }

  /** `bench:<name> <k>/<n> targets met`, n counting the figures that have a target. */
  summary(): string {
    const targeted = [...this.metrics.values()].filter((metric) => metric.pass !== undefined);
    const met = targeted.filter((metric) => metric.pass).length;
    return `bench:${this.name} ${met}/${targeted.length} targets met`;
  }

  /** Writes `<dir>/<name>.json` and prints the summary as the run's last line; returns the file's path. */
  finish(dir: string = benchDir(), print: (line: string) => void = (line) => console.log(line)): string {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${this.name}.json`);
    writeFileSync(file, `${JSON.stringify(this.toJSON(), null, 2)}\n`);
    print(`figures written to ${file}`);
    print(this.summary());
    return file;
  }
}
