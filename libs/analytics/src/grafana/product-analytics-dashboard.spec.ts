import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandGrafanaQuery } from './expand-grafana-macros';
import {
  customVariable,
  customVariableValues,
  dashboardPanels,
  dashboardQueries,
  GRAFANA_DASHBOARDS_DIR,
  PRODUCT_ANALYTICS_DASHBOARD_FILE,
  readGrafanaDashboard,
  type GrafanaVariable,
} from './grafana-dashboard';
import type { TemplateVariables } from './grafana-template-variables';

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

  it('has the five panels, each with a distinct id, inside the 24-column grid, titled with the zone', () => {
    const panels = dashboardPanels(dashboard);
    expect(panels.map(({ title, type }) => [title, type])).toEqual([
      ['Active users (DAU / WAU / MAU), days in ${tz}', 'timeseries'],
      ['Stickiness (DAU / MAU), days in ${tz}', 'timeseries'],
      ['Activity mix, days in ${tz}', 'timeseries'],
      ['Most viewed apps, days in ${tz}', 'barchart'],
      ['Retention by daily cohort (${mode}, days in ${tz})', 'table'],
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
      const variables = {
        activity_type: { options: ['app.viewed', 'search.performed'], selected },
        tz: customVariable(dashboard, 'tz', 'Pacific/Auckland'),
        mode: customVariable(dashboard, 'mode', 'rolling'),
      };
      const unexpanded = queries.filter((query) =>
        expandGrafanaQuery(query.rawSql, { range, variables }).includes('$'),
      );
      expect(unexpanded.map(({ label }) => label)).toEqual([]);
    }
  });
});

describe('the time zone and retention mode variables', () => {
  const variable = (name: string) =>
    dashboard.templating?.list.find((candidate) => candidate.name === name) as GrafanaVariable;
  const names = (dashboard.templating?.list ?? []).map(({ name }) => name);

  it('come before activity_type, single-valued, with UTC and calendar by default', () => {
    expect(names).toEqual(['tz', 'mode', 'activity_type']);
    for (const name of ['tz', 'mode']) {
      expect(variable(name)).toMatchObject({ type: 'custom', multi: false, includeAll: false });
    }
    expect(variable('tz').current).toMatchObject({ text: 'UTC', value: 'UTC' });
    expect(variable('mode').current).toMatchObject({ text: 'calendar', value: 'calendar' });
  });

  it('offer common IANA zones (any other may be typed in) and exactly the three modes', () => {
    const zones = customVariableValues(variable('tz'));
    expect(zones[0]).toBe('UTC');
    expect(zones).toEqual(
      expect.arrayContaining([
        'Europe/London',
        'Europe/Berlin',
        'America/New_York',
        'America/Los_Angeles',
        'Asia/Kolkata',
        'Asia/Tokyo',
        'Australia/Sydney',
        'Pacific/Auckland',
      ]),
    );
    for (const zone of zones) expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
    expect(variable('tz').allowCustomValue).toBe(true);
    expect(customVariableValues(variable('mode'))).toEqual(['calendar', 'rolling', 'unbounded']);
    expect(variable('mode').allowCustomValue).toBe(false);
    // The saved options list what the query offers, as Grafana writes them.
    for (const name of ['tz', 'mode']) {
      expect(variable(name).options?.map(({ value }) => value)).toEqual(customVariableValues(variable(name)));
    }
  });

  it('reach every panel, the zone in every title and the mode in the retention panel', () => {
    const panels = dashboardPanels(dashboard);
    for (const panel of panels) {
      expect(panel.title).toContain('${tz}');
      expect(panel.targets?.[0]?.rawSql).toContain("decodeURLComponent('${tz:percentencode}') AS tz");
    }
    const retention = panels.filter((panel) => panel.targets?.[0]?.rawSql?.includes('${mode'));
    expect(retention.map(({ title }) => title)).toEqual([
      'Retention by daily cohort (${mode}, days in ${tz})',
    ]);
    expect(retention[0]?.targets?.[0]?.rawSql).toContain(
      "decodeURLComponent('${mode:percentencode}') AS mode",
    );
  });

  it('are only ever sent percent-encoded inside a string literal (no other form, not even in comments)', () => {
    for (const query of queries) {
      const uses = query.rawSql.match(/\$\{?(?:tz|mode)\b[^}\s]*\}?/g) ?? [];
      const safe = uses.every((use) => use === '${tz:percentencode}' || use === '${mode:percentencode}');
      expect({ query: query.label, uses, safe }).toEqual({ query: query.label, uses, safe: true });
      const quoted = query.rawSql.match(/'\$\{(?:tz|mode):percentencode\}'/g) ?? [];
      expect(quoted.length).toBe(uses.length);
    }
  });

  it('cannot change any query but for the encoded literal, whatever the value (property)', () => {
    const range = { from: new Date('2026-08-01T00:00:00Z'), to: new Date('2026-08-31T00:00:00Z') };
    const withValues = (tz: string, mode: string): TemplateVariables => ({
      activity_type: { options: ['app.viewed'], selected: 'all' },
      tz: { options: [tz], selected: [tz] },
      mode: { options: [mode], selected: [mode] },
    });
    const literal = /decodeURLComponent\('(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*'\)/g;
    const shape = (sql: string) => sql.replace(literal, 'decodeURLComponent(<value>)');
    const benign = queries.map((query) =>
      shape(expandGrafanaQuery(query.rawSql, { range, variables: withValues('UTC', 'calendar') })),
    );
    const hostile = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.constantFrom(
        "UTC') OR 1=1 --",
        "UTC\\'; DROP TABLE events; --",
        'x\n) UNION ALL SELECT 1 --',
        '$__fromTime',
      ),
    );
    fc.assert(
      fc.property(hostile, hostile, (tz, mode) => {
        queries.forEach((query, index) => {
          const sql = expandGrafanaQuery(query.rawSql, { range, variables: withValues(tz, mode) });
          expect(shape(sql)).toBe(benign[index]);
        });
      }),
      { numRuns: 200 },
    );
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
