/*
 * When people use the product. Users live in one time zone (UTC here, so that charts line up with the
 * stored times): little at night, a commute bump, a plateau through the day and a peak in the evening;
 * weekends start later, stay busier at midday and run later into the night. Background jobs keep
 * running around the clock, with the maintenance window adding a bump at 02:00–04:00.
 */

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

// Relative user activity at the middle of each hour, 00:30 … 23:30; the evening peak is 1.
const WEEKDAY_PROFILE = [
  0.16, 0.1, 0.07, 0.06, 0.06, 0.09, 0.2, 0.38, 0.46, 0.44, 0.45, 0.48, 0.55, 0.52, 0.48, 0.5, 0.56, 0.64,
  0.76, 0.9, 1.0, 0.96, 0.74, 0.4,
];
const WEEKEND_PROFILE = [
  0.28, 0.18, 0.12, 0.08, 0.07, 0.07, 0.1, 0.18, 0.3, 0.46, 0.6, 0.7, 0.74, 0.72, 0.7, 0.68, 0.7, 0.74, 0.82,
  0.92, 0.98, 0.95, 0.8, 0.52,
];

/** Background (system and service) activity relative to the users' evening peak. */
const SYSTEM_BASE = 0.06;
const MAINTENANCE_EXTRA = 0.08;

/** The UTC day number of a time (days since 1970-01-01). */
export function dayOf(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
function weekdayOf(day: number): number {
  return (day + 4) % 7; // 1970-01-01 was a Thursday
}

export function isWeekend(day: number): boolean {
  const weekday = weekdayOf(day);
  return weekday === 0 || weekday === 6;
}

function profileOf(day: number): readonly number[] {
  return isWeekend(day) ? WEEKEND_PROFILE : WEEKDAY_PROFILE;
}

/** User activity at `timeMs`, in (0, 1]: interpolated between hour midpoints so charts have no steps. */
export function userIntensity(timeMs: number): number {
  const day = dayOf(timeMs);
  const hours = (timeMs - day * DAY_MS) / HOUR_MS - 0.5;
  const hour = Math.floor(hours);
  const fraction = hours - hour;
  const here = hourlyValue(day, hour);
  return here + (hourlyValue(day, hour + 1) - here) * fraction;
}

/** The profile value of hour `hour` of `day`, where hours -1 and 24 belong to the neighbouring days. */
function hourlyValue(day: number, hour: number): number {
  if (hour < 0) return profileOf(day - 1)[23] as number;
  if (hour > 23) return profileOf(day + 1)[0] as number;
  return profileOf(day)[hour] as number;
}

/** System and service activity at `timeMs`: steady, plus the nightly maintenance window. */
export function systemIntensity(timeMs: number): number {
  return SYSTEM_BASE + (isMaintenanceWindow(timeMs) ? MAINTENANCE_EXTRA : 0);
}

/** 02:00–04:00, when the housekeeping jobs run. */
export function isMaintenanceWindow(timeMs: number): boolean {
  const hourOfDay = (timeMs - dayOf(timeMs) * DAY_MS) / HOUR_MS;
  return hourOfDay >= 2 && hourOfDay < 4;
}
