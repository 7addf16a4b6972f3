import { join } from 'node:path';
import { classifyInputs, compiledPath, isShipped, listBuildInputs } from './build-inputs';

const REPO_ROOT = join(__dirname, '../../..');

describe('the build inputs', () => {
  it('ships sources and run-time files, never tests, test helpers or benchmarks', () => {
    expect(isShipped('apps/gateway/src/main.ts')).toBe(true);
    expect(isShipped('libs/analytics/src/migrations/0001_events.sql')).toBe(true);
    expect(isShipped('apps/gateway/src/gateway.config.spec.ts')).toBe(false);
    expect(isShipped('apps/gateway/src/gateway.e2e.integration-spec.ts')).toBe(false);
    expect(isShipped('libs/analytics/src/testing/index.ts')).toBe(false);
    expect(isShipped('libs/sdk/src/test/helper.ts')).toBe(false);
    expect(isShipped('apps/gateway/src/bench/load.ts')).toBe(false);
    expect(isShipped('libs/contracts/src/types.d.ts')).toBe(false);
  });

  it('compiles the TypeScript and copies the rest', () => {
    expect(
      classifyInputs([
        'libs/a/src/b.ts',
        'libs/a/src/m/0001.sql',
        'libs/a/src/b.spec.ts',
        'libs/a/src/x.json',
      ]),
    ).toEqual({ sources: ['libs/a/src/b.ts'], assets: ['libs/a/src/m/0001.sql', 'libs/a/src/x.json'] });
    expect(compiledPath('apps/gateway/src/main.ts')).toBe('apps/gateway/src/main.js');
  });

  it('finds every entry point of the image and the SQL migrations in the checkout, and no test', () => {
    const { sources, assets } = listBuildInputs(REPO_ROOT);
    expect(sources).toEqual(
      expect.arrayContaining([
        'apps/gateway/src/main.ts',
        'apps/ingest-worker/src/main.ts',
        'apps/analytics-worker/src/main.ts',
        'apps/simulator/src/main.ts',
        'libs/events-store/src/migrate.main.ts',
        'libs/analytics/src/migrate.main.ts',
        'apps/gateway/src/auth/mint-token.main.ts',
      ]),
    );
    expect(sources.filter((path) => /spec\.ts$|\/(test|testing|bench)\//.test(path))).toEqual([]);
    expect(sources.filter((path) => path.startsWith('apps/web/') || path.startsWith('tools/'))).toEqual([]);
    expect(assets).toContain('libs/analytics/src/migrations/0001_events.sql');
  });
});
