import { readCall } from './macro-call.util';

/*
 * What Grafana's front end does to a ClickHouse panel's SQL before sending it, for the forms Chronicle's
 * dashboards use: the ClickHouse plugin's `$__conditionalAll(condition, $var)` (CHDatasource
 * applyConditionalAll), then Grafana's template-variable interpolation (`$var`, `${var}`, `${var:format}`).
 * Names that are not variables, such as the plugin's time macros, are left for the back end.
 */

/** A multi-value query variable: the values its query offered, and what is selected. */
export interface TemplateVariable {
  options: readonly string[];
  /** `'all'` is the All option (Grafana's `$__all`); a list is the values picked. */
  selected: 'all' | readonly string[];
}

export type TemplateVariables = Readonly<Record<string, TemplateVariable>>;

export class GrafanaInterpolationError extends Error {
  override name = 'GrafanaInterpolationError';
}

const CONDITIONAL_ALL = '$__conditionalAll(';

/**
 * `$__conditionalAll(condition, $var)` becomes `1=1` when `var` is All or has nothing selected, and the
 * condition otherwise. Like the plugin, it works from the last occurrence back and leaves a call without
 * exactly two arguments (and everything before it) alone.
 */
export function applyConditionalAll(sql: string, variables: TemplateVariables): string {
  let result = sql;
  let start = result.lastIndexOf(CONDITIONAL_ALL);
  while (start !== -1) {
    const call = readCall(result, start + CONDITIONAL_ALL.length - 1);
    if (call === undefined || call.args.length !== 2) return result;
    const [condition, variableArg] = call.args as [string, string];
    const name = /^\$\{(\w+)\}$|^\$(\w+)$/.exec(variableArg.trim());
    const variable = name ? variables[(name[1] ?? name[2]) as string] : undefined;
    const everything =
      variable !== undefined && (variable.selected === 'all' || variable.selected.length === 0);
    result = result.slice(0, start) + (everything ? '1=1' : condition) + result.slice(call.end);
    start = result.lastIndexOf(CONDITIONAL_ALL);
  }
  return result;
}

/** Grafana's variable syntaxes (the deprecated `[[var]]` is not supported). */
const VARIABLE_PATTERN = /\$(\w+)|\$\{(\w+)(?::([^}]+))?\}/g;

/**
 * Replaces each variable by its selected values (all options for All, as Grafana does without a custom
 * "all value"), formatted as asked. Unknown names stay as they are, as in Grafana.
 */
export function interpolateTemplateVariables(sql: string, variables: TemplateVariables): string {
  return sql.replace(VARIABLE_PATTERN, (match, plainName?: string, bracedName?: string, format?: string) => {
    const variable = variables[(plainName ?? bracedName) as string];
    if (variable === undefined) return match;
    const values = variable.selected === 'all' ? variable.options : variable.selected;
    return formatValues(values, format);
  });
}

/**
 * Grafana's `encodeURIComponentStrict` (RFC 3986): encodeURIComponent, and also `!'()*` as `%XX`.
 * A lone surrogate, which encodeURIComponent refuses, is refused here too.
 */
export function encodeURIComponentStrict(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw new GrafanaInterpolationError('a variable value is not well-formed Unicode');
  }
  return encoded.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function formatValues(values: readonly string[], format: string | undefined): string {
  switch (format) {
    case undefined:
      // The ClickHouse plugin's own formatter, used when a query names no format.
      return `'${values.join("','")}'`;
    case 'singlequote':
      return values.map((value) => `'${value.replace(/'/g, "\\'")}'`).join(',');
    case 'sqlstring':
      return values.map((value) => `'${value.replace(/'/g, "''")}'`).join(',');
    case 'csv':
    case 'raw':
      return values.join(',');
    case 'percentencode':
      // Grafana's: a multi-value is glob-like `{a,b}`, then encoded. The result is only letters, digits,
      // `-_.~` and `%XX`: nothing that can end a quoted SQL string or start an escape.
      return encodeURIComponentStrict(values.length === 1 ? (values[0] as string) : `{${values.join(',')}}`);
    default:
      throw new GrafanaInterpolationError(`variable format "${format}" is not supported`);
  }
}
