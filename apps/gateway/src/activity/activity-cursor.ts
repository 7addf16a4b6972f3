import type { ActivityKeyset } from '@chronicle/events-store';
import { FieldError } from '../http/field-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
  // A safe integer can still be past what a Date holds (±8.64e15 ms): an Invalid Date would be a 500.
  const occurredAt = new Date(time);
  if (
    rest.length > 0 ||
    !id ||
    !UUID.test(id) ||
    !Number.isSafeInteger(time) ||
    Number.isNaN(occurredAt.getTime())
  )
    throw new FieldError(field, 'is not a cursor this API returned');
  return { occurredAt, id };
}
