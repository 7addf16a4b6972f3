// The local stack's command line: `up [--attach]`, `down`, `status`, and `run -- <command>` (the
// command runs with the stack up and the engines' addresses in its environment; the stack is
// stopped afterwards if this run started it).
import { spawn } from 'node:child_process';
import { startStack, stackEnvironment, stackStatus, stopStack, type RunningStack } from './stack';

const USAGE = `Usage: tsx tools/stack/src/main.ts <command>   (npm run stack:up, stack:down, stack:status)

The local engines (Kafka, Postgres, ClickHouse) under .local/stack; an engine whose address is
already in KAFKA_BROKERS, DATABASE_URL or CLICKHOUSE_URL is used as it is.

  up [--attach]          start the stack; with --attach, keep it up until Ctrl-C, then stop it
  down                   stop the stack
  status                 each engine's state (exit 3 unless every one is running)
  run -- <command…>      run the command with the stack up and KAFKA_BROKERS, DATABASE_URL and
                         CLICKHOUSE_URL set; stop the stack afterwards if this run started it.
                         A command asked for its usage (--help or -h among its arguments) runs
                         without the stack
  --help, -h             this text
`;

const isHelpFlag = (arg: string | undefined) => arg === '--help' || arg === '-h';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Before anything starts. After `run`, only a flag before the command is ours (`run --help`).
  if (command === 'run' ? isHelpFlag(rest[0]) : argv.some(isHelpFlag)) {
    process.stdout.write(USAGE);
    return 0;
  }
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
      // `npm run <script> -- --help` reaches the wrapped command: its usage needs no engines.
      if (commandLine.some(isHelpFlag)) return runCommand(commandLine, process.env);
      return runWithStack(commandLine);
    }
    default:
      process.stderr.write(USAGE);
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
  try {
    return await runCommand(commandLine, { ...process.env, ...stackEnvironment(stack) });
  } finally {
    // Stop only what this run started: a stack someone brought up by hand stays up.
    if (stack.started.length > 0) await stopStack();
  }
}

function runCommand(commandLine: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const [program, ...args] = commandLine as [string, ...string[]];
    const child = spawn(program, args, { stdio: 'inherit', env });
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
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[stack] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
