import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
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
 * than that, and the pseudonyms of subjects last seen in a dropped day. Safe to run twice and from
 * several instances: the second run finds nothing.
 *
 * One run at a time: a transaction on one pooled connection holds `pg_try_advisory_xact_lock` while
 * the work runs on a second one. A session lock (`pg_advisory_lock`) would not hold behind PgBouncer
 * in transaction pooling, where each statement may go to another server connection: the lock would
 * stay on whichever served it, unlocked (or not) elsewhere. A transaction keeps its server
 * connection to the end, so its lock holds there too, and it ends with the transaction or the
 * connection, so a crashed worker leaves no lock behind. The work stays outside that transaction on
 * purpose: dropping a partition locks `activity_events` exclusively until the dropping transaction
 * ends, so each drop commits on its own, and writers wait for one drop, never for a whole run. (A
 * lease row would work as well, but a dead holder's lease blocks retention until it expires.) The
 * price: two connections of the pool for the run, and the holder idle in its transaction meanwhile.
 */
export async function applyRetention(
  dataSource: DataSource,
  options: { retentionDays: number; nowMs?: number },
): Promise<RetentionRun> {
  const cutoffMs = (options.nowMs ?? Date.now()) - options.retentionDays * DAY_MS;
  const cutoff = new Date(cutoffMs);
  const poolSize = (dataSource.options as PostgresDataSourceOptions).poolSize;
  if (poolSize !== undefined && poolSize < 2)
    throw new RangeError(`retention needs two connections of the pool; this DataSource has ${poolSize}`);
  const [holder, releaseHolder] = await obtainConnection(dataSource);
  let holderBroken: Error | undefined;
  try {
    await holder.query('BEGIN');
    // The holder is idle in its transaction by design, for as long as the run takes.
    await holder.query('SET LOCAL idle_in_transaction_session_timeout = 0');
    const { rows } = await holder.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1) AS locked',
      [RETENTION_LOCK],
    );
    if (!rows[0]?.locked)
      return { ran: false, cutoff, droppedPartitions: [], prunedErasures: 0, prunedPseudonyms: 0 };
    return { ran: true, cutoff, ...(await expire(dataSource, cutoffMs)) };
  } finally {
    // COMMIT ends the transaction and its lock (an aborted one rolls back); a holder that cannot
    // COMMIT is closed, which ends them just the same.
    await holder.query('COMMIT').catch((error: Error) => (holderBroken = error));
    releaseHolder(holderBroken);
  }
}

async function expire(
  dataSource: DataSource,
  cutoffMs: number,
): Promise<Pick<RetentionRun, 'droppedPartitions' | 'prunedErasures' | 'prunedPseudonyms'>> {
  const [client, release] = await obtainConnection(dataSource);
  try {
    const droppedPartitions = await dropDailyPartitionsBefore(client, cutoffMs);
    const erasures = await client.query(
      `DELETE FROM activity_erasures WHERE status = 'completed' AND requested_at < $1`,
      [new Date(cutoffMs)],
    );
    const pseudonyms = await client.query('DELETE FROM pseudonyms WHERE last_seen < $1::date', [
      pseudonymCutoffDay(cutoffMs),
    ]);
    release();
    return {
      droppedPartitions,
      prunedErasures: erasures.rowCount ?? 0,
      prunedPseudonyms: pseudonyms.rowCount ?? 0,
    };
  } catch (error) {
    release(error as Error);
    throw error;
  }
}

/** A client of the pool and its release, which closes the connection when given an error. */
async function obtainConnection(dataSource: DataSource): Promise<[PoolClient, (error?: Error) => void]> {
  return (await (dataSource.driver as PostgresDriver).obtainMasterConnection()) as [
    PoolClient,
    (error?: Error) => void,
  ];
}
