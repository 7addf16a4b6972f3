// Runs an npm script the way a user does (`npm run <script> -- <args…>`), with spies in place of the
// programs a bootstrap step installs with (npm, apt-get, sudo): a spy records its call and fails.
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** What the local stack puts in a command's environment: a user's shell has none of it. */
const STACK_VARIABLES = ['KAFKA_BROKERS', 'DATABASE_URL', 'CLICKHOUSE_URL'];
const SPIED_PROGRAMS = ['npm', 'apt-get', 'sudo'];

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** One line per call of a spied program: what would have installed something. */
  installAttempts: string[];
}

/** The npm on PATH, found before the spies shadow it. */
function realNpm(): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'npm');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  throw new Error('npm is not on PATH');
}

function spyFolder(dir: string, log: string): string {
  mkdirSync(dir);
  for (const program of SPIED_PROGRAMS) {
    const file = join(dir, program);
    writeFileSync(
      file,
      `#!/bin/sh\necho "${program} $*" >> '${log}'\necho "[spy] ${program} $*: refused" >&2\nexit 1\n`,
    );
    chmodSync(file, 0o755);
  }
  return dir;
}

/** The caller's environment without the stack's variables nor an enclosing npm script's. */
function userEnvironment(spies: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!STACK_VARIABLES.includes(name) && !name.startsWith('npm_')) env[name] = value;
  env['PATH'] = [spies, process.env['PATH']].join(delimiter);
  return env;
}

export function runNpmScript(cwd: string, script: string, args: string[], timeoutMs = 20_000): ScriptRun {
  const work = mkdtempSync(join(tmpdir(), 'chronicle-spies-'));
  const log = join(work, 'calls');
  try {
    const result = spawnSync(realNpm(), ['run', script, '--', ...args], {
      cwd,
      env: userEnvironment(spyFolder(join(work, 'bin'), log)),
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      installAttempts: existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
