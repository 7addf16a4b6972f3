import fc from 'fast-check';
import { AnalyticsQueryError } from './query-parameters';
import {
  checkTimeZone,
  dayIn,
  formatterCount,
  isUtc,
  lastCompleteDay,
  MAX_CACHED_FORMATTERS,
} from './time-zone.util';

describe('time zones', () => {
  it('takes a name the zone database knows (isTimeZoneName, tested in contracts), or the fallback', () => {
    expect(checkTimeZone('Asia/Calcutta', 'tz')).toBe('Asia/Calcutta');
    expect(checkTimeZone(undefined, 'tz')).toBe('UTC');
    expect(checkTimeZone(undefined, 'tz', 'Europe/Paris')).toBe('Europe/Paris');
  });

  it('refuses anything else with an error naming the parameter', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.integer(),
          fc.constant(null),
          fc.constantFrom('Mars/Olympus', 'UTC; DROP', ''),
        ),
        (value) => {
          fc.pre(typeof value !== 'string' || !/^[A-Za-z]+(\/[A-Za-z_]+)*$/.test(value));
          expect(() => checkTimeZone(value, 'tz')).toThrow(AnalyticsQueryError);
          try {
            checkTimeZone(value, 'tz');
          } catch (error) {
            expect((error as AnalyticsQueryError).parameter).toBe('tz');
            expect((error as Error).message.length).toBeLessThan(200);
          }
        },
      ),
    );
  });

  it('knows which names are UTC', () => {
    expect(isUtc('UTC')).toBe(true);
    expect(isUtc('Etc/UTC')).toBe(true);
    expect(isUtc('Europe/London')).toBe(false);
  });

  it('gives the calendar day of an instant in a zone, across a DST change', () => {
    // Auckland moves from +12 to +13 at 02:00 local on 27 September 2026 (14:00 UTC the day before).
    expect(dayIn('Pacific/Auckland', Date.parse('2026-09-26T11:59:59Z'))).toBe('2026-09-26');
    expect(dayIn('Pacific/Auckland', Date.parse('2026-09-26T12:00:00Z'))).toBe('2026-09-27');
    expect(dayIn('Pacific/Auckland', Date.parse('2026-09-27T11:00:00Z'))).toBe('2026-09-28');
    expect(dayIn('Asia/Kolkata', Date.parse('2026-09-26T18:29:59Z'))).toBe('2026-09-26');
    expect(dayIn('Asia/Kolkata', Date.parse('2026-09-26T18:30:00Z'))).toBe('2026-09-27');
    expect(dayIn('UTC', Date.parse('2026-09-26T23:59:59.999Z'))).toBe('2026-09-26');
  });

  it('keeps a bounded number of formatters, whatever the spellings of zone names it is given', () => {
    const at = Date.parse('2026-09-26T12:00:00Z');
    // Intl takes a name in any letter case: 2^13 spellings of one zone.
    for (let i = 0; i < 300; i++) {
      const spelled = [...'europe/berlin'].map((c, k) => ((i >> k) & 1 ? c.toUpperCase() : c)).join('');
      expect(dayIn(spelled, at)).toBe('2026-09-26');
    }
    expect(formatterCount()).toBeLessThanOrEqual(MAX_CACHED_FORMATTERS);
  });

  it('counts a day as over once it is before today in the zone, and never past `to`', () => {
    const now = Date.parse('2026-09-03T12:00:00Z');
    expect(lastCompleteDay('2026-09-30', 'UTC', now)).toBe('2026-09-02');
    expect(lastCompleteDay('2026-09-30', 'Pacific/Auckland', now)).toBe('2026-09-03');
    expect(lastCompleteDay('2026-09-30', 'America/Los_Angeles', now)).toBe('2026-09-02');
    expect(lastCompleteDay('2026-08-31', 'UTC', now)).toBe('2026-08-31');
  });
});
