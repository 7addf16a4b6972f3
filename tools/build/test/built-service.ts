import { execFile, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { spawnService, type ServiceProcess } from '@chronicle/stack';

/**
 * The environment of a built process: the test's, without NODE_OPTIONS, so that nothing (an `--import
 * tsx` or a `--require` of a test runner) helps the output run; then the variables of the test.
 */
function builtEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _nodeOptions, ...inherited } = process.env;
  return { ...inherited, ...env };
}

/** A built service (`<outDir>/apps/<app>/src/main.js`) under plain `node`, as the image runs it. */
export function spawnBuiltService(
  outDir: string,
  script: string,
  env: Record<string, string>,
  startedMessage: string,
): Promise<ServiceProcess> {
  return spawnService({ script: join(outDir, script), env, startedMessage, builtFrom: dirname(outDir) });
}

/** Runs a built command (a migration, the token minter) to its end under plain `node`; its stdout. */
export async function runBuiltCommand(
  outDir: string,
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [join(outDir, script), ...args], {
      cwd: dirname(outDir),
      env: builtEnv(env),
      timeout: 120_000,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${script} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** Runs a built entry point until it exits by itself; its exit code and everything it printed. */
export async function runBuiltToExit(
  outDir: string,
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(outDir, script)], {
    cwd: dirname(outDir),
    env: builtEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}
