import { parseRfc3339, type ActivityEvent } from '@chronicle/contracts';

/** An event as the store keeps it: one row of `activity_events`. */
export interface ActivityEventRow {
  /** The event's id in canonical form (lower case), as the contract decodes it; compared as a string. */
  id: string;
  occurredAtMs: number;
  receivedAtMs: number;
  actorType: string;
  actorId: string;
  activityType: string;
  entityType: string | null;
  entityId: string | null;
  source: string;
  metadata: Record<string, unknown>;
  context: Record<string, string> | null;
}

/** The columns in COPY order; the staging table and the insert use the same list. */
export const ACTIVITY_EVENT_COLUMNS = [
  'id',
  'occurred_at',
  'received_at',
  'actor_type',
  'actor_id',
  'activity_type',
  'entity_type',
  'entity_id',
  'source',
  'metadata',
  'context',
] as const;

/** A validated event as a row. `time` was checked by the contract, so it parses. */
export function toActivityEventRow(event: ActivityEvent, receivedAtMs: number): ActivityEventRow {
  const { actor, entity, metadata, context } = event.data;
  return {
    id: event.id,
    occurredAtMs: parseRfc3339(event.time) ?? Number.NaN,
    receivedAtMs,
    actorType: actor.type,
    actorId: actor.id,
    activityType: event.type,
    entityType: entity?.type ?? null,
    entityId: entity?.id ?? null,
    source: event.source,
    metadata,
    context: context && Object.keys(context).length > 0 ? (context as Record<string, string>) : null,
  };
}

const NULL = '\\N';

/**
 * One line of COPY's text format: tab-separated, `\N` for null, and backslash, tab, newline and
 * carriage return escaped. Text rather than binary: JSON and ids are text anyway, and Postgres parses
 * it as fast as we could encode binary in JavaScript.
 */
export function toCopyLine(row: ActivityEventRow): string {
  return (
    [
      row.id,
      new Date(row.occurredAtMs).toISOString(),
      new Date(row.receivedAtMs).toISOString(),
      escapeCopyText(row.actorType),
      escapeCopyText(row.actorId),
      escapeCopyText(row.activityType),
      row.entityType === null ? NULL : escapeCopyText(row.entityType),
      row.entityId === null ? NULL : escapeCopyText(row.entityId),
      escapeCopyText(row.source),
      escapeCopyText(JSON.stringify(row.metadata)),
      row.context === null ? NULL : escapeCopyText(JSON.stringify(row.context)),
    ].join('\t') + '\n'
  );
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function escapeCopyText(value: string): string {
  // Most values need nothing; testing first avoids a replace (and its allocation) per column.
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : value;
}
