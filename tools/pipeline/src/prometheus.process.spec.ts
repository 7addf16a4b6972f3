import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { pipelineProcesses } from './pipeline.processes';
import {
  ALERT_RULES_DIR,
  PROMETHEUS_ADDRESS,
  prometheusArgs,
  prometheusConfig,
  scrapeTargets,
} from './prometheus.process';
import { runPromtool } from './promtool';

const REPO_ROOT = join(ALERT_RULES_DIR, '../../..');

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  static_configs: { targets: string[] }[];
}

/** job → `:port/path` of each scrape config: what the local and the compose configurations share. */
function jobsAndPorts(scrapeConfigs: ScrapeConfig[]): Record<string, string> {
  return Object.fromEntries(
    scrapeConfigs.map(({ job_name, metrics_path, static_configs }) => [
      job_name,
      `${(static_configs[0]?.targets[0] ?? '').replace(/^[^:]*/, '')}${metrics_path ?? '/metrics'}`,
    ]),
  );
}

describe("npm start's Prometheus", () => {
  let localDir: string;
  beforeEach(() => {
    localDir = mkdtempSync(join(tmpdir(), 'pipeline-prometheus-'));
  });
  afterEach(() => rmSync(localDir, { recursive: true, force: true }));

  const prometheusOf = (dir: string) => {
    const process_ = pipelineProcesses([], { localDir: dir }).find(({ name }) => name === 'prometheus');
    if (!process_) throw new Error('no prometheus process');
    return process_;
  };

  it('scrapes every long-running service of the pipeline and itself, as the jobs the alert rules name', () => {
    const targets = scrapeTargets(pipelineProcesses([]));
    const config = prometheusConfig(targets, { address: PROMETHEUS_ADDRESS });
    expect(jobsAndPorts(config.scrape_configs)).toEqual({
      prometheus: ':19090/metrics',
      'ingest-worker': ':9101/metrics',
      'analytics-worker': ':9102/metrics',
      gateway: ':3000/metrics',
      simulator: ':9103/metrics',
    });
    expect(
      config.scrape_configs.every(({ static_configs }) =>
        /^127\.0\.0\.1:/.test(static_configs[0]?.targets[0] ?? ''),
      ),
    ).toBe(true);
    expect(config.global).toEqual({ scrape_interval: '5s', evaluation_interval: '5s' });
    expect(config.rule_files).toEqual([join(ALERT_RULES_DIR, '*.yml')]);
  });

  it("scrapes the same jobs and ports as the production-like stack's configuration, with the same rules", () => {
    const compose = parse(readFileSync(join(REPO_ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: ScrapeConfig[];
    };
    const local = prometheusConfig(scrapeTargets(pipelineProcesses([])), { address: '127.0.0.1:9090' });
    expect(jobsAndPorts(compose.scrape_configs)).toEqual(jobsAndPorts(local.scrape_configs));
    expect(compose.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
    expect(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8')).toContain(
      "'./deploy/prometheus/rules:/etc/prometheus/rules:ro'",
    );
  });

  it('writes, before it starts, a configuration promtool accepts, with the alert rules', () => {
    const prometheus = prometheusOf(localDir);
    prometheus.prepare?.();
    const file = join(localDir, 'prometheus/prometheus.yml');
    expect(parse(readFileSync(file, 'utf8'))).toEqual(
      prometheusConfig(scrapeTargets(pipelineProcesses([])), { address: PROMETHEUS_ADDRESS }),
    );
    const check = runPromtool(['check', 'config', file]);
    expect(check).toEqual({ status: 0, output: expect.stringContaining('rule files found') });
  });

  it("runs Debian's binary on 127.0.0.1:19090 with its data under the local directory, and says where to look", () => {
    const prometheus = prometheusOf(localDir);
    expect(prometheus).toMatchObject({ name: 'prometheus', command: 'prometheus' });
    expect(prometheus.args).toEqual(
      prometheusArgs({
        configFile: join(localDir, 'prometheus/prometheus.yml'),
        dataDir: join(localDir, 'prometheus/data'),
        address: '127.0.0.1:19090',
      }),
    );
    expect(prometheus.args).toContain('--web.listen-address=127.0.0.1:19090');
    expect(prometheus.args).toContain(`--storage.tsdb.path=${join(localDir, 'prometheus/data')}`);
    expect(prometheus.urls).toContain('http://127.0.0.1:19090/alerts');
  });

  it('refuses two targets under one job name', () => {
    expect(() =>
      prometheusConfig(
        [
          { job: 'gateway', metricsUrl: 'http://127.0.0.1:3000/metrics' },
          { job: 'gateway', metricsUrl: 'http://127.0.0.1:3001/metrics' },
        ],
        { address: PROMETHEUS_ADDRESS },
      ),
    ).toThrow('two scrape targets are named gateway');
  });

  it('takes intervals and rule files of its own, for a test', () => {
    const config = prometheusConfig(
      [{ job: 'ingest-worker', metricsUrl: 'http://127.0.0.1:41234/metrics' }],
      {
        address: '127.0.0.1:41235',
        scrapeIntervalSeconds: 1,
        evaluationIntervalSeconds: 2,
        ruleFiles: ['/tmp/rules/*.yml'],
      },
    );
    expect(config).toMatchObject({
      global: { scrape_interval: '1s', evaluation_interval: '2s' },
      rule_files: ['/tmp/rules/*.yml'],
    });
    expect(jobsAndPorts(config.scrape_configs)).toEqual({
      prometheus: ':41235/metrics',
      'ingest-worker': ':41234/metrics',
    });
  });
});
