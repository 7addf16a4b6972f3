import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative, sep } from 'node:path';

/** A compiled file: its path relative to the output directory (POSIX) and its code. */
export interface BuiltFile {
  path: string;
  code: string;
}

const REQUIRE = /\brequire\(\s*(["'])([^"']+)\1\s*\)/g;
const BUILTINS = new Set(builtinModules);

/** The modules a compiled CommonJS file requires, in order of appearance. */
export function requiredSpecifiers(code: string): string[] {
  return [...code.matchAll(REQUIRE)].map((match) => match[2] as string);
}

/** The npm package a bare specifier names: `@nestjs/core/x` → `@nestjs/core`, `pg/lib` → `pg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** Whether a relative require from `from` finds a file in the output, by Node's CommonJS lookup. */
export function resolvesInOutput(from: string, specifier: string, files: ReadonlySet<string>): boolean {
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  return [target, `${target}.js`, `${target}.json`, `${target}/index.js`].some((candidate) =>
    files.has(candidate),
  );
}

/**
 * Everything in the output that would fail, or only work in the checkout, once it runs with plain
 * `node` next to a production install: a require of tsx, of a `.ts` file or of a `@chronicle/*` alias;
 * a relative require of a file the build did not produce; a package that is not one of `dependencies`.
 */
export function checkBuiltOutput(
  files: readonly BuiltFile[],
  outputFiles: ReadonlySet<string>,
  dependencies: readonly string[],
): string[] {
  const allowed = new Set(dependencies);
  const problems: string[] = [];
  for (const file of files) {
    for (const specifier of requiredSpecifiers(file.code)) {
      const problem = requireProblem(file.path, specifier, outputFiles, allowed);
      if (problem !== undefined) problems.push(`${file.path}: ${problem}`);
    }
  }
  return problems;
}

function requireProblem(
  from: string,
  specifier: string,
  outputFiles: ReadonlySet<string>,
  dependencies: ReadonlySet<string>,
): string | undefined {
  if (/\.(?:c|m)?tsx?$/.test(specifier)) return `requires the TypeScript file ${specifier}`;
  if (specifier.startsWith('@chronicle/')) return `requires the unresolved alias ${specifier}`;
  if (specifier.startsWith('.')) {
    return resolvesInOutput(from, specifier, outputFiles)
      ? undefined
      : `requires ${specifier}, which the build did not produce`;
  }
  if (specifier.startsWith('node:') || BUILTINS.has(specifier)) return undefined;
  const name = packageName(specifier);
  if (name === 'tsx') return 'requires tsx';
  return dependencies.has(name)
    ? undefined
    : `requires ${name}, which is not in package.json "dependencies" (a production install lacks it)`;
}

/** Every file under `outDir` (POSIX paths relative to it), and the code of the `compiled` ones among them. */
export function readBuiltOutput(
  outDir: string,
  compiled: readonly string[],
): { files: BuiltFile[]; outputFiles: Set<string> } {
  const outputFiles = new Set(
    readdirSync(outDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(outDir, join(entry.parentPath, entry.name)).split(sep).join('/')),
  );
  const files = compiled
    .filter((path) => outputFiles.has(path))
    .map((path) => ({ path, code: readFileSync(join(outDir, path), 'utf8') }));
  return { files, outputFiles };
}
