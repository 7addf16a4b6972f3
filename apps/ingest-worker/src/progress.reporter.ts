import type { Logger } from '@chronicle/observability';
import type { Counter } from 'prom-client';
import type { IngestWorkerMetrics } from './ingest-worker.metrics';

/** A line every interval with what the worker did since the last one, so a person can see it move. */
export class ProgressReporter {
  private readonly timer: NodeJS.Timeout | undefined;
  private last = { ingested: 0, deadLettered: 0, at: Date.now() };

  constructor(
    private readonly metrics: IngestWorkerMetrics,
    private readonly logger: Logger,
    intervalMs: number,
  ) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => void this.report(), intervalMs);
      this.timer.unref();
    }
  }

  async report(): Promise<void> {
    const [ingested, deadLettered, duplicates] = await Promise.all([
      total(this.metrics.ingested),
      total(this.metrics.deadLettered),
      total(this.metrics.duplicates),
    ]);
    const now = Date.now();
    if (ingested === this.last.ingested && deadLettered === this.last.deadLettered) return;
    const seconds = Math.max(0.001, (now - this.last.at) / 1000);
    this.logger.info('progress', {
      ingested,
      duplicates,
      deadLettered,
      eventsPerSecond: Math.round((ingested - this.last.ingested) / seconds),
    });
    this.last = { ingested, deadLettered, at: now };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

async function total(counter: Counter<string>): Promise<number> {
  return (await counter.get()).values.reduce((sum, value) => sum + value.value, 0);
}
