/** One stored event as the API serves it: timelines, admin search and NDJSON exports have this shape. */
export interface ActivityRecord {
  id: string;
  /** ISO 8601, UTC, with milliseconds: `2026-11-22T01:53:46.123Z`. */
  occurredAt: string;
  receivedAt: string;
  actor: { type: string; id: string };
  type: string;
  entity: { type: string; id: string } | null;
  source: string;
  metadata: Record<string, unknown>;
  context: Record<string, unknown> | null;
}

/** A row of `activity_events` as `pg` returns it (timestamptz as Date, jsonb parsed). */
export interface StoredActivityRow {
  id: string;
  occurred_at: Date;
  received_at: Date;
  actor_type: string;
  actor_id: string;
  activity_type: string;
  entity_type: string | null;
  entity_id: string | null;
  source: string;
  metadata: Record<string, unknown>;
  context: Record<string, unknown> | null;
}

/** The columns a StoredActivityRow is selected with. */
export const STORED_ACTIVITY_COLUMNS =
  'id, occurred_at, received_at, actor_type, actor_id, activity_type, entity_type, entity_id, source, metadata, context';

/**
 * A row as a record. The contract names an entity with both a type and an id or not at all, so a row
 * missing either has none.
 */
export function toActivityRecord(row: StoredActivityRow): ActivityRecord {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    actor: { type: row.actor_type, id: row.actor_id },
    type: row.activity_type,
    entity:
      row.entity_type !== null && row.entity_id !== null
        ? { type: row.entity_type, id: row.entity_id }
        : null,
    source: row.source,
    metadata: row.metadata,
    context: row.context,
  };
}
