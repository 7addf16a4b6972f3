import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist, holdsRepository, outputManifest } from './build';

const REPO_ROOT = join(__dirname, '../../..');

describe('buildDist', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'chronicle-build-spec-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('lays out the entry points as the image runs them, with source maps and the SQL migrations', async () => {
    const outDir = join(scratch, 'dist');
    const lines: string[] = [];
    const result = await buildDist({
      repoRoot: REPO_ROOT,
      outDir,
      web: false,
      log: (line) => lines.push(line),
    });

    for (const entry of [
      'apps/gateway/src/main.js',
      'apps/ingest-worker/src/main.js',
      'apps/analytics-worker/src/main.js',
      'apps/simulator/src/main.js',
      'libs/events-store/src/migrate.main.js',
      'libs/analytics/src/migrate.main.js',
    ]) {
      expect(existsSync(join(outDir, entry))).toBe(true);
      expect(existsSync(join(outDir, `${entry}.map`))).toBe(true);
    }
    expect(existsSync(join(outDir, 'libs/analytics/src/migrations/0001_events.sql'))).toBe(true);
    expect(existsSync(join(outDir, 'apps/gateway/src/gateway.config.spec.js'))).toBe(false);
    const main = readFileSync(join(outDir, 'apps/gateway/src/main.js'), 'utf8');
    expect(main).toContain('require("../../../libs/service/src")');
    expect(main).toContain('//# sourceMappingURL=main.js.map');
    const map = JSON.parse(readFileSync(join(outDir, 'apps/gateway/src/main.js.map'), 'utf8')) as {
      sources: string[];
    };
    expect(join(outDir, 'apps/gateway/src', map.sources[0] as string)).toBe(
      join(REPO_ROOT, 'apps/gateway/src/main.ts'),
    );
    expect(JSON.parse(readFileSync(join(outDir, 'package.json'), 'utf8'))).toMatchObject({
      version: expect.any(String),
      type: 'commonjs',
    });
    expect(result.sources).toBeGreaterThan(100);
    expect(lines.at(-1)).toMatch(/^checked the requires of \d+ files/);
  });

  it('refuses to empty a directory that holds the repository', async () => {
    expect(holdsRepository(REPO_ROOT, REPO_ROOT)).toBe(true);
    expect(holdsRepository(join(REPO_ROOT, '..'), REPO_ROOT)).toBe(true);
    expect(holdsRepository(join(REPO_ROOT, 'dist'), REPO_ROOT)).toBe(false);
    expect(holdsRepository(join(scratch, 'dist'), REPO_ROOT)).toBe(false);
    await expect(buildDist({ repoRoot: REPO_ROOT, outDir: REPO_ROOT, web: false })).rejects.toThrow(
      /refusing to empty/,
    );
  });

  it('writes a manifest with the release and CommonJS, and none of the dependencies', () => {
    expect(
      outputManifest({
        name: 'chronicle',
        version: '1.2.3',
        license: 'Apache-2.0',
        dependencies: { pg: '8' },
      }),
    ).toEqual({
      name: 'chronicle',
      version: '1.2.3',
      private: true,
      license: 'Apache-2.0',
      type: 'commonjs',
    });
  });
});
