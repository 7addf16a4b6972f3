import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, resolve } from 'node:path';

/**
 * Runs `work` under V8's CPU profiler when BENCH_CPU_PROFILE_DIR is set, and writes
 * `<dir>/<name>.cpuprofile`: the profile of one phase of a benchmark (a worker running in the
 * benchmark's process), without the set-up around it that `node --cpu-prof` would also sample.
 * profile-top-frames.main.ts prints its top frames.
 */
export async function profiled<T>(
  name: string,
  work: () => Promise<T>,
  dir = process.env['BENCH_CPU_PROFILE_DIR'],
): Promise<T> {
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 1 ms between samples, as `node --cpu-prof` samples by default.
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(resolve(dir), { recursive: true });
    const file = join(resolve(dir), `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(`[bench] CPU profile of ${name}: ${file}`);
  }
}
