import { isUuidV7 } from '../uuid-v7.util';
import { parseRfc3339 } from '../rfc3339.util';
import { MAX_ID_LENGTH } from '../validation/activity-event.validator';
import { isWellFormedText } from '../validation/pii-detection.util';
import type { ValidationProblem } from '../validation/validation-problem.types';

/**
 * A user's request to erase their activity history, on `activity.erasure.v1` (JSON, key = user id).
 * Every store deletes the user's rows and forgets any event of theirs timed at or before
 * `requestedAt` that arrives later.
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
