import { DAY_MS, dayOf, isMaintenanceWindow, isWeekend, systemIntensity, userIntensity } from './rhythm.util';

const MONDAY = Date.parse('2026-11-23T00:00:00Z');
const SATURDAY = Date.parse('2026-11-28T00:00:00Z');
const at = (day: number, hours: number) => day + hours * 3_600_000;

describe('userIntensity', () => {
  it('peaks in the evening and is lowest at night, on weekdays and at weekends', () => {
    for (const day of [MONDAY, SATURDAY]) {
      const evening = userIntensity(at(day, 20.5));
      expect(evening).toBeGreaterThan(0.9);
      expect(evening).toBeGreaterThan(5 * userIntensity(at(day, 4)));
      expect(evening).toBeGreaterThan(userIntensity(at(day, 14)));
    }
  });

  it('starts later and is busier at midday at weekends', () => {
    expect(userIntensity(at(SATURDAY, 8))).toBeLessThan(userIntensity(at(MONDAY, 8)));
    expect(userIntensity(at(SATURDAY, 12.5))).toBeGreaterThan(userIntensity(at(MONDAY, 12.5)));
  });

  it('changes smoothly, across midnight too', () => {
    for (let t = MONDAY - DAY_MS; t < SATURDAY + DAY_MS; t += 60_000) {
      expect(Math.abs(userIntensity(t + 60_000) - userIntensity(t))).toBeLessThan(0.01);
    }
  });
});

describe('systemIntensity', () => {
  it('is steady, with more in the 02:00–04:00 maintenance window', () => {
    expect(systemIntensity(at(MONDAY, 3))).toBeGreaterThan(systemIntensity(at(MONDAY, 12)));
    expect(systemIntensity(at(MONDAY, 12))).toBe(systemIntensity(at(SATURDAY, 20)));
    expect(isMaintenanceWindow(at(MONDAY, 2))).toBe(true);
    expect(isMaintenanceWindow(at(MONDAY, 4))).toBe(false);
  });
});

describe('days', () => {
  it('counts UTC days and knows weekends', () => {
    expect(dayOf(MONDAY) + 5).toBe(dayOf(SATURDAY));
    expect(dayOf(MONDAY + DAY_MS - 1)).toBe(dayOf(MONDAY));
    expect(isWeekend(dayOf(SATURDAY))).toBe(true);
    expect(isWeekend(dayOf(SATURDAY) + 1)).toBe(true);
    expect(isWeekend(dayOf(MONDAY))).toBe(false);
  });
});
