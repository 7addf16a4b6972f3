import { authenticateRequest } from '../auth/access.guard';
import { InvalidTokenError, type TokenVerifier } from '../auth/token-verifier';
import { rateLimitBucket, rateLimitTracker } from './rate-limit';

const API_KEY = 'web-key-0123456789abcdef0123';
/** A verifier that knows two tokens, as the real one knows only what its key signed. */
const verifier = {
  verify: async (token: string) => {
    if (token === 'T-ada') return { id: 'u_ada', admin: false };
    if (token === 'T-ada-2') return { id: 'u_ada', admin: true };
    throw new InvalidTokenError('does not verify');
  },
};
const track = rateLimitTracker({
  verifier: verifier as unknown as TokenVerifier,
  apiKeys: new Map([[API_KEY, '/services/web']]),
});
const key = (headers: Record<string, unknown>, ip = '10.0.0.1') => track({ headers, ip });

describe('rateLimitTracker', () => {
  it('counts a verified token against its subject, hashed, whatever the header spelling', async () => {
    const spellings = ['Bearer T-ada', 'bearer T-ada', 'BEARER T-ada', 'Bearer  T-ada', ' Bearer T-ada '];
    const keys = await Promise.all(spellings.map((authorization) => key({ authorization })));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^user:[A-Za-z0-9_-]{43}$/);
    expect(keys[0]).not.toContain('u_ada');
    // Another token of the same user is the same caller.
    expect(await key({ authorization: 'Bearer T-ada-2' })).toBe(keys[0]);
  });

  it('counts a valid API key against its source, whatever Authorization says', async () => {
    const withKey = await key({ 'x-api-key': API_KEY });
    expect(withKey).toMatch(/^source:/);
    expect(withKey).not.toContain(API_KEY);
    expect(await key({ 'x-api-key': API_KEY, authorization: 'Bearer random-1' }, '10.0.0.9')).toBe(withKey);
  });

  it('counts what does not verify by address: a made-up token or key is no fresh bucket', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer made-up' },
      { authorization: 'Bearer another-one' },
      { 'x-api-key': 'not-a-key' },
      { authorization: ['a', 'b'] },
    ])
      await expect(key(headers)).resolves.toBe('ip:10.0.0.1');
  });

  it('copes with a request without headers or address', async () => {
    await expect(track({})).resolves.toBe('ip:unknown');
  });
});

describe('the rate limit and the access guard together', () => {
  it("verify a request's token once", async () => {
    let verifications = 0;
    const counting = {
      verify: async (token: string) => {
        verifications++;
        return verifier.verify(token);
      },
    } as unknown as TokenVerifier;
    const request = { headers: { authorization: 'Bearer T-ada' }, ip: '10.0.0.1' };
    await rateLimitTracker({ verifier: counting, apiKeys: new Map() })(request);
    await expect(authenticateRequest(counting, request)).resolves.toEqual({ id: 'u_ada', admin: false });
    expect(verifications).toBe(1);
  });
});

describe('rateLimitBucket', () => {
  it('is the caller alone, so every route draws on one budget', () => {
    expect(rateLimitBucket({ route: 'a' }, 'user:x', 'default')).toBe(
      rateLimitBucket({ route: 'b' }, 'user:x', 'default'),
    );
  });
});
