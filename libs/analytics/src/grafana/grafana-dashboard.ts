import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateVariable } from './grafana-template-variables';

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
  /** Whether a value that is not an option may be typed in (custom and query variables, Grafana 11+). */
  allowCustomValue?: boolean;
  label?: string;
  description?: string;
  current?: { text?: string | string[]; value?: string | string[] };
  options?: { text: string; value: string; selected?: boolean }[];
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

export class GrafanaVariableError extends Error {
  override name = 'GrafanaVariableError';
}

/**
 * The values of a custom variable, as Grafana reads its query: comma-separated (`\\,` is a comma inside
 * a value), each trimmed; `text : value` gives the value after the colon.
 */
export function customVariableValues(variable: GrafanaVariable): string[] {
  if (variable.type !== 'custom' || typeof variable.query !== 'string') {
    throw new GrafanaVariableError(`variable ${variable.name} is not a custom variable with a query`);
  }
  return (variable.query.match(/(?:\\,|[^,])+/g) ?? []).map((item) => {
    const text = item.replace(/\\,/g, ',');
    const textAndValue = /^\s*(.+)\s:\s(.+)$/.exec(text);
    return (textAndValue ? (textAndValue[2] as string) : text).trim();
  });
}

/**
 * The dashboard's custom variable `name` with `selected` chosen (its saved current value by default),
 * as the tests hand it to expandGrafanaQuery. A value that is not an option is refused unless the
 * variable allows custom values, as Grafana's picker does.
 */
export function customVariable(
  dashboard: GrafanaDashboard,
  name: string,
  selected?: string,
): TemplateVariable {
  const variable = dashboard.templating?.list.find((candidate) => candidate.name === name);
  if (variable === undefined) throw new GrafanaVariableError(`the dashboard has no variable ${name}`);
  const options = customVariableValues(variable);
  const current = variable.current?.value;
  const value = selected ?? (Array.isArray(current) ? current[0] : current);
  if (value === undefined) throw new GrafanaVariableError(`variable ${name} has no current value`);
  if (!options.includes(value) && variable.allowCustomValue !== true) {
    throw new GrafanaVariableError(`variable ${name} does not offer ${JSON.stringify(value)}`);
  }
  return { options, selected: [value] };
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
