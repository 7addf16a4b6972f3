import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// A child process of its own, so that the heap measured is the SDK's and nothing else's.
const HEAP_CAP_MB = 96;
const CALLS = 1_000_000;
const QUEUE = 10_000;

describe('ActivityClient with no broker at all', () => {
  it(`keeps the heap under ${HEAP_CAP_MB} MB through ${CALLS.toLocaleString('en')} log() calls, counting every drop`, () => {
    const repoRoot = join(__dirname, '../../../..');
    const child = spawnSync(
      process.execPath,
      [
        `--max-old-space-size=${HEAP_CAP_MB}`,
        '--expose-gc',
        '--import',
        'tsx',
        'libs/sdk/test/log-without-broker.ts',
        '--calls',
        String(CALLS),
        '--queue',
        String(QUEUE),
      ],
      { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 },
    );
    expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
    const report = JSON.parse(child.stdout.trim().split('\n').pop() as string);

    expect(report.peakHeapUsed).toBeLessThan(HEAP_CAP_MB * 1024 * 1024);
    expect(report.afterLogging).toMatchObject({ enqueued: QUEUE, published: 0, queueDepth: QUEUE });
    expect(report.afterLogging.dropped).toEqual({
      invalid: 0,
      refused: 0,
      queue_full: CALLS - QUEUE,
      block_timeout: 0,
      closed: 0,
      shutdown: 0,
    });
    expect(report.afterClose.dropped).toMatchObject({ queue_full: CALLS - QUEUE, shutdown: QUEUE });
  }, 150_000);
});
