import { timingSafeEqual } from 'node:crypto';

/**
 * The CloudEvents source an `X-API-Key` header belongs to, or undefined when it is missing or
 * matches no configured key. Compared in constant time, so timing does not give a key away.
 */
export function sourceOfApiKey(apiKeys: ReadonlyMap<string, string>, header: unknown): string | undefined {
  if (typeof header !== 'string' || header.length === 0) return undefined;
  const given = Buffer.from(header);
  for (const [key, source] of apiKeys) {
    const expected = Buffer.from(key);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return source;
  }
  return undefined;
}
