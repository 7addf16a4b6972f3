import type { ActivityKeyset } from '@chronicle/events-store';
import { FieldError } from '../http/field-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 0001-01-01 and 9999-12-31T23:59:59.999Z: the stores hold nothing outside, and Postgres refuses far beyond. */
const FIRST_MS = -62_135_596_800_000;
const LAST_MS = 253_402_300_799_999;

/**
 * The opaque `cursor` of a page: the position of its last row, `(occurred_at, id)`. Clients pass it
 * back unchanged; its form may change, so it is base64url rather than readable.
 */
export function encodeCursor(keyset: ActivityKeyset): string {
  return Buffer.from(`${keyset.occurredAt.getTime()}~${keyset.id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, field = 'cursor'): ActivityKeyset | undefined {
  if (cursor === undefined) return undefined;
  const [ms, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('~');
  const time = Number(ms);
  // A safe integer can be past what a Date or Postgres holds: "timestamp out of range" would be a 500.
  const occurredAt = new Date(time);
  if (
    rest.length > 0 ||
    !id ||
    !UUID.test(id) ||
    !Number.isSafeInteger(time) ||
    time < FIRST_MS ||
    time > LAST_MS
  )
    throw new FieldError(field, 'is not a cursor this API returned');
  return { occurredAt, id };
}
