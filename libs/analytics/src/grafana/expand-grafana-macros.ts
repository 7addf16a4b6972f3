import { readCall } from './macro-call.util';
import {
  applyConditionalAll,
  interpolateTemplateVariables,
  type TemplateVariables,
} from './grafana-template-variables';

/*
 * The time macros of Grafana's ClickHouse data source (grafana-clickhouse-datasource v4, expanded by its
 * back end: pkg/macros/macros.go), so that a test can run a dashboard's SQL without a Grafana server:
 *
 *   $__timeFilter(col)     col >= toDateTime(<from s>) AND col <= toDateTime(<to s>)
 *   $__timeFilter_ms(col)  col >= fromUnixTimestamp64Milli(<from ms>) AND col <= fromUnixTimestamp64Milli(<to ms>)
 *   $__dateFilter(col)     col >= toDate('<from day>') AND col <= toDate('<to day>')
 *   $__dateTimeFilter(d, t), $__dt(d, t)   (the date filter on d) AND (the time filter on t)
 *   $__timeFrom(col), $__timeTo(col)        col >= toDateTime(<from s>), col <= toDateTime(<to s>)
 *   $__fromTime, $__toTime                  toDateTime(<from s>), toDateTime(<to s>)
 *   $__fromTime_ms, $__toTime_ms            fromUnixTimestamp64Milli(<from ms>), … (<to ms>)
 *
 * Seconds are truncated, as Go's Time.Unix() does. Days are UTC days: the plugin formats them in the
 * Grafana server's zone, which docker-compose.yml sets to UTC. Macros in comments and quoted text are
 * left alone, as the plugin does. Unlike the plugin, which leaves a macro it does not know in the SQL
 * (for ClickHouse to reject), an unknown or interval-based macro is an error here.
 */

export interface GrafanaTimeRange {
  from: Date;
  to: Date;
}

export class GrafanaMacroError extends Error {
  override name = 'GrafanaMacroError';
}

type MacroExpander = (args: readonly string[], range: GrafanaTimeRange) => string;

const seconds = (time: Date) => `toDateTime(${Math.floor(time.getTime() / 1000)})`;
const millis = (time: Date) => `fromUnixTimestamp64Milli(${time.getTime()})`;
const day = (time: Date) => `toDate('${time.toISOString().slice(0, 10)}')`;

const between = (column: string, from: string, to: string) => `${column} >= ${from} AND ${column} <= ${to}`;
const dateFilter = ([column]: readonly string[], { from, to }: GrafanaTimeRange) =>
  between(column as string, day(from), day(to));
const timeFilter = ([column]: readonly string[], { from, to }: GrafanaTimeRange) =>
  between(column as string, seconds(from), seconds(to));
const dateTimeFilter = ([dateColumn, timeColumn]: readonly string[], range: GrafanaTimeRange) =>
  `(${dateFilter([dateColumn as string], range)}) AND (${timeFilter([timeColumn as string], range)})`;

/** Each supported macro: how many arguments it takes, and what it becomes. */
const MACROS: Record<string, { arity: number; expand: MacroExpander }> = {
  timeFilter: { arity: 1, expand: timeFilter },
  timeFilter_ms: {
    arity: 1,
    expand: ([column], { from, to }) => between(column as string, millis(from), millis(to)),
  },
  dateFilter: { arity: 1, expand: dateFilter },
  dateTimeFilter: { arity: 2, expand: dateTimeFilter },
  dt: { arity: 2, expand: dateTimeFilter },
  timeFrom: { arity: 1, expand: ([column], { from }) => `${column} >= ${seconds(from)}` },
  timeTo: { arity: 1, expand: ([column], { to }) => `${column} <= ${seconds(to)}` },
  fromTime: { arity: 0, expand: (_, { from }) => seconds(from) },
  toTime: { arity: 0, expand: (_, { to }) => seconds(to) },
  fromTime_ms: { arity: 0, expand: (_, { from }) => millis(from) },
  toTime_ms: { arity: 0, expand: (_, { to }) => millis(to) },
};

/** Expands the plugin's time macros in `sql` for the time range. */
export function expandGrafanaMacros(sql: string, range: GrafanaTimeRange): string {
  if (!(range.from.getTime() <= range.to.getTime())) {
    throw new GrafanaMacroError('the time range must have from <= to, both valid dates');
  }
  let result = '';
  let index = 0;
  while (index < sql.length) {
    const skipped = skipQuotedOrComment(sql, index);
    if (skipped > index) {
      result += sql.slice(index, skipped);
      index = skipped;
      continue;
    }
    const name = /^\$__(\w+)/.exec(sql.slice(index, index + 64))?.[1];
    if (name === undefined) {
      result += sql[index];
      index++;
      continue;
    }
    const macro = MACROS[name];
    if (macro === undefined) throw new GrafanaMacroError(`macro $__${name} is not supported`);
    let end = index + 3 + name.length;
    let args: string[] = [];
    if (sql[end] === '(') {
      const call = readCall(sql, end);
      if (call === undefined) throw new GrafanaMacroError(`macro $__${name}( is never closed`);
      const trimmed = call.args.map((arg) => arg.trim());
      args = trimmed.length === 1 && trimmed[0] === '' ? [] : trimmed; // `$__fromTime()` has none
      end = call.end;
    }
    if (args.length !== macro.arity) {
      throw new GrafanaMacroError(`macro $__${name} expects ${macro.arity} argument(s), got ${args.length}`);
    }
    result += macro.expand(args, range);
    index = end;
  }
  return result;
}

/**
 * What Grafana and the plugin send ClickHouse for a query: `$__conditionalAll`, then the template
 * variables (front end), then the time macros (back end) — the plugin's order.
 */
export function expandGrafanaQuery(
  sql: string,
  options: { range: GrafanaTimeRange; variables?: TemplateVariables },
): string {
  const variables = options.variables ?? {};
  return expandGrafanaMacros(
    interpolateTemplateVariables(applyConditionalAll(sql, variables), variables),
    options.range,
  );
}

/**
 * If a string literal, quoted identifier or comment starts at `index`, the index just past it; otherwise
 * `index`. Strings follow ClickHouse: backslash escapes, and a doubled quote inside the quotes.
 */
function skipQuotedOrComment(sql: string, index: number): number {
  const char = sql[index];
  if (char === '-' && sql[index + 1] === '-') {
    const newline = sql.indexOf('\n', index);
    return newline === -1 ? sql.length : newline;
  }
  if (char === '/' && sql[index + 1] === '*') {
    const close = sql.indexOf('*/', index + 2);
    return close === -1 ? sql.length : close + 2;
  }
  if (char === "'" || char === '"' || char === '`') {
    for (let at = index + 1; at < sql.length; at++) {
      if (sql[at] === '\\') at++;
      else if (sql[at] === char) {
        if (sql[at + 1] !== char) return at + 1;
        at++;
      }
    }
    return sql.length;
  }
  return index;
}
