import { existsSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';

/** The source trees of what runs in production: the deployables and every library they use. */
export const BUILT_APPS = ['gateway', 'ingest-worker', 'analytics-worker', 'simulator'] as const;

/** Directories that hold tests, their helpers and benchmarks: never shipped. */
const SKIPPED_DIRECTORIES = new Set(['test', 'testing', 'bench', 'node_modules']);

/** What the build reads, as repository-relative POSIX paths. */
export interface BuildInputs {
  /** TypeScript sources, compiled to `.js`. */
  sources: string[];
  /** Other files under the source trees (the ClickHouse migrations' SQL): read at run time, copied as they are. */
  assets: string[];
}

/** Whether a repository-relative path is shipped at all (a test, a test helper or a benchmark is not). */
export function isShipped(path: string): boolean {
  const parts = path.split('/');
  if (parts.slice(0, -1).some((part) => SKIPPED_DIRECTORIES.has(part))) return false;
  const name = parts[parts.length - 1] ?? '';
  return !name.endsWith('.spec.ts') && !name.endsWith('.integration-spec.ts') && !name.endsWith('.d.ts');
}

/** The compiled file of a source: `apps/gateway/src/main.ts` → `apps/gateway/src/main.js`. */
export function compiledPath(source: string): string {
  return source.replace(/\.ts$/, '.js');
}

/** Sorts the shipped files under the source roots into sources to compile and assets to copy. */
export function classifyInputs(paths: readonly string[]): BuildInputs {
  const shipped = paths.filter(isShipped).sort();
  return {
    sources: shipped.filter((path) => path.endsWith('.ts')),
    assets: shipped.filter((path) => !path.endsWith('.ts')),
  };
}

/** The source roots that exist in the checkout at `repoRoot`: each built app's and each library's `src`. */
export function sourceRoots(repoRoot: string): string[] {
  const libraries = readdirSync(join(repoRoot, 'libs'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `libs/${entry.name}/src`)
    .sort();
  return [...BUILT_APPS.map((app) => `apps/${app}/src`), ...libraries].filter((root) =>
    existsSync(join(repoRoot, root)),
  );
}

/** Every file the build compiles or copies, found on disk under `repoRoot`. */
export function listBuildInputs(repoRoot: string): BuildInputs {
  return classifyInputs(sourceRoots(repoRoot).flatMap((root) => filesUnder(repoRoot, root)));
}

function filesUnder(repoRoot: string, directory: string): string[] {
  return readdirSync(join(repoRoot, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(directory, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : filesUnder(repoRoot, path);
    return entry.isFile() ? [path] : [];
  });
}
