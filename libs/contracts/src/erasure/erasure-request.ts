import { isUuidV7 } from '../uuid-v7.util';
import { parseRfc3339 } from '../rfc3339.util';
import { MAX_ID_LENGTH } from '../validation/activity-event.validator';
import { isWellFormedText } from '../validation/pii-detection.util';
import type { ValidationProblem } from '../validation/validation-problem.types';

/**
 * A user's request to erase their activity history, on `activity.erasure.v1` (JSON, key = user id).
 * What it erases is erasureCovers' one definition, the same in every store (docs/privacy.md).
 */
export interface ErasureRequest {
  /** UUIDv7, made by the requester; the idempotency key of the erasure. */
  requestId: string;
  userId: string;
  /** RFC 3339. */
  requestedAt: string;
}

/** Which store reports: each one publishes its own completion. */
export type ErasureStore = 'postgres' | 'clickhouse';

/**
 * A store's report on `activity.erasure.status.v1` (JSON, key = request id). It names no user on
 * purpose: the status topic should not become a list of who asked to be forgotten.
 */
export interface ErasureCompletion {
  requestId: string;
  store: ErasureStore;
  status: 'completed';
  rowsDeleted: number;
  completedAt: string;
}

/** The actor type an erasure request is about: a person, never a service or system of the same id. */
export const ERASURE_SUBJECT_ACTOR_TYPE = 'user';

/**
 * Erasure's one definition, the same in every store (docs/privacy.md): the subject is the actor
 * (`user`, the request's userId). Every event of the subject that a store holds when it processes
 * the request is erased, whatever its `occurred_at`; an event of the subject arriving later is
 * dropped when its `occurred_at` is at or before `requestedAt` (see erasedOnArrival), and kept when
 * after it (new activity). Events of another actor type with the same id are not the subject's, and
 * audit events (the catalog's auditTypes: an admin's reads and exports) are a security log kept until
 * their retention ends. Stores that filter in SQL mirror this with the same two conditions.
 */
export function erasureCovers(
  event: { actorType: string; activityType: string },
  auditTypes: readonly string[],
): boolean {
  return event.actorType === ERASURE_SUBJECT_ACTOR_TYPE && !auditTypes.includes(event.activityType);
}

/** Whether an event arriving after its actor's erasure (at `erasedUntilMs`, the request time) is dropped. */
export function erasedOnArrival(
  event: { actorType: string; activityType: string; occurredAtMs: number },
  erasedUntilMs: number | undefined,
  auditTypes: readonly string[],
): boolean {
  return (
    erasedUntilMs !== undefined && event.occurredAtMs <= erasedUntilMs && erasureCovers(event, auditTypes)
  );
}

export type ErasureRequestResult =
  { ok: true; request: ErasureRequest } | { ok: false; problems: ValidationProblem[] };

/** Reads and checks an erasure request from a record's value; never throws. */
export function parseErasureRequest(value: Uint8Array | string | null | undefined): ErasureRequestResult {
  let body: unknown;
  try {
    body = JSON.parse(typeof value === 'string' ? value : Buffer.from(value ?? []).toString('utf8'));
  } catch {
    return { ok: false, problems: [{ path: '', message: 'must be a JSON object' }] };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, problems: [{ path: '', message: 'must be a JSON object' }] };
  const { requestId, userId, requestedAt } = body as Record<string, unknown>;
  const problems: ValidationProblem[] = [];
  if (typeof requestId !== 'string' || !isUuidV7(requestId))
    problems.push({ path: 'requestId', message: 'must be a UUIDv7' });
  if (
    typeof userId !== 'string' ||
    userId.length === 0 ||
    userId.length > MAX_ID_LENGTH ||
    !isWellFormedText(userId)
  )
    problems.push({
      path: 'userId',
      message: `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`,
    });
  const requestedAtMs = typeof requestedAt === 'string' ? parseRfc3339(requestedAt) : undefined;
  if (requestedAtMs === undefined)
    problems.push({ path: 'requestedAt', message: 'must be an RFC 3339 timestamp' });
  if (problems.length > 0 || requestedAtMs === undefined) return { ok: false, problems };
  return {
    ok: true,
    request: {
      requestId: requestId as string,
      userId: userId as string,
      requestedAt: new Date(requestedAtMs).toISOString(),
    },
  };
}

/** The JSON value of an erasure request record. */
export function encodeErasureRequest(request: ErasureRequest): Buffer {
  return Buffer.from(JSON.stringify(request));
}

/** The JSON value of an erasure completion record. */
export function encodeErasureCompletion(completion: ErasureCompletion): Buffer {
  return Buffer.from(JSON.stringify(completion));
}
