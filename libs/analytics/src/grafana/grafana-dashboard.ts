import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The parts of a Grafana dashboard JSON that the tests read: panels (also inside collapsed rows) with
 * their SQL targets, and query variables. Only what is checked is typed.
 */

/** The provisioned dashboards (deploy/grafana/dashboards), found from this file's place in the repository. */
export const GRAFANA_DASHBOARDS_DIR = join(__dirname, '../../../../deploy/grafana/dashboards');
export const PRODUCT_ANALYTICS_DASHBOARD_FILE = join(GRAFANA_DASHBOARDS_DIR, 'product-analytics.json');

export interface GrafanaDataSourceRef {
  type?: string;
  uid?: string;
}

export interface GrafanaTarget {
  refId: string;
  datasource?: GrafanaDataSourceRef;
  editorType?: string;
  /** The plugin's format: 0 time series, 1 table. */
  format?: number;
  rawSql?: string;
}

export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  datasource?: GrafanaDataSourceRef;
  targets?: GrafanaTarget[];
  /** The panels of a collapsed row. */
  panels?: GrafanaPanel[];
}

export interface GrafanaVariable {
  name: string;
  type: string;
  datasource?: GrafanaDataSourceRef;
  query?: string | { rawSql?: string };
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string | null;
}

export interface GrafanaDashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  time: { from: string; to: string };
  panels: GrafanaPanel[];
  templating?: { list: GrafanaVariable[] };
}

/** One SQL query of a dashboard: a panel's target or a query variable. */
export interface DashboardQuery {
  /** Says where it comes from in a test's output: `panel "Title" A` or `variable activity_type`. */
  label: string;
  datasource: GrafanaDataSourceRef | undefined;
  rawSql: string;
  panel?: GrafanaPanel;
  target?: GrafanaTarget;
  variable?: GrafanaVariable;
}

export function readGrafanaDashboard(file: string): GrafanaDashboard {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as GrafanaDashboard;
  if (typeof dashboard.uid !== 'string' || !Array.isArray(dashboard.panels)) {
    throw new Error(`${file} is not a Grafana dashboard (no uid or panels)`);
  }
  return dashboard;
}

/** Every panel, rows' nested panels included. */
export function dashboardPanels(dashboard: GrafanaDashboard): GrafanaPanel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Every SQL query of the dashboard: each panel target with SQL, then each query variable. */
export function dashboardQueries(dashboard: GrafanaDashboard): DashboardQuery[] {
  const targets = dashboardPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => target.rawSql !== undefined)
      .map((target) => ({
        label: `panel "${panel.title}" ${target.refId}`,
        datasource: target.datasource ?? panel.datasource,
        rawSql: target.rawSql as string,
        panel,
        target,
      })),
  );
  const variables = (dashboard.templating?.list ?? [])
    .filter((variable) => variable.type === 'query')
    .map((variable) => ({
      label: `variable ${variable.name}`,
      datasource: variable.datasource,
      rawSql: typeof variable.query === 'string' ? variable.query : (variable.query?.rawSql ?? ''),
      variable,
    }));
  return [...targets, ...variables];
}
