import { transformFile } from '@swc/core';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { compiledPath } from './build-inputs';
import { readPathAliases, swcOptions } from './swc-options';

/**
 * Compiles each source (repository-relative) to `<outDir>/<same path>.js` with its `.js.map` beside it.
 * The map names the source by its path relative to the output, so that a stack trace (with
 * `--enable-source-maps`) points at `apps/…/x.ts` under the directory that holds the output.
 */
export async function compileSources(
  repoRoot: string,
  outDir: string,
  sources: readonly string[],
): Promise<void> {
  const paths = readPathAliases(repoRoot);
  await Promise.all(
    sources.map(async (source) => {
      const output = join(outDir, compiledPath(source));
      const sourceFile = join(repoRoot, source);
      const { code, map } = await transformFile(
        sourceFile,
        swcOptions(repoRoot, paths, relative(dirname(output), sourceFile)),
      );
      mkdirSync(dirname(output), { recursive: true });
      writeFileSync(output, `${code}\n//# sourceMappingURL=${basename(output)}.map\n`);
      if (map !== undefined) writeFileSync(`${output}.map`, map);
    }),
  );
}

/** Copies files the code reads at run time (SQL migrations) to the same place under `outDir`. */
export function copyAssets(repoRoot: string, outDir: string, assets: readonly string[]): void {
  for (const asset of assets) {
    const target = join(outDir, asset);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(repoRoot, asset), target);
  }
}
