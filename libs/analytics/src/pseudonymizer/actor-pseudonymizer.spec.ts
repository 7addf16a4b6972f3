import { createHmac } from 'node:crypto';
import { createActorPseudonymizer, MIN_PSEUDONYM_SECRET_BYTES } from './actor-pseudonymizer';

const SECRET = 'k'.repeat(32);

describe('createActorPseudonymizer', () => {
  it('gives the hex HMAC-SHA256 of the actor id under the secret', () => {
    const pseudonymize = createActorPseudonymizer(SECRET);
    expect(pseudonymize('u_123')).toBe(createHmac('sha256', SECRET).update('u_123').digest('hex'));
    expect(pseudonymize('u_123')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is stable for an id and differs between ids and between secrets', () => {
    const pseudonymize = createActorPseudonymizer(SECRET);
    expect(pseudonymize('u_1')).toBe(pseudonymize('u_1'));
    expect(pseudonymize('u_1')).not.toBe(pseudonymize('u_2'));
    expect(createActorPseudonymizer('j'.repeat(32))('u_1')).not.toBe(pseudonymize('u_1'));
  });

  it('hashes ids of any script by their UTF-8 bytes', () => {
    const pseudonymize = createActorPseudonymizer(SECRET);
    expect(pseudonymize('ユーザー')).toBe(
      createHmac('sha256', SECRET).update(Buffer.from('ユーザー', 'utf8')).digest('hex'),
    );
  });

  it('takes a secret as bytes', () => {
    const bytes = Buffer.alloc(MIN_PSEUDONYM_SECRET_BYTES, 7);
    expect(createActorPseudonymizer(new Uint8Array(bytes))('u_1')).toBe(
      createHmac('sha256', bytes).update('u_1').digest('hex'),
    );
  });

  it('refuses a secret shorter than 32 bytes, saying how to make one', () => {
    expect(() => createActorPseudonymizer('k'.repeat(31))).toThrow(
      'the actor pseudonym secret must be at least 32 bytes, got 31: make one with `openssl rand -hex 32`',
    );
    expect(() => createActorPseudonymizer('')).toThrow(/at least 32 bytes, got 0/);
    expect(() => createActorPseudonymizer(new Uint8Array(16))).toThrow(/got 16/);
  });

  it('counts a string secret in UTF-8 bytes, not characters', () => {
    // 11 characters of 3 bytes each: 33 bytes.
    expect(() => createActorPseudonymizer('秘'.repeat(11))).not.toThrow();
    expect(() => createActorPseudonymizer('秘'.repeat(10))).toThrow(/got 30/);
  });
});
