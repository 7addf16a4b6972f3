import { detectPii, isWellFormedText } from '@chronicle/contracts';
import type { ActivityContext, ActivityInput, Actor, EntityRef } from '@chronicle/contracts';
import type { EntitySource, TrackActivitySpec, TrackedRequest } from './track-activity.options';

/** The contract's limit on a context value; a longer request id would make the whole event invalid. */
const MAX_CONTEXT_VALUE_LENGTH = 128;

/**
 * The activity a successful request of a `@TrackActivity` handler stands for, or undefined when there is
 * no actor (an anonymous request). Validation is left to the client, the one place that knows the catalog.
 */
export function activityFromRequest(
  spec: TrackActivitySpec,
  request: unknown,
  body: unknown,
): ActivityInput | undefined {
  const actor = spec.actor ? spec.actor(request) : actorFromRequestUser(request);
  if (actor === undefined) return undefined;
  const input: ActivityInput = { type: spec.type, actor };
  const entity = spec.entity === undefined ? undefined : entityFromRequest(spec.entity, request);
  if (entity !== undefined) input.entity = entity;
  const metadata = spec.metadata?.(request, body);
  if (metadata !== undefined) input.metadata = metadata;
  const context = contextFromRequest(request);
  if (context !== undefined) input.context = context;
  return input;
}

/** `request.user.id`, else `request.user.sub` (a JWT's subject), as a `user` actor. Numeric ids are accepted. */
export function actorFromRequestUser(request: unknown): Actor | undefined {
  const user = (request as TrackedRequest | undefined)?.user;
  if (typeof user !== 'object' || user === null) return undefined;
  const { id, sub } = user as { id?: unknown; sub?: unknown };
  const actorId = asId(id) ?? asId(sub);
  return actorId === undefined ? undefined : { type: 'user', id: actorId };
}

export function entityFromRequest(source: EntitySource<unknown>, request: unknown): EntityRef | undefined {
  if (typeof source === 'function') return source(request);
  const id = (request as TrackedRequest | undefined)?.params?.[source.param];
  // A missing param yields no entity; the client then rejects (and counts) the event if the type needs one.
  return typeof id === 'string' && id.length > 0 ? { type: source.type, id } : undefined;
}

/**
 * `{ requestId }` from the `x-request-id` header. The header is client-controlled, so a value the contract
 * would reject (too long, ill-formed, looks like PII) is left out rather than costing the whole event.
 * IP, user agent and the like are never read.
 */
export function contextFromRequest(request: unknown): ActivityContext | undefined {
  const requestId = (request as TrackedRequest | undefined)?.headers?.['x-request-id'];
  if (
    typeof requestId !== 'string' ||
    requestId.length === 0 ||
    requestId.length > MAX_CONTEXT_VALUE_LENGTH ||
    !isWellFormedText(requestId) ||
    detectPii(requestId, 'requestId') !== undefined
  ) {
    return undefined;
  }
  return { requestId };
}

function asId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}
