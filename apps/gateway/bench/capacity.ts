// The capacity phase of `npm run bench:gateway`: many callers at once against the gateway process the
// bench started, for a fixed window, with the CPU that process spent over the window, so that a
// throughput can be read per gateway core, and with the whole machine's CPU beside it, so that a
// reader can tell whether the gateway or the machine (which Postgres and Kafka share) was the limit.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** An answer other than 200: the latency measures throw it, the capacity phase counts it by status. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    request: string,
    body: string,
  ) {
    super(`${request}: ${status} ${body.slice(0, 500)}`);
  }
}

/** The processes whose CPU is read: the gateway, and the Postgres backends serving the bench's database. */
export interface Watched {
  gatewayPid: number;
  databaseName: string;
}

export interface CapacityOptions {
  label: string;
  /** What call() counts: requests, events. */
  unit: string;
  /** Callers, each with a connection of its own, each making one call after another. */
  concurrency: number;
  seconds: number;
  /** Calls made before the window opens, uncounted: connections, JIT, caches and pools warm. */
  warmUpSeconds: number;
  watched: Watched;
  /** One call by caller number `caller`; resolves to the units it did (1 request, n events accepted). */
  call: (caller: number) => Promise<number>;
}

export interface CapacityFigures {
  label: string;
  unit: string;
  concurrency: number;
  /** The window as measured, between the two CPU readings. */
  seconds: number;
  /** Calls that ended with a 200 inside the window, and their units. */
  calls: number;
  units: number;
  latenciesMs: number[];
  /** Answers other than 200, by status, warm-up included: there should be none. */
  failures: Map<number, number>;
  gatewayCpuSeconds: number;
  /** The backends connected to the bench's database (other databases' work is not counted). */
  postgresCpuSeconds: number;
  /** This process: the callers share the machine with the gateway. */
  benchCpuSeconds: number;
  machine: { cores: number; busyCpuSeconds: number };
}

export async function measureCapacity(options: CapacityOptions): Promise<CapacityFigures> {
  const { concurrency, seconds, warmUpSeconds, watched, call } = options;
  const latenciesMs: number[] = [];
  const failures = new Map<number, number>();
  let units = 0;
  let measuring = false;
  let stopping = false;

  const caller = async (number: number) => {
    while (!stopping) {
      const started = process.hrtime.bigint();
      try {
        const done = await call(number);
        if (!measuring) continue;
        latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
        units += done;
      } catch (error) {
        if (!(error instanceof HttpStatusError)) throw error;
        failures.set(error.status, (failures.get(error.status) ?? 0) + 1);
      }
    }
  };
  const callers = Promise.all(Array.from({ length: concurrency }, (_, number) => caller(number)));
  let before: CpuReading;
  let after: CpuReading;
  try {
    await Promise.race([callers, sleep(warmUpSeconds * 1000)]);
    before = readCpu(watched);
    measuring = true;
    await Promise.race([callers, sleep(seconds * 1000)]);
    after = readCpu(watched);
  } finally {
    measuring = false;
    stopping = true;
  }
  await callers;

  const ticks = clockTicksPerSecond();
  return {
    label: options.label,
    unit: options.unit,
    concurrency,
    seconds: Number(after.at - before.at) / 1e9,
    calls: latenciesMs.length,
    units,
    latenciesMs,
    failures,
    gatewayCpuSeconds: (after.gatewayTicks - before.gatewayTicks) / ticks,
    postgresCpuSeconds: ticksSince(before.postgresTicks, after.postgresTicks) / ticks,
    benchCpuSeconds: (after.benchMicros - before.benchMicros) / 1e6,
    machine: {
      cores: after.cores,
      busyCpuSeconds: (after.machineBusyTicks - before.machineBusyTicks) / ticks,
    },
  };
}

/** The machine's busy cores over `seconds` while the bench sends nothing: the load of everything else. */
export async function backgroundCores(watched: Watched, seconds: number): Promise<number> {
  const before = readCpu(watched);
  await sleep(seconds * 1000);
  const after = readCpu(watched);
  const wallSeconds = Number(after.at - before.at) / 1e9;
  return (after.machineBusyTicks - before.machineBusyTicks) / clockTicksPerSecond() / wallSeconds;
}

interface CpuReading {
  at: bigint;
  /** utime + stime of the gateway process, all its threads. */
  gatewayTicks: number;
  /** By backend: the pool closes idle connections and opens new ones within a window. */
  postgresTicks: Map<number, number>;
  benchMicros: number;
  /** Every core's time, less idle and I/O wait. */
  machineBusyTicks: number;
  cores: number;
}

function readCpu({ gatewayPid, databaseName }: Watched): CpuReading {
  const gatewayTicks = processTicks(gatewayPid);
  // A backend's title reads "postgres: <user> <database> <client> <state>".
  const postgresTicks = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.includes(` ${databaseName} `))
        postgresTicks.set(Number(pid), processTicks(Number(pid)));
    } catch {
      // The process ended between the listing and the read.
    }
  }

  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  // cpu  user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const all = (lines[0] ?? '').split(/\s+/).slice(1, 9).map(Number);
  const idle = (all[3] ?? 0) + (all[4] ?? 0);
  const machineBusyTicks = all.reduce((sum, ticks) => sum + ticks, 0) - idle;
  const cores = lines.filter((line) => /^cpu\d+ /.test(line)).length;

  const bench = process.cpuUsage();
  return {
    at: process.hrtime.bigint(),
    gatewayTicks,
    postgresTicks,
    benchMicros: bench.user + bench.system,
    machineBusyTicks,
    cores,
  };
}

/**
 * The backends' ticks between two readings: those born in between count whole, those that ended in
 * between are lost (their last moments unread, a few ticks).
 */
function ticksSince(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ticks] of after) sum += ticks - (before.get(pid) ?? 0);
  return sum;
}

/** utime + stime, all the process's threads, in clock ticks. */
function processTicks(pid: number): number {
  // The process's name, in parentheses, may hold spaces: the fields are counted from after it.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime) of proc(5); field 3, the state, is the first after the name.
  return Number(fields[14 - 3]) + Number(fields[15 - 3]);
}

let clockTicks: number | undefined;

/** `getconf CLK_TCK`: the unit of /proc's CPU times (100 on Linux as built nearly everywhere). */
function clockTicksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return clockTicks;
}
