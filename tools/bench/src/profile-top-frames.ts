// The top frames of a V8 CPU profile by self time; profile-top-frames.main.ts prints them.

/** The part of a `.cpuprofile` (Chrome DevTools Profiler.Profile) that self time needs. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface FrameTime {
  /** `function (file:line)`, or the package / workspace project for `by: 'package'`. */
  name: string;
  selfMs: number;
  /** Of all samples, idle included. */
  percent: number;
  /** Of the samples the process was not idle. */
  percentBusy: number;
}

export interface TopFrames {
  totalMs: number;
  busyMs: number;
  frames: FrameTime[];
}

/** V8's pseudo-frames: time spent waiting, not working. */
const IDLE = '(idle)';

/** Self time per frame (or per package), summed from the samples and their time deltas, largest first. */
export function topFrames(
  profile: CpuProfile,
  options: { top?: number; by?: 'frame' | 'package' } = {},
): TopFrames {
  const nameOf = new Map<number, string>();
  for (const node of profile.nodes)
    nameOf.set(node.id, options.by === 'package' ? packageName(node.callFrame) : frameName(node.callFrame));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfUs = new Map<string, number>();
  // A sample's time is the gap to the next sample (V8 records the gap before each one).
  for (let i = 0; i < samples.length; i++) {
    const name = nameOf.get(samples[i] as number) ?? '(unknown)';
    const us = Math.max(0, deltas[i + 1] ?? 0);
    selfUs.set(name, (selfUs.get(name) ?? 0) + us);
  }
  let totalUs = 0;
  for (const us of selfUs.values()) totalUs += us;
  const busyUs = totalUs - (selfUs.get(IDLE) ?? 0);
  const frames = [...selfUs]
    .filter(([name]) => name !== IDLE)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, options.top ?? 20)
    .map(([name, us]) => ({
      name,
      selfMs: us / 1000,
      percent: totalUs > 0 ? (100 * us) / totalUs : 0,
      percentBusy: busyUs > 0 ? (100 * us) / busyUs : 0,
    }));
  return { totalMs: totalUs / 1000, busyMs: busyUs / 1000, frames };
}

function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const fn = frame.functionName || '(anonymous)';
  if (!frame.url) return fn;
  return `${fn} (${shortUrl(frame.url)}:${frame.lineNumber + 1})`;
}

/** `node_modules/<package>`, a workspace project (`libs/x`, `apps/y`), `node:<builtin>`, or the pseudo-frame. */
export function packageName(frame: { functionName: string; url: string }): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scopeOrName, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return scopeOrName?.startsWith('@') ? `${scopeOrName}/${name}` : (scopeOrName ?? url);
  }
  if (url.startsWith('node:')) return 'node (built-in)';
  const project = /\/(apps|libs|tools)\/([^/]+)\//.exec(url);
  return project ? `${project[1]}/${project[2]}` : shortUrl(url);
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const project = /\/((?:apps|libs|tools)\/.*)$/.exec(url);
  return project?.[1] ?? url.replace(/^file:\/\//, '');
}

/** A Markdown table of the frames, as docs/performance.md quotes them. */
export function formatTopFrames(result: TopFrames): string {
  const lines = [
    `busy ${(result.busyMs / 1000).toFixed(2)} s of ${(result.totalMs / 1000).toFixed(2)} s sampled`,
    '',
    '| self ms | % busy | frame |',
    '| ---: | ---: | --- |',
  ];
  for (const frame of result.frames)
    lines.push(
      `| ${frame.selfMs.toFixed(0)} | ${frame.percentBusy.toFixed(1)} | ${frame.name.replace(/\|/g, '\\|')} |`,
    );
  return lines.join('\n');
}
