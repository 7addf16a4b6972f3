import { getDefaultActivityCatalog, type ActivityInput } from '@chronicle/contracts';
import {
  createMetricsRegistry,
  registerBuildInfo,
  startOpsServer,
  trackReadiness,
} from '@chronicle/observability';
import type { DeliveryListener } from '@chronicle/sdk';
import type { Registry } from 'prom-client';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { seedFromString } from './model/prng.util';
import { generateTraffic, type TrafficOptions } from './model/traffic.generator';
import type { ActivitySink } from './run/activity-sink';
import { DeliveryLedger } from './run/delivery-ledger';
import { ProgressReporter, type ProgressOutput } from './run/progress-reporter';
import { type Clock, RateSchedule } from './run/rate-schedule';
import { formatSummary, type RunSummary } from './run/run-report';
import { RunProgress } from './run/run-progress';
import { registerSimulatorMetrics } from './run/simulator-metrics';
import type { SimulatorOptions } from './simulator-options';

export interface SimulatorDependencies {
  clock: Clock;
  /** Wall-clock time, for the events' times; only read once, at the start. */
  wallClock: () => number;
  /**
   * The sink reports its own metrics (the SDK clients') into the simulator's registry, and what became
   * of each event to `onDelivery` when there is one (`--ledger`).
   */
  createSink: (options: SimulatorOptions, registry: Registry, onDelivery?: DeliveryListener) => ActivitySink;
  stderr: ProgressOutput;
  stdout: { write(text: string): unknown };
  /** Aborting it stops the run: no more events, the queue is published, the summary printed. */
  signal: AbortSignal;
}

/** Live runs wake up every TICK_MS and send what has become due. */
export const TICK_MS = 10;
/** At most this many ms worth of events in one go, so that a late tick does not starve the SDK's I/O. */
const MAX_BURST_MS = 50;
/** A backfill yields to the event loop this often, so that timers (progress, signals, the SDK's linger) run. */
const BACKFILL_YIELD_EVERY = 1_000;
/** /health fails when a live run falls this far behind its schedule. */
const UNHEALTHY_LAG_MS = 5_000;

type StopReason = RunSummary['stopped'];

/**
 * Runs the simulator: serves /metrics and /health, generates the traffic, hands it to the sink (live:
 * on schedule with `log()`, dropping when the SDK's queue is full, as a real service would; backfill:
 * as fast as the SDK takes it with `logAsync()`, waiting for room), then closes the sink, which
 * publishes what is still queued, closes the id ledger (`--ledger`) and prints the summary.
 */
export async function runSimulator(
  options: SimulatorOptions,
  deps: SimulatorDependencies,
): Promise<RunSummary> {
  const mode = options.backfillDays > 0 ? 'backfill' : 'live';
  const trafficOptions: TrafficOptions = {
    users: options.users,
    apps: options.apps,
    rate: options.rate,
    backfillDays: options.backfillDays,
    count: options.count,
  };
  const seed = seedFromString(options.seed);
  // Live events carry their scheduled times from here; the model's warm-up (under a second at
  // thousands of events per second) happens before the schedule starts, and they trail the clock by it.
  const startMs = deps.wallClock();
  const traffic = generateTraffic(seed, trafficOptions, startMs);
  const schedule = new RateSchedule(options.rate);
  const total =
    traffic.total ??
    options.count ??
    (options.durationMs !== undefined ? schedule.countWithin(options.durationMs) : undefined);

  const registry = createMetricsRegistry({ defaultLabels: { service: 'simulator' } });
  const ledger = options.ledgerPath === undefined ? undefined : await DeliveryLedger.open(options.ledgerPath);
  const sink = deps.createSink(options, registry, ledger);
  const progress = new RunProgress(deps.clock.now());
  registerSimulatorMetrics(
    registry,
    progress,
    mode === 'live' ? options.rate : undefined,
    getDefaultActivityCatalog().types,
  );
  registerBuildInfo(registry, 'simulator');
  const readiness = trackReadiness(registry, async () => {
    const { queueDepth } = sink.stats();
    return {
      ok: progress.phase === 'running' && progress.lagMs < UNHEALTHY_LAG_MS,
      details: {
        mode,
        phase: progress.phase,
        generated: progress.generated,
        accepted: progress.accepted,
        queueDepth,
        lagMs: Math.round(progress.lagMs),
      },
    };
  });
  let ops;
  try {
    ops = await startOpsServer({
      port: options.opsPort,
      host: options.opsHost,
      registry,
      health: readiness.check,
    });
  } catch (error) {
    readiness.stop();
    await sink.close();
    await ledger?.close();
    throw error;
  }
  deps.stderr.write(
    `[simulator] ${mode} run; metrics and health on ${ops.url}/metrics and ${ops.url}/health/ready\n`,
  );

  const reporter = new ProgressReporter(deps.stderr, progress.startedAt, options.progressEveryMs);
  const report = () => {
    const stats = sink.stats();
    reporter.report(deps.clock.now(), {
      mode,
      generated: progress.generated,
      total,
      elapsedMs: deps.clock.now() - progress.startedAt,
      targetRate: mode === 'live' ? options.rate : undefined,
      dropped: Object.values(stats.dropped).reduce((sum, count) => sum + count, 0),
      queueDepth: stats.queueDepth,
    });
  };
  const timer = setInterval(report, reporter.intervalMs);
  timer.unref();

  let stopped: StopReason;
  let endedAt: number;
  try {
    const run = { sink, progress, clock: deps.clock, signal: deps.signal, durationMs: options.durationMs };
    stopped =
      mode === 'live'
        ? await sendLive(run, traffic, schedule, total ?? Infinity)
        : await sendBackfill(run, traffic);
    endedAt = deps.clock.now();
  } finally {
    clearInterval(timer);
    report();
    reporter.finish();
  }

  progress.phase = 'flushing';
  await sink.close();
  const flushMs = deps.clock.now() - endedAt;
  // After the sink, so that the events it dropped at shutdown are in the ledger.
  let ledgerFailure: unknown;
  await ledger?.close().catch((error: unknown) => (ledgerFailure = error));
  progress.phase = 'done';

  const summary: RunSummary = {
    mode,
    sink: sink.kind,
    seed: options.seed,
    users: options.users,
    apps: options.apps,
    backfillDays: options.backfillDays,
    targetRate: mode === 'live' ? options.rate : undefined,
    generated: progress.generated,
    accepted: progress.accepted,
    byType: [...progress.byType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    elapsedMs: endedAt - progress.startedAt,
    flushMs,
    maxLagMs: progress.maxLagMs,
    stopped,
    stats: sink.stats(),
    ledger: ledger?.summary(),
  };
  deps.stdout.write(formatSummary(summary));
  readiness.stop();
  await ops.close();
  if (ledgerFailure !== undefined) throw ledgerFailure;
  return summary;
}

interface Run {
  sink: ActivitySink;
  progress: RunProgress;
  clock: Clock;
  signal: AbortSignal;
  durationMs: number | undefined;
}

/** Sends each event when it is due, counting from the start, so the rate does not drift. */
async function sendLive(
  run: Run,
  traffic: Iterator<ActivityInput>,
  schedule: RateSchedule,
  limit: number,
): Promise<StopReason> {
  const { sink, progress, clock, signal } = run;
  const endAt = run.durationMs ?? Infinity;
  const maxBurst = Math.max(1, Math.ceil((MAX_BURST_MS * schedule.ratePerSecond) / 1000));
  let sent = 0;
  for (;;) {
    if (signal.aborted) return 'signal';
    const elapsed = clock.now() - progress.startedAt;
    const due = Math.min(limit, schedule.dueBy(elapsed));
    progress.recordLag(sent < due ? elapsed - schedule.dueAt(sent) : 0);
    const burstEnd = Math.min(due, sent + maxBurst);
    while (sent < burstEnd) {
      const input = traffic.next().value as ActivityInput;
      progress.record(input.type, sink.log(input));
      sent++;
    }
    if (sent >= limit) return 'done';
    if (elapsed >= endAt) return 'duration';
    if (sent < due) await yieldToEventLoop();
    else await clock.sleep(TICK_MS);
  }
}

/** Sends as fast as the sink takes the events, waiting when its queue is full. */
async function sendBackfill(run: Run, traffic: Iterator<ActivityInput>): Promise<StopReason> {
  const { sink, progress, clock, signal } = run;
  const endAt = run.durationMs ?? Infinity;
  // A wait for room in the queue must not hold up a Ctrl-C.
  const aborted = new Promise<'aborted'>((resolve) =>
    signal.addEventListener('abort', () => resolve('aborted'), { once: true }),
  );
  for (;;) {
    if (signal.aborted) return 'signal';
    const next = traffic.next();
    if (next.done) return 'done';
    const accepted = await Promise.race([sink.logAsync(next.value), aborted]);
    if (accepted === 'aborted') return 'signal';
    progress.record(next.value.type, accepted);
    if (progress.generated % BACKFILL_YIELD_EVERY === 0) {
      if (clock.now() - progress.startedAt >= endAt) return 'duration';
      await yieldToEventLoop();
    }
  }
}
