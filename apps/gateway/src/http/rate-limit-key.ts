import { createHash } from 'node:crypto';

/**
 * Who a request counts against: its bearer token or API key (hashed: the key of a rate-limit bucket
 * must not be a credential), else its address. Per token, so one noisy client cannot starve the rest.
 */
export function rateLimitKey(request: Record<string, unknown>): Promise<string> {
  const headers = (request['headers'] ?? {}) as Record<string, unknown>;
  const credential = headers['authorization'] ?? headers['x-api-key'];
  if (typeof credential === 'string' && credential.length > 0)
    return Promise.resolve(`token:${createHash('sha256').update(credential).digest('base64url')}`);
  return Promise.resolve(`ip:${String(request['ip'] ?? 'unknown')}`);
}
