import type { ClientBase } from 'pg';

/** Milliseconds in a UTC day; partitions are UTC days, whatever the reader's time zone. */
export const DAY_MS = 86_400_000;

/** The UTC day (ms at 00:00) that holds `ms`. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** `activity_events_p20261122`: sortable, and the day can be read back from the name. */
export function partitionName(dayStartMs: number): string {
  return `activity_events_p${new Date(dayStartMs).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The day a partition name stands for, or undefined for a name that is not a daily partition's. */
export function partitionDay(name: string): number | undefined {
  const match = /^activity_events_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return partitionName(ms) === name ? ms : undefined;
}

/**
 * Serialises DDL on the partition set among all workers: two workers creating the same day, or one
 * creating while retention drops, would otherwise race in the catalog.
 */
const PARTITION_DDL_LOCK = 0x63_68_72_01; // 'chr' + 1

/**
 * Creates the daily partitions of `days` (ms at 00:00 UTC) that do not exist yet. Idempotent and safe
 * to run from several workers at once.
 */
export async function ensureDailyPartitions(client: ClientBase, days: Iterable<number>): Promise<string[]> {
  const wanted = [...new Set([...days].map(utcDayStart))].sort((a, b) => a - b);
  if (wanted.length === 0) return [];
  const existing = new Set(await listDailyPartitions(client).then((list) => list.map((p) => p.name)));
  const missing = wanted.filter((day) => !existing.has(partitionName(day)));
  if (missing.length === 0) return [];
  const created: string[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_DDL_LOCK]);
    // A partition belongs to the table's owner (the ingest role), not to the login that happened to
    // create it: another login of the role must be able to drop it, a migration to alter it.
    const { rows } = await client.query<{ owner: string }>(
      `SELECT relowner::regrole::text AS owner FROM pg_class WHERE oid = 'activity_events'::regclass`,
    );
    const owner = rows[0]?.owner as string;
    for (const day of missing) {
      const name = partitionName(day);
      const { rowCount } = await client.query('SELECT 1 FROM pg_class WHERE relname = $1', [name]);
      if (rowCount) continue;
      // Identifiers and bounds come from partitionName/ISO strings we made, never from input.
      await client.query(
        `CREATE TABLE ${name} PARTITION OF activity_events
           FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + DAY_MS).toISOString()}')`,
      );
      await client.query(`ALTER TABLE ${name} OWNER TO ${owner}`);
      created.push(name);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return created;
}

export interface DailyPartition {
  name: string;
  dayStartMs: number;
}

/** The daily partitions that exist, oldest first. */
export async function listDailyPartitions(client: ClientBase): Promise<DailyPartition[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'activity_events'`,
  );
  return rows
    .map((row) => ({ name: row.name, dayStartMs: partitionDay(row.name) }))
    .filter((p): p is DailyPartition => p.dayStartMs !== undefined)
    .sort((a, b) => a.dayStartMs - b.dayStartMs);
}

/**
 * Drops the partitions whose whole day is older than `cutoffMs`, under the same lock as creation.
 * Returns the names dropped; a second run with the same cutoff drops nothing.
 */
export async function dropDailyPartitionsBefore(client: ClientBase, cutoffMs: number): Promise<string[]> {
  const expired = (await listDailyPartitions(client)).filter((p) => p.dayStartMs + DAY_MS <= cutoffMs);
  const dropped: string[] = [];
  for (const partition of expired) {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_DDL_LOCK]);
      await client.query(`DROP TABLE IF EXISTS ${partition.name}`);
      await client.query('COMMIT');
      dropped.push(partition.name);
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }
  return dropped;
}
