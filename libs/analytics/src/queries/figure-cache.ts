import { createHash } from 'node:crypto';
import type { DailyTable } from './daily-sources';
import { selectRows, type QueryContext } from './query-context';

/*
 * Exact caching of query results. A ClickHouse data part never changes once written: an insert adds
 * parts; a merge, a mutation (erasure's lightweight DELETE) or a TTL replaces parts with new ones,
 * under new names and with new contents. So the active parts a query can read, named with the hash of
 * their files, identify the data it sees: while system.parts lists exactly those, the query would
 * return the same rows. The cache keeps each result with that list (its version) and answers from
 * it only while the list is unchanged.
 *
 * The parts are listed before the query runs. A change in between leaves the stored version older
 * than the data the result saw, which costs one recomputation later, never a stale answer.
 *
 * A query names the tables and UTC days it reads (SourceRead); parts whose days (system.parts keeps
 * each part's minimum and maximum of the partition key's column) are all outside those days cannot
 * change its result, so a new part of today leaves a figure of last week cached.
 *
 * The first-seen tables have no day to partition by. A cohort query reads them up to a last day, and
 * a part whose earliest first_seen is after it cannot change the cohorts: the users' minimum there is
 * later than any cohort in the range, so it neither adds a member nor moves one. Each part's earliest
 * day is read once (a part never changes) and kept.
 */

export type SourceTable = DailyTable | 'events' | 'actor_first_seen' | 'actor_first_seen_by_type';

/** A table and the UTC days of it that a query reads (both inclusive); without days, all of it. */
export interface SourceRead {
  table: SourceTable;
  days?: { from: string; to: string };
}

interface Part {
  table: string;
  id: string;
  minDay: string;
  maxDay: string;
}

/** The minimum a part of an unpartitioned table (or an empty one) reports: it is always counted. */
const NO_DAY = '1970-01-01';
const LAST_DAY = '9999-12-31';

const FIRST_SEEN_TABLES: ReadonlySet<string> = new Set(['actor_first_seen', 'actor_first_seen_by_type']);

/** The earliest first_seen day of some parts of a first-seen table. */
const FIRST_DAYS_SQL = `
  SELECT _part AS name, toString(toDate(min(first_seen), 'UTC')) AS first_day
  FROM {db:Identifier}.{table:Identifier}
  WHERE _part IN {names:Array(String)}
  GROUP BY name`;

/** Active parts with their UTC days: `day` for the daily tables, `occurred_at` for events. */
const PARTS_SQL = `
  SELECT table, name, toString(hash_of_all_files) AS hash,
         toString(if(table = 'events', toDate(min_time, 'UTC'), min_date)) AS min_day,
         toString(if(table = 'events', toDate(max_time, 'UTC'), max_date)) AS max_day
  FROM system.parts
  WHERE database = {database:String} AND active AND table IN {tables:Array(String)}`;

/** The active parts of some tables at one moment. */
export class SourceParts {
  constructor(private readonly parts: readonly Part[]) {}

  /** A short fingerprint of the parts `reads` can see: equal fingerprints, equal results. */
  versionOf(reads: readonly SourceRead[]): string {
    const seen = this.parts
      .filter((part) =>
        reads.some(
          ({ table, days }) =>
            part.table === table &&
            (days === undefined ||
              part.minDay === NO_DAY ||
              (part.minDay <= days.to && part.maxDay >= days.from)),
        ),
      )
      .map((part) => part.id)
      .sort();
    return createHash('sha256').update(seen.join('\n')).digest('base64url');
  }
}

/** The days a cohort query reads of a first-seen table: the parts with a first event up to `day`. */
export function firstSeenRead(
  table: 'actor_first_seen' | 'actor_first_seen_by_type',
  day: string,
): SourceRead {
  return { table, days: { from: NO_DAY, to: day } };
}

/** Lists the active parts of the tables `reads` name. */
export async function readSourceParts(
  context: QueryContext,
  reads: readonly SourceRead[],
): Promise<SourceParts> {
  const tables = [...new Set(reads.map((read) => read.table))];
  const rows = await selectRows<{
    table: string;
    name: string;
    hash: string;
    min_day: string;
    max_day: string;
  }>(context, PARTS_SQL, { database: context.database, tables });
  const parts = rows.map((row) => ({
    table: row.table,
    name: row.name,
    id: `${row.table}/${row.name}/${row.hash}`,
    minDay: row.min_day,
    maxDay: row.max_day,
  }));
  for (const table of tables.filter((name) => FIRST_SEEN_TABLES.has(name))) {
    const ofTable = parts.filter((part) => part.table === table);
    const firstDays = await partFirstDays(context, table, ofTable);
    for (const part of ofTable) {
      // A part merged away since it was listed has no row here: counted, whatever its days.
      part.minDay = firstDays.get(part.id) ?? NO_DAY;
      part.maxDay = LAST_DAY;
    }
  }
  return new SourceParts(parts);
}

/** Each part's earliest first_seen day, read for the parts the cache does not know yet. */
async function partFirstDays(
  context: QueryContext,
  table: string,
  parts: readonly { name: string; id: string }[],
): Promise<ReadonlyMap<string, string>> {
  const known = context.cache?.partFirstDays ?? new Map<string, string>();
  const unknown = parts.filter((part) => !known.has(part.id));
  if (unknown.length > 0) {
    const rows = await selectRows<{ name: string; first_day: string }>(context, FIRST_DAYS_SQL, {
      table,
      names: unknown.map((part) => part.name),
    });
    const dayByName = new Map(rows.map((row) => [row.name, row.first_day]));
    for (const part of unknown) {
      const day = dayByName.get(part.name);
      if (day !== undefined) known.set(part.id, day);
    }
  }
  // Forget the parts of this table that are gone, so that the map holds the active ones only.
  const active = new Set(parts.map((part) => part.id));
  for (const id of known.keys()) if (id.startsWith(`${table}/`) && !active.has(id)) known.delete(id);
  return known;
}

/**
 * Results by key, each with the version of the parts it was computed from. Its size is counted in
 * rows (a number is one), and the least recently used entries go first beyond `maxRows`; a result
 * larger than that is not kept. Entries are shared: callers must not change what they get.
 */
export class FigureCache {
  private readonly entries = new Map<string, { version: string; value: unknown; rows: number }>();
  private rows = 0;
  /** The earliest first_seen day of each active part of the first-seen tables, by part id. */
  readonly partFirstDays = new Map<string, string>();
  hits = 0;
  misses = 0;

  constructor(readonly maxRows: number) {
    if (!Number.isInteger(maxRows) || maxRows < 1)
      throw new RangeError(`maxRows must be a whole number of at least 1, got ${maxRows}`);
  }

  /** The value stored under `key` if it was computed from parts of this `version`. */
  get<T>(key: string, version: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.version !== version) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key); // re-inserted last: most recently used
    this.entries.set(key, entry);
    return entry.value as T;
  }

  set(key: string, version: string, value: unknown): void {
    this.remove(key);
    const rows = Array.isArray(value) ? Math.max(1, value.length) : 1;
    if (rows > this.maxRows) return;
    this.entries.set(key, { version, value, rows });
    this.rows += rows;
    for (const oldest of this.entries.keys()) {
      if (this.rows <= this.maxRows) break;
      this.remove(oldest);
    }
  }

  /** Rows held, at most maxRows. */
  get size(): number {
    return this.rows;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.rows -= entry.rows;
  }
}

/** The key of a query's result: its database, text and parameters. */
export function resultKey(context: QueryContext, query: string, params: Record<string, unknown>): string {
  return `${context.database}\n${query}\n${JSON.stringify(params)}`;
}

/**
 * selectRows, answered from the context's cache while the parts that `reads` can see are unchanged
 * (without a cache, a plain selectRows). `parts`: listed already by the caller (for several queries
 * of one figure), else listed here.
 */
export async function cachedSelectRows<Row>(
  context: QueryContext,
  query: string,
  params: Record<string, unknown>,
  reads: readonly SourceRead[],
  parts?: SourceParts,
): Promise<Row[]> {
  const cache = context.cache;
  if (cache === undefined) return selectRows<Row>(context, query, params);
  const version = (parts ?? (await readSourceParts(context, reads))).versionOf(reads);
  const key = resultKey(context, query, params);
  const cached = cache.get<Row[]>(key, version);
  if (cached !== undefined) return cached;
  const rows = await selectRows<Row>(context, query, params);
  cache.set(key, version, rows);
  return rows;
}
