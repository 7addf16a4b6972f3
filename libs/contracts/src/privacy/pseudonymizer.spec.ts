import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import {
  createPseudonymizer,
  isPersonEntityType,
  MIN_PSEUDONYM_SECRET_BYTES,
  subjectMessage,
} from './pseudonymizer';

const SECRET = 'k'.repeat(32);
const hmac = (key: string | Buffer, message: string) =>
  createHmac('sha256', key).update(message).digest('hex');

describe('createPseudonymizer', () => {
  it('gives the hex HMAC-SHA256 of the length-prefixed type and id under the secret', () => {
    const pseudonymize = createPseudonymizer(SECRET);
    expect(pseudonymize('user', 'u_123')).toBe(hmac(SECRET, '4:user:u_123'));
    expect(pseudonymize('user', 'u_123')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is stable for a subject and differs between ids, types and secrets', () => {
    const pseudonymize = createPseudonymizer(SECRET);
    expect(pseudonymize('user', 'u_1')).toBe(pseudonymize('user', 'u_1'));
    expect(pseudonymize('user', 'u_1')).not.toBe(pseudonymize('user', 'u_2'));
    // A service named like a user is not that user.
    expect(pseudonymize('service', 'u_1')).not.toBe(pseudonymize('user', 'u_1'));
    expect(createPseudonymizer('j'.repeat(32))('user', 'u_1')).not.toBe(pseudonymize('user', 'u_1'));
  });

  it('gives distinct subjects distinct messages, whatever characters they hold', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (t1, i1, t2, i2) => {
        fc.pre(t1 !== t2 || i1 !== i2);
        expect(subjectMessage(t1, i1)).not.toBe(subjectMessage(t2, i2));
      }),
    );
  });

  it('hashes ids of any script by their UTF-8 bytes', () => {
    expect(createPseudonymizer(SECRET)('user', 'ユーザー')).toBe(
      createHmac('sha256', SECRET).update(Buffer.from('4:user:ユーザー', 'utf8')).digest('hex'),
    );
  });

  it('takes a secret as bytes', () => {
    const bytes = Buffer.alloc(MIN_PSEUDONYM_SECRET_BYTES, 7);
    expect(createPseudonymizer(new Uint8Array(bytes))('user', 'u_1')).toBe(hmac(bytes, '4:user:u_1'));
  });

  it('refuses a secret shorter than 32 bytes, saying how to make one', () => {
    expect(() => createPseudonymizer('k'.repeat(31))).toThrow(
      'the pseudonym secret must be at least 32 bytes, got 31: make one with `openssl rand -hex 32`',
    );
    expect(() => createPseudonymizer('')).toThrow(/at least 32 bytes, got 0/);
    expect(() => createPseudonymizer(new Uint8Array(16))).toThrow(/got 16/);
  });

  it('counts a string secret in UTF-8 bytes, not characters', () => {
    // 11 characters of 3 bytes each: 33 bytes.
    expect(() => createPseudonymizer('秘'.repeat(11))).not.toThrow();
    expect(() => createPseudonymizer('秘'.repeat(10))).toThrow(/got 30/);
  });
});

describe('isPersonEntityType', () => {
  it('knows users and people by other names, not apps or components', () => {
    for (const type of ['user', 'person', 'member', 'customer', 'employee', 'contact'])
      expect(isPersonEntityType(type)).toBe(true);
    for (const type of ['app', 'collection', 'component', 'User', 'users'])
      expect(isPersonEntityType(type)).toBe(false);
  });
});
