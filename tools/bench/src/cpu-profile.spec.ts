import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profiled } from './cpu-profile';
import { topFrames, type CpuProfile } from './profile-top-frames';

describe('profiled', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-cpu-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('only runs the work when no directory is given', async () => {
    await expect(profiled('nothing', async () => 42, '')).resolves.toBe(42);
  });

  it('writes <dir>/<name>.cpuprofile of the work, which topFrames reads', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const result = await profiled(
      'busy',
      async () => {
        let x = 0;
        const until = Date.now() + 50;
        while (Date.now() < until) x += Math.sqrt(x + 1);
        return x > 0;
      },
      dir,
    );
    log.mockRestore();
    expect(result).toBe(true);
    const profile = JSON.parse(readFileSync(join(dir, 'busy.cpuprofile'), 'utf8')) as CpuProfile;
    expect(profile.nodes.length).toBeGreaterThan(0);
    expect(topFrames(profile).totalMs).toBeGreaterThan(0);
  });
});
