import { spawn, type ChildProcess } from 'node:child_process';
import { findRepoRoot } from './stack-config';

/** The simulator (apps/simulator) as a process of its own, its output kept. */
export interface SimulatorProcess {
  child: ChildProcess;
  /** What it printed so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** SIGTERM: it publishes what is queued, prints its summary and exits. */
  stop(): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `apps/simulator/src/main.ts` under tsx with these arguments (`--rate`, `--brokers`, …). */
export function spawnSimulator(args: string[], options: { title?: string } = {}): SimulatorProcess {
  const child = spawn(
    process.execPath,
    [
      ...(options.title ? [`--title=${options.title}`] : []),
      '--import',
      'tsx',
      'apps/simulator/src/main.ts',
      ...args,
    ],
    { cwd: findRepoRoot(__dirname), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      return { code, stdout, stderr };
    },
  };
}
