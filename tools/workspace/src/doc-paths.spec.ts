import { join } from 'node:path';
import { expandBraces, missingPaths } from './doc-paths';

const REPO_ROOT = join(__dirname, '../../..');

describe('docs/architecture.md', () => {
  it('names only files that exist', () => {
    expect(missingPaths(join(REPO_ROOT, 'docs/architecture.md'), REPO_ROOT)).toEqual([]);
  });
});

describe('expandBraces', () => {
  it('expands a brace group into each choice', () => {
    expect(expandBraces('apps/web/ui/pages/{activity,my-activity}.page.ts')).toEqual([
      'apps/web/ui/pages/activity.page.ts',
      'apps/web/ui/pages/my-activity.page.ts',
    ]);
    expect(expandBraces('libs/a.ts')).toEqual(['libs/a.ts']);
  });

  it('reports a path that does not exist', () => {
    expect(missingPaths(join(REPO_ROOT, 'docs/architecture.md'), '/nonexistent-root')).toContain(
      'libs/service/src/worker-runtime.ts',
    );
  });
});
