import {
  isPersonEntityType,
  parseRfc3339,
  type ActivityCatalog,
  type ActivityEvent,
  type Pseudonymizer,
} from '@chronicle/contracts';

/** The tables an analytics worker inserts into (the aggregates are fed by materialized views). */
export const ANALYTICS_TABLES = { events: 'events' } as const;

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

/**
 * The `events` row of an event: the actor replaced by its pseudonym, and so the entity when it is a
 * person (isPersonEntityType); the metadata reduced to the catalog's analytics keys (so a field the
 * catalog keeps out of analytics never reaches ClickHouse), and no context at all. Throws for an
 * event whose time is not RFC 3339 (events are validated before they get here: a bug upstream).
 */
export function toAnalyticsRow(
  event: ActivityEvent,
  catalog: ActivityCatalog,
  pseudonymize: Pseudonymizer,
  ingestedAt: Date | number,
): AnalyticsEventRow {
  const { actor, entity } = event.data;
  return {
    event_id: event.id,
    occurred_at: eventTime(event),
    actor_key: pseudonymize(actor.type, actor.id),
    actor_type: actor.type,
    activity_type: event.type,
    entity_type: entity?.type ?? '',
    entity_id: entityColumn(entity, pseudonymize),
    source: event.source,
    metadata: JSON.stringify(catalog.analyticsMetadata(event)),
    ingested_at: toClickHouseTime(ingestedAt),
  };
}

function entityColumn(entity: ActivityEvent['data']['entity'], pseudonymize: Pseudonymizer): string {
  if (!entity) return '';
  return isPersonEntityType(entity.type) ? pseudonymize(entity.type, entity.id) : entity.id;
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
