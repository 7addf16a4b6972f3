import { applyRetention, type ActivityEventWriter, type RetentionRun } from '@chronicle/events-store';
import { errorMessage, type Logger } from '@chronicle/observability';
import type { DataSource } from 'typeorm';
import type { IngestWorkerMetrics } from '../ingest-worker.metrics';

export interface MaintenanceOptions {
  dataSource: DataSource;
  writer: ActivityEventWriter;
  retentionDays: number;
  intervalMs: number;
  metrics: IngestWorkerMetrics;
  logger: Logger;
  clock?: () => number;
}

/**
 * The worker's periodic chores: the next days' partitions made ahead of time, and retention (which
 * one instance at a time runs; the others find the lock taken and skip). A failed run is logged and
 * tried again at the next tick: neither chore is urgent to the minute.
 */
export class MaintenanceScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: MaintenanceOptions) {}

  /** Runs once now (so a fresh worker has today's partitions), then every interval. */
  async start(): Promise<void> {
    await this.runOnce();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One round of both chores; the retention run's result, or undefined if it failed. */
  async runOnce(): Promise<RetentionRun | undefined> {
    const { dataSource, writer, retentionDays, metrics, logger } = this.options;
    const nowMs = (this.options.clock ?? Date.now)();
    let run: RetentionRun | undefined;
    const work = (async () => {
      try {
        const created = await writer.prepareAhead(nowMs);
        metrics.partitionsCreated.inc(created.length);
        run = await applyRetention(dataSource, { retentionDays, nowMs });
        metrics.partitionsDropped.inc(run.droppedPartitions.length);
        // Only a run that held the lock checked anything; another instance's run is that instance's to report.
        if (run.ran) metrics.retentionLastRun.set(Date.now() / 1000);
        if (run.droppedPartitions.length > 0 || run.prunedErasures > 0)
          logger.info('retention applied', {
            cutoff: run.cutoff.toISOString(),
            droppedPartitions: run.droppedPartitions,
            prunedErasures: run.prunedErasures,
          });
      } catch (error) {
        logger.warn('maintenance failed; retrying at the next interval', { error: errorMessage(error) });
      }
    })();
    this.running = work;
    await work;
    return run;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runOnce().then(() => this.schedule());
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
