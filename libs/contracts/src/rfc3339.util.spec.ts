import { formatEventTime, isRfc3339Timestamp, parseRfc3339 } from './rfc3339.util';

describe('RFC 3339 timestamps', () => {
  it.each([
    [
      'UTC with milliseconds, as producers emit it',
      '2026-11-22T01:53:46.123Z',
      Date.parse('2026-11-22T01:53:46.123Z'),
    ],
    ['no fraction', '2026-11-22T01:53:46Z', Date.parse('2026-11-22T01:53:46Z')],
    ['a positive offset', '2026-11-22T02:53:46.5+01:00', Date.parse('2026-11-22T01:53:46.500Z')],
    ['a negative offset with minutes', '2026-11-21T21:23:46-04:30', Date.parse('2026-11-22T01:53:46Z')],
    ['lower-case t and z', '2026-11-22t01:53:46.123z', Date.parse('2026-11-22T01:53:46.123Z')],
    [
      'nanoseconds (truncated to ms)',
      '2026-11-22T01:53:46.123999999Z',
      Date.parse('2026-11-22T01:53:46.123Z'),
    ],
    ['two fraction digits', '2026-11-22T01:53:46.12Z', Date.parse('2026-11-22T01:53:46.120Z')],
    ['29 February of a leap year', '2024-02-29T00:00:00Z', Date.parse('2024-02-29T00:00:00Z')],
    ['29 February of a year divisible by 400', '2000-02-29T00:00:00Z', Date.parse('2000-02-29T00:00:00Z')],
    ['a year below 100', '0050-06-01T00:00:00Z', Date.parse('0050-06-01T00:00:00Z')],
    ['the last instant of a year', '9999-12-31T23:59:59.999Z', Date.parse('9999-12-31T23:59:59.999Z')],
  ])('accepts %s', (_, value, instant) => {
    expect(isRfc3339Timestamp(value)).toBe(true);
    expect(parseRfc3339(value)).toBe(instant);
  });

  it.each([
    ['a date only', '2026-11-22'],
    ['no offset', '2026-11-22T01:53:46'],
    ['a space instead of T', '2026-11-22 01:53:46Z'],
    ['30 February', '2026-02-30T00:00:00Z'],
    ['29 February of a common year', '2023-02-29T00:00:00Z'],
    ['29 February of a century not divisible by 400', '1900-02-29T00:00:00Z'],
    ['31 April', '2026-04-31T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['day 0', '2026-11-00T00:00:00Z'],
    ['hour 24', '2026-11-22T24:00:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['an empty fraction', '2026-11-22T01:53:46.Z'],
    ['an offset hour of 24', '2026-11-22T01:53:46+24:00'],
    ['an offset without colon', '2026-11-22T01:53:46+0100'],
    ['a trailing character', '2026-11-22T01:53:46Zx'],
    ['a zone letter other than Z', '2026-11-22T01:53:46A'],
    ['a two-digit year', '26-11-22T01:53:46Z'],
    ['a six-digit year', '+012026-11-22T01:53:46Z'],
    ['non-ASCII digits', '２０２６-11-22T01:53:46Z'],
    ['an absurdly long fraction', `2026-11-22T01:53:46.${'1'.repeat(100)}Z`],
  ])('refuses %s', (_, value) => {
    expect(isRfc3339Timestamp(value)).toBe(false);
    expect(parseRfc3339(value)).toBeUndefined();
  });

  it('refuses what is not a string', () => {
    expect(isRfc3339Timestamp(Date.now())).toBe(false);
    expect(isRfc3339Timestamp(new Date())).toBe(false);
  });
});

describe('formatEventTime', () => {
  it('writes UTC with milliseconds', () => {
    expect(formatEventTime(new Date('2026-11-22T02:53:46.1+01:00'))).toBe('2026-11-22T01:53:46.100Z');
    expect(formatEventTime(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('agrees with toISOString at every millisecond, before 1970 and in the same second too', () => {
    const instants = [
      -1, -999, -1000, -1001, 1, 9, 10, 99, 100, 999, 1000, 1_795_312_939_193, 1_795_312_939_007,
      -62_167_219_200_000, 253_402_300_799_999,
    ];
    for (const ms of instants) expect(formatEventTime(ms)).toBe(new Date(ms).toISOString());
    expect(formatEventTime(1_795_312_939_193.9)).toBe('2026-11-22T02:02:19.193Z');
  });

  it('has no answer for an invalid date or a year outside 0000–9999', () => {
    expect(formatEventTime(new Date('nope'))).toBeUndefined();
    expect(formatEventTime(Date.parse('9999-12-31T23:59:59.999Z') + 1)).toBeUndefined();
    expect(formatEventTime(Date.parse('0000-01-01T00:00:00Z') - 1)).toBeUndefined();
  });
});
