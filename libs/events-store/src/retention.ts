import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { DAY_MS, dropDailyPartitionsBefore } from './daily-partitions';
import { pseudonymCutoffDay } from './pseudonyms';

/** Held for a whole retention run, so that of many workers one runs it at a time and the others skip. */
const RETENTION_LOCK = 0x63_68_72_03; // 'chr' + 3

export interface RetentionRun {
  /** False when another instance held the lock: this one did nothing. */
  ran: boolean;
  cutoff: Date;
  droppedPartitions: string[];
  /** Erasure records old enough that no event they guard against could be kept anyway. */
  prunedErasures: number;
  /** Subjects not seen in any event retention keeps: their pseudonym no longer resolves. */
  prunedPseudonyms: number;
}

/**
 * Drops the daily partitions that lie wholly before `now - retentionDays`, the erasure records older
 * than that, and the pseudonyms of subjects last seen in a dropped day. Safe to run twice and from several instances: the second run finds nothing.
 */
export async function applyRetention(
  dataSource: DataSource,
  options: { retentionDays: number; nowMs?: number },
): Promise<RetentionRun> {
  const cutoffMs = (options.nowMs ?? Date.now()) - options.retentionDays * DAY_MS;
  const cutoff = new Date(cutoffMs);
  const queryRunner = dataSource.createQueryRunner();
  const client = (await queryRunner.connect()) as PoolClient;
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      RETENTION_LOCK,
    ]);
    if (!rows[0]?.locked)
      return { ran: false, cutoff, droppedPartitions: [], prunedErasures: 0, prunedPseudonyms: 0 };
    try {
      const droppedPartitions = await dropDailyPartitionsBefore(client, cutoffMs);
      const { rowCount } = await client.query(
        `DELETE FROM activity_erasures WHERE status = 'completed' AND requested_at < $1`,
        [cutoff],
      );
      const pseudonyms = await client.query('DELETE FROM pseudonyms WHERE last_seen < $1::date', [
        pseudonymCutoffDay(cutoffMs),
      ]);
      return {
        ran: true,
        cutoff,
        droppedPartitions,
        prunedErasures: rowCount ?? 0,
        prunedPseudonyms: pseudonyms.rowCount ?? 0,
      };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
    }
  } finally {
    await queryRunner.release();
  }
}
