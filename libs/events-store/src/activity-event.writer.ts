import { erasedOnArrival, getDefaultActivityCatalog, type Pseudonymizer } from '@chronicle/contracts';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { ACTIVITY_EVENT_COLUMNS, toCopyLine, type ActivityEventRow } from './activity-event.row';
import { ensureDailyPartitions, utcDayStart } from './daily-partitions';
import { ERASURE_LOCK } from './erasure.store';
import { PseudonymRecorder, type PseudonymSighting } from './pseudonyms';
import { isMissingPartition } from './store-errors';

export interface ActivityEventWriterOptions {
  /** The analytics pseudonym of a subject: the writer keeps `pseudonyms` current with what it stores. */
  pseudonymize: Pseudonymizer;
  /** Kept through erasure (erasureCovers): the catalog's audit types by default. */
  auditTypes?: readonly string[];
}

export interface WriteResult {
  /** Rows new to the table, by activity type. */
  insertedByType: Map<string, number>;
  inserted: number;
  /** The rows new to the table (the objects given to write()), e.g. to measure how fresh they were. */
  insertedRows: readonly ActivityEventRow[];
  /** Already stored (a redelivery), or repeated within the batch. */
  duplicates: number;
  /** Of a user who asked for erasure, timed at or before the request. */
  erased: number;
}

const COLUMNS = ACTIVITY_EVENT_COLUMNS.join(', ');
/** Rows per chunk handed to COPY: big enough to amortise stream overhead, small enough to stay in cache. */
const COPY_CHUNK_ROWS = 500;

/**
 * Writes batches of events into `activity_events`, idempotently, one transaction per batch, with
 * COPY straight into the partitioned table (Postgres routes and buffers rows per partition, as fast
 * as it loads anything). Events of a user who has had them erased are left out first.
 *
 * Already-stored events are found one of two ways. Optimistically: the batch is copied as it is, and
 * if an event is already there the primary key refuses the COPY, the transaction rolls back whole,
 * and the batch is written again the careful way. Carefully: one primary-key lookup per row finds
 * the stored ones, and only the rest are copied. Duplicates come in runs (a redelivered batch, a
 * producer's retries), so after a refusal the writer stays careful until a batch turns out to have
 * none; in steady state it pays for no lookup at all. Either way a batch written twice changes
 * nothing the second time, and two writers racing on the same event cannot both insert it. In the
 * same transaction, the subjects of the stored rows go into `pseudonyms` (see PseudonymRecorder).
 */
export class ActivityEventWriter {
  private readonly knownPartitions = new Set<number>();
  private careful = false;
  private readonly auditTypes: readonly string[];
  private readonly pseudonyms: PseudonymRecorder;

  constructor(
    private readonly dataSource: DataSource,
    options: ActivityEventWriterOptions,
  ) {
    this.auditTypes = options.auditTypes ?? getDefaultActivityCatalog().auditTypes;
    this.pseudonyms = new PseudonymRecorder(options.pseudonymize);
  }

  /** `rows` carry canonical ids (lower case, as decodeActivityEvent gives them): that is what is compared. */
  async write(rows: readonly ActivityEventRow[]): Promise<WriteResult> {
    const unique = uniqueById(rows);
    const result: WriteResult = {
      insertedByType: new Map(),
      inserted: 0,
      insertedRows: [],
      duplicates: rows.length - unique.length,
      erased: 0,
    };
    if (unique.length === 0) return result;
    const queryRunner = this.dataSource.createQueryRunner();
    const client = (await queryRunner.connect()) as PoolClient;
    let written: Attempt;
    try {
      await this.ensurePartitions(client, unique);
      if (this.careful) {
        written = await this.attempt(client, unique, true);
      } else {
        try {
          written = await this.attempt(client, unique, false);
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          this.careful = true;
          written = await this.attempt(client, unique, true);
        }
      }
      this.pseudonyms.committed(written.sightings);
      if (this.careful && written.duplicates === 0) this.careful = false;
    } catch (error) {
      // Retention may have dropped a day we thought existed; look again on the next attempt.
      if (isMissingPartition(error)) this.knownPartitions.clear();
      throw error;
    } finally {
      await queryRunner.release();
    }
    for (const row of written.fresh)
      result.insertedByType.set(row.activityType, (result.insertedByType.get(row.activityType) ?? 0) + 1);
    result.inserted = written.fresh.length;
    result.insertedRows = written.fresh;
    result.duplicates += written.duplicates;
    result.erased = written.erased;
    return result;
  }

  /** Creates today's, tomorrow's and the next day's partitions, so live traffic never waits on DDL. */
  async prepareAhead(nowMs: number, days = 3): Promise<string[]> {
    const queryRunner = this.dataSource.createQueryRunner();
    const client = (await queryRunner.connect()) as PoolClient;
    try {
      const wanted = Array.from({ length: days }, (_, i) => utcDayStart(nowMs) + i * 86_400_000);
      const created = await ensureDailyPartitions(client, wanted);
      for (const day of wanted) this.knownPartitions.add(day);
      return created;
    } finally {
      await queryRunner.release();
    }
  }

  private async ensurePartitions(client: PoolClient, rows: readonly ActivityEventRow[]): Promise<void> {
    const missing = new Set<number>();
    for (const row of rows) {
      const day = utcDayStart(row.occurredAtMs);
      if (!this.knownPartitions.has(day)) missing.add(day);
    }
    if (missing.size === 0) return;
    await ensureDailyPartitions(client, missing);
    for (const day of missing) this.knownPartitions.add(day);
  }

  /** One transaction: leave out erased events (and, when careful, stored ones), COPY the rest, commit. */
  private async attempt(
    client: PoolClient,
    rows: readonly ActivityEventRow[],
    careful: boolean,
  ): Promise<Attempt> {
    const written: Attempt = { fresh: [], duplicates: 0, erased: 0, sightings: [] };
    await client.query('BEGIN');
    try {
      // Shared with other writers, exclusive for an erasure being recorded (see ErasureStore).
      await client.query('SELECT pg_advisory_xact_lock_shared($1)', [ERASURE_LOCK]);
      const stored = careful ? await storedIds(client, rows) : new Set<string>();
      const erasedUntil = await erasuresOf(client, rows);
      for (const row of rows) {
        if (stored.has(row.id)) written.duplicates++;
        else if (erasedOnArrival(row, erasedUntil.get(row.actorId), this.auditTypes)) written.erased++;
        else written.fresh.push(row);
      }
      if (written.fresh.length > 0) {
        await copyRows(client, written.fresh);
        written.sightings = await this.pseudonyms.record(client, written.fresh, new Set(erasedUntil.keys()));
      }
      await client.query('COMMIT');
      return written;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}

interface Attempt {
  fresh: ActivityEventRow[];
  duplicates: number;
  erased: number;
  /** The pseudonyms upserted, remembered once the transaction commits. */
  sightings: PseudonymSighting[];
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

function uniqueById(rows: readonly ActivityEventRow[]): ActivityEventRow[] {
  const seen = new Set<string>();
  const unique: ActivityEventRow[] = [];
  for (const row of rows) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    unique.push(row);
  }
  return unique;
}

/** Which of the rows' events are stored already: a primary-key lookup per row, in its day's partition. */
async function storedIds(client: PoolClient, rows: readonly ActivityEventRow[]): Promise<Set<string>> {
  // A hash join would read every partition, and the tables only grow.
  await client.query('SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off');
  const { rows: found } = await client.query<{ id: string }>(
    `SELECT e.id FROM activity_events e
       JOIN unnest($1::uuid[], $2::timestamptz[]) AS b(id, occurred_at)
         ON e.id = b.id AND e.occurred_at = b.occurred_at`,
    [rows.map((r) => r.id), rows.map((r) => new Date(r.occurredAtMs).toISOString())],
  );
  return new Set(found.map((r) => r.id));
}

/** For the rows' actors who asked for erasure: the latest request time (their events up to it are dropped). */
async function erasuresOf(
  client: PoolClient,
  rows: readonly ActivityEventRow[],
): Promise<Map<string, number>> {
  const actors = [...new Set(rows.map((r) => r.actorId))];
  const { rows: found } = await client.query<{ user_id: string; until: Date }>(
    `SELECT user_id, max(requested_at) AS until FROM activity_erasures WHERE user_id = ANY($1) GROUP BY user_id`,
    [actors],
  );
  return new Map(found.map((r) => [r.user_id, r.until.getTime()]));
}

async function copyRows(client: PoolClient, rows: readonly ActivityEventRow[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY activity_events (${COLUMNS}) FROM STDIN`));
  await pipeline(Readable.from(copyChunks(rows)), stream);
}

function* copyChunks(rows: readonly ActivityEventRow[]): Generator<string> {
  for (let start = 0; start < rows.length; start += COPY_CHUNK_ROWS) {
    let chunk = '';
    const end = Math.min(rows.length, start + COPY_CHUNK_ROWS);
    for (let i = start; i < end; i++) chunk += toCopyLine(rows[i] as ActivityEventRow);
    yield chunk;
  }
}
