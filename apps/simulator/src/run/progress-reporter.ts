import { formatProgressLine, type ProgressSnapshot } from './run-report';

export interface ProgressOutput {
  write(text: string): unknown;
  /** A terminal gets one line rewritten in place; a pipe or a log file gets a line now and then. */
  isTTY?: boolean;
}

export const TTY_INTERVAL_MS = 250;
export const LOG_INTERVAL_MS = 5_000;

/** The live progress line on stderr. */
export class ProgressReporter {
  readonly intervalMs: number;
  private lastAt: number;
  private lastGenerated = 0;
  private written = false;

  /** `intervalMs` overrides the default for the output (e.g. a backfill of a few seconds, through a pipe). */
  constructor(
    private readonly out: ProgressOutput,
    startedAt: number,
    intervalMs?: number,
  ) {
    this.intervalMs = intervalMs ?? (out.isTTY ? TTY_INTERVAL_MS : LOG_INTERVAL_MS);
    this.lastAt = startedAt;
  }

  report(now: number, snapshot: Omit<ProgressSnapshot, 'recentRate'>): void {
    const seconds = (now - this.lastAt) / 1000;
    const recentRate = seconds > 0 ? (snapshot.generated - this.lastGenerated) / seconds : 0;
    this.lastAt = now;
    this.lastGenerated = snapshot.generated;
    const line = formatProgressLine({ ...snapshot, recentRate });
    this.out.write(this.out.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
    this.written = true;
  }

  /** Ends the rewritten line, so that what follows starts on a line of its own. */
  finish(): void {
    if (this.out.isTTY && this.written) this.out.write('\n');
  }
}
