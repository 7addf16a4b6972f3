import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineProcess } from './pipeline.processes';

/*
 * The Prometheus `npm start` runs beside the services (Debian's binary, installed by
 * tools/bootstrap/ensure-prometheus.js): it scrapes every process of the pipeline that has a
 * `metricsUrl` and evaluates the alert rules of deploy/prometheus/rules, the ones production loads.
 * Its configuration is made from the pipeline's own list of processes, so a new service or port is
 * scraped without a second list to keep in step. Tests that need a Prometheus of their own make one
 * with the same functions and their own targets and intervals.
 */

const REPO_ROOT = join(__dirname, '../../..');

/** The alert rules, shared with the production-like stack (docker-compose.yml mounts the same folder). */
export const ALERT_RULES_DIR = join(REPO_ROOT, 'deploy/prometheus/rules');

/** 127.0.0.1 and a port in the local stack's 1xxxx range: away from a Prometheus already on 9090. */
export const PROMETHEUS_ADDRESS = '127.0.0.1:19090';

/** A service Prometheus scrapes: its job name (which the alert rules use) and its /metrics URL. */
export interface ScrapeTarget {
  job: string;
  metricsUrl: string;
}

export interface PrometheusConfigOptions {
  /** Where Prometheus itself listens: it scrapes itself as job `prometheus`. */
  address: string;
  /** Default 5 s: the consumers measure their lag every 5 s (LAG_POLL_INTERVAL_MS). */
  scrapeIntervalSeconds?: number;
  /** How often the rules are evaluated; default as scrapeIntervalSeconds. */
  evaluationIntervalSeconds?: number;
  /** Rule files or globs; default every file of ALERT_RULES_DIR. */
  ruleFiles?: string[];
}

/** The scrape targets of a pipeline: each process with a metricsUrl, under its name. */
export function scrapeTargets(processes: readonly PipelineProcess[]): ScrapeTarget[] {
  return processes.flatMap(({ name, metricsUrl }) => (metricsUrl ? [{ job: name, metricsUrl }] : []));
}

/**
 * Prometheus' configuration as an object. JSON is YAML, so `JSON.stringify` of it is a configuration
 * file Prometheus reads (writePrometheusConfig).
 */
export function prometheusConfig(targets: readonly ScrapeTarget[], options: PrometheusConfigOptions) {
  const scrapeSeconds = options.scrapeIntervalSeconds ?? 5;
  const jobs = new Set<string>();
  const scrapeConfigs = [
    { job: 'prometheus', metricsUrl: `http://${options.address}/metrics` },
    ...targets,
  ].map(({ job, metricsUrl }) => {
    if (jobs.has(job)) throw new Error(`two scrape targets are named ${job}`);
    jobs.add(job);
    const url = new URL(metricsUrl);
    return {
      job_name: job,
      scheme: url.protocol.replace(/:$/, ''),
      metrics_path: url.pathname,
      static_configs: [{ targets: [url.host] }],
    };
  });
  return {
    global: {
      scrape_interval: `${scrapeSeconds}s`,
      evaluation_interval: `${options.evaluationIntervalSeconds ?? scrapeSeconds}s`,
    },
    rule_files: options.ruleFiles ?? [join(ALERT_RULES_DIR, '*.yml')],
    scrape_configs: scrapeConfigs,
  };
}

/** Writes the configuration to `file` (its folder made if missing). */
export function writePrometheusConfig(file: string, config: ReturnType<typeof prometheusConfig>): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(
    file,
    `# Made by tools/pipeline from its processes at each start; edits here are overwritten.\n${JSON.stringify(config, null, 2)}\n`,
  );
}

export interface PrometheusRun {
  /** The configuration file (written before Prometheus starts). */
  configFile: string;
  /** Its TSDB; kept between runs. */
  dataDir: string;
  address: string;
  /** Default 7 days, so that a checkout's `.local` does not grow without end. */
  retention?: string;
}

/** The `prometheus` command line for a run. */
export function prometheusArgs(run: PrometheusRun): string[] {
  return [
    `--config.file=${run.configFile}`,
    `--storage.tsdb.path=${run.dataDir}`,
    `--storage.tsdb.retention.time=${run.retention ?? '7d'}`,
    `--web.listen-address=${run.address}`,
    // Warnings and errors only: the pipeline's output is for the services.
    '--log.level=warn',
  ];
}

/**
 * `npm start`'s Prometheus, scraping `targets`, its files under `localDir/prometheus` (the checkout's
 * git-ignored `.local`): the configuration is written just before it starts.
 */
export function prometheusProcess(localDir: string, targets: readonly ScrapeTarget[]): PipelineProcess {
  const dir = join(localDir, 'prometheus');
  const configFile = join(dir, 'prometheus.yml');
  return {
    name: 'prometheus',
    command: 'prometheus',
    args: prometheusArgs({ configFile, dataDir: join(dir, 'data'), address: PROMETHEUS_ADDRESS }),
    urls: [
      `http://${PROMETHEUS_ADDRESS}/alerts`,
      `http://${PROMETHEUS_ADDRESS}/targets`,
      `http://${PROMETHEUS_ADDRESS}/graph`,
    ],
    prepare: () =>
      writePrometheusConfig(configFile, prometheusConfig(targets, { address: PROMETHEUS_ADDRESS })),
  };
}
