import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One process of the demo pipeline: what runs, and where a person can look at it. */
export interface PipelineProcess {
  name: string;
  /** Arguments to `node`. */
  args: string[];
  /** Printed once everything runs, e.g. its /metrics and /health. */
  urls: string[];
  /** Runs to completion before the long-running processes start (a migration). */
  once?: boolean;
}

const TSX = ['--import', 'tsx'];
/** Throughput over pause times for the workers: a larger young generation means fewer scavenges. */
const WORKER_HEAP = ['--max-semi-space-size=64'];

/** The demo pipeline in start order. `simulatorArgs` are passed on to the simulator. */
export function pipelineProcesses(simulatorArgs: string[]): PipelineProcess[] {
  return [
    { name: 'migrate-events', args: [...TSX, 'libs/events-store/src/migrate.main.ts'], urls: [], once: true },
    {
      name: 'ingest-worker',
      args: [...WORKER_HEAP, ...TSX, 'apps/ingest-worker/src/main.ts'],
      urls: ['http://127.0.0.1:9101/metrics', 'http://127.0.0.1:9101/health'],
    },
    {
      name: 'analytics-worker',
      args: [...WORKER_HEAP, ...TSX, 'apps/analytics-worker/src/main.ts'],
      urls: ['http://127.0.0.1:9102/metrics', 'http://127.0.0.1:9102/health'],
    },
    {
      name: 'simulator',
      args: [...TSX, 'apps/simulator/src/main.ts', ...simulatorArgs],
      urls: ['http://127.0.0.1:9103/metrics'],
    },
  ];
}

/**
 * The analytics side's pseudonym key for a local run: the one in the environment, or one made once
 * and kept beside the stack (pseudonyms must stay the same from run to run, or users split in two).
 */
export function localPseudonymSecret(env: NodeJS.ProcessEnv, secretFile: string): string {
  const given = env['ANALYTICS_PSEUDONYM_SECRET'];
  if (given) return given;
  if (existsSync(secretFile)) return readFileSync(secretFile, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  mkdirSync(dirname(secretFile), { recursive: true });
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** `[name] line` for each complete line of a child's output; the rest waits for its newline. */
export function prefixLines(
  name: string,
  pending: string,
  chunk: string,
): { lines: string[]; pending: string } {
  const parts = (pending + chunk).split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts.map((line) => `[${name}] ${line}`), pending: rest };
}
