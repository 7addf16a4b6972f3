import { formatTopFrames, packageName, topFrames, type CpuProfile } from './profile-top-frames';

const frame = (id: number, functionName: string, url = '', lineNumber = 0) => ({
  id,
  callFrame: { functionName, url, lineNumber },
});

// Samples 1 ms apart: each sample is charged the delta that follows it.
const profile: CpuProfile = {
  nodes: [
    frame(1, '(root)'),
    frame(2, '(idle)'),
    frame(3, 'decode', 'file:///work/main/node_modules/kafkajs/src/protocol/decoder.js', 9),
    frame(4, 'insert', 'file:///work/main/apps/analytics-worker/src/ingest/handler.ts', 41),
    frame(5, 'readInt32BE', 'file:///work/main/node_modules/kafkajs/src/protocol/decoder.js', 99),
    frame(6, '(garbage collector)'),
  ],
  startTime: 0,
  endTime: 10_000,
  samples: [2, 3, 3, 4, 5, 2, 6, 3, 2, 4],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('topFrames', () => {
  it('sums self time per frame from the time deltas, largest first, idle left out of the busy share', () => {
    const result = topFrames(profile);
    expect(result.totalMs).toBe(9); // the last sample has no following delta
    expect(result.busyMs).toBe(6); // three idle samples
    expect(result.frames.map((f) => [f.name, f.selfMs])).toEqual([
      ['decode (kafkajs/src/protocol/decoder.js:10)', 3],
      ['(garbage collector)', 1],
      ['insert (apps/analytics-worker/src/ingest/handler.ts:42)', 1],
      ['readInt32BE (kafkajs/src/protocol/decoder.js:100)', 1],
    ]);
    expect(result.frames[0]?.percent).toBeCloseTo(33.33, 1);
    expect(result.frames[0]?.percentBusy).toBe(50);
  });

  it('groups by package, and keeps only the top N', () => {
    const result = topFrames(profile, { by: 'package', top: 2 });
    expect(result.frames.map((f) => [f.name, f.selfMs])).toEqual([
      ['kafkajs', 4],
      ['(garbage collector)', 1],
    ]);
  });

  it('reads an empty profile as nothing sampled', () => {
    expect(topFrames({ nodes: [], startTime: 0, endTime: 0 })).toEqual({ totalMs: 0, busyMs: 0, frames: [] });
  });
});

describe('packageName', () => {
  it('names scoped packages, workspace projects, built-ins and pseudo-frames', () => {
    expect(packageName({ functionName: 'f', url: '/x/node_modules/@clickhouse/client/dist/a.js' })).toBe(
      '@clickhouse/client',
    );
    expect(packageName({ functionName: 'f', url: 'file:///w/libs/contracts/src/validate.ts' })).toBe(
      'libs/contracts',
    );
    expect(packageName({ functionName: 'f', url: 'node:internal/streams/readable' })).toBe('node (built-in)');
    expect(packageName({ functionName: '(program)', url: '' })).toBe('(program)');
    expect(packageName({ functionName: 'JSONStringify', url: '' })).toBe('(native)');
  });
});

describe('formatTopFrames', () => {
  it('prints a Markdown table with the busy share of each frame', () => {
    const text = formatTopFrames(topFrames(profile, { top: 1 }));
    expect(text).toContain('busy 0.01 s of 0.01 s sampled');
    expect(text).toContain('| 3 | 50.0 | decode (kafkajs/src/protocol/decoder.js:10) |');
  });
});
