/** Time as the run loop sees it; injected so that tests can drive the loop with a clock of their own. */
export interface Clock {
  /** Monotonic milliseconds (performance.now()), immune to wall-clock adjustments. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * When each event of a fixed-rate run is due: event i at i × 1000 / rate ms after the start. Counting
 * from the start (rather than adding an interval per tick) is what keeps the rate from drifting: a late
 * tick finds more events due and catches up, an early one finds fewer.
 */
export class RateSchedule {
  constructor(readonly ratePerSecond: number) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new Error(`the rate must be a positive number of events per second, got ${ratePerSecond}`);
    }
  }

  /** Milliseconds after the start at which event `index` (from 0) is due. */
  dueAt(index: number): number {
    return (index * 1000) / this.ratePerSecond;
  }

  /** How many events are due `elapsedMs` after the start: those with dueAt(i) <= elapsedMs. */
  dueBy(elapsedMs: number): number {
    if (elapsedMs < 0) return 0;
    let due = Math.floor((elapsedMs * this.ratePerSecond) / 1000) + 1;
    // Floating point can put the boundary one event off either way; dueAt is the definition.
    while (due > 0 && this.dueAt(due - 1) > elapsedMs) due--;
    while (this.dueAt(due) <= elapsedMs) due++;
    return due;
  }

  /** How many events fall within the first `durationMs`: those due strictly before its end. */
  countWithin(durationMs: number): number {
    const due = this.dueBy(durationMs);
    return this.dueAt(due - 1) < durationMs ? due : due - 1;
  }
}
