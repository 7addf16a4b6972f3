import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandGrafanaQuery } from './expand-grafana-macros';
import {
  dashboardPanels,
  dashboardQueries,
  GRAFANA_DASHBOARDS_DIR,
  PRODUCT_ANALYTICS_DASHBOARD_FILE,
  readGrafanaDashboard,
} from './grafana-dashboard';

/*
 * The provisioned dashboard's shape and its provisioning, without engines; the integration spec runs
 * its SQL. Grafana itself is not run by the tests.
 */

const REPO_ROOT = join(GRAFANA_DASHBOARDS_DIR, '../../..');
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const CLICKHOUSE = { type: 'grafana-clickhouse-datasource', uid: 'chronicle-clickhouse' };

const dashboard = readGrafanaDashboard(PRODUCT_ANALYTICS_DASHBOARD_FILE);
const queries = dashboardQueries(dashboard);

describe('the "Product analytics" dashboard', () => {
  it('is identified, versioned and shows the last 30 days in UTC by default', () => {
    expect(dashboard).toMatchObject({
      uid: 'chronicle-product-analytics',
      title: 'Product analytics',
      time: { from: 'now-30d', to: 'now' },
      timezone: 'utc',
    });
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
  });

  it('has the five panels, each with a distinct id, inside the 24-column grid', () => {
    const panels = dashboardPanels(dashboard);
    expect(panels.map(({ title, type }) => [title, type])).toEqual([
      ['Active users (DAU / WAU / MAU)', 'timeseries'],
      ['Stickiness (DAU / MAU)', 'timeseries'],
      ['Activity mix', 'timeseries'],
      ['Most viewed apps', 'barchart'],
      ['Retention by daily cohort', 'table'],
    ]);
    expect(new Set(panels.map(({ id }) => id)).size).toBe(panels.length);
    for (const panel of panels as ((typeof panels)[number] & { gridPos: { x: number; w: number } })[]) {
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    }
  });

  it('has a multi-value activity_type variable with All, fed by ClickHouse', () => {
    const variable = dashboard.templating?.list.find(({ name }) => name === 'activity_type');
    expect(variable).toMatchObject({ type: 'query', multi: true, includeAll: true, datasource: CLICKHOUSE });
    // All must reach the queries as "every option" or as $__conditionalAll's 1=1, never a custom value.
    expect(variable?.allValue ?? null).toBeNull();
  });

  it('sends every query to the provisioned ClickHouse data source', () => {
    expect(queries.length).toBe(6);
    expect(Object.fromEntries(queries.map((query) => [query.label, query.datasource]))).toEqual(
      Object.fromEntries(queries.map((query) => [query.label, CLICKHOUSE])),
    );
    for (const panel of dashboardPanels(dashboard)) expect(panel.datasource).toEqual(CLICKHOUSE);
  });

  it('leaves no macro or variable unexpanded, with All and with one type', () => {
    const range = { from: new Date('2026-08-01T00:00:00Z'), to: new Date('2026-08-31T00:00:00Z') };
    for (const selected of ['all', ['app.viewed']] as const) {
      const variables = { activity_type: { options: ['app.viewed', 'search.performed'], selected } };
      const unexpanded = queries.filter((query) =>
        expandGrafanaQuery(query.rawSql, { range, variables }).includes('$'),
      );
      expect(unexpanded.map(({ label }) => label)).toEqual([]);
    }
  });
});

describe("the dashboard's provisioning", () => {
  it('declares the ClickHouse data source the dashboard names, on the chronicle database, and Prometheus', () => {
    const datasources = read('deploy/grafana/provisioning/datasources/datasources.yml');
    expect(datasources).toMatch(
      /type: grafana-clickhouse-datasource\n\s+uid: chronicle-clickhouse\n\s+jsonData:\n\s+host: clickhouse\n\s+port: 8123\n\s+protocol: http\n/,
    );
    expect(datasources).toMatch(/defaultDatabase: chronicle\n/);
    expect(datasources).toMatch(
      /type: prometheus\n\s+uid: chronicle-prometheus\n[^-]*url: http:\/\/prometheus:9090\n/,
    );
  });

  it('loads the dashboards folder that docker-compose.yml mounts, with the plugin installed', () => {
    const provider = read('deploy/grafana/provisioning/dashboards/dashboards.yml');
    const compose = read('docker-compose.yml');
    expect(provider).toMatch(/path: \/var\/lib\/grafana\/dashboards\n/);
    expect(compose).toContain("'./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro'");
    expect(compose).toContain("'./deploy/grafana/provisioning:/etc/grafana/provisioning:ro'");
    expect(compose).toMatch(/GF_INSTALL_PLUGINS: grafana-clickhouse-datasource\n/);
  });
});
