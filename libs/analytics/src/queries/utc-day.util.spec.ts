import { addDays, daysBetween, daysFromTo, mondayOf } from './utc-day.util';

describe('UTC day arithmetic', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    // Days around a European daylight-saving change are still 24 hours apart in UTC.
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
  });

  it('counts the days between two days', () => {
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2026-01-02', '2026-01-01')).toBe(-1);
  });

  it('finds the Monday of the ISO week', () => {
    expect(mondayOf('2026-11-22')).toBe('2026-11-16'); // a Sunday
    expect(mondayOf('2026-11-16')).toBe('2026-11-16');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  });

  it('lists the days of a range, both ends included', () => {
    expect(daysFromTo('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(daysFromTo('2026-03-02', '2026-03-01')).toEqual([]);
  });
});
