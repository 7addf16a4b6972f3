import type { SinkStats } from './activity-sink';
import type { LedgerSummary } from './delivery-ledger';

/** How a run ended: what the summary prints and what a caller (a test, a benchmark) can check. */
export interface RunSummary {
  mode: 'live' | 'backfill';
  sink: 'kafka' | 'dry-run';
  seed: string;
  users: number;
  apps: number;
  backfillDays: number;
  /** Live runs only. */
  targetRate: number | undefined;
  generated: number;
  accepted: number;
  byType: ReadonlyArray<readonly [string, number]>;
  /** From the start to the last event handed to the sink. */
  elapsedMs: number;
  /** Closing the sink: publishing what was still queued. */
  flushMs: number;
  maxLagMs: number;
  stopped: 'done' | 'duration' | 'signal';
  stats: SinkStats;
  /** With `--ledger`: where the id ledger was written, and what it holds. */
  ledger?: LedgerSummary;
}

export interface ProgressSnapshot {
  mode: 'live' | 'backfill';
  generated: number;
  /** A backfill's size, or a live run's count; undefined when it runs until stopped. */
  total: number | undefined;
  elapsedMs: number;
  /** Events per second since the previous line. */
  recentRate: number;
  targetRate: number | undefined;
  dropped: number;
  queueDepth: number;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatProgressLine(p: ProgressSnapshot): string {
  const done =
    p.total === undefined
      ? `${integer.format(p.generated)} sent`
      : `${integer.format(p.generated)}/${integer.format(p.total)} sent (${oneDecimal.format((100 * p.generated) / Math.max(1, p.total))}%)`;
  const target = p.targetRate === undefined ? '' : ` (target ${integer.format(p.targetRate)}/s)`;
  return (
    `[simulator] ${p.mode}  ${done}  ${integer.format(p.recentRate)}/s${target}  ` +
    `elapsed ${formatDuration(p.elapsedMs)}  dropped ${integer.format(p.dropped)}  queued ${integer.format(p.queueDepth)}`
  );
}

export function formatSummary(s: RunSummary): string {
  const seconds = s.elapsedMs / 1000;
  const rate = s.generated / Math.max(seconds, 1e-9);
  const lines: string[] = [];
  const what = s.mode === 'live' ? 'live' : `backfill of the last ${s.backfillDays} days`;
  lines.push(
    `Simulator summary: ${what}, seed ${s.seed}, ${integer.format(s.users)} users, ${integer.format(s.apps)} apps` +
      (s.stopped === 'signal' ? ' (stopped by a signal)' : ''),
  );
  let rateLine = `  sent      ${integer.format(s.generated)} events in ${seconds.toFixed(2)} s: ${oneDecimal.format(rate)} events/s`;
  if (s.targetRate !== undefined) {
    rateLine += ` (target ${integer.format(s.targetRate)}/s, ${oneDecimal.format((100 * rate) / s.targetRate)}%); max lag behind schedule ${integer.format(s.maxLagMs)} ms`;
  }
  lines.push(rateLine);
  if (s.sink === 'dry-run') lines.push('  dry run: nothing was sent to Kafka');
  else {
    const dropped = Object.entries(s.stats.dropped).filter(([, count]) => count > 0);
    const droppedText =
      dropped.length === 0
        ? '0'
        : dropped.map(([reason, count]) => `${integer.format(count)} ${reason}`).join(', ');
    const published = s.stats.published / Math.max((s.elapsedMs + s.flushMs) / 1000, 1e-9);
    lines.push(
      `  kafka     queued ${integer.format(s.accepted)}, published ${integer.format(s.stats.published)} ` +
        `(${oneDecimal.format(published)} events/s including the final flush of ${(s.flushMs / 1000).toFixed(2)} s), dropped ${droppedText}`,
    );
  }
  if (s.ledger !== undefined) {
    lines.push(
      `  ledger    ${integer.format(s.ledger.published)} published and ${integer.format(s.ledger.dropped)} dropped events recorded in ${s.ledger.path}`,
    );
  }
  const width = Math.max(4, ...s.byType.map(([type]) => type.length));
  lines.push(`  ${'type'.padEnd(width)}  ${'events'.padStart(11)}  ${'share'.padStart(6)}`);
  for (const [type, count] of s.byType) {
    const share = `${oneDecimal.format((100 * count) / Math.max(1, s.generated))}%`;
    lines.push(`  ${type.padEnd(width)}  ${integer.format(count).padStart(11)}  ${share.padStart(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `00:42`, `12:03`, `1:02:03`. */
export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}
