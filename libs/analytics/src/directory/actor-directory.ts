import type { ClickHouseClient } from '@clickhouse/client';
import { checkDatabaseName } from '../schema/clickhouse-identifier.util';

export interface ResolvedActor {
  actorId: string;
  actorType: string;
}

/** The most keys one call resolves: a "most active users" page, not a dump of the directory. */
export const MAX_RESOLVE_KEYS = 1000;
/**
 * Keys per request. Query parameters travel in the URL, which servers cap (the local endpoint at
 * 16 KB of headers); 100 keys are about 7 KB.
 */
const KEYS_PER_REQUEST = 100;

/**
 * The actor ids behind pseudonyms, from actor_directory: the only function that reads it. Keys the
 * directory does not have (erased, expired, or not written yet) are absent from the result.
 */
export async function resolveActors(
  client: ClickHouseClient,
  database: string,
  actorKeys: readonly string[],
): Promise<Map<string, ResolvedActor>> {
  checkDatabaseName(database);
  if (actorKeys.length > MAX_RESOLVE_KEYS)
    throw new RangeError(`resolveActors takes at most ${MAX_RESOLVE_KEYS} keys, got ${actorKeys.length}`);
  const resolved = new Map<string, ResolvedActor>();
  for (let start = 0; start < actorKeys.length; start += KEYS_PER_REQUEST) {
    const result = await client.query({
      // The newest sighting wins, whether or not ReplacingMergeTree has merged the versions yet.
      query: `SELECT actor_key, argMax(actor_id, last_seen) AS id, argMax(actor_type, last_seen) AS type
        FROM {db:Identifier}.actor_directory
        WHERE actor_key IN {keys:Array(String)}
        GROUP BY actor_key`,
      query_params: { db: database, keys: actorKeys.slice(start, start + KEYS_PER_REQUEST) },
      format: 'JSONEachRow',
    });
    for (const row of await result.json<{ actor_key: string; id: string; type: string }>())
      resolved.set(row.actor_key, { actorId: row.id, actorType: row.type });
  }
  return resolved;
}
