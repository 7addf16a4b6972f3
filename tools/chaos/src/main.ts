// `npm run chaos`: the fault suite at full length (docs/reliability.md). `--help` for the options.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findRepoRoot } from '@chronicle/stack';
import { runChaos } from './chaos-run';
import { ChaosRig, CHAOS_PORTS } from './chaos-rig';
import { CHAOS_PRESETS } from './chaos-presets';
import { formatReport, passed } from './report';
import { writeFileSync } from 'node:fs';

const USAGE = `Usage: npm run chaos -- [options]

Runs the pipeline on a 3-broker Kafka cluster of its own (ports ${CHAOS_PORTS.kafka}-${CHAOS_PORTS.kafka + 2}), with its
own Postgres (${CHAOS_PORTS.postgres}) and ClickHouse endpoint (${CHAOS_PORTS.clickhouse}), 3 ingest and 2 analytics
workers and the simulator, through a series of faults; then checks that nothing was lost or stored
twice, and prints the fault matrix. Exits 1 if any check fails.

  --rate <n>          events per second offered (default 2000)
  --minutes <n>       how long the faults are spread over (default 10)
  --short             the version npm test runs: 200 events/s, 5 to 20 minutes
  -h, --help          this text
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string' },
      minutes: { type: 'string' },
      short: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const preset = CHAOS_PRESETS[values.short === true ? 'short' : 'full'];
  const rate = values.rate === undefined ? preset.rate : Number(values.rate);
  const durationMs = values.minutes === undefined ? preset.durationMs : Number(values.minutes) * 60_000;
  if (!Number.isInteger(rate) || rate < 1) throw new Error('--rate: a whole number of events per second');
  if (!(durationMs > 0)) throw new Error('--minutes: a positive number');
  const root = findRepoRoot(__dirname);
  const dir = join(root, '.local/chaos');
  // Ctrl-C or SIGTERM: every process of the run is stopped before exiting, none is left behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      process.stdout.write(`\n[chaos] ${signal}: stopping every process of the run\n`);
      void new ChaosRig(dir, CHAOS_PORTS, () => undefined).killAll().finally(() => process.exit(130));
    });
  const report = await runChaos({
    ...preset,
    rate,
    durationMs,
    dir,
    ports: CHAOS_PORTS,
    progress: (line) => process.stdout.write(`${line}\n`),
  });
  const file = join(root, '.local/chaos/report.md');
  writeFileSync(file, formatReport(report));
  process.stdout.write(`report written to ${file}\n`);
  return passed(report) ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`[chaos] failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
