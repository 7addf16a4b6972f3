import type { GroupName, StoreName } from './samples';
import type { Check } from './verdict';

/** What one fault did to the pipeline. */
export interface FaultFigures {
  name: string;
  /** Seconds the fault lasted: from its start until the broker, store or replacement worker was back. */
  faultSeconds: number;
  /** Seconds from the fault's end until both groups' lag was back to normal. */
  recoverySeconds: number | undefined;
  /** Records behind, per group, from the fault's start to its recovery. */
  peakLag: Partial<Record<GroupName, number>>;
  /** Seconds from an event's time to its store's acknowledgement, over the same window. */
  freshnessP99: Partial<Record<StoreName, number>>;
}

export interface Throughput {
  /** Events stored per second over a quiet window. */
  postgres: number;
  clickhouse: number;
}

export interface ChaosReport {
  title: string;
  /** Offered rate and length, e.g. `2,000 events/s for 10 min`. */
  load: string;
  faults: FaultFigures[];
  throughput: { before: Throughput; after: Throughput };
  totals: { published: number; stored: number; deadLettered: number; dropped: number; erased: number };
  checks: Check[];
}

export function passed(report: Pick<ChaosReport, 'checks'>): boolean {
  return report.checks.length > 0 && report.checks.every((check) => check.pass);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** The report as Markdown: the fault matrix, the throughput, the verdict. */
export function formatReport(report: ChaosReport): string {
  const lines = [
    `### ${report.title}: ${passed(report) ? 'PASS' : 'FAIL'}`,
    '',
    `Load: ${report.load}. Published ${integer.format(report.totals.published)}, stored ${integer.format(report.totals.stored)}, ` +
      `dead-lettered ${integer.format(report.totals.deadLettered)}, dropped by the SDK ${integer.format(report.totals.dropped)}, ` +
      `erased ${integer.format(report.totals.erased)}.`,
    '',
    '| fault | lasted | then recovered in | peak lag ingest | peak lag analytics | freshness p99 Postgres | freshness p99 ClickHouse |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.faults.map(
      (fault) =>
        `| ${fault.name} | ${seconds(fault.faultSeconds)} | ${seconds(fault.recoverySeconds)} | ${records(fault.peakLag.ingest)} | ${records(fault.peakLag.analytics)} | ` +
        `${seconds(fault.freshnessP99.postgres)} | ${seconds(fault.freshnessP99.clickhouse)} |`,
    ),
    '',
    '| throughput (stored events/s) | Postgres | ClickHouse |',
    '| --- | ---: | ---: |',
    `| before the first fault | ${integer.format(report.throughput.before.postgres)} | ${integer.format(report.throughput.before.clickhouse)} |`,
    `| after the last recovery | ${integer.format(report.throughput.after.postgres)} | ${integer.format(report.throughput.after.clickhouse)} |`,
    '',
    '| check | result | figures |',
    '| --- | --- | --- |',
    ...report.checks.map(
      (check) => `| ${check.name} | ${check.pass ? 'pass' : '**FAIL**'} | ${check.detail} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

function seconds(value: number | undefined): string {
  if (value === undefined) return 'n/a';
  return value < 10 ? `${value.toFixed(2)} s` : `${value.toFixed(1)} s`;
}

function records(value: number | undefined): string {
  return value === undefined ? 'n/a' : integer.format(value);
}
