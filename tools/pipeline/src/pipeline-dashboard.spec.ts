import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isDefinedSeries, metricNamesInCode, metricNamesInQuery } from './metric-names';
import {
  dashboardPanels,
  dashboardQueries,
  expandGrafanaVariables,
  PIPELINE_DASHBOARD_FILE,
  PROMETHEUS_DATASOURCE,
  readDashboard,
} from './pipeline-dashboard';
import { runPromtool } from './promtool';

/*
 * The provisioned "Pipeline" dashboard without engines: its shape, its data source, and its PromQL,
 * parsed by promtool (each query as a recording rule) and read against the metrics the code defines.
 * Grafana itself is not run by the tests.
 */

const REPO_ROOT = join(PIPELINE_DASHBOARD_FILE, '../../../..');
const dashboard = readDashboard();
const panels = dashboardPanels(dashboard);
const queries = dashboardQueries(dashboard);

describe('the "Pipeline" dashboard', () => {
  it('is identified and shows the last hour in UTC', () => {
    expect(dashboard).toMatchObject({ uid: 'chronicle-pipeline', title: 'Pipeline', timezone: 'utc' });
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
  });

  it('has its rows and panels in order, each with a distinct id, inside the 24-column grid', () => {
    expect(panels.map(({ type, title }) => (type === 'row' ? `# ${title}` : title))).toEqual([
      '# Flow',
      'Events in and stored, per stage',
      'Not stored, by reason',
      'Services up and ready',
      'Deployed versions',
      '# Kafka lag',
      'Consumer lag (records)',
      'Consumer lag (seconds)',
      '# Freshness',
      'Freshness since Kafka append (p50 / p99)',
      'Freshness since event time (p50 / p99)',
      '# Failures',
      'Dead letters by reason',
      'Store write failures',
      'Batch write latency (p50 / p99)',
      '# Gateway',
      'Gateway requests by route',
      'Gateway server errors by route',
      'Gateway p99 latency by route',
      'Collected events and live subscribers',
      '# Producers (SDK)',
      'SDK events dropped and publish errors',
      'SDK queue depth',
      '# Privacy',
      'Erasure backlog',
      'Erasures completed',
      'Since the last retention run',
    ]);
    expect(new Set(panels.map(({ id }) => id)).size).toBe(panels.length);
    for (const { gridPos } of panels) expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
  });

  it('sends every query to the provisioned Prometheus data source', () => {
    const withQueries = panels.filter(({ type }) => type !== 'row');
    expect(withQueries.filter(({ targets }) => !targets?.length).map(({ title }) => title)).toEqual([]);
    for (const panel of withQueries) expect(panel.datasource).toEqual(PROMETHEUS_DATASOURCE);
    for (const { target } of queries) expect(target.datasource).toEqual(PROMETHEUS_DATASOURCE);
    const datasources = readFileSync(
      join(REPO_ROOT, 'deploy/grafana/provisioning/datasources/datasources.yml'),
      'utf8',
    );
    expect(datasources).toMatch(/type: prometheus\n\s+uid: chronicle-prometheus\n/);
  });

  it('has only queries that parse (promtool check rules, each query as a recording rule)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-dashboard-'));
    try {
      const rules = queries.map(({ panel, target, expr }) => ({
        record: `dashboard:panel_${panel.id}_${target.refId}`,
        expr: expandGrafanaVariables(expr),
      }));
      expect(rules.every(({ expr }) => expr.trim().length > 0 && !expr.includes('$'))).toBe(true);
      writeFileSync(join(dir, 'queries.yml'), stringify({ groups: [{ name: 'pipeline-dashboard', rules }] }));
      expect(runPromtool(['check', 'rules', 'queries.yml'], { cwd: dir })).toEqual({
        status: 0,
        output: expect.stringContaining(`SUCCESS: ${rules.length} rules found`),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads only metrics that the services define', () => {
    const defined = metricNamesInCode(REPO_ROOT);
    const undefinedSeries = queries.flatMap(({ label, expr }) =>
      metricNamesInQuery(expr)
        .filter((series) => !isDefinedSeries(series, defined))
        .map((series) => `${label}: ${series}`),
    );
    expect(undefinedSeries).toEqual([]);
  });

  it('shows every stage: flow, lag, freshness, dead letters, writes, the gateway, the SDK, erasure and retention', () => {
    const read = new Set(queries.flatMap(({ expr }) => metricNamesInQuery(expr)));
    expect([...read].sort()).toEqual(
      expect.arrayContaining([
        'chronicle_sdk_events_published_total',
        'chronicle_ingest_events_total',
        'chronicle_analytics_rows_inserted_total',
        'chronicle_kafka_consumer_lag',
        'chronicle_kafka_consumer_lag_seconds',
        'chronicle_freshness_seconds_bucket',
        'chronicle_ingest_dead_letters_total',
        'chronicle_analytics_dead_letters_total',
        'chronicle_ingest_write_duration_seconds_bucket',
        'chronicle_analytics_insert_duration_seconds_bucket',
        'chronicle_gateway_http_request_duration_seconds_count',
        'chronicle_gateway_http_request_duration_seconds_bucket',
        'chronicle_sdk_events_dropped_total',
        'chronicle_erasures_pending',
        'chronicle_erasures_oldest_pending_seconds',
        'chronicle_retention_last_run_timestamp_seconds',
        'chronicle_service_ready',
        'chronicle_build_info',
      ]),
    );
  });
});

describe('expandGrafanaVariables', () => {
  it("replaces Grafana's interval and range variables", () => {
    expect(
      expandGrafanaVariables(
        'rate(x[$__rate_interval]) + increase(y[$__range]) / z[$__interval]',
        '2m',
        '6h',
      ),
    ).toBe('rate(x[2m]) + increase(y[6h]) / z[2m]');
  });
});
