import { parseRfc3339, type ActivityCatalog, type ActivityEvent } from '@chronicle/contracts';
import type { ActorPseudonymizer } from '../pseudonymizer/actor-pseudonymizer';

/** The tables an analytics worker inserts into (the aggregates are fed by materialized views). */
export const ANALYTICS_TABLES = { events: 'events', actorDirectory: 'actor_directory' } as const;

/** A row of the `events` table, as JSONEachRow inserts it. */
export interface AnalyticsEventRow {
  event_id: string;
  /** UTC, `YYYY-MM-DD hh:mm:ss.sss`: what DateTime64(3, 'UTC') parses on every server setting. */
  occurred_at: string;
  actor_key: string;
  actor_type: string;
  activity_type: string;
  /** '' when the event has no entity (ClickHouse columns are not nullable here). */
  entity_type: string;
  entity_id: string;
  source: string;
  /** JSON of the type's analytics keys only. */
  metadata: string;
  ingested_at: string;
}

/** A row of `actor_directory`: the one way back from a pseudonym to an actor id. */
export interface ActorDirectoryRow {
  actor_key: string;
  actor_id: string;
  actor_type: string;
  last_seen: string;
}

/**
 * The `events` row of an event: the actor id replaced by its pseudonym, the metadata reduced to the
 * catalog's analytics keys (so a field the catalog keeps out of analytics never reaches ClickHouse),
 * and no context at all. Throws for an event whose time is not RFC 3339 (events are validated before
 * they get here, so that is a bug upstream).
 */
export function toAnalyticsRow(
  event: ActivityEvent,
  catalog: ActivityCatalog,
  pseudonymize: ActorPseudonymizer,
  ingestedAt: Date | number,
): AnalyticsEventRow {
  const { actor, entity } = event.data;
  return {
    event_id: event.id,
    occurred_at: eventTime(event),
    actor_key: pseudonymize(actor.id),
    actor_type: actor.type,
    activity_type: event.type,
    entity_type: entity?.type ?? '',
    entity_id: entity?.id ?? '',
    source: event.source,
    metadata: JSON.stringify(catalog.analyticsMetadata(event)),
    ingested_at: toClickHouseTime(ingestedAt),
  };
}

/** The `actor_directory` row of an event's actor, last seen at the event's time. */
export function toDirectoryRow(event: ActivityEvent, pseudonymize: ActorPseudonymizer): ActorDirectoryRow {
  const { actor } = event.data;
  return {
    actor_key: pseudonymize(actor.id),
    actor_id: actor.id,
    actor_type: actor.type,
    last_seen: eventTime(event),
  };
}

/**
 * One directory row per actor of a batch (the latest sighting), so that a batch of a thousand views by
 * one user writes one row rather than a thousand.
 */
export function toDirectoryRows(
  events: readonly ActivityEvent[],
  pseudonymize: ActorPseudonymizer,
): ActorDirectoryRow[] {
  const latest = new Map<string, ActorDirectoryRow>();
  for (const event of events) {
    const row = toDirectoryRow(event, pseudonymize);
    const seen = latest.get(row.actor_key);
    if (seen === undefined || seen.last_seen < row.last_seen) latest.set(row.actor_key, row);
  }
  return [...latest.values()];
}

/** `YYYY-MM-DD hh:mm:ss.sss` in UTC, which sorts as it compares. */
export function toClickHouseTime(time: Date | number): string {
  const date = typeof time === 'number' ? new Date(time) : time;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid time: ${String(time)}`);
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function eventTime(event: ActivityEvent): string {
  const ms = parseRfc3339(event.time);
  if (ms === undefined)
    throw new RangeError(`event ${event.id} has no valid RFC 3339 time: ${JSON.stringify(event.time)}`);
  return toClickHouseTime(ms);
}
