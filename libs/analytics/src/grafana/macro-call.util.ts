/**
 * The arguments of the call whose `(` is at `open`, split at top-level commas (not trimmed), and the
 * index just past its `)`; undefined if it never closes. Parentheses only: like the plugin, no quoting.
 */
export function readCall(sql: string, open: number): { args: string[]; end: number } | undefined {
  const args: string[] = [];
  let depth = 0;
  let argStart = open + 1;
  for (let index = open; index < sql.length; index++) {
    const char = sql[index];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    if (char === ',' && depth === 1) {
      args.push(sql.slice(argStart, index));
      argStart = index + 1;
    }
    if (depth === 0) {
      args.push(sql.slice(argStart, index));
      return { args, end: index + 1 };
    }
  }
  return undefined;
}
