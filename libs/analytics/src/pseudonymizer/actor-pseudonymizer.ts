import { createHmac } from 'node:crypto';

/** Turns an actor id into its pseudonym: 64 lowercase hex digits. */
export type ActorPseudonymizer = (actorId: string) => string;

/** HMAC-SHA256's own block of security: a shorter key is easier to guess than the hash is to break. */
export const MIN_PSEUDONYM_SECRET_BYTES = 32;

/**
 * The keyed pseudonym of actor ids for the analytics store: hex HMAC-SHA256 of the id under `secret`.
 * The same id always gives the same key (so counts of distinct users work), and without the secret a
 * key cannot be recomputed from an id — a plain hash of a short user id could be, by trying ids.
 * A string secret counts in UTF-8 bytes; make one with `openssl rand -hex 32`.
 */
export function createActorPseudonymizer(secret: string | Uint8Array): ActorPseudonymizer {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < MIN_PSEUDONYM_SECRET_BYTES) {
    throw new RangeError(
      `the actor pseudonym secret must be at least ${MIN_PSEUDONYM_SECRET_BYTES} bytes, got ${key.length}: make one with \`openssl rand -hex 32\``,
    );
  }
  return (actorId) => createHmac('sha256', key).update(actorId, 'utf8').digest('hex');
}
