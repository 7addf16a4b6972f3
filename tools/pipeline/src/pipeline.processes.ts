import { TOPICS } from '@chronicle/contracts';
import { localServiceDatabaseUrl, type ServiceName } from '@chronicle/events-store';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEMO_POPULATION_ARGS, demoBackfillArgs } from './demo-history.plan';
import { prometheusProcess, scrapeTargets } from './prometheus.process';

/** One process of the demo pipeline: what runs, and where a person can look at it. */
export interface PipelineProcess {
  name: string;
  /** The program, found on PATH; default the `node` that runs the pipeline. */
  command?: string;
  /** Arguments to `command`. */
  args: string[];
  /** Printed once everything runs, e.g. its /health (after metricsUrl). */
  urls: string[];
  /** Its Prometheus metrics: the pipeline's Prometheus scrapes them, as job `name`. */
  metricsUrl?: string;
  /** Done just before it starts (Prometheus: its configuration written). */
  prepare?: () => void;
  /** Runs to completion before the long-running processes start (a migration). */
  once?: boolean;
  /** Added to the pipeline's environment for this process alone (its Postgres login). */
  env?: Record<string, string>;
}

const TSX = ['--import', 'tsx'];
/** Throughput over pause times for the workers: a larger young generation means fewer scavenges. */
const WORKER_HEAP = ['--max-semi-space-size=64'];

const SIMULATOR = 'apps/simulator/src/main.ts';
const DEFAULT_LOCAL_DIR = join(__dirname, '../../../.local');

export interface PipelineOptions {
  /** The topic the workers read (EVENTS_TOPIC) and the simulator writes. */
  eventsTopic?: string;
  /** Backfill the demo's history before the live traffic (see decideBackfill). */
  backfill?: boolean;
  /**
   * The events database as its owner: the migration's DATABASE_URL. The ingest worker and the gateway
   * get their own logins on it (made by the migration's `--local-logins`); no other process gets one.
   */
  databaseUrl?: string;
  /** The checkout's local state (`.local`): Prometheus keeps its configuration and data under it. */
  localDir?: string;
}

/**
 * The demo's backfill as `npm start` runs it (the browser test of the demo runs this very process). It
 * runs to completion once the workers are up, so they consume while it publishes.
 */
export function demoBackfillProcess(topic: string): PipelineProcess {
  return {
    name: 'demo-backfill',
    args: [...TSX, SIMULATOR, ...demoBackfillArgs(topic)],
    urls: [],
    once: true,
  };
}

/**
 * The web pages the gateway serves at `/` (a second or two), built by Vite in a process of its own:
 * Vite is ESM-only. The browser tests build them the same way.
 */
export const BUILD_WEB: PipelineProcess = {
  name: 'build-web',
  args: [
    'node_modules/vite/bin/vite.js',
    'build',
    '--config',
    'apps/web/vite.config.mjs',
    '--logLevel',
    'warn',
  ],
  urls: [],
  once: true,
};

/**
 * The demo pipeline in start order, with the Prometheus that scrapes it. `simulatorArgs` are passed on
 * to the live simulator, after the demo's population (so they can override it).
 */
export function pipelineProcesses(simulatorArgs: string[], options: PipelineOptions = {}): PipelineProcess[] {
  const eventsTopic = options.eventsTopic ?? TOPICS.events;
  const { databaseUrl } = options;
  const database = (service?: ServiceName): Pick<PipelineProcess, 'env'> =>
    databaseUrl === undefined
      ? {}
      : { env: { DATABASE_URL: service ? localServiceDatabaseUrl(databaseUrl, service) : databaseUrl } };
  const services: PipelineProcess[] = [
    {
      name: 'migrate-events',
      args: [...TSX, 'libs/events-store/src/migrate.main.ts', '--local-logins'],
      urls: [],
      once: true,
      ...database(),
    },
    { name: 'migrate-analytics', args: [...TSX, 'libs/analytics/src/migrate.main.ts'], urls: [], once: true },
    {
      name: 'ingest-worker',
      args: [...WORKER_HEAP, ...TSX, 'apps/ingest-worker/src/main.ts'],
      metricsUrl: 'http://127.0.0.1:9101/metrics',
      urls: ['http://127.0.0.1:9101/health'],
      ...database('ingest'),
    },
    {
      name: 'analytics-worker',
      args: [...WORKER_HEAP, ...TSX, 'apps/analytics-worker/src/main.ts'],
      metricsUrl: 'http://127.0.0.1:9102/metrics',
      urls: ['http://127.0.0.1:9102/health'],
    },
    ...(options.backfill ? [demoBackfillProcess(eventsTopic)] : []),
    BUILD_WEB,
    {
      name: 'gateway',
      args: [...TSX, 'apps/gateway/src/main.ts'],
      metricsUrl: 'http://127.0.0.1:3000/metrics',
      urls: [
        'http://127.0.0.1:3000/',
        'http://127.0.0.1:3000/api/docs',
        'http://127.0.0.1:3000/graphql',
        'http://127.0.0.1:3000/health/ready',
      ],
      ...database('gateway'),
    },
    {
      name: 'simulator',
      args: [...TSX, SIMULATOR, '--topic', eventsTopic, ...DEMO_POPULATION_ARGS, ...simulatorArgs],
      metricsUrl: 'http://127.0.0.1:9103/metrics',
      urls: [],
    },
    // Tokens to try the gateway with, printed last so that they are near the URLs.
    {
      name: 'token',
      args: [...TSX, 'apps/gateway/src/auth/mint-token.main.ts', '--user', 'demo-admin', '--admin'],
      urls: [],
      once: true,
    },
    {
      name: 'token',
      args: [...TSX, 'apps/gateway/src/auth/mint-token.main.ts', '--user', 'demo-user'],
      urls: [],
      once: true,
    },
  ];
  // Prometheus starts before the first service (after the migrations), so that it sees the whole run.
  const prometheus = prometheusProcess(options.localDir ?? DEFAULT_LOCAL_DIR, scrapeTargets(services));
  const firstService = services.findIndex((process_) => !process_.once);
  return [...services.slice(0, firstService), prometheus, ...services.slice(firstService)];
}

/**
 * A secret for a local run: the one in the environment, or one made once and kept in `secretFile`
 * (the analytics pseudonym key must stay the same from run to run, or users split in two; the
 * token key, so that minted tokens keep working).
 */
export function localSecret(env: NodeJS.ProcessEnv, variable: string, secretFile: string): string {
  const given = env[variable];
  if (given) return given;
  if (existsSync(secretFile)) return readFileSync(secretFile, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  mkdirSync(dirname(secretFile), { recursive: true });
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The source a local HTTP client publishes as through POST /v1/events with the demo API key. */
export const DEMO_HTTP_SOURCE = '/services/demo-http';

/**
 * The secrets of a local pipeline, kept in `localDir`: the pseudonym key, the HS256 token key (unless
 * the environment configures another key source) and a demo API key for the HTTP collector. With the
 * token key of its own making comes the gateway's local dev sign-in (GATEWAY_DEV_SIGN_IN), unless the
 * environment says otherwise; a key source the user configured keeps it off.
 */
export function localSecrets(env: NodeJS.ProcessEnv, localDir: string): NodeJS.ProcessEnv {
  const jwtConfigured = ['JWT_HS256_SECRET', 'JWT_RS256_PUBLIC_KEY', 'JWT_JWKS_URL'].some(
    (name) => env[name],
  );
  return {
    ANALYTICS_PSEUDONYM_SECRET: localSecret(
      env,
      'ANALYTICS_PSEUDONYM_SECRET',
      join(localDir, 'analytics-pseudonym-secret'),
    ),
    ...(jwtConfigured
      ? {}
      : {
          JWT_HS256_SECRET: localSecret(env, 'JWT_HS256_SECRET', join(localDir, 'gateway-jwt-secret')),
          GATEWAY_DEV_SIGN_IN: env['GATEWAY_DEV_SIGN_IN'] || 'true',
        }),
    GATEWAY_API_KEYS:
      env['GATEWAY_API_KEYS'] ||
      `${DEMO_HTTP_SOURCE}=${localSecret({}, 'none', join(localDir, 'gateway-demo-api-key'))}`,
  };
}

/** `[name] line` for each complete line of a child's output; the rest waits for its newline. */
export function prefixLines(
  name: string,
  pending: string,
  chunk: string,
): { lines: string[]; pending: string } {
  const parts = (pending + chunk).split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts.map((line) => `[${name}] ${line}`), pending: rest };
}
