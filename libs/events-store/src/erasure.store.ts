import {
  ERASURE_SUBJECT_ACTOR_TYPE,
  getDefaultActivityCatalog,
  type ErasureRequest,
} from '@chronicle/contracts';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { ErasureStatus } from './entities/activity-erasure.entity';

/**
 * Taken shared by every batch write and exclusively while an erasure is recorded. Once the record is
 * committed, every write either finished before it (and its rows are there for the delete to find) or
 * starts after it (and its filter sees the record): no event of the user slips between the two.
 */
export const ERASURE_LOCK = 0x63_68_72_02; // 'chr' + 2

export interface ErasureOutcome {
  status: 'completed';
  rowsDeleted: number;
  /** False when this request had already been completed (a redelivery): nothing was deleted again. */
  performedNow: boolean;
}

/** Erasure as the events store does it: recorded, carried out, and remembered. */
export class ErasureStore {
  constructor(
    private readonly dataSource: DataSource,
    /** Kept through erasure (erasureCovers): the catalog's audit types. */
    private readonly auditTypes: readonly string[] = getDefaultActivityCatalog().auditTypes,
  ) {}

  /**
   * Erases what erasureCovers says, in every partition: each event of the user actor held now, whatever
   * its time, but not their audit events nor another actor type's events of the same id; and their
   * row in `pseudonyms`. Records the
   * request, so that an event of theirs timed at or before it that arrives later is dropped at ingest.
   * Idempotent by request id.
   */
  async erase(request: ErasureRequest): Promise<ErasureOutcome> {
    const queryRunner = this.dataSource.createQueryRunner();
    const client = (await queryRunner.connect()) as PoolClient;
    try {
      const previous = await this.record(client, request);
      if (previous?.status === 'completed')
        return { status: 'completed', rowsDeleted: Number(previous.rows_deleted ?? 0), performedNow: false };
      await client.query('BEGIN');
      try {
        const { rowCount } = await client.query(
          `DELETE FROM activity_events
            WHERE actor_type = $1 AND actor_id = $2 AND activity_type <> ALL($3::text[])`,
          [ERASURE_SUBJECT_ACTOR_TYPE, request.userId, this.auditTypes],
        );
        // The subject's pseudonym goes too: nothing left maps the analytics store's rows back to them.
        await client.query('DELETE FROM pseudonyms WHERE subject_type = $1 AND subject_id = $2', [
          ERASURE_SUBJECT_ACTOR_TYPE,
          request.userId,
        ]);
        await client.query(
          `UPDATE activity_erasures SET status = 'completed', rows_deleted = $2, completed_at = now()
            WHERE request_id = $1`,
          [request.requestId, rowCount ?? 0],
        );
        await client.query('COMMIT');
        return { status: 'completed', rowsDeleted: rowCount ?? 0, performedNow: true };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      await queryRunner.release();
    }
  }

  /**
   * Records the request as pending, if it is not recorded yet: the gateway does so when it accepts
   * one, so that its status has an owner from the first moment. The same lock as erase()'s record.
   */
  async recordRequest(request: ErasureRequest): Promise<void> {
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      await this.record((await queryRunner.connect()) as PoolClient, request);
    } finally {
      await queryRunner.release();
    }
  }

  /** The erasure's status here (and whose it is), or undefined when this store has not heard of it. */
  async status(
    requestId: string,
  ): Promise<{ userId: string; status: ErasureStatus; rowsDeleted: number | null } | undefined> {
    const rows: { user_id: string; status: ErasureStatus; rows_deleted: string | null }[] =
      await this.dataSource.query(
        'SELECT user_id, status, rows_deleted FROM activity_erasures WHERE request_id = $1',
        [requestId],
      );
    const row = rows[0];
    if (!row) return undefined;
    return {
      userId: row.user_id,
      status: row.status,
      rowsDeleted: row.rows_deleted === null ? null : Number(row.rows_deleted),
    };
  }

  /** How many erasures are recorded but not yet carried out (a metric). */
  async pendingCount(): Promise<number> {
    const rows: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM activity_erasures WHERE status = 'pending'`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** How long the oldest erasure recorded and not yet carried out has waited, in seconds; 0 when none (a metric). */
  async oldestPendingAgeSeconds(): Promise<number> {
    const rows: { age: string | number | null }[] = await this.dataSource.query(
      `SELECT EXTRACT(EPOCH FROM now() - min(requested_at)) AS age
         FROM activity_erasures WHERE status = 'pending'`,
    );
    return Math.max(0, Number(rows[0]?.age ?? 0));
  }

  /** Inserts the request as pending (under the exclusive lock), or returns the one already there. */
  private async record(
    client: PoolClient,
    request: ErasureRequest,
  ): Promise<{ status: ErasureStatus; rows_deleted: string | null } | undefined> {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [ERASURE_LOCK]);
      await client.query(
        `INSERT INTO activity_erasures (request_id, user_id, requested_at, status)
         VALUES ($1, $2, $3, 'pending') ON CONFLICT (request_id) DO NOTHING`,
        [request.requestId, request.userId, request.requestedAt],
      );
      const { rows } = await client.query<{ status: ErasureStatus; rows_deleted: string | null }>(
        'SELECT status, rows_deleted FROM activity_erasures WHERE request_id = $1',
        [request.requestId],
      );
      await client.query('COMMIT');
      return rows[0];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
