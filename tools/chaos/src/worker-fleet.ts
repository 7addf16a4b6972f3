import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnService, type ServiceProcess } from '@chronicle/stack';
import type { SampledWorker } from './sampler';

export type WorkerKind = 'ingest' | 'analytics';

const ENTRY: Record<WorkerKind, { script: string; startedMessage: string; store: SampledWorker['store'] }> = {
  ingest: {
    script: 'apps/ingest-worker/src/main.ts',
    startedMessage: 'ingest worker started',
    store: 'postgres',
  },
  analytics: {
    script: 'apps/analytics-worker/src/main.ts',
    startedMessage: 'analytics worker started',
    store: 'clickhouse',
  },
};

export interface FleetWorker extends SampledWorker {
  kind: WorkerKind;
  name: string;
  service: ServiceProcess;
}

/**
 * The worker processes of the chaos run. Each one's output goes to `<logDir>/<name>.log` when it
 * exits; one that exits without being told to is recorded (a worker must ride out every fault).
 */
export class WorkerFleet {
  readonly unexpectedExits: string[] = [];
  private readonly workers = new Set<FleetWorker>();
  private readonly stopping = new Set<FleetWorker>();
  private started = 0;

  /** `marker` goes into each worker's command line, so that a crashed run's workers can be found. */
  constructor(
    private readonly env: Record<WorkerKind, Record<string, string>>,
    private readonly logDir: string,
    private readonly marker: string,
  ) {}

  async spawn(kind: WorkerKind): Promise<FleetWorker> {
    const entry = ENTRY[kind];
    const name = `${kind}-${++this.started}`;
    const service = await spawnService({
      script: entry.script,
      env: this.env[kind],
      startedMessage: entry.startedMessage,
      nodeArgs: ['--max-semi-space-size=64', `--title=chronicle-chaos ${name} ${this.marker}`],
      timeoutMs: 90_000,
    });
    const worker: FleetWorker = {
      kind,
      name,
      service,
      store: entry.store,
      opsUrl: service.started['ops'] as string,
    };
    this.workers.add(worker);
    void service.exited.then((code) => {
      this.workers.delete(worker);
      writeFileSync(join(this.logDir, `${name}.log`), service.output.join(''));
      if (!this.stopping.has(worker)) this.unexpectedExits.push(`${name} exited with ${code}`);
    });
    return worker;
  }

  running(kind?: WorkerKind): FleetWorker[] {
    return [...this.workers].filter((worker) => kind === undefined || worker.kind === kind);
  }

  async stop(worker: FleetWorker, signal: NodeJS.Signals): Promise<void> {
    this.stopping.add(worker);
    await worker.service.kill(signal);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.running().map((worker) => this.stop(worker, 'SIGTERM')));
  }
}
