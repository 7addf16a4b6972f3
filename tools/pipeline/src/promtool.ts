import { spawnSync } from 'node:child_process';

export interface PromtoolResult {
  /** The exit code; 0 when every check passed. */
  status: number;
  /** stdout and stderr together, for a test's failure message. */
  output: string;
}

/**
 * Runs Prometheus' `promtool` (Debian's `prometheus` package, installed by
 * tools/bootstrap/ensure-prometheus.js, which `npm test` and `npm run test:unit` run first), in `cwd`
 * and with `input` on its stdin (`check metrics` reads a page there). A missing promtool is an error,
 * not a skipped check.
 */
export function runPromtool(args: string[], options: { cwd?: string; input?: string } = {}): PromtoolResult {
  const result = spawnSync('promtool', args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? "promtool is not installed: `node tools/bootstrap/ensure-prometheus.js` installs Debian's prometheus package (npm test runs it)"
        : `promtool ${args.join(' ')} failed to run: ${result.error.message}`,
    );
  }
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}
