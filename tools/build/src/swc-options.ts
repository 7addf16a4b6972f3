import type { Options } from '@swc/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `@chronicle/*` aliases of tsconfig.base.json: the one list of them, which the jest preset reads too. */
export function readPathAliases(repoRoot: string): Record<string, string[]> {
  const { compilerOptions } = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  return compilerOptions.paths;
}

/**
 * How one source compiles: CommonJS with the decorator metadata NestJS's injection reads (as the jest
 * preset compiles it), and each `@chronicle/*` import rewritten into a relative require of the library's
 * file, which lands at the same relative place in the output. `sourceFileName` is what the source map
 * names as the original.
 */
export function swcOptions(
  repoRoot: string,
  paths: Record<string, string[]>,
  sourceFileName: string,
): Options {
  return {
    swcrc: false,
    configFile: false,
    sourceMaps: true,
    sourceFileName,
    module: { type: 'commonjs' },
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      baseUrl: repoRoot,
      paths,
    },
  };
}
