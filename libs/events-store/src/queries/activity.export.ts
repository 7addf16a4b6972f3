import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ACTIVITY_EVENT_COLUMNS } from '../activity-event.row';
import { buildActivityWhere, type ActivityFilter, type ActivityParamType } from './activity-filter';
import { ExportFormatter, type ExportFormat } from './activity.export-format';

export { ACTIVITY_CSV_COLUMNS, EXPORT_FORMATS, type ExportFormat } from './activity.export-format';

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
  private readonly formatter: ExportFormatter;

  /** @internal made by exportActivities */
  constructor(
    private readonly source: Readable,
    format: ExportFormat,
    private readonly finish: (error?: Error) => Promise<void>,
  ) {
    super();
    this.formatter = new ExportFormatter(format);
    const header = ExportFormatter.header(format);
    if (header) this.push(header);
    source.pause();
    source.on('data', (chunk: Buffer) => {
      let text: string;
      try {
        text = this.formatter.push(chunk);
      } catch (error) {
        this.destroy(error as Error);
        return;
      }
      if (text && !this.push(text)) source.pause();
    });
    source.once('end', () => {
      // A source ending after a failure (its end was already on its way) has nothing left to finish.
      if (this.destroyed) return;
      try {
        this.formatter.end();
      } catch (error) {
        this.destroy(error as Error);
        return;
      }
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
    return this.formatter.rows;
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
 * header or as NDJSON of ActivityRecords. Postgres sends the rows unformatted, in one `COPY (SELECT …)
 * TO STDOUT` on a pooled connection of its own, and ExportFormatter formats them as they come; the
 * socket is read only as fast as the stream is, so a slow client slows the query rather than filling
 * memory.
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
  const statement = exportStatement(filter);
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

/**
 * @internal The statement of an export, the same for every format: the table's columns in COPY's
 * text format. Throws a RangeError for a filter buildActivityWhere refuses.
 */
export function exportStatement(filter: ActivityFilter): ExportStatement {
  const { where, params } = buildActivityWhere(filter, { placeholder: settingPlaceholder });
  // Qualified, so that no output column can ever shadow the table's in ORDER BY: a CSV column named
  // `occurred_at` holding formatted text once made Postgres sort every matching row before the first.
  const select = `SELECT ${ACTIVITY_EVENT_COLUMNS.join(', ')} FROM activity_events ${where}
                  ORDER BY activity_events.occurred_at DESC, activity_events.id DESC`;
  return { select, copy: `COPY (${select}) TO STDOUT`, params };
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
  // The time zone and date style fix the text of a timestamptz, which ExportFormatter reads.
  await client.query(
    "SET LOCAL enable_sort = off; SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'",
  );
  if (params.length > 0)
    await client.query(
      `SELECT ${params.map((_, i) => `set_config('${SETTING(i + 1)}', $${i + 1}, true)`).join(', ')}`,
      params,
    );
}
