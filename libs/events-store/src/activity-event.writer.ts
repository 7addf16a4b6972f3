import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { ACTIVITY_EVENT_COLUMNS, toCopyLine, type ActivityEventRow } from './activity-event.row';
import { ensureDailyPartitions, utcDayStart } from './daily-partitions';
import { ERASURE_LOCK } from './erasure.store';
import { classifyStoreError } from './store-errors';

export interface WriteResult {
  /** Rows new to the table, by activity type. */
  insertedByType: Map<string, number>;
  inserted: number;
  /** Already stored (a redelivery), or repeated within the batch. */
  duplicates: number;
  /** Of a user who asked for erasure, timed at or before the request. */
  erased: number;
}

const COLUMNS = ACTIVITY_EVENT_COLUMNS.join(', ');
/** Rows per chunk handed to COPY: big enough to amortise stream overhead, small enough to stay in cache. */
const COPY_CHUNK_ROWS = 500;

/**
 * Writes batches of events into `activity_events`, idempotently: COPY into a session-local staging
 * table, then one INSERT … SELECT that skips ids already stored and events a user has had erased, all
 * in one transaction. A batch written twice changes nothing the second time.
 */
export class ActivityEventWriter {
  private readonly knownPartitions = new Set<number>();
  private readonly stagedClients = new WeakSet<PoolClient>();

  constructor(private readonly dataSource: DataSource) {}

  async write(rows: readonly ActivityEventRow[]): Promise<WriteResult> {
    const unique = uniqueById(rows);
    const result: WriteResult = {
      insertedByType: new Map(),
      inserted: 0,
      duplicates: rows.length - unique.length,
      erased: 0,
    };
    if (unique.length === 0) return result;
    const queryRunner = this.dataSource.createQueryRunner();
    const client = (await queryRunner.connect()) as PoolClient;
    try {
      await this.ensurePartitions(client, unique);
      await this.ensureStagingTable(client);
      await client.query('BEGIN');
      try {
        // Shared with other writers, exclusive for an erasure being recorded (see ErasureStore).
        await client.query('SELECT pg_advisory_xact_lock_shared($1)', [ERASURE_LOCK]);
        await copyRows(client, unique);
        const { rows: counts } = await client.query<{
          activity_type: string | null;
          n: string;
          kept: string;
        }>(
          `WITH kept AS (
             SELECT s.* FROM activity_events_staging s
              WHERE NOT EXISTS (
                SELECT 1 FROM activity_erasures e
                 WHERE e.user_id = s.actor_id AND s.occurred_at <= e.requested_at)),
           inserted AS (
             INSERT INTO activity_events (${COLUMNS}) SELECT ${COLUMNS} FROM kept
             ON CONFLICT DO NOTHING
             RETURNING activity_type)
           SELECT activity_type, count(*) AS n, (SELECT count(*) FROM kept) AS kept
             FROM inserted GROUP BY activity_type
           UNION ALL SELECT NULL, 0, (SELECT count(*) FROM kept)`,
        );
        await client.query('COMMIT');
        const kept = Number(counts[0]?.kept ?? 0);
        for (const row of counts) {
          if (row.activity_type === null) continue;
          result.insertedByType.set(row.activity_type, Number(row.n));
          result.inserted += Number(row.n);
        }
        result.erased = unique.length - kept;
        result.duplicates += kept - result.inserted;
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } catch (error) {
      // Retention may have dropped a day we thought existed; look again on the next attempt.
      if (classifyStoreError(error) === 'missing-partition') this.knownPartitions.clear();
      throw error;
    } finally {
      await queryRunner.release();
    }
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

  private async ensureStagingTable(client: PoolClient): Promise<void> {
    if (this.stagedClients.has(client)) return;
    // Temporary: private to the connection, not WAL-logged; emptied by every commit.
    await client.query(
      `CREATE TEMP TABLE IF NOT EXISTS activity_events_staging
         (LIKE activity_events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`,
    );
    this.stagedClients.add(client);
  }
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

async function copyRows(client: PoolClient, rows: readonly ActivityEventRow[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY activity_events_staging (${COLUMNS}) FROM STDIN`));
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
