import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const REPO_ROOT = join(__dirname, '../../..');

/** A Chronicle service in a process of its own, so that a test can signal it, kill it or measure it. */
export interface ServiceProcess {
  process: ChildProcess;
  /** Everything it printed so far. */
  output: string[];
  /** The fields of its JSON "started" log line (its URLs). */
  started: Record<string, unknown>;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnServiceOptions {
  /** The entry point, relative to the repository: `apps/gateway/src/main.ts`. */
  script: string;
  env: Record<string, string>;
  /** The message of the log line that says it is up: `gateway started`. */
  startedMessage: string;
  nodeArgs?: string[];
  timeoutMs?: number;
  /**
   * Run built JavaScript (`script` then names a file of a build's dist/) under plain `node` from this
   * directory, the one holding dist/ as the image does, and without NODE_OPTIONS, so that nothing (an
   * `--import tsx`, a test runner's `--require`) helps it run. Unset: the sources under tsx, from the
   * checkout.
   */
  builtFrom?: string;
}

/**
 * Starts a service (under tsx, or built: `builtFrom`) and waits for its "started" line; fails with its
 * output if it exits first, and kills it if it never says it started.
 */
export async function spawnService(options: SpawnServiceOptions): Promise<ServiceProcess> {
  const built = options.builtFrom !== undefined;
  const { NODE_OPTIONS: _nodeOptions, ...withoutNodeOptions } = process.env;
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...(built ? [] : ['--import', 'tsx']), options.script],
    {
      cwd: options.builtFrom ?? REPO_ROOT,
      env: { ...(built ? withoutNodeOptions : process.env), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const startedLine = () =>
    output
      .join('')
      .split('\n')
      .find((line) => line.includes(`"${options.startedMessage}"`));
  try {
    await Promise.race([
      waitFor(() => startedLine() !== undefined, {
        timeoutMs: options.timeoutMs ?? 60_000,
        what: `${options.script} to start`,
      }),
      exited.then((code) => {
        throw new Error(`${options.script} exited with ${code} before starting:\n${output.join('')}`);
      }),
    ]);
  } catch (error) {
    // A process that never said it started is nobody's to stop later.
    child.kill('SIGKILL');
    throw error;
  }
  return {
    process: child,
    output,
    started: JSON.parse(startedLine() as string) as Record<string, unknown>,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
