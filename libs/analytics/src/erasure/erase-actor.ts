import {
  ERASURE_SUBJECT_ACTOR_TYPE,
  getDefaultActivityCatalog,
  type Pseudonymizer,
} from '@chronicle/contracts';
import type { ClickHouseClient } from '@clickhouse/client';
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
  'actor_first_seen_by_type',
] as const;

/** Each table's rows of the erased user (`{covered}`: erasureCovers on events). */
const WHERE: Record<(typeof PER_ACTOR_TABLES)[number], string> = {
  events: '{covered}',
  user_daily_activity: 'actor_key = {key:String}',
  actor_first_seen: 'actor_key = {key:String}',
  actor_first_seen_by_type: 'actor_key = {key:String}',
};

export interface ErasureResult {
  actorKey: string;
  /** Distinct events of the actor deleted from `events`. */
  eventsDeleted: number;
}

/**
 * Deletes what ClickHouse holds per actor about the user `actorId`, by erasureCovers' definition: their
 * events but their audit events (a security log kept to its retention), their per-day activity and
 * their first-seen rows. The pseudonym is of (`user`, id), so another actor type's events of the same
 * id have another key and are not touched; the actor type is checked as well, as erasureCovers says. Lightweight DELETEs, waited for (mutations_sync), so
 * that no query returns the actor once this resolves. Idempotent: erasing twice deletes nothing more.
 */
export async function eraseActor(
  client: ClickHouseClient,
  database: string,
  actorId: string,
  pseudonymize: Pseudonymizer,
  auditTypes: readonly string[] = getDefaultActivityCatalog().auditTypes,
): Promise<ErasureResult> {
  checkDatabaseName(database);
  if (typeof actorId !== 'string' || actorId.length === 0 || actorId.length > 128)
    throw new TypeError('actorId must be a non-empty string of at most 128 characters');
  const actorKey = pseudonymize(ERASURE_SUBJECT_ACTOR_TYPE, actorId);
  // erasureCovers' conditions, in SQL; the aggregates hold users only.
  const covered = `actor_key = {key:String} AND actor_type = {subject:String}
                   AND NOT has({audit:Array(String)}, activity_type)`;
  const params = { db: database, key: actorKey, subject: ERASURE_SUBJECT_ACTOR_TYPE, audit: [...auditTypes] };
  const counted = await client.query({
    query: `SELECT uniqExact(event_id) AS events FROM {db:Identifier}.events WHERE ${covered}`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const [{ events } = { events: 0 }] = await counted.json<{ events: string | number }>();
  for (const table of PER_ACTOR_TABLES) {
    await client.command({
      query: `DELETE FROM {db:Identifier}.{table:Identifier} WHERE ${WHERE[table].replace('{covered}', covered)}`,
      query_params: { ...params, table },
      clickhouse_settings: { mutations_sync: '2' },
    });
  }
  return { actorKey, eventsDeleted: Number(events) };
}
