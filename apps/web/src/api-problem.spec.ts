import { describeFailure } from './api-problem';

describe('describeFailure', () => {
  it('tells a signed-out person their token expired, and a non-admin that the page needs the admin role', () => {
    expect(describeFailure(401, { statusCode: 401, message: 'jwt expired' })).toEqual({
      kind: 'signed-out',
      status: 401,
      message: expect.stringMatching(/^Your token has expired/),
    });
    expect(describeFailure(403).message).toMatch(/needs the admin role/);
  });

  it('names the field of a 400, and joins lists of messages', () => {
    expect(describeFailure(400, { message: 'unknown type nope.x', field: 'type' }).message).toBe(
      'type: unknown type nope.x.',
    );
    expect(describeFailure(400).message).toBe('the request was refused.');
  });

  it('covers the network, not found, rate limits and server errors', () => {
    expect(describeFailure(0).kind).toBe('network');
    expect(describeFailure(404, { message: 'no such erasure request' }).message).toBe(
      'Not found: no such erasure request.',
    );
    expect(describeFailure(404).message).toBe('Not found.');
    expect(describeFailure(429, null, '12').message).toBe('Too many requests; try again in 12 s.');
    expect(describeFailure(429).message).toBe('Too many requests; try again shortly.');
    expect(describeFailure(503)).toEqual({
      kind: 'server',
      status: 503,
      message: 'The gateway failed (503). Try again in a moment.',
    });
  });
});
