import {
  decodeJwt,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type JWK,
  type KeyLike,
} from 'jose';
import { mintLocalToken } from './local-token';
import { InvalidTokenError, TokenVerifier, type Principal } from './token-verifier';

const SECRET = 'a-local-secret-of-at-least-32-bytes!';
const OTHER_SECRET = 'another-secret-of-at-least-32-bytes';

const hs256 = (options: { issuer?: string; audience?: string; clockSkewSeconds?: number } = {}) =>
  TokenVerifier.create({ keys: { kind: 'hs256', secret: SECRET }, clockSkewSeconds: 5, ...options });

const nowS = () => Math.floor(Date.now() / 1000);

/** A signed HS256 token with exactly the given claims. */
function hsToken(claims: Record<string, unknown>, secret = SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
}

/** Why verification failed: the InvalidTokenError's message (what the 401 says). */
async function rejection(verifier: TokenVerifier, token: string): Promise<string> {
  let result: Principal;
  try {
    result = await verifier.verify(token);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    return (error as Error).message;
  }
  throw new Error(`expected the token to be refused, it verified as ${JSON.stringify(result)}`);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('TokenVerifier with an HS256 secret', () => {
  it('verifies a token from mintLocalToken: the subject is the user id', async () => {
    const verifier = await hs256();
    const token = await mintLocalToken({ secret: SECRET, userId: 'u_123' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'u_123', admin: false });
  });

  it('makes an admin of a token with the admin role', async () => {
    const verifier = await hs256();
    const token = await mintLocalToken({ secret: SECRET, userId: 'u_admin', admin: true });
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'u_admin', admin: true });
  });

  it('takes the role from `roles: [...]` or `role: "..."`', async () => {
    const verifier = await hs256();
    const exp = nowS() + 60;
    await expect(
      verifier.verify(await hsToken({ sub: 'u1', exp, roles: ['reader', 'admin'] })),
    ).resolves.toMatchObject({ id: 'u1', admin: true });
    await expect(verifier.verify(await hsToken({ sub: 'u1', exp, role: 'admin' }))).resolves.toMatchObject({
      id: 'u1',
      admin: true,
    });
    await expect(verifier.verify(await hsToken({ sub: 'u1', exp, role: 'reader' }))).resolves.toMatchObject({
      id: 'u1',
      admin: false,
    });
    // `roles` wins over `role`; a non-string entry is no role.
    await expect(
      verifier.verify(await hsToken({ sub: 'u1', exp, roles: [{ name: 'admin' }], role: 'admin' })),
    ).resolves.toMatchObject({ id: 'u1', admin: false });
  });

  it('refuses an expired token', async () => {
    const verifier = await hs256();
    const token = await hsToken({ sub: 'u1', exp: nowS() - 120 });
    expect(await rejection(verifier, token)).toBe('the token has expired');
  });

  it('allows the configured clock skew on exp, and no more', async () => {
    const verifier = await hs256();
    await expect(verifier.verify(await hsToken({ sub: 'u1', exp: nowS() - 3 }))).resolves.toMatchObject({
      id: 'u1',
      admin: false,
    });
    expect(await rejection(verifier, await hsToken({ sub: 'u1', exp: nowS() - 10 }))).toBe(
      'the token has expired',
    );
    const strict = await hs256({ clockSkewSeconds: 0 });
    expect(await rejection(strict, await hsToken({ sub: 'u1', exp: nowS() - 2 }))).toBe(
      'the token has expired',
    );
  });

  it('says until when the token verifies: exp plus the clock-skew allowance', async () => {
    const exp = nowS() + 60;
    const principal = await (await hs256()).verify(await hsToken({ sub: 'u1', exp }));
    expect(principal.validUntil).toBe((exp + 5) * 1_000);
    const strict = await hs256({ clockSkewSeconds: 0 });
    expect((await strict.verify(await hsToken({ sub: 'u1', exp }))).validUntil).toBe(exp * 1_000);
  });

  it('refuses a token signed with another secret', async () => {
    const verifier = await hs256();
    const token = await mintLocalToken({ secret: OTHER_SECRET, userId: 'u1', admin: true });
    expect(await rejection(verifier, token)).toBe('the token signature does not verify');
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const verifier = await hs256();
    const [header, , signature] = (await mintLocalToken({ secret: SECRET, userId: 'u1' })).split('.');
    const forged = `${header}.${base64url({ sub: 'u1', exp: nowS() + 60, roles: ['admin'] })}.${signature}`;
    expect(await rejection(verifier, forged)).toBe('the token signature does not verify');
  });

  it.each(['', 'not-a-token', 'a.b.c', `${Buffer.from('not json').toString('base64url')}.e30.c2ln`])(
    'refuses the malformed token %p',
    async (token) => {
      const verifier = await hs256();
      expect(await rejection(verifier, token)).toBe('the token is malformed');
    },
  );

  it('refuses an `alg: none` token made with UnsecuredJWT', async () => {
    const verifier = await hs256();
    const token = new UnsecuredJWT({ roles: ['admin'] }).setSubject('u1').setExpirationTime('1h').encode();
    expect(await rejection(verifier, token)).toBe('the token algorithm is not accepted');
  });

  it('refuses an `alg: none` token made by hand', async () => {
    const verifier = await hs256();
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
      sub: 'u1',
      exp: nowS() + 60,
      roles: ['admin'],
    })}.`;
    expect(await rejection(verifier, token)).toBe('the token algorithm is not accepted');
  });

  it('refuses a token without a subject', async () => {
    const verifier = await hs256();
    const token = await hsToken({ exp: nowS() + 60 });
    expect(await rejection(verifier, token)).toBe('the token claim "sub" is not valid');
  });

  it('refuses a token without an expiry: it would be valid forever', async () => {
    const verifier = await hs256();
    const token = await hsToken({ sub: 'u1' });
    expect(await rejection(verifier, token)).toBe('the token claim "exp" is not valid');
  });

  it('refuses an empty or over-long subject, or one with control characters', async () => {
    const verifier = await hs256();
    const exp = nowS() + 60;
    for (const sub of ['u\u0000', 'u\n1', 'u\u007f', 'u\ud800'])
      expect(await rejection(verifier, await hsToken({ sub, exp }))).toBe('the token has no usable subject');
    expect(await rejection(verifier, await hsToken({ sub: '', exp }))).toBe(
      'the token has no usable subject',
    );
    expect(await rejection(verifier, await hsToken({ sub: 'u'.repeat(129), exp }))).toBe(
      'the token has no usable subject',
    );
    await expect(verifier.verify(await hsToken({ sub: 'u'.repeat(128), exp }))).resolves.toMatchObject({
      id: 'u'.repeat(128),
    });
  });

  describe('with an issuer and an audience configured', () => {
    const claims = { issuer: 'https://idp.example', audience: 'chronicle' };

    it('verifies a token naming both', async () => {
      const verifier = await hs256(claims);
      const token = await mintLocalToken({ secret: SECRET, userId: 'u1', ...claims });
      await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'u1', admin: false });
    });

    it('refuses a token from another issuer', async () => {
      const verifier = await hs256(claims);
      const token = await mintLocalToken({ ...claims, secret: SECRET, userId: 'u1', issuer: 'https://evil' });
      expect(await rejection(verifier, token)).toBe('the token claim "iss" is not valid');
    });

    it('refuses a token for another audience', async () => {
      const verifier = await hs256(claims);
      const token = await mintLocalToken({ ...claims, secret: SECRET, userId: 'u1', audience: 'billing' });
      expect(await rejection(verifier, token)).toBe('the token claim "aud" is not valid');
    });

    it('refuses a token naming neither', async () => {
      const verifier = await hs256(claims);
      const token = await mintLocalToken({ secret: SECRET, userId: 'u1' });
      expect(await rejection(verifier, token)).toMatch(/^the token claim "(iss|aud)" is not valid$/);
    });
  });

  it('does not check issuer or audience when none is configured', async () => {
    const verifier = await hs256();
    const token = await mintLocalToken({ secret: SECRET, userId: 'u1', issuer: 'any', audience: 'any' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'u1', admin: false });
  });
});

describe('mintLocalToken', () => {
  it('lives 12 hours unless told otherwise', async () => {
    const lifetime = (token: string) => {
      const { exp, iat } = decodeJwt(token);
      return (exp ?? 0) - (iat ?? 0);
    };
    expect(lifetime(await mintLocalToken({ secret: SECRET, userId: 'u1' }))).toBe(12 * 3600);
    expect(lifetime(await mintLocalToken({ secret: SECRET, userId: 'u1', ttlSeconds: 60 }))).toBe(60);
  });
});

describe('TokenVerifier with RS256 keys', () => {
  let privateKey: KeyLike;
  let publicKeyPem: string;
  let publicJwk: JWK;
  let otherPrivateKey: KeyLike;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    publicKeyPem = await exportSPKI(pair.publicKey);
    publicJwk = await exportJWK(pair.publicKey);
    otherPrivateKey = (await generateKeyPair('RS256')).privateKey;
  });

  const rsToken = (key: KeyLike, header: { kid?: string } = {}, claims: Record<string, unknown> = {}) =>
    new SignJWT({ roles: ['admin'], ...claims })
      .setProtectedHeader({ alg: 'RS256', ...header })
      .setSubject('u_rsa')
      .setExpirationTime('5m')
      .sign(key);

  describe('from a PEM public key', () => {
    const rs256 = () => TokenVerifier.create({ keys: { kind: 'rs256', publicKeyPem }, clockSkewSeconds: 5 });

    it('verifies a token signed with the private key', async () => {
      const verifier = await rs256();
      await expect(verifier.verify(await rsToken(privateKey))).resolves.toMatchObject({
        id: 'u_rsa',
        admin: true,
      });
    });

    it('refuses a token signed with another key', async () => {
      const verifier = await rs256();
      expect(await rejection(verifier, await rsToken(otherPrivateKey))).toBe(
        'the token signature does not verify',
      );
    });

    it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
      const verifier = await rs256();
      const token = await hsToken({ sub: 'u1', exp: nowS() + 60, roles: ['admin'] }, publicKeyPem);
      expect(await rejection(verifier, token)).toBe('the token algorithm is not accepted');
    });

    it('refuses an `alg: none` token', async () => {
      const verifier = await rs256();
      const token = new UnsecuredJWT({ roles: ['admin'] }).setSubject('u1').setExpirationTime('1h').encode();
      expect(await rejection(verifier, token)).toBe('the token algorithm is not accepted');
    });

    it('checks the issuer when configured', async () => {
      const verifier = await TokenVerifier.create({
        keys: { kind: 'rs256', publicKeyPem },
        clockSkewSeconds: 5,
        issuer: 'https://idp.example',
      });
      expect(await rejection(verifier, await rsToken(privateKey))).toBe('the token claim "iss" is not valid');
      await expect(
        verifier.verify(await rsToken(privateKey, {}, { iss: 'https://idp.example' })),
      ).resolves.toMatchObject({ id: 'u_rsa', admin: true });
    });
  });

  describe('from a JWK set', () => {
    const jwks = () => TokenVerifier.fromJwks({ keys: [{ ...publicJwk, kid: 'k1', alg: 'RS256' }] });

    it('verifies a token naming the key by kid', async () => {
      await expect(jwks().verify(await rsToken(privateKey, { kid: 'k1' }))).resolves.toMatchObject({
        id: 'u_rsa',
        admin: true,
      });
    });

    it('refuses a token naming a kid the set does not have', async () => {
      expect(await rejection(jwks(), await rsToken(privateKey, { kid: 'k2' }))).toBe(
        'the token signature does not verify',
      );
    });

    it('refuses a token signed with another key under a known kid', async () => {
      expect(await rejection(jwks(), await rsToken(otherPrivateKey, { kid: 'k1' }))).toBe(
        'the token signature does not verify',
      );
    });

    it('refuses an HS256 token', async () => {
      const token = await new SignJWT({ sub: 'u1', exp: nowS() + 60 })
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .sign(new TextEncoder().encode(SECRET));
      expect(await rejection(jwks(), token)).toBe('the token algorithm is not accepted');
    });
  });
});
