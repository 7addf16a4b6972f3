import type { ActivityEvent } from '@chronicle/contracts';
import type { ActivityFilter, ActivityRecord } from '@chronicle/events-store';

/** Whether a just-published event passes the admin filters, the way the stored row would in a search. */
export function matchesFilter(event: ActivityEvent, filter: ActivityFilter): boolean {
  const { actor, entity } = event.data;
  if (filter.actorId !== undefined && actor.id !== filter.actorId) return false;
  if (filter.actorType !== undefined && actor.type !== filter.actorType) return false;
  if (filter.types !== undefined && !filter.types.includes(event.type)) return false;
  if (filter.entityType !== undefined && entity?.type !== filter.entityType) return false;
  if (filter.entityId !== undefined && entity?.id !== filter.entityId) return false;
  if (filter.source !== undefined && event.source !== filter.source) return false;
  const time = Date.parse(event.time);
  if (filter.from !== undefined && time < filter.from.getTime()) return false;
  if (filter.to !== undefined && time >= filter.to.getTime()) return false;
  return true;
}

/** The event in the shape the REST and GraphQL APIs give stored activities. */
export function toActivityRecord(event: ActivityEvent, receivedAt: Date): ActivityRecord {
  const { actor, entity, metadata, context } = event.data;
  return {
    id: event.id,
    occurredAt: event.time,
    receivedAt: receivedAt.toISOString(),
    actor: { type: actor.type, id: actor.id },
    type: event.type,
    entity: entity ? { type: entity.type, id: entity.id } : null,
    source: event.source,
    metadata: metadata ?? {},
    context: context ? { ...context } : null,
  };
}
