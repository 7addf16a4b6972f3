import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Gauge, type Registry } from 'prom-client';

/** What runs: the release (the root package.json's version) and the source revision. */
export interface BuildInfo {
  version: string;
  revision: string;
}

/** The root of the checkout (or of the image, which keeps the same layout): its package.json and .git. */
const REPOSITORY_ROOT = join(__dirname, '..', '..', '..');

/**
 * The version from the root package.json; the revision from `CHRONICLE_REVISION` (an image built
 * without its .git sets it), else `git rev-parse --short HEAD` in the checkout, else `unknown`.
 */
export function readBuildInfo(
  env: Readonly<Record<string, string | undefined>> = process.env,
  gitRevision: () => string | undefined = revisionFromGit,
): BuildInfo {
  const revision = env['CHRONICLE_REVISION']?.trim() || gitRevision() || 'unknown';
  return { version: packageVersion(), revision };
}

function packageVersion(): string {
  try {
    const { version } = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof version === 'string' && version !== '' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function revisionFromGit(): string | undefined {
  try {
    return (
      execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        cwd: REPOSITORY_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 2_000,
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

let processBuildInfo: BuildInfo | undefined;

/**
 * `chronicle_build_info{service,version,revision} 1`, the Prometheus idiom for "what is deployed":
 * joined on `service` to any other series, it says which release produced it. Read once per process.
 */
export function registerBuildInfo(registry: Registry, service: string, info?: BuildInfo): Gauge {
  const { version, revision } = info ?? (processBuildInfo ??= readBuildInfo());
  const gauge = new Gauge({
    name: 'chronicle_build_info',
    help: 'Always 1; its labels say which release (root package.json version) and source revision run.',
    labelNames: ['service', 'version', 'revision'],
    registers: [registry],
  });
  gauge.set({ service, version, revision }, 1);
  return gauge;
}
