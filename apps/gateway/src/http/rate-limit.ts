import type { ThrottlerStorage } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { authenticateRequest } from '../auth/access.guard';
import { sourceOfApiKey } from '../auth/api-keys';
import type { Principal, TokenVerifier } from '../auth/token-verifier';

/** What the rate limit needs to know who is calling: the same checks the access guard makes. */
export interface RateLimitIdentity {
  verifier: TokenVerifier;
  apiKeys: ReadonlyMap<string, string>;
}

const hash = (value: string) => createHash('sha256').update(value).digest('base64url');

/** The key a verified token's holder is counted under, by every limit (rate, exports, live streams). */
export const callerKey = (principal: Pick<Principal, 'id'>): string => `user:${hash(principal.id)}`;

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
        return callerKey(await authenticateRequest(identity.verifier, request));
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

/** The budget's window; the limit is GATEWAY_RATE_LIMIT_PER_MINUTE calls in it. */
export const RATE_LIMIT_WINDOW_MS = 60_000;
/** Named 'default' so that the 429's header is plain Retry-After (others get a -<name> suffix). */
export const RATE_LIMIT_THROTTLER = 'default';

/**
 * Counts one call of `tracker` where ThrottlerGuard counts REST (same storage, same key, same window
 * and block), for the calls its guard does not count: GraphQL requests over HTTP and graphql-ws
 * operations, once each.
 */
export async function spendRateLimit(
  storage: ThrottlerStorage,
  tracker: string,
  limit: number,
): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  const { isBlocked, timeToBlockExpire } = await storage.increment(
    rateLimitBucket(undefined, tracker, RATE_LIMIT_THROTTLER),
    RATE_LIMIT_WINDOW_MS,
    limit,
    RATE_LIMIT_WINDOW_MS,
    RATE_LIMIT_THROTTLER,
  );
  return isBlocked
    ? { allowed: false, retryAfterSeconds: Math.max(1, timeToBlockExpire) }
    : { allowed: true };
}
