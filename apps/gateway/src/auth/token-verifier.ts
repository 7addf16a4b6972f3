import {
  createLocalJWKSet,
  createRemoteJWKSet,
  importSPKI,
  jwtVerify,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import type { GatewayConfig } from '../gateway.config';
import { isPlainText } from '../http/plain-text';

/** Who is calling, from a verified bearer token. */
export interface Principal {
  /** The token's `sub`: the user id their activity is recorded under. */
  id: string;
  admin: boolean;
  /** When the token stops verifying (ms since the epoch): `exp` plus the clock-skew allowance. A stream ends then. */
  validUntil: number;
}

/** The token is missing, malformed, expired, wrongly signed or of an algorithm we do not accept. */
export class InvalidTokenError extends Error {}

export const ADMIN_ROLE = 'admin';

/**
 * Verifies bearer tokens against the one configured key source. The accepted algorithm is pinned by
 * the key source (HS256 or RS256), so `alg: none` and algorithm-confusion tokens fail verification.
 */
export class TokenVerifier {
  private constructor(
    private readonly key: Uint8Array | KeyLike | JWTVerifyGetKey,
    private readonly algorithm: 'HS256' | 'RS256',
    private readonly claims: { issuer?: string; audience?: string },
    private readonly clockToleranceSeconds: number,
  ) {}

  static async create(jwt: GatewayConfig['jwt']): Promise<TokenVerifier> {
    const skew = jwt.clockSkewSeconds;
    const claims = {
      ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
      ...(jwt.audience ? { audience: jwt.audience } : {}),
    };
    switch (jwt.keys.kind) {
      case 'hs256':
        return new TokenVerifier(new TextEncoder().encode(jwt.keys.secret), 'HS256', claims, skew);
      case 'rs256':
        return new TokenVerifier(await importSPKI(jwt.keys.publicKeyPem, 'RS256'), 'RS256', claims, skew);
      case 'jwks':
        // Keys are fetched on first use and refreshed when a token names an unknown `kid`.
        return new TokenVerifier(createRemoteJWKSet(new URL(jwt.keys.url)), 'RS256', claims, skew);
    }
  }

  /** For tests: a verifier over an in-memory JWK set. */
  static fromJwks(jwks: Parameters<typeof createLocalJWKSet>[0], clockSkewSeconds = 5): TokenVerifier {
    return new TokenVerifier(createLocalJWKSet(jwks), 'RS256', {}, clockSkewSeconds);
  }

  async verify(token: string): Promise<Principal> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key as Uint8Array, {
        algorithms: [this.algorithm],
        clockTolerance: this.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
        ...this.claims,
      }));
    } catch (error) {
      throw new InvalidTokenError(describeJoseError(error));
    }
    const sub = payload['sub'];
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128 || !isPlainText(sub))
      throw new InvalidTokenError('the token has no usable subject');
    return {
      id: sub,
      admin: rolesOf(payload).includes(ADMIN_ROLE),
      // requiredClaims made jose check that `exp` is there and a number.
      validUntil: ((payload['exp'] as number) + this.clockToleranceSeconds) * 1_000,
    };
  }
}

/** `roles: ["admin"]` or `role: "admin"`, the two shapes identity providers commonly emit. */
function rolesOf(payload: Record<string, unknown>): string[] {
  const roles = payload['roles'];
  if (Array.isArray(roles)) return roles.filter((role): role is string => typeof role === 'string');
  const role = payload['role'];
  return typeof role === 'string' ? [role] : [];
}

/** A short reason for the 401, never the token itself. */
function describeJoseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'the token signature does not verify';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the token algorithm is not accepted';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `the token claim "${String((error as { claim?: unknown }).claim)}" is not valid`;
    default:
      return 'the token is malformed';
  }
}
