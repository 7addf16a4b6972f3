/**
 * Collapses repeated warnings into at most one line per interval, with a count of what was held
 * back, so an upstream service logging thousands of bad events is not flooded by its own log.
 */
export class RateLimitedWarning {
  private lastWarnedAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly write: (message: string) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  warn(message: string): void {
    const now = this.now();
    if (now - this.lastWarnedAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const held = this.suppressed > 0 ? ` (${this.suppressed} similar warnings held back)` : '';
    this.suppressed = 0;
    this.lastWarnedAt = now;
    this.write(`${message}${held}`);
  }
}
