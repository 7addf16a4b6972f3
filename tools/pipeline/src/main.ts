// `npm start`: the demo pipeline on the local stack — migrations, Prometheus, then the two workers, on
// an empty events topic the demo's 30 days of history (see decideBackfill), the gateway and the
// simulator's live traffic, then tokens to try the gateway with; their output prefixed by name.
// Ctrl-C (or SIGTERM) stops them in reverse order; if one dies, the others are stopped and the exit
// code says so.
import { KAFKA_ENV, kafkaConnection, readEnv, TOPIC_ENV } from '@chronicle/config';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { decideBackfill, readTopicOffsets } from './demo-history.plan';
import { localSecrets, pipelineProcesses, prefixLines, type PipelineProcess } from './pipeline.processes';

const REPO_ROOT = join(__dirname, '../../..');

const USAGE = `Usage: npm start [-- <simulator options>]   (tsx tools/pipeline/src/main.ts, on the local stack)

The demo pipeline: migrations, Prometheus, the ingest and analytics workers, on an empty events topic
30 days of history, the gateway and the simulator's live traffic, then tokens to try the gateway with.
Ctrl-C stops it.

The options are the live simulator's (npm start passes --rate 100; a later one wins), e.g.
  npm start -- --rate 500
Its options: npx tsx apps/simulator/src/main.ts --help

  -h, --help    this text
`;

const notStarted = new WeakSet<ChildProcess>();

function launch(process_: PipelineProcess, env: NodeJS.ProcessEnv): ChildProcess {
  process_.prepare?.();
  const child = spawn(process_.command ?? process.execPath, process_.args, {
    cwd: REPO_ROOT,
    env: { ...env, ...process_.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A program that cannot be started (not installed) emits 'error' and never 'exit': it counts as exited.
  child.once('error', (error) => {
    if (child.pid !== undefined) return;
    console.error(`[${process_.name}] could not start ${process_.command ?? 'node'}: ${error.message}`);
    notStarted.add(child);
    child.emit('exit', 127, null);
  });
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.on('data', (chunk: Buffer) => {
      const out = prefixLines(process_.name, pending, chunk.toString());
      pending = out.pending;
      for (const line of out.lines) console.log(line);
    });
  }
  return child;
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (notStarted.has(child)) resolve(127);
    else if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  // The owner's DATABASE_URL goes to the migration alone; the services get their own (pipelineProcesses).
  const { DATABASE_URL: databaseUrl, ...env } = {
    ...process.env,
    ...localSecrets(process.env, join(REPO_ROOT, '.local')),
  };
  if (!databaseUrl) throw new Error('DATABASE_URL must be set (the stack sets it: npm start)');
  // Decided before anything runs that could publish (the gateway's audit events, the live traffic).
  const { eventsTopic, ...kafka } = readEnv({ ...KAFKA_ENV, eventsTopic: TOPIC_ENV.eventsTopic }, env);
  const offsets = await readTopicOffsets(kafkaConnection(kafka).brokers, eventsTopic);
  const { backfill, reason } = decideBackfill(eventsTopic, offsets);
  console.log(`[pipeline] ${reason}`);
  const processes = pipelineProcesses(args, {
    eventsTopic,
    backfill,
    databaseUrl,
    localDir: join(REPO_ROOT, '.local'),
  });
  const running: { process: PipelineProcess; child: ChildProcess }[] = [];
  let stopping = false;
  /** Newest first, so the simulator flushes into Kafka before the worker leaves. */
  const stopAll = async (graceMs = 0) => {
    stopping = true;
    for (const { child } of [...running].reverse()) {
      // A terminal's Ctrl-C reaches every process of the group: give each time to stop on its own
      // (a second signal would make the simulator drop what it still has queued).
      const stopped = await Promise.race([exited(child).then(() => true), delay(graceMs).then(() => false)]);
      if (!stopped) child.kill('SIGTERM');
      await exited(child);
    }
  };
  process.on('SIGINT', () => void stopAll(15_000));
  process.on('SIGTERM', () => void stopAll());

  for (const process_ of processes) {
    if (stopping) break;
    console.log(`[pipeline] starting ${process_.name}`);
    const child = launch(process_, env);
    if (process_.once) {
      const began = Date.now();
      const code = await exited(child);
      if (code !== 0 && !stopping) {
        // The workers may be running already (a failed backfill or build): they stop too.
        await stopAll();
        throw new Error(`${process_.name} failed with exit code ${code}`);
      }
      if (!stopping)
        console.log(`[pipeline] ${process_.name} done in ${((Date.now() - began) / 1000).toFixed(1)} s`);
      continue;
    }
    running.push({ process: process_, child });
  }
  if (stopping) {
    // Stopped while starting (e.g. during the backfill): nothing left to wait for but the exits.
    await Promise.all(running.map((r) => exited(r.child)));
    return 0;
  }
  console.log('[pipeline] running; Ctrl-C stops it. Look at:');
  for (const { process: p } of running)
    for (const url of [...(p.metricsUrl ? [p.metricsUrl] : []), ...p.urls])
      console.log(`[pipeline]   ${p.name.padEnd(16)} ${url}`);

  // The first process to exit ends the run, unless we are stopping anyway.
  const first = await Promise.race(
    running.map(async (r) => ({ name: r.process.name, code: await exited(r.child) })),
  );
  if (!stopping) {
    console.error(`[pipeline] ${first.name} exited with code ${first.code}; stopping the others`);
    await stopAll();
    return first.code === 0 ? 1 : first.code;
  }
  await Promise.all(running.map((r) => exited(r.child)));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[pipeline] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
