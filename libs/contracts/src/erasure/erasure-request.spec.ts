import { uuidv7 } from '../uuid-v7.util';
import { encodeErasureRequest, parseErasureRequest } from './erasure-request';

describe('parseErasureRequest', () => {
  const valid = { requestId: uuidv7(), userId: 'u_42', requestedAt: '2026-11-22T05:00:00.000Z' };

  it('reads back what encodeErasureRequest wrote', () => {
    expect(parseErasureRequest(encodeErasureRequest(valid))).toEqual({ ok: true, request: valid });
  });

  it('normalises the time to UTC with milliseconds', () => {
    const result = parseErasureRequest(
      JSON.stringify({ ...valid, requestedAt: '2026-11-22T06:00:00+01:00' }),
    );
    expect(result).toEqual({ ok: true, request: { ...valid, requestedAt: '2026-11-22T05:00:00.000Z' } });
  });

  it.each([
    ['not JSON', Buffer.from('{nope'), ''],
    ['an array', Buffer.from('[]'), ''],
    ['no value', null, ''],
    ['a request id that is not a UUIDv7', JSON.stringify({ ...valid, requestId: 'r1' }), 'requestId'],
    ['an empty user id', JSON.stringify({ ...valid, userId: '' }), 'userId'],
    ['a user id that is too long', JSON.stringify({ ...valid, userId: 'u'.repeat(129) }), 'userId'],
    ['a user id with NUL', JSON.stringify({ ...valid, userId: 'a\u0000b' }), 'userId'],
    ['a time that is not RFC 3339', JSON.stringify({ ...valid, requestedAt: 'yesterday' }), 'requestedAt'],
    ['a missing time', JSON.stringify({ requestId: valid.requestId, userId: 'u' }), 'requestedAt'],
  ])('refuses %s, naming the field', (_case, value, path) => {
    const result = parseErasureRequest(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toContain(path);
  });
});
