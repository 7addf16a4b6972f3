/** What a run has done so far; read by the progress line, the metrics, the health check and the summary. */
export class RunProgress {
  generated = 0;
  /** Generated events the sink queued. */
  accepted = 0;
  readonly byType = new Map<string, number>();
  /** How far a live run is behind its schedule now, and at worst. */
  lagMs = 0;
  maxLagMs = 0;
  phase: 'running' | 'flushing' | 'done' = 'running';

  constructor(readonly startedAt: number) {}

  record(type: string, accepted: boolean): void {
    this.generated++;
    if (accepted) this.accepted++;
    this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
  }

  recordLag(lagMs: number): void {
    this.lagMs = lagMs;
    if (lagMs > this.maxLagMs) this.maxLagMs = lagMs;
  }
}
