import { metricSamples } from '@chronicle/observability';
import { bucketDelta, readBuckets, type Buckets } from '../histogram';
import { judgeStep, type StepFigures, type StepVerdict } from './pipeline-steps';
import type { MeasuredProcess, PipelineRig } from './pipeline-rig';
import { processTreeCpuSeconds } from './process-cpu';

/** Seconds of each step before its window opens: the simulator connecting, the SDK warming up. */
export const WARM_UP_SECONDS = 10;

/** One reading of every measured process: CPU seconds, and the counters of ours. */
interface Reading {
  at: number;
  cpu: Map<string, number>;
  published: number;
  dropped: number;
  freshness: Record<'postgres' | 'clickhouse', Buckets>;
}

async function read(processes: MeasuredProcess[]): Promise<Reading> {
  const page = async (process: MeasuredProcess | undefined) =>
    process?.opsUrl ? (await fetch(`${process.opsUrl}/metrics`)).text() : '';
  const byName = (name: string) => processes.find((p) => p.name === name);
  const [simulator, ingest, analytics] = await Promise.all([
    page(byName('simulator (SDK)')),
    page(byName('ingest worker')),
    page(byName('analytics worker')),
  ]);
  const sum = (text: string, metric: string) =>
    metricSamples(text, metric, {}).reduce((total, sample) => total + sample.value, 0);
  return {
    at: Date.now(),
    cpu: new Map(processes.map((p) => [p.name, processTreeCpuSeconds(p.pid)])),
    published: sum(simulator, 'chronicle_sdk_events_published_total'),
    dropped: sum(simulator, 'chronicle_sdk_events_dropped_total'),
    freshness: {
      postgres: readBuckets(ingest, 'chronicle_freshness_seconds', {
        store: 'postgres',
        since: 'kafka_append',
      }),
      clickhouse: readBuckets(analytics, 'chronicle_freshness_seconds', {
        store: 'clickhouse',
        since: 'kafka_append',
      }),
    },
  };
}

export interface StepResult {
  figures: StepFigures;
  verdict: StepVerdict;
  /** CPU µs per published event, by process. */
  cpuPerEvent: Map<string, number>;
}

export async function runStep(
  rig: PipelineRig,
  workers: MeasuredProcess[],
  rate: number,
  seconds: number,
  say: (line: string) => void,
): Promise<StepResult> {
  const simulator = await rig.startSimulator(rate, `pipeline-${rate}`);
  try {
    const processes = [simulator.process, ...workers];
    await delay(WARM_UP_SECONDS * 1000);
    const first = await read(processes);
    for (let left = seconds; left > 0; left -= 15) {
      await delay(Math.min(15, left) * 1000);
      if (left > 15) say(`  ${rate}/s: ${seconds - left + 15} of ${seconds} s measured`);
    }
    const last = await read(processes);
    const elapsed = (last.at - first.at) / 1000;
    const published = last.published - first.published;
    const figures: StepFigures = {
      offeredRate: rate,
      seconds: elapsed,
      published,
      dropped: last.dropped - first.dropped,
      stores: {
        postgres: { freshness: bucketDelta(last.freshness.postgres, first.freshness.postgres) },
        clickhouse: { freshness: bucketDelta(last.freshness.clickhouse, first.freshness.clickhouse) },
      },
    };
    const cpuPerEvent = new Map(
      processes.map((p) => [
        p.name,
        (((last.cpu.get(p.name) ?? NaN) - (first.cpu.get(p.name) ?? NaN)) * 1e6) / Math.max(1, published),
      ]),
    );
    return { figures, verdict: judgeStep(figures), cpuPerEvent };
  } finally {
    await simulator.stop();
  }
}

export function describeStep(result: StepResult): string {
  const { figures, verdict } = result;
  const p99 = (store: 'postgres' | 'clickhouse') =>
    `${verdict.p99[store]?.toFixed(2) ?? '?'} s (${(100 * verdict.withinTarget[store]).toFixed(1)}% ≤ 2 s)`;
  return (
    `offered ${figures.offeredRate}/s, published ${Math.round(figures.published / figures.seconds)}/s, ` +
    `stored ${Math.round(verdict.storedRate.postgres)}/s (Postgres) and ${Math.round(verdict.storedRate.clickhouse)}/s (ClickHouse); ` +
    `freshness p99 ${p99('postgres')} / ${p99('clickhouse')}` +
    (verdict.sustained ? ': sustained' : `: NOT sustained (${verdict.why})`)
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
