import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { formatUuidV7, isRfc9562Uuid, isUuidV7, uuidv7, uuidV7Timestamp } from './uuid-v7.util';

describe('uuidv7', () => {
  it('makes canonical lower-case UUIDs of version 7 and the RFC 9562 variant', () => {
    const id = uuidv7();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isUuidV7(id)).toBe(true);
  });

  it('carries the time it was made at', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    const ms = uuidV7Timestamp(id);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });

  it('gives back the millisecond timestamp of any UUIDv7', () => {
    expect(uuidV7Timestamp(formatUuidV7(1_795_312_939_193, 5, 9))).toBe(1_795_312_939_193);
    expect(uuidV7Timestamp('017f22e2-79b0-7cc3-98c4-dc0c0c07398f')).toBe(
      Date.parse('2022-02-22T19:22:22.000Z'),
    );
  });

  it('is strictly increasing within the process, many ids in the same millisecond included', () => {
    const ms = Date.now() + 60_000;
    const ids = Array.from({ length: 10_000 }, () => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => uuidV7Timestamp(id) === ms)).toBe(true);
  });

  it('never goes backwards when the clock does', () => {
    const later = uuidv7(Date.now() + 120_000);
    const afterClockStep = uuidv7(Date.now() - 3_600_000);
    expect(afterClockStep > later).toBe(true);
  });

  it('differs in its random bits between two ids', () => {
    const a = uuidv7();
    const b = uuidv7();
    expect(a.slice(-8)).not.toBe(b.slice(-8));
  });
});

describe('formatUuidV7', () => {
  it('lays out the fields like the example of RFC 9562 (appendix A.6)', () => {
    const randA = 0xcc3;
    const randB = { top30: 0x18c4dc0c, tail32: 0x0c07398f };
    expect(formatUuidV7(0x017f22e279b0, randA * 2 ** 30 + randB.top30, randB.tail32)).toBe(
      '017f22e2-79b0-7cc3-98c4-dc0c0c07398f',
    );
  });

  it('covers the extremes of every field', () => {
    expect(formatUuidV7(0, 0, 0)).toBe('00000000-0000-7000-8000-000000000000');
    expect(formatUuidV7(2 ** 48 - 1, 2 ** 42 - 1, 2 ** 32 - 1)).toBe('ffffffff-ffff-7fff-bfff-ffffffffffff');
  });
});

describe('isUuidV7', () => {
  it.each([
    ['a UUIDv4', randomUUID()],
    ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
    ['a wrong variant', '017f22e2-79b0-7cc3-c8c4-dc0c0c07398f'],
    ['no dashes', '017f22e279b07cc398c4dc0c0c07398f'],
    ['braces', '{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}'],
    ['a trailing newline', '017f22e2-79b0-7cc3-98c4-dc0c0c07398f\n'],
    ['an empty string', ''],
  ])('refuses %s', (_, value) => {
    expect(isUuidV7(value)).toBe(false);
    expect(uuidV7Timestamp(value)).toBeUndefined();
  });

  it('refuses what is not a string', () => {
    expect(isUuidV7(42)).toBe(false);
    expect(isUuidV7(null)).toBe(false);
  });

  it('accepts upper case, since UUIDs compare case-insensitively', () => {
    expect(isUuidV7('017F22E2-79B0-7CC3-98C4-DC0C0C07398F')).toBe(true);
    expect(uuidV7Timestamp('017F22E2-79B0-7CC3-98C4-DC0C0C07398F')).toBe(0x017f22e279b0);
  });
});

describe('isRfc9562Uuid', () => {
  /** The rule written out once more, independently of the implementation, as the oracle. */
  const RULE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
  const setChar = (value: string, at: number, char: string) =>
    value.slice(0, at) + char + value.slice(at + 1);

  it('accepts a UUID of every version from 1 to 8, in either case', () => {
    fc.assert(
      fc.property(fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] }), fc.boolean(), (id, upper) => {
        expect(isRfc9562Uuid(upper ? id.toUpperCase() : id)).toBe(true);
      }),
    );
    expect(isRfc9562Uuid(randomUUID())).toBe(true);
    expect(isRfc9562Uuid(uuidv7())).toBe(true);
  });

  it('refuses versions 0 and 9 to 15, which RFC 9562 does not define', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uuid({ version: [9, 10, 11, 12, 13, 14, 15] }),
          fc.uuid({ version: 4 }).map((id) => setChar(id, 14, '0')),
        ),
        (id) => {
          expect(isRfc9562Uuid(id)).toBe(false);
        },
      ),
    );
  });

  it('refuses a variant other than RFC 9562 (NCS, Microsoft, reserved)', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.constantFrom(...'01234567cdefCDEF'), (id, variant) => {
        expect(isRfc9562Uuid(setChar(id, 19, variant))).toBe(false);
      }),
    );
  });

  it('refuses the nil and max UUIDs: sentinels, and the nil one is what an unset id becomes', () => {
    expect(isRfc9562Uuid('00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(isRfc9562Uuid('ffffffff-ffff-ffff-ffff-ffffffffffff')).toBe(false);
    expect(isRfc9562Uuid('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF')).toBe(false);
  });

  it('agrees with the rule on UUIDs with a character replaced, inserted or removed', () => {
    fc.assert(
      fc.property(
        fc.uuid({ version: [1, 4, 7, 15] }),
        fc.nat(36),
        fc.string({ maxLength: 1, unit: 'binary' }),
        fc.constantFrom('replace', 'insert', 'remove'),
        (id, at, char, edit) => {
          const edited =
            edit === 'replace'
              ? setChar(id, at, char)
              : edit === 'insert'
                ? id.slice(0, at) + char + id.slice(at)
                : id.slice(0, at) + id.slice(at + 1);
          expect(isRfc9562Uuid(edited)).toBe(RULE.test(edited));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('refuses what is not a string', () => {
    fc.assert(
      fc.property(fc.anything({ withBoxedValues: true }), (value) => {
        fc.pre(typeof value !== 'string');
        expect(isRfc9562Uuid(value)).toBe(false);
      }),
    );
  });
});
