import { FieldError } from '../http/field-error';
import { thrownBy } from '../../test/thrown-by';
import { decodeCursor, encodeCursor } from './activity-cursor';

const ID = '019350a2-7c4e-7b1a-8f3d-2a5b6c7d8e9f';

const fieldError = (run: () => unknown) => thrownBy(FieldError, run);

describe('activity cursors', () => {
  it('round-trips a keyset', () => {
    const keyset = { occurredAt: new Date('2026-11-22T01:53:46.123Z'), id: ID };
    const cursor = encodeCursor(keyset);
    expect(decodeCursor(cursor)).toEqual(keyset);
  });

  it('is opaque and URL-safe', () => {
    const cursor = encodeCursor({ occurredAt: new Date('2026-11-22T01:53:46.123Z'), id: ID });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(ID);
  });

  it('is undefined without a cursor', () => {
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  const encoded = (text: string) => Buffer.from(text).toString('base64url');

  it.each([
    ['garbage', 'not a cursor'],
    ['an empty cursor', ''],
    ['a cursor without an id', encoded('1732240426123')],
    ['an id that is not a UUID', encoded('1732240426123~123')],
    ['an upper-case or padded UUID', encoded(`1732240426123~${ID} `)],
    ['a time that is not an integer', encoded(`1.5~${ID}`)],
    ['a time that is not a number', encoded(`yesterday~${ID}`)],
    ['an extra part', encoded(`1732240426123~${ID}~x`)],
    ['a time beyond what a Date holds', encoded(`${Number.MAX_SAFE_INTEGER}~${ID}`)],
    // A Date holds it, Postgres does not ("timestamp out of range").
    ['a time before year 1', encoded(`-8000000000000000~${ID}`)],
    ['a time after year 9999', encoded(`253402300800000~${ID}`)],
  ])('refuses %s as a 400 on the cursor field', (_what, cursor) => {
    const error = fieldError(() => decodeCursor(cursor));
    expect(error.field).toBe('cursor');
    expect(error.getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      field: 'cursor',
      message: 'cursor: is not a cursor this API returned',
    });
  });

  it('refuses a tampered cursor', () => {
    const cursor = encodeCursor({ occurredAt: new Date('2026-11-22T01:53:46.123Z'), id: ID });
    const tampered = encoded(Buffer.from(cursor, 'base64url').toString().replace('~', '~x'));
    expect(() => decodeCursor(tampered)).toThrow(FieldError);
  });

  it('names the field it was read from', () => {
    expect(fieldError(() => decodeCursor('garbage', 'after')).field).toBe('after');
  });
});
