import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { waitFor } from './wait-for';

export interface DaemonSpec {
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
}

/**
 * Starts a process that outlives the command that started it (its own process group, output to a
 * log file), so `stack up` can return while the engines keep running.
 */
export function spawnDaemon(spec: DaemonSpec): number {
  const log = openSync(spec.logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: spec.env ?? process.env,
    cwd: spec.cwd,
    uid: spec.uid,
    gid: spec.gid,
  });
  closeSync(log);
  // A command that cannot be started has no pid; its 'error' event follows and is answered by the throw.
  child.once('error', () => undefined);
  if (child.pid === undefined) throw new Error(`could not start ${spec.command} (is it installed?)`);
  child.unref();
  return child.pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  try {
    // Field 3 of /proc/<pid>/stat is the state; Z = exited but not yet reaped by its parent.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

export function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/**
 * Every live process whose command line mentions `marker` (a stack's own directory): this finds
 * the engines of a crashed run even when its state file is gone.
 */
export function findProcessesMentioning(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const commandLine = commandLineOf(pid);
    if (commandLine?.includes(marker) && isAlive(pid)) found.push(pid);
  }
  return found;
}

/** Sends `signal`, waits for the exit, and kills outright what is still there after the grace period. */
export async function stopProcess(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const exited = await waitFor(() => !isAlive(pid), { timeoutMs: graceMs, intervalMs: 50 }).then(
    () => true,
    () => false,
  );
  if (!exited) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    await waitFor(() => !isAlive(pid), { timeoutMs: 5_000, intervalMs: 50, what: `process ${pid} to exit` });
  }
}

/** Whether nothing listens on the port yet (binding is the only sure test). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
