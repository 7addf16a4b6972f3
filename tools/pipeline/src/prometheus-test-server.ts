import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, waitFor } from '@chronicle/stack';
import {
  prometheusArgs,
  prometheusConfig,
  writePrometheusConfig,
  type ScrapeTarget,
} from './prometheus.process';

/*
 * A Prometheus of a test's own (Debian's binary, as `npm start` runs it): its files in the test's
 * folder, a free port, and the scrape and evaluation intervals the test asks for. Only for tests.
 */

export interface PrometheusTestServerOptions {
  /** The test's folder: the configuration and the TSDB go under it. */
  dir: string;
  targets: readonly ScrapeTarget[];
  /** Default 1 s, for scrapes and rule evaluations alike. */
  intervalSeconds?: number;
  /** Rule files or globs; default the alert rules production loads. */
  ruleFiles?: string[];
}

/** One series of an instant query's result. */
export interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusTestServer {
  url: string;
  /** What it printed (warnings and errors only). */
  output: string[];
  /** An instant query's result; throws if Prometheus refuses the query. */
  query(expr: string): Promise<InstantSample[]>;
  /** Stops it and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts Prometheus scraping `targets` and waits for it to be ready. */
export async function startPrometheusTestServer(
  options: PrometheusTestServerOptions,
): Promise<PrometheusTestServer> {
  const address = `127.0.0.1:${await freePort()}`;
  const url = `http://${address}`;
  const configFile = join(options.dir, 'prometheus.yml');
  const intervalSeconds = options.intervalSeconds ?? 1;
  writePrometheusConfig(
    configFile,
    prometheusConfig(options.targets, {
      address,
      scrapeIntervalSeconds: intervalSeconds,
      evaluationIntervalSeconds: intervalSeconds,
      ruleFiles: options.ruleFiles,
    }),
  );
  const child = spawn(
    'prometheus',
    prometheusArgs({ configFile, dataDir: join(options.dir, 'data'), address }),
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitFor(async () => (await fetch(`${url}/-/ready`)).ok, {
      timeoutMs: 30_000,
      what: `Prometheus ready (${output.join('')})`,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    output,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { result: InstantSample[] };
      };
      if (body.status !== 'success') throw new Error(`Prometheus refused ${expr}: ${body.error}`);
      return body.data?.result ?? [];
    },
    stop,
  };
}
