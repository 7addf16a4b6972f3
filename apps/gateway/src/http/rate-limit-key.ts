import { createHash } from 'node:crypto';
import { authenticateRequest } from '../auth/access.guard';
import { sourceOfApiKey } from '../auth/api-keys';
import type { TokenVerifier } from '../auth/token-verifier';

/** What the rate limit needs to know who is calling: the same checks the access guard makes. */
export interface RateLimitIdentity {
  verifier: TokenVerifier;
  apiKeys: ReadonlyMap<string, string>;
}

const hash = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * Who a request counts against: the verified principal — the API key's source, else the token's
 * `sub` — and, when neither verifies, the calling address. Keyed on what was verified, not on the
 * header's text: `bearer T`, `BEARER T` and `Bearer  T` are one caller, and a made-up
 * Authorization header is just the address again rather than a fresh bucket. Hashed: a bucket's key
 * must not be an identifier anyone reads in a heap dump.
 */
export function rateLimitTracker(
  identity: RateLimitIdentity,
): (request: Record<string, unknown>) => Promise<string> {
  return async (request) => {
    const headers = (request['headers'] ?? {}) as Record<string, unknown>;
    const source = sourceOfApiKey(identity.apiKeys, headers['x-api-key']);
    if (source !== undefined) return `source:${hash(source)}`;
    if (headers['authorization'] !== undefined) {
      try {
        const principal = await authenticateRequest(identity.verifier, request);
        return `user:${hash(principal.id)}`;
      } catch {
        // Not a caller we know: counted by address, like any anonymous call.
      }
    }
    return `ip:${String(request['ip'] ?? 'unknown')}`;
  };
}

/** One budget per caller across every route: the key is the caller alone, not the route and the caller. */
export function rateLimitBucket(_context: unknown, tracker: string, throttler: string): string {
  return `${throttler}:${tracker}`;
}
