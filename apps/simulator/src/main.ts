// The simulator's command line: `tsx apps/simulator/src/main.ts --help`.
import { DryRunSink } from './run/activity-sink';
import { systemClock } from './run/rate-schedule';
import { SdkSink } from './run/sdk-sink';
import { OptionsError, parseSimulatorOptions, USAGE } from './simulator-options';
import { runSimulator } from './simulator.runner';

async function main(): Promise<number> {
  let options;
  try {
    options = parseSimulatorOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  // The first SIGINT or SIGTERM stops the run cleanly; a second one does not wait for the flush.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      process.stderr.write(`\n[simulator] ${signal} again: exiting without waiting for the flush\n`);
      process.exit(1);
    }
    process.stderr.write(`\n[simulator] ${signal}: stopping, publishing what is queued\n`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  await runSimulator(options, {
    clock: systemClock,
    wallClock: Date.now,
    createSink: (o, registry, onDelivery) =>
      o.dryRun
        ? new DryRunSink()
        : new SdkSink(
            {
              brokers: o.brokers,
              security: o.kafkaSecurity,
              topic: o.topic,
              overflow: o.backfillDays > 0 ? 'block' : 'drop-newest',
              onDelivery,
            },
            registry,
            { warn: (message) => process.stderr.write(`\n${message}\n`) },
          ),
    stderr: process.stderr,
    stdout: process.stdout,
    signal: stop.signal,
  });
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`[simulator] failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
