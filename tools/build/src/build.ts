import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { compiledPath, listBuildInputs } from './build-inputs';
import { checkBuiltOutput, readBuiltOutput } from './built-output-check';
import { compileSources, copyAssets } from './compile-sources';
import { buildWebPages } from './web-pages';

export interface BuildOptions {
  repoRoot: string;
  /** Emptied, then filled: `dist` by default (see main.ts). */
  outDir: string;
  /** false: no web pages (the API works without them). */
  web?: boolean;
  log?: (line: string) => void;
}

export interface BuildResult {
  sources: number;
  assets: number;
  elapsedMs: number;
}

interface RootPackage {
  name?: string;
  version?: string;
  license?: string;
  dependencies?: Record<string, string>;
}

/**
 * The package.json written at the top of the output. The build info metric reads the release from
 * the package.json three levels above libs/observability/src, which in the output is the output
 * directory itself; `type` says how Node loads the `.js` files, whatever surrounds the output.
 */
export function outputManifest(rootPackage: RootPackage): Record<string, unknown> {
  return {
    name: rootPackage.name,
    version: rootPackage.version,
    private: true,
    license: rootPackage.license,
    type: 'commonjs',
  };
}

/** Whether `outDir` is the repository or one of its ancestors: emptying it would delete the checkout. */
export function holdsRepository(outDir: string, repoRoot: string): boolean {
  const fromOutDir = relative(resolve(outDir), resolve(repoRoot));
  return !isAbsolute(fromOutDir) && !fromOutDir.startsWith('..');
}

/**
 * Compiles the deployables and their libraries into `outDir` (the repository's layout, `.ts` → `.js`),
 * copies the files they read at run time, builds the web pages beside them, and checks that the output
 * needs nothing but Node and the production dependencies. Throws, naming every problem, if it does.
 */
export async function buildDist(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? (() => undefined);
  const began = Date.now();
  const outDir = resolve(options.outDir);
  if (holdsRepository(outDir, options.repoRoot))
    throw new Error(`refusing to empty ${outDir}: it holds the repository, not only build output`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const inputs = listBuildInputs(options.repoRoot);
  const pages = options.web === false ? Promise.resolve() : buildWebPages(options.repoRoot, outDir);
  await compileSources(options.repoRoot, outDir, inputs.sources);
  log(`compiled ${inputs.sources.length} TypeScript files in ${seconds(Date.now() - began)}`);
  copyAssets(options.repoRoot, outDir, inputs.assets);
  log(`copied ${inputs.assets.length} run-time files (${describeAssets(inputs.assets)})`);
  const rootPackage = JSON.parse(readFileSync(join(options.repoRoot, 'package.json'), 'utf8')) as RootPackage;
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(outputManifest(rootPackage), null, 2)}\n`);
  const pagesBegan = Date.now();
  await pages;
  if (options.web !== false) log(`web pages ready (waited ${seconds(Date.now() - pagesBegan)} for vite)`);

  const { files, outputFiles } = readBuiltOutput(outDir, inputs.sources.map(compiledPath));
  const problems = checkBuiltOutput(files, outputFiles, Object.keys(rootPackage.dependencies ?? {}));
  if (problems.length > 0)
    throw new Error(`the build output would not run with plain node:\n  ${problems.join('\n  ')}`);
  log(
    `checked the requires of ${files.length} files: no tsx, no .ts, no @chronicle/ alias, no dev dependency`,
  );
  return { sources: inputs.sources.length, assets: inputs.assets.length, elapsedMs: Date.now() - began };
}

function describeAssets(assets: readonly string[]): string {
  const byExtension = new Map<string, number>();
  for (const asset of assets) {
    const extension = asset.slice(asset.lastIndexOf('.'));
    byExtension.set(extension, (byExtension.get(extension) ?? 0) + 1);
  }
  return [...byExtension].map(([extension, count]) => `${count} ${extension}`).join(', ') || 'none';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
