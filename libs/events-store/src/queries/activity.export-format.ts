import { ACTIVITY_EVENT_COLUMNS } from '../activity-event.row';

/** What an export can be written as; the first is the default. */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The CSV header: the table's columns, in the table's order. */
export const ACTIVITY_CSV_COLUMNS = ACTIVITY_EVENT_COLUMNS;

/**
 * The export's rows leave Postgres unformatted, as COPY's text format of the table's columns, and are
 * formatted here. Postgres formatting them (to_char, the formula check, the JSON text) ran in the one
 * backend that also reads the rows, at 0.5–0.6× the raw COPY's rate; here the formatting runs on the
 * gateway's core while the backend keeps reading (docs/performance.md, lever 11).
 *
 * The session must run the COPY with `TimeZone = 'UTC'` and `DateStyle = 'ISO'`, which fix the text
 * of a timestamptz to `YYYY-MM-DD HH:MM:SS[.ffffff]+00[ BC]`.
 */
export class ExportFormatter {
  private rowCount = 0;
  private partial: Buffer | undefined;
  private readonly formatRow: (fields: string[]) => string;

  constructor(format: ExportFormat) {
    this.formatRow = format === 'csv' ? csvRow : ndjsonRow;
  }

  /** Rows formatted so far. */
  get rows(): number {
    return this.rowCount;
  }

  /** What the export starts with: the CSV's header, nothing for NDJSON. */
  static header(format: ExportFormat): string {
    return format === 'csv' ? `${ACTIVITY_CSV_COLUMNS.join(',')}\n` : '';
  }

  /**
   * The formatted rows of every line that a chunk of COPY output completes. A line can span chunks:
   * its beginning waits for the rest. A newline byte never occurs inside a UTF-8 sequence, nor, in
   * the text format, inside a value (escaped as `\n`), so it always ends a row.
   */
  push(chunk: Buffer): string {
    const data = this.partial ? Buffer.concat([this.partial, chunk]) : chunk;
    const end = data.lastIndexOf(NEWLINE);
    if (end === -1) {
      this.partial = data.length > 0 ? data : undefined;
      return '';
    }
    this.partial = end + 1 < data.length ? Buffer.from(data.subarray(end + 1)) : undefined;
    const lines = data.toString('utf8', 0, end).split('\n');
    let out = '';
    for (const line of lines) out += this.formatRow(line.split('\t'));
    this.rowCount += lines.length;
    return out;
  }

  /** Throws if the COPY output ended inside a row, which Postgres never does. */
  end(): void {
    if (this.partial) throw new Error('the COPY output ended inside a row');
  }
}

const NEWLINE = 0x0a;
/** COPY's text for a null. */
const NULL_TEXT = '\\N';
const COLUMNS = ACTIVITY_EVENT_COLUMNS.length;

/** A row of COPY's text format: the columns of ACTIVITY_EVENT_COLUMNS, in that order. */
function fieldsOf(fields: string[]): string[] {
  if (fields.length !== COLUMNS) throw new Error(`a COPY row has ${fields.length} columns, not ${COLUMNS}`);
  return fields;
}

const UNESCAPED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * A value of COPY's text format as the text it stands for: Postgres writes a backslash as `\\` and
 * backspace, form feed, newline, carriage return, tab and vertical tab as `\b \f \n \r \t \v`; any
 * other byte, other control characters included, as itself.
 * @internal exported for its tests
 */
export function copyText(field: string): string {
  if (field.indexOf('\\') === -1) return field;
  return field.replace(/\\(.)/gs, (_, c: string) => UNESCAPED[c] ?? c);
}

const nullableText = (field: string): string | null => (field === NULL_TEXT ? null : copyText(field));

/**
 * A timestamptz's text, in UTC with DateStyle ISO, as ISO 8601 with milliseconds, the API's form:
 * `2026-11-22 01:53:46.123456+00` → `2026-11-22T01:53:46.123Z`. The microseconds are cut, as
 * `Date` and `to_char(…, 'MS')` do. A year of the contract's range (0000–9999) has four digits;
 * year 0 is Postgres's `0001 BC`.
 * @internal exported for its tests
 */
export function isoTime(text: string): string {
  const n = text.length;
  if (n >= 22 && text.charCodeAt(4) === 45 && text.charCodeAt(n - 3) === 43 && text.endsWith('+00')) {
    const ms = text.charCodeAt(19) === 46 ? `${text.slice(20, n - 3)}00`.slice(0, 3) : '000';
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${ms}Z`;
  }
  return unusualIsoTime(text);
}

const TIMESTAMP_TEXT = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?\+00( BC)?$/;

/** Years before 1 AD, or of more than four digits: through Date, which numbers years as ISO 8601 does. */
function unusualIsoTime(text: string): string {
  const parts = TIMESTAMP_TEXT.exec(text);
  if (!parts) throw new Error(`a timestamp that is not in UTC ISO form: ${text}`);
  const [, year, month, day, hour, minute, second, fraction = '', bc] = parts;
  const date = new Date(0);
  date.setUTCFullYear(bc ? 1 - Number(year) : Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), Number(`${fraction}00`.slice(0, 3)));
  return date.toISOString();
}

/**
 * CSV injection (OWASP): the text columns come from producers and their users, and an admin opens the
 * export in a spreadsheet, which runs a cell as a formula when it begins with `=`, `+`, `-` or `@` (a
 * `=HYPERLINK(…)` that leaks data, a DDE command). Spreadsheets also skip leading spaces and quotes
 * to find one, take a leading tab, carriage return or line feed as the start of a cell, and some read
 * the full-width forms (＝ ＋ － ＠) as the ASCII ones. Such a cell gets a leading `'`, which makes it
 * plain text. The uuid and the timestamps begin with a digit or a hex letter, so they need nothing.
 * @internal exported for the property test of defused
 */
export const FORMULA_START = /^(?:[\t\r\n]|[\s"'\uFF02\uFF07]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/**
 * The text as a spreadsheet may safely read it. A text that begins with an ASCII letter, a digit or
 * `/` (ids, types, sources: nearly all) cannot match FORMULA_START and skips the regular expression.
 * @internal exported for its property test
 */
export function defused(text: string): string {
  const c = text.charCodeAt(0);
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 47 && c <= 57)) return text;
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * JSON text begins with `{` (an object, which metadata and context always are), `[`, `"`, a digit or a
 * literal: safe, except a negative number.
 */
const defusedJson = (json: string) => (json.charCodeAt(0) === 45 ? `'${json}` : json);

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * A CSV field as Postgres's CSV COPY writes one (RFC 4180): quoted when it holds a quote, a comma or
 * a line break, or is empty (an empty field unquoted is a null), the quotes inside doubled.
 */
function csvField(text: string | null): string {
  if (text === null) return '';
  if (text === '') return '""';
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvText = (field: string): string => {
  const text = nullableText(field);
  return csvField(text === null ? null : defused(text));
};

const csvJson = (field: string): string => {
  const json = nullableText(field);
  return csvField(json === null ? null : defusedJson(json));
};

/** @internal exported for its tests: one COPY row as a CSV line. */
export function csvRow(row: string[]): string {
  const f = fieldsOf(row);
  return (
    `${f[0]},${isoTime(f[1] as string)},${isoTime(f[2] as string)},${csvText(f[3] as string)},` +
    `${csvText(f[4] as string)},${csvText(f[5] as string)},${csvText(f[6] as string)},` +
    `${csvText(f[7] as string)},${csvText(f[8] as string)},${csvJson(f[9] as string)},` +
    `${csvJson(f[10] as string)}\n`
  );
}

/**
 * @internal exported for its tests: one COPY row as a line of NDJSON, an ActivityRecord (see
 * activity.record.ts) with its keys in the same order. The jsonb columns are JSON text already.
 */
export function ndjsonRow(row: string[]): string {
  const f = fieldsOf(row);
  const entityType = nullableText(f[6] as string);
  const entityId = nullableText(f[7] as string);
  const entity =
    entityType !== null && entityId !== null
      ? `{"type":${JSON.stringify(entityType)},"id":${JSON.stringify(entityId)}}`
      : 'null';
  const context = nullableText(f[10] as string);
  return (
    `{"id":"${f[0]}","occurredAt":"${isoTime(f[1] as string)}","receivedAt":"${isoTime(f[2] as string)}",` +
    `"actor":{"type":${JSON.stringify(copyText(f[3] as string))},"id":${JSON.stringify(copyText(f[4] as string))}},` +
    `"type":${JSON.stringify(copyText(f[5] as string))},"entity":${entity},` +
    `"source":${JSON.stringify(copyText(f[8] as string))},"metadata":${copyText(f[9] as string)},` +
    `"context":${context ?? 'null'}}\n`
  );
}
