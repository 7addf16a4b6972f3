// npm run bench:pipeline — SDK → Kafka → both workers → both stores at a rising offered rate, until a
// step is not sustained (freshness p99 over 2 s, drops, or a store falling behind); then the highest
// sustained rate is held for a while and measured again.
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stackEnvironmentFromEnv } from '@chronicle/stack';
import { BenchReport } from '../bench-report';
import { describeStep, runStep, WARM_UP_SECONDS, type StepResult } from './pipeline-measure';
import { risingRates } from './pipeline-steps';
import { PipelineRig } from './pipeline-rig';

const USAGE = `Usage: npm run bench:pipeline [-- options]   (on the local stack, which the script starts)

The simulator offers a rising rate through the SDK to one ingest and one analytics worker; each step
runs until its window is measured. A step is sustained when the SDK drops nothing, both stores take
≥ 95% of the offered rate, and 99% of the events are queryable in each store within 2 s of their
Kafka append. Then the highest sustained rate is held and measured again.

  --start <n>          first offered rate, events/s (default 2000)
  --factor <x>         each step offers this many times the last (default 1.5)
  --max <n>            the highest rate tried (default 40000)
  --step-seconds <s>   measured window of a step, after a 10 s warm-up (default 45)
  --hold-seconds <s>   the hold at the highest sustained rate (default 300; 0 skips it)
  -h, --help           this text
`;

const { values } = parseArgs({
  options: {
    start: { type: 'string', default: '2000' },
    factor: { type: 'string', default: '1.5' },
    max: { type: 'string', default: '40000' },
    'step-seconds': { type: 'string', default: '45' },
    'hold-seconds': { type: 'string', default: '300' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  // Synchronous, so that nothing below (which reads the environment) runs before the exit.
  writeSync(1, USAGE);
  process.exit(0);
}

const say = (line: string) => console.log(`[bench:pipeline] ${line}`);

async function main(): Promise<void> {
  const rates = risingRates(Number(values.start), Number(values.factor), Number(values.max));
  const stepSeconds = Number(values['step-seconds']);
  const holdSeconds = Number(values['hold-seconds']);
  const rig = new PipelineRig(stackEnvironmentFromEnv(), say);
  const report = new BenchReport('pipeline');
  try {
    const workers = await rig.start();
    let best: StepResult | undefined;
    let first: StepResult | undefined;
    for (const rate of rates) {
      say(`step: ${rate} events/s offered for ${WARM_UP_SECONDS} + ${stepSeconds} s`);
      const result = await runStep(rig, workers, rate, stepSeconds, say);
      first ??= result;
      say(`  ${describeStep(result)}`);
      if (!result.verdict.sustained) break;
      best = result;
    }
    say('waiting for both workers to store what is left');
    await rig.waitCaughtUp();
    if (best && holdSeconds > 0) {
      say(`hold: ${best.figures.offeredRate} events/s for ${holdSeconds} s`);
      const held = await runStep(rig, workers, best.figures.offeredRate, holdSeconds, say);
      say(`  ${describeStep(held)}`);
      best = held.verdict.sustained ? held : undefined;
      if (!best) say('  the hold was not sustained: no rate is reported as sustained');
    }
    summarize(report, best, first as StepResult);
  } finally {
    await rig.teardown();
  }
  report.finish();
}

/** The highest sustained step's figures; without one, the first step's, so a failed run still tells where the time goes. */
function summarize(report: BenchReport, best: StepResult | undefined, first: StepResult): void {
  report.add('highest_sustained_rate', best?.figures.offeredRate ?? 0, 'events/s', { atLeast: 20_000 });
  const shown = best ?? first;
  const { verdict, cpuPerEvent } = shown;
  report
    .add('measured_at_rate', shown.figures.offeredRate, 'events/s')
    .add('freshness_p99_postgres', verdict.p99.postgres ?? NaN, 's', { atMost: 2 })
    .add('freshness_p99_clickhouse', verdict.p99.clickhouse ?? NaN, 's', { atMost: 2 });
  console.log('');
  console.log(`| process at ${shown.figures.offeredRate} events/s | CPU µs per event |`);
  console.log('| --- | ---: |');
  for (const [name, micros] of cpuPerEvent) {
    console.log(`| ${name} | ${micros.toFixed(1)} |`);
    report.add(`cpu_per_event_${name.replace(/\W+/g, '_').replace(/_+$/, '')}`, micros, 'µs');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
