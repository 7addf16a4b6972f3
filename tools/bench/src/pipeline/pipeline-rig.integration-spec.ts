import { stackEnvironmentFromEnv } from '@chronicle/stack';
import { runStep, type StepResult } from './pipeline-measure';
import { PipelineRig, type MeasuredProcess } from './pipeline-rig';

jest.setTimeout(240_000);

/*
 * The machinery of `npm run bench:pipeline` on the local stack, at a rate any machine takes: a step
 * publishes through the SDK, both workers store the events, and the figures come from the processes.
 * Whether the step counts as sustained depends on the machine's load, so it is not asserted here.
 */
describe('the pipeline bench, one short step', () => {
  const rig = new PipelineRig(stackEnvironmentFromEnv(), () => undefined);
  let processes: MeasuredProcess[];
  let result: StepResult;

  beforeAll(async () => {
    processes = await rig.start();
    result = await runStep(rig, processes, 300, 5, () => undefined);
    await rig.waitCaughtUp();
  });
  afterAll(() => rig.teardown());

  it('measures the workers and the engines of the stack', () => {
    expect(processes.map((p) => p.name)).toEqual(
      expect.arrayContaining(['ingest worker', 'analytics worker', 'kafka', 'postgres', 'clickhouse']),
    );
  });

  it('counts what the SDK published and what each store took, with their freshness', () => {
    const { figures, verdict } = result;
    expect(figures.published).toBeGreaterThan(0);
    expect(figures.dropped).toBe(0);
    for (const store of ['postgres', 'clickhouse'] as const) {
      expect(verdict.storedRate[store]).toBeGreaterThan(0);
      expect(verdict.p99[store]).toBeGreaterThan(0);
    }
  });

  it('reads the CPU each process spent per published event', () => {
    for (const name of ['simulator (SDK)', 'ingest worker', 'analytics worker', 'kafka'])
      expect(result.cpuPerEvent.get(name)).toBeGreaterThan(0);
  });
});
