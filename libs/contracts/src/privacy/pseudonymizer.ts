import { createHmac } from 'node:crypto';

/**
 * Turns a subject — an actor, or an entity that is a person — into its pseudonym: 64 lowercase hex
 * digits. Keyed on the type as well as the id, so that a service named like a user is not that user.
 */
export type Pseudonymizer = (type: string, id: string) => string;

/** HMAC-SHA256's own block of security: a shorter key is easier to guess than the hash is to break. */
export const MIN_PSEUDONYM_SECRET_BYTES = 32;

/**
 * Entity types that name a person. Their ids are pseudonymised in the analytics store like actor ids
 * (with the same key for the same (type, id), so `user` u_1 as actor and as entity is one pseudonym).
 */
export const PERSON_ENTITY_TYPES: readonly string[] = [
  'user',
  'person',
  'member',
  'customer',
  'employee',
  'contact',
];

export function isPersonEntityType(type: string): boolean {
  return PERSON_ENTITY_TYPES.includes(type);
}

/**
 * The keyed pseudonym of subjects, for the analytics store: hex HMAC-SHA256 of (type, id) under
 * `secret`. The same subject always gives the same key (so counts of distinct users work), and
 * without the secret a key cannot be recomputed from an id — a plain hash of a short user id could
 * be, by trying ids. The message is the type's length, the type and the id (`4:user:u_1`), so no two
 * subjects share one whatever characters they hold. A string secret counts in UTF-8 bytes; make one
 * with `openssl rand -hex 32`.
 */
export function createPseudonymizer(secret: string | Uint8Array): Pseudonymizer {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < MIN_PSEUDONYM_SECRET_BYTES) {
    throw new RangeError(
      `the pseudonym secret must be at least ${MIN_PSEUDONYM_SECRET_BYTES} bytes, got ${key.length}: make one with \`openssl rand -hex 32\``,
    );
  }
  return (type, id) => createHmac('sha256', key).update(subjectMessage(type, id), 'utf8').digest('hex');
}

/** What is hashed for (type, id): length-prefixed, so (`a:b`, `c`) and (`a`, `b:c`) differ. */
export function subjectMessage(type: string, id: string): string {
  return `${type.length}:${type}:${id}`;
}
