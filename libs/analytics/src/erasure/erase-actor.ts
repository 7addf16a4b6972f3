import type { ClickHouseClient } from '@clickhouse/client';
import type { ActorPseudonymizer } from '../pseudonymizer/actor-pseudonymizer';
import { checkDatabaseName } from '../schema/clickhouse-identifier.util';

/**
 * The tables with a row per actor key. The anonymous aggregates (daily_active_users,
 * entity_daily_counts, activity_daily_counts) keep their counts: their rows are keyed by day, type or
 * entity, not by actor (docs/analytics.md, "Erasure").
 */
export const PER_ACTOR_TABLES = [
  'events',
  'user_daily_activity',
  'actor_first_seen',
  'actor_directory',
] as const;

export interface ErasureResult {
  actorKey: string;
  /** Distinct events of the actor deleted from `events`. */
  eventsDeleted: number;
}

/**
 * Deletes everything ClickHouse holds per actor about `actorId`: their events, their per-day activity,
 * their first-seen row and their directory entry. Lightweight DELETEs, waited for (mutations_sync), so
 * that no query returns the actor once this resolves. Idempotent: erasing twice deletes nothing more.
 */
export async function eraseActor(
  client: ClickHouseClient,
  database: string,
  actorId: string,
  pseudonymize: ActorPseudonymizer,
): Promise<ErasureResult> {
  checkDatabaseName(database);
  if (typeof actorId !== 'string' || actorId.length === 0 || actorId.length > 128)
    throw new TypeError('actorId must be a non-empty string of at most 128 characters');
  const actorKey = pseudonymize(actorId);
  const counted = await client.query({
    query: 'SELECT uniqExact(event_id) AS events FROM {db:Identifier}.events WHERE actor_key = {key:String}',
    query_params: { db: database, key: actorKey },
    format: 'JSONEachRow',
  });
  const [{ events } = { events: 0 }] = await counted.json<{ events: string | number }>();
  for (const table of PER_ACTOR_TABLES) {
    await client.command({
      query: 'DELETE FROM {db:Identifier}.{table:Identifier} WHERE actor_key = {key:String}',
      query_params: { db: database, table, key: actorKey },
      clickhouse_settings: { mutations_sync: '2' },
    });
  }
  return { actorKey, eventsDeleted: Number(events) };
}
