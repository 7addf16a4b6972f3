import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The "Pipeline" Grafana dashboard (deploy/grafana/dashboards/pipeline.json) as the tests read it: its
 * panels and their PromQL. Only what is checked is typed.
 */

export const PIPELINE_DASHBOARD_FILE = join(__dirname, '../../../deploy/grafana/dashboards/pipeline.json');

/** The Prometheus data source that deploy/grafana/provisioning declares. */
export const PROMETHEUS_DATASOURCE = { type: 'prometheus', uid: 'chronicle-prometheus' };

export interface DataSourceRef {
  type?: string;
  uid?: string;
}

export interface PrometheusTarget {
  refId: string;
  datasource?: DataSourceRef;
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: DataSourceRef;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: PrometheusTarget[];
  /** The panels of a collapsed row. */
  panels?: DashboardPanel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  timezone?: string;
  panels: DashboardPanel[];
}

/** One query of the dashboard, named for a test's output: `"Panel title" A`. */
export interface DashboardQuery {
  label: string;
  panel: DashboardPanel;
  target: PrometheusTarget;
  expr: string;
}

export function readDashboard(file: string = PIPELINE_DASHBOARD_FILE): Dashboard {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
  if (typeof dashboard.uid !== 'string' || !Array.isArray(dashboard.panels))
    throw new Error(`${file} is not a Grafana dashboard (no uid or panels)`);
  return dashboard;
}

/** Every panel, rows' nested panels included; rows themselves too. */
export function dashboardPanels(dashboard: Dashboard): DashboardPanel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Every query of every panel. */
export function dashboardQueries(dashboard: Dashboard): DashboardQuery[] {
  return dashboardPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      label: `"${panel.title}" ${target.refId}`,
      panel,
      target,
      expr: target.expr ?? '',
    })),
  );
}

/**
 * A panel's PromQL as Prometheus receives it from Grafana: `$__rate_interval`, `$__interval` and
 * `$__range` replaced by a duration (Grafana computes them from the time range and scrape interval).
 */
export function expandGrafanaVariables(expr: string, interval = '1m', range = '1h'): string {
  return expr
    .replace(/\$__rate_interval\b/g, interval)
    .replace(/\$__interval\b/g, interval)
    .replace(/\$__range\b/g, range);
}
