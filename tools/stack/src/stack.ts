import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clickhouseEngine } from './engines/clickhouse';
import type { Engine, Progress } from './engines/engine';
import { kafkaEngine } from './engines/kafka';
import { postgresEngine } from './engines/postgres';
import { commandLineOf, findProcessesMentioning, isAlive, isPortFree, stopProcess } from './processes';
import {
  engineDir,
  logFile,
  resolveStackConfig,
  type EngineName,
  type StackConfig,
  type StackOptions,
} from './stack-config';
import { waitFor } from './wait-for';

const ALL_ENGINES: readonly Engine[] = [kafkaEngine, postgresEngine, clickhouseEngine];

function enginesOf(config: StackConfig): Engine[] {
  return ALL_ENGINES.filter((engine) => config.engines.includes(engine.name));
}

export interface EngineStatus {
  name: EngineName;
  state: 'running' | 'external' | 'stopped' | 'not answering';
  url: string;
  pid?: number;
  version?: string;
  logFile?: string;
}

export interface RunningStack {
  kafkaBrokers: string;
  databaseUrl: string;
  clickhouseUrl: string;
  engines: EngineStatus[];
  /** The engines this call started (the others were running already or are external). */
  started: EngineName[];
}

export interface StackRunOptions extends StackOptions {
  progress?: Progress;
}

interface StackState {
  engines: Partial<Record<EngineName, { pid: number; url: string; version: string }>>;
}

/**
 * Brings every engine up, in parallel, and resolves once each one answers. An engine that is
 * already running is left alone; processes of a crashed earlier run are stopped first; an engine
 * given by the environment (KAFKA_BROKERS, DATABASE_URL, CLICKHOUSE_URL) is only probed.
 */
export async function startStack(options: StackRunOptions = {}): Promise<RunningStack> {
  const config = resolveStackConfig(options);
  const progress = options.progress ?? defaultProgress;
  mkdirSync(join(config.stackDir, 'logs'), { recursive: true });
  const state = readState(config);
  const outcomes = await Promise.allSettled(
    enginesOf(config).map((engine) =>
      bringUp(engine, config, state, (message) => progress(`${engine.name.padEnd(10)} ${message}`)),
    ),
  );
  // Every engine is awaited, started or failed, before anything is reported, so none is left half-started.
  const statuses: Array<EngineStatus & { startedNow: boolean }> = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') continue;
    const status = outcome.value;
    if (status.pid !== undefined)
      state.engines[status.name] = { pid: status.pid, url: status.url, version: status.version ?? '' };
    statuses.push(status);
  }
  writeState(config, state);
  const failures = outcomes.filter(
    (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
  );
  if (failures.length > 0) {
    // A stack that cannot start whole is not left half-started: what this call started is stopped again.
    if (statuses.some((status) => status.startedNow)) await stopStack({ ...options, progress });
    throw new Error(
      failures
        .map((failure) => (failure.reason instanceof Error ? failure.reason.message : String(failure.reason)))
        .join('\n'),
    );
  }
  const started = statuses.filter((status) => status.startedNow).map((status) => status.name);
  return toRunningStack(
    statuses.map(({ startedNow: _, ...status }) => status),
    started,
  );
}

/** Stops every engine this stack runs, including stray processes of a crashed run; external engines are untouched. */
export async function stopStack(options: StackRunOptions = {}): Promise<void> {
  const config = resolveStackConfig(options);
  const progress = options.progress ?? defaultProgress;
  const state = readState(config);
  await Promise.all(
    enginesOf(config)
      .filter((engine) => !config.external[engine.name])
      .map(async (engine) => {
        const pids = new Set(findProcessesMentioning(engineDir(config, engine.name)));
        const recorded = state.engines[engine.name]?.pid;
        if (recorded !== undefined && isOwnProcess(recorded, config, engine)) pids.add(recorded);
        for (const pid of pids) {
          const began = Date.now();
          await stopProcess(pid, engine.stopSignal, engine.stopGraceMs);
          progress(`${engine.name.padEnd(10)} stopped (pid ${pid}) in ${seconds(began)}`);
        }
        if (pids.size === 0) progress(`${engine.name.padEnd(10)} was not running`);
        delete state.engines[engine.name];
      }),
  );
  writeState(config, state);
}

/** What runs, where, in which version, and where its log is. */
export async function stackStatus(options: StackOptions = {}): Promise<EngineStatus[]> {
  const config = resolveStackConfig(options);
  const state = readState(config);
  return Promise.all(
    enginesOf(config).map(async (engine): Promise<EngineStatus> => {
      const external = config.external[engine.name];
      const url = external ?? engine.url(config);
      const version = await engine.probe(url, config).catch(() => undefined);
      if (external) return { name: engine.name, state: version ? 'external' : 'not answering', url, version };
      const pid = state.engines[engine.name]?.pid;
      const alive = pid !== undefined && isOwnProcess(pid, config, engine);
      return {
        name: engine.name,
        state: alive ? (version ? 'running' : 'not answering') : 'stopped',
        url,
        pid: alive ? pid : undefined,
        version,
        logFile: logFile(config, engine.name),
      };
    }),
  );
}

/** The variables every Chronicle service and test reads to find the engines. */
export function stackEnvironment(
  stack: Pick<RunningStack, 'kafkaBrokers' | 'databaseUrl' | 'clickhouseUrl'>,
): Record<string, string> {
  return {
    KAFKA_BROKERS: stack.kafkaBrokers,
    DATABASE_URL: stack.databaseUrl,
    CLICKHOUSE_URL: stack.clickhouseUrl,
  };
}

async function bringUp(
  engine: Engine,
  config: StackConfig,
  state: StackState,
  progress: Progress,
): Promise<EngineStatus & { startedNow: boolean }> {
  const began = Date.now();
  const external = config.external[engine.name];
  if (external) {
    const version = await waitFor(() => engine.probe(external, config), {
      timeoutMs: 30_000,
      what: `${engine.name} at ${external}`,
    });
    await engine.prepare?.(external);
    progress(`external, ${version}  ${external}`);
    return { name: engine.name, state: 'external', url: external, version, startedNow: false };
  }

  const url = engine.url(config);
  const recorded = state.engines[engine.name];
  if (recorded && isOwnProcess(recorded.pid, config, engine)) {
    const version = await engine.probe(url, config).catch(() => undefined);
    if (version) {
      progress(`already running (pid ${recorded.pid}), ${version}  ${url}`);
      return {
        name: engine.name,
        state: 'running',
        url,
        pid: recorded.pid,
        version,
        logFile: logFile(config, engine.name),
        startedNow: false,
      };
    }
  }

  const stale = findProcessesMentioning(engineDir(config, engine.name));
  if (stale.length > 0) {
    progress(`stopping ${stale.length} stale process(es) of an earlier run: ${stale.join(', ')}`);
    await Promise.all(stale.map((pid) => stopProcess(pid, engine.stopSignal, engine.stopGraceMs)));
  }

  // A port held by something else (another checkout's stack, a system service) would make the
  // readiness probe talk to the wrong engine: refuse instead.
  for (const port of engine.ports(config)) {
    if (!(await isPortFree(port))) {
      throw new Error(
        `${engine.name}: port ${port} is already in use by another process; stop it, or give this stack other ports`,
      );
    }
  }
  progress('starting');
  const pid = await engine.start(config, progress);
  const answer = await waitFor(
    async () => (isAlive(pid) ? { version: await engine.probe(url, config) } : { exited: true as const }),
    { timeoutMs: engine.startTimeoutMs, intervalMs: 250, what: `${engine.name} to answer at ${url}` },
  ).catch((error: Error) => ({ timedOut: error }));
  if (!('version' in answer)) {
    if ('timedOut' in answer) await stopProcess(pid, 'SIGKILL', 5_000);
    throw new Error(
      `${engine.name} did not start (${'timedOut' in answer ? answer.timedOut.message : 'its process exited'}); last lines of ${logFile(config, engine.name)}:\n${tail(logFile(config, engine.name))}`,
    );
  }
  await engine.prepare?.(url);
  progress(`ready in ${seconds(began)} (pid ${pid}), ${answer.version}  ${url}`);
  return {
    name: engine.name,
    state: 'running',
    url,
    pid,
    version: answer.version,
    logFile: logFile(config, engine.name),
    startedNow: true,
  };
}

function isOwnProcess(pid: number, config: StackConfig, engine: Engine): boolean {
  return isAlive(pid) && (commandLineOf(pid)?.includes(engineDir(config, engine.name)) ?? false);
}

function toRunningStack(engines: EngineStatus[], started: EngineName[]): RunningStack {
  const urlOf = (name: EngineName) => engines.find((engine) => engine.name === name)?.url ?? '';
  return {
    kafkaBrokers: urlOf('kafka'),
    databaseUrl: urlOf('postgres'),
    clickhouseUrl: urlOf('clickhouse'),
    engines,
    started,
  };
}

function stateFile(config: StackConfig): string {
  return join(config.stackDir, 'state.json');
}

function readState(config: StackConfig): StackState {
  try {
    return JSON.parse(readFileSync(stateFile(config), 'utf8')) as StackState;
  } catch {
    return { engines: {} };
  }
}

function writeState(config: StackConfig, state: StackState): void {
  if (Object.keys(state.engines).length === 0) {
    rmSync(stateFile(config), { force: true });
    return;
  }
  if (existsSync(config.stackDir)) writeFileSync(stateFile(config), `${JSON.stringify(state, null, 2)}\n`);
}

function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function defaultProgress(message: string): void {
  console.log(`[stack] ${message}`);
}
