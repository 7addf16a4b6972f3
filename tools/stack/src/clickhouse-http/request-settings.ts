import { failure, type ClickHouseFailure } from './clickhouse-error';

/** A query as the HTTP interface receives it, split into what the engine needs. */
export interface EndpointQuery {
  sql: string;
  /** `{name:Type}` parameters, as the text the client sent (the engine parses them by type). */
  params: Record<string, string>;
  database: string | undefined;
  defaultFormat: string;
  queryId: string | undefined;
  /** Engine settings to apply to this query only. */
  settings: Record<string, string>;
  compressResponse: boolean;
}

// URL parameters that steer the HTTP exchange itself rather than the query.
const HTTP_ONLY_PARAMETERS = new Set([
  'query',
  'database',
  'default_format',
  'query_id',
  'session_id',
  'session_timeout',
  'session_check',
  'enable_http_compression',
  'http_zlib_compression_level',
  'wait_end_of_query',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'buffer_size',
  'user',
  'password',
  'role',
]);

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseEndpointQuery(search: URLSearchParams, body: string): EndpointQuery | ClickHouseFailure {
  if (search.get('decompress') === '1' || search.get('compress') === '1') {
    return failure(
      1001,
      'STD_EXCEPTION',
      "ClickHouse's native block compression is not supported by this endpoint; use HTTP compression (gzip)",
    );
  }
  const sql = [search.get('query') ?? '', body].filter((part) => part.trim() !== '').join('\n');
  if (sql.trim() === '') return failure(62, 'SYNTAX_ERROR', 'Empty query');
  const params: Record<string, string> = {};
  const settings: Record<string, string> = {};
  for (const [name, value] of search) {
    if (name.startsWith('param_')) params[name.slice('param_'.length)] = value;
    else if (name === 'decompress' || name === 'compress' || HTTP_ONLY_PARAMETERS.has(name)) continue;
    else if (!SETTING_NAME.test(name)) return failure(115, 'UNKNOWN_SETTING', `Unknown setting '${name}'`);
    else settings[name] = value;
  }
  return {
    sql,
    params,
    database: search.get('database') ?? undefined,
    defaultFormat: search.get('default_format') ?? 'TabSeparated',
    queryId: search.get('query_id') ?? undefined,
    settings,
    compressResponse: search.get('enable_http_compression') === '1',
  };
}

/** `SET name = value` for a setting given as URL text: numbers as they are, anything else as a quoted string. */
export function setStatement(name: string, value: string): string {
  const literal = /^-?\d+(\.\d+)?$/.test(value)
    ? value
    : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `SET ${name} = ${literal}`;
}

export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}
