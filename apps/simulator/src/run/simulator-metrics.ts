import { initialiseCounter } from '@chronicle/observability';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { RunProgress } from './run-progress';

/**
 * The simulator's own metrics, read from the run's counters when scraped (so the hot loop only adds
 * numbers). What the SDK did with the events is in its own chronicle_sdk_* metrics. Each activity
 * type of `activityTypes` has its series from the first scrape, at 0.
 */
export function registerSimulatorMetrics(
  registry: Registry,
  progress: RunProgress,
  targetRate: number | undefined,
  activityTypes: readonly string[],
): void {
  new Counter({
    name: 'chronicle_simulator_events_generated_total',
    help: 'Events the traffic model generated and handed to the SDK, by activity type.',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      this.reset();
      initialiseCounter(this, { type: activityTypes });
      for (const [type, count] of progress.byType) this.inc({ type }, count);
    },
  });
  new Counter({
    name: 'chronicle_simulator_events_rejected_total',
    help: 'Generated events the SDK did not queue (chronicle_sdk_events_dropped_total says why).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(progress.generated - progress.accepted);
    },
  });
  if (targetRate !== undefined) {
    new Gauge({
      name: 'chronicle_simulator_target_rate_events_per_second',
      help: 'The rate a live run is asked to hold.',
      registers: [registry],
      collect() {
        this.set(targetRate);
      },
    });
  }
  new Gauge({
    name: 'chronicle_simulator_schedule_lag_seconds',
    help: 'How far a live run is behind its schedule (0 when on time).',
    registers: [registry],
    collect() {
      this.set(progress.lagMs / 1000);
    },
  });
}
