import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PATH = /\b(?:apps|libs|tools)\/[\w./{},-]+\.(?:ts|sql|md|json)\b/g;

/** `a/{b,c}.ts` → `a/b.ts`, `a/c.ts` (one brace group, as the docs write them). */
export function expandBraces(path: string): string[] {
  const match = /\{([^}]*)\}/.exec(path);
  if (match === null) return [path];
  return (match[1] ?? '')
    .split(',')
    .flatMap((choice) =>
      expandBraces(path.slice(0, match.index) + choice + path.slice(match.index + match[0].length)),
    );
}

/** The repository paths a Markdown document names that do not exist (with `from` as the repository root). */
export function missingPaths(document: string, from: string): string[] {
  const named = (readFileSync(document, 'utf8').match(PATH) ?? []).flatMap(expandBraces);
  return [...new Set(named)].filter((path) => !existsSync(join(from, path)));
}
