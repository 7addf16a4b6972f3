import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ACTIVITY_EVENT_COLUMNS } from '../activity-event.row';
import { buildActivityWhere, type ActivityFilter, type ActivityParamType } from './activity-filter';

/** What an export can be written as; the first is the default. */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The CSV header: the table's columns, in the table's order. */
export const ACTIVITY_CSV_COLUMNS = ACTIVITY_EVENT_COLUMNS;

const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', ${ISO_MS})`;

/**
 * CSV injection (OWASP): the text columns come from producers and their users, and an admin opens the
 * export in a spreadsheet, which runs a cell as a formula when it begins with `=`, `+`, `-` or `@` (a
 * `=HYPERLINK(…)` that leaks data, a DDE command). Spreadsheets also skip leading spaces and quotes
 * to find one, take a leading tab, carriage return or line feed as the start of a cell, and some read
 * the full-width forms (＝ ＋ － ＠) as the ASCII ones. Such a cell gets a leading `'`, which makes it
 * plain text. Done in SQL so that Node passes the bytes on untouched. The uuid and the timestamps we
 * format begin with a hex digit, so they need nothing. (Postgres regular expressions read `\uXXXX`.)
 * @internal exported for the property test of csvText
 */
export const FORMULA_START = String.raw`'^([\t\r\n]|[[:space:]\u00A0\u3000"''\uFF02\uFF07]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])'`;
/**
 * A value that begins with an ASCII letter, a digit or `/` (ids, types, sources: nearly all) cannot
 * match FORMULA_START, and skips the regular expression: 1.12× the rows/s of the CSV COPY (docs/performance.md).
 */
const PLAIN_START = (column: string) =>
  `ascii(${column}) BETWEEN 97 AND 122 OR ascii(${column}) BETWEEN 65 AND 90 OR ascii(${column}) BETWEEN 47 AND 57`;
/** @internal exported for its property test: the text `column`, defused. */
export const csvText = (column: string) =>
  `CASE WHEN ${PLAIN_START(column)} THEN ${column}
        WHEN ${column} ~ ${FORMULA_START} THEN '''' || ${column} ELSE ${column} END`;
/**
 * JSON text begins with `{` (an object, which metadata and context always are), `[`, `"`, a digit or a
 * literal: safe, except a negative number. jsonb_typeof reads only the value's header, so the check
 * costs nothing for the objects.
 */
const csvJson = (column: string) =>
  `CASE WHEN jsonb_typeof(${column}) = 'number' AND ${column}::text LIKE '-%'
        THEN '''' || ${column}::text ELSE ${column}::text END`;

const CSV_SELECT = [
  'id',
  iso('occurred_at'),
  iso('received_at'),
  csvText('actor_type'),
  csvText('actor_id'),
  csvText('activity_type'),
  csvText('entity_type'),
  csvText('entity_id'),
  csvText('source'),
  csvJson('metadata'),
  csvJson('context'),
]
  .map((expression, i) => `${expression} AS ${ACTIVITY_CSV_COLUMNS[i]}`)
  .join(', ');

/**
 * An ActivityRecord (see activity.record.ts) built by Postgres, keys in the same order. Written out
 * rather than with json_build_object, which looks up every argument's type on every row: the COPY gives
 * 1.3× the rows per second. to_json quotes and escapes a text; the columns concatenated bare are NOT
 * NULL (a NULL would blank the whole line), the nullable ones go through CASE or coalesce.
 */
const json = (column: string) => `to_json(${column})::text`;
const NDJSON_SELECT = `'{"id":"' || id || '","occurredAt":"' || ${iso('occurred_at')} ||
  '","receivedAt":"' || ${iso('received_at')} ||
  '","actor":{"type":' || ${json('actor_type')} || ',"id":' || ${json('actor_id')} ||
  '},"type":' || ${json('activity_type')} ||
  ',"entity":' || CASE WHEN entity_type IS NOT NULL AND entity_id IS NOT NULL
                       THEN '{"type":' || ${json('entity_type')} || ',"id":' || ${json('entity_id')} || '}'
                       ELSE 'null' END ||
  ',"source":' || ${json('source')} || ',"metadata":' || metadata::text ||
  ',"context":' || coalesce(context::text, 'null') || '}'`;

/**
 * NDJSON cannot use COPY's text format: it escapes every backslash, and JSON is full of them. CSV
 * format writes a value verbatim unless it holds the delimiter, the quote or a line break, so with a
 * delimiter and a quote that JSON text never contains (JSON escapes every control character, and a
 * row has one column anyway) and no line break in JSON text, each line is the JSON object as is.
 */
const NDJSON_COPY_OPTIONS = `FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'`;
const CSV_COPY_OPTIONS = 'FORMAT csv, HEADER true';

/**
 * COPY runs over the simple query protocol, which has no bind parameters. Rather than writing values
 * into the statement, the export sets them as settings of its own transaction (with bind parameters)
 * and the statement reads them back. The subquery makes each an init plan, read once per query rather
 * than once per row, and still usable in index conditions and partition pruning. An array needs
 * ARRAY(…): `= ANY((SELECT …))` would compare with each row of the subquery, not each element.
 */
const SETTING = (n: number) => `chronicle.export_p${n}`;
const settingPlaceholder = (n: number, type: ActivityParamType) =>
  type === 'text[]'
    ? `ARRAY(SELECT unnest(current_setting('${SETTING(n)}')::text[]))`
    : `(SELECT current_setting('${SETTING(n)}')::${type})`;

/** Bytes of an export, and how many rows have gone through so far. */
export class ExportStream extends Readable {
  private readonly counter: RowCounter;

  /** @internal made by exportActivities */
  constructor(
    private readonly source: Readable,
    format: ExportFormat,
    private readonly finish: (error?: Error) => Promise<void>,
  ) {
    super();
    this.counter = new RowCounter(format === 'csv' ? QUOTE_CHAR : undefined, format === 'csv' ? 1 : 0);
    source.pause();
    source.on('data', (chunk: Buffer) => {
      this.counter.count(chunk);
      if (!this.push(chunk)) source.pause();
    });
    source.once('end', () => {
      this.finish().then(
        () => this.push(null),
        (error: Error) => this.destroy(error),
      );
    });
    // `on`, not `once`: pg reports the closed connection to the COPY again after a destroy.
    source.on('error', (error) => this.destroy(error));
  }

  /** Rows sent so far (the CSV header is not a row); the total once the stream has ended. */
  get rowsSent(): number {
    return this.counter.rows;
  }

  override _read(): void {
    this.source.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.source.destroy();
    void this.finish(error ?? new Error('export stream destroyed before its end')).then(() =>
      callback(error),
    );
  }
}

/**
 * Streams the events a filter matches, newest first (the order of ActivityQueries.page), as CSV with a
 * header or as NDJSON of ActivityRecords. Postgres formats every byte in one `COPY (SELECT …) TO
 * STDOUT` on a pooled connection of its own; the socket is read only as fast as the stream is, so a
 * slow client slows the query rather than filling memory.
 *
 * The connection goes back to the pool exactly once: after COMMIT when the stream ends, or closed
 * when it fails or is destroyed before the end (a client that went away). Closing is the only way to
 * stop a COPY TO mid-way without a second connection to cancel it; the pool opens a new one on demand.
 */
export async function exportActivities(
  dataSource: DataSource,
  filter: ActivityFilter,
  format: ExportFormat,
): Promise<ExportStream> {
  const statement = exportStatement(filter, format);
  // The pool's own release, which closes the connection when given an error; a QueryRunner's cannot.
  const [client, release] = (await (dataSource.driver as PostgresDriver).obtainMasterConnection()) as [
    PoolClient,
    (error?: Error) => void,
  ];
  // A lent-out client has no listener of the pool's: a lost connection must end the export, not the process.
  const onConnectionError = (error: Error) => void finish(error);
  client.on('error', onConnectionError);
  let finishing: Promise<void> | undefined;
  /**
   * Commits and gives the connection back, or closes it given an error; whatever is asked first, once.
   * Rejects only when the COMMIT fails; given an error, it always resolves.
   */
  const finish = (error?: Error): Promise<void> =>
    (finishing ??= (async () => {
      let failure = error;
      if (!failure) await client.query('COMMIT').catch((commitError: Error) => (failure = commitError));
      client.removeListener('error', onConnectionError);
      release(failure);
      if (failure && !error) throw failure;
    })());

  try {
    await beginExport(client, statement);
  } catch (error) {
    await finish(error as Error);
    throw error;
  }
  return new ExportStream(client.query(copyTo(statement.copy)), format, finish);
}

/** @internal The export's query, the COPY that sends it, and the filter's values it reads. */
export interface ExportStatement {
  select: string;
  copy: string;
  params: unknown[];
}

/** @internal The statement of an export; throws a RangeError for a filter buildActivityWhere refuses. */
export function exportStatement(filter: ActivityFilter, format: ExportFormat): ExportStatement {
  const { where, params } = buildActivityWhere(filter, { placeholder: settingPlaceholder });
  const [columns, options] =
    format === 'csv' ? [CSV_SELECT, CSV_COPY_OPTIONS] : [NDJSON_SELECT, NDJSON_COPY_OPTIONS];
  // Qualified: in ORDER BY an output column's name wins over the table's, and the CSV's `occurred_at`
  // is the formatted text, which no index orders: Postgres sorted every matching row before the first.
  const select = `SELECT ${columns} FROM activity_events ${where}
                  ORDER BY activity_events.occurred_at DESC, activity_events.id DESC`;
  return { select, copy: `COPY (${select}) TO STDOUT WITH (${options})`, params };
}

/**
 * @internal Opens the transaction a statement runs in, with its settings and the filter's values.
 * Exported, with exportStatement, for the test that reads the export's plan.
 */
export async function beginExport(
  client: Pick<PoolClient, 'query'>,
  { params }: ExportStatement,
): Promise<void> {
  await client.query('BEGIN READ ONLY');
  // For a filter matching much of the table the planner prefers reading it all and sorting: the
  // download would then wait for the whole sort (tens of seconds at millions of rows) before its
  // first byte. Walking the (occurred_at, id) indexes instead streams in order from the first row.
  await client.query('SET LOCAL enable_sort = off');
  if (params.length > 0)
    await client.query(
      `SELECT ${params.map((_, i) => `set_config('${SETTING(i + 1)}', $${i + 1}, true)`).join(', ')}`,
      params,
    );
}

const QUOTE_CHAR = 0x22;
const NEWLINE = 0x0a;

/**
 * Counts rows as their line ends pass. In CSV a quoted value may hold a line break, so a newline
 * counts only outside quotes; an escaped quote is doubled and so leaves the parity as it was. NDJSON
 * has no line break inside a line.
 */
class RowCounter {
  private lines = 0;
  private quoted = false;

  constructor(
    private readonly quote: number | undefined,
    private readonly headerLines: number,
  ) {}

  get rows(): number {
    return Math.max(0, this.lines - this.headerLines);
  }

  count(chunk: Buffer): void {
    if (this.quote === undefined) {
      for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) this.lines++;
      return;
    }
    const quote = this.quote;
    let quoted = this.quoted;
    let lines = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === quote) quoted = !quoted;
      else if (byte === NEWLINE && !quoted) lines++;
    }
    this.quoted = quoted;
    this.lines += lines;
  }
}
