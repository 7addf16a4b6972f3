// The local stack's command line: `up [--attach]`, `down`, `status`, and `run -- <command>` (the
// command runs with the stack up and the engines' addresses in its environment; the stack is
// stopped afterwards if this run started it).
import { spawn } from 'node:child_process';
import { startStack, stackEnvironment, stackStatus, stopStack, type RunningStack } from './stack';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up': {
      const began = Date.now();
      const stack = await startStack();
      printReady(stack, began);
      if (rest.includes('--attach')) return attach(stack);
      return 0;
    }
    case 'down':
      await stopStack();
      return 0;
    case 'status': {
      const engines = await stackStatus();
      for (const engine of engines) {
        console.log(
          [
            engine.name.padEnd(10),
            engine.state.padEnd(13),
            (engine.version ?? '-').padEnd(28),
            engine.url,
            engine.pid ? `pid ${engine.pid}` : '',
            engine.logFile ? `log ${engine.logFile}` : '',
          ]
            .filter(Boolean)
            .join('  '),
        );
      }
      return engines.every((engine) => engine.state === 'running' || engine.state === 'external') ? 0 : 3;
    }
    case 'run': {
      const commandLine = rest[0] === '--' ? rest.slice(1) : rest;
      if (commandLine.length === 0) throw new Error('usage: stack run -- <command> [args…]');
      return runWithStack(commandLine);
    }
    default:
      console.error('usage: stack up [--attach] | down | status | run -- <command> [args…]');
      return 2;
  }
}

function printReady(stack: RunningStack, began: number): void {
  console.log(`[stack] ready in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  for (const [name, value] of Object.entries(stackEnvironment(stack))) console.log(`  ${name}=${value}`);
}

/** Keeps the stack up until Ctrl-C (or SIGTERM), then stops what this run started. */
async function attach(stack: RunningStack): Promise<number> {
  console.log('[stack] running; Ctrl-C stops it');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  if (stack.started.length > 0) await stopStack();
  return 0;
}

async function runWithStack(commandLine: string[]): Promise<number> {
  const began = Date.now();
  const stack = await startStack();
  printReady(stack, began);
  let exitCode = 1;
  try {
    exitCode = await new Promise<number>((resolve, reject) => {
      const [program, ...args] = commandLine as [string, ...string[]];
      const child = spawn(program, args, {
        stdio: 'inherit',
        env: { ...process.env, ...stackEnvironment(stack) },
      });
      // The child gets the terminal's Ctrl-C itself; a SIGTERM to us is passed on.
      const forward = () => child.kill('SIGTERM');
      process.on('SIGTERM', forward);
      process.on('SIGINT', () => undefined);
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        process.off('SIGTERM', forward);
        resolve(code ?? (signal ? 128 + 15 : 1));
      });
    });
  } finally {
    // Stop only what this run started: a stack someone brought up by hand stays up.
    if (stack.started.length > 0) await stopStack();
  }
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[stack] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
