import type { ApiSchema } from './api-schema';

const DAY_MS = 86_400_000;

export type DailyUsers = ApiSchema<'DailyUsers'>;
export type StickinessPoint = ApiSchema<'StickinessPoint'>;
export type ActivityMixRow = ApiSchema<'ActivityMixRow'>;

/** The analytics range of the last `days` calendar days ending `today` (both included), as the API takes it. */
export function lastDays(days: number, today: string): { from: string; to: string } {
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to: today };
}

/** Every calendar day from `from` to `to`, both included (date arithmetic, in no zone). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** A series on the given days, 0 where the API has no point (nobody active). */
export function onDays(days: readonly string[], series: readonly DailyUsers[]): number[] {
  const byDay = new Map(series.map((point) => [point.day, point.users]));
  return days.map((day) => byDay.get(day) ?? 0);
}

/** Events per type per day → one series per type (most events first), on the given days. */
export function mixSeries(
  days: readonly string[],
  rows: readonly ActivityMixRow[],
): { type: string; total: number; values: number[] }[] {
  const index = new Map(days.map((day, i) => [day, i]));
  const byType = new Map<string, number[]>();
  for (const row of rows) {
    const i = index.get(row.day);
    if (i === undefined) continue;
    const values = byType.get(row.activityType) ?? days.map(() => 0);
    values[i] = (values[i] ?? 0) + row.events;
    byType.set(row.activityType, values);
  }
  return [...byType]
    .map(([type, values]) => ({ type, values, total: values.reduce((sum, value) => sum + value, 0) }))
    .sort((a, b) => b.total - a.total || a.type.localeCompare(b.type));
}

/** 12,345 in the browser's locale. */
export function formatCount(value: number, locale?: string): string {
  return value.toLocaleString(locale);
}

/** 0.1234 → "12.3%"; null → "–". */
export function formatPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)}%`;
}

/** The average of the known ratios, for a headline stickiness figure; null when none is known. */
export function averageRatio(points: readonly StickinessPoint[]): number | null {
  const known = points.map((point) => point.ratio).filter((ratio): ratio is number => ratio !== null);
  return known.length === 0 ? null : known.reduce((sum, ratio) => sum + ratio, 0) / known.length;
}

/**
 * The background of a retention cell: deeper blue for a higher rate, with a text colour that stays
 * readable on it (WCAG contrast). Null rates (periods after the range) get no shade.
 */
export function retentionShade(rate: number | null): { background: string; color: string } | null {
  if (rate === null) return null;
  const clamped = Math.min(1, Math.max(0, rate));
  const lightness = Math.round(96 - clamped * 60);
  return { background: `hsl(213 80% ${lightness}%)`, color: lightness < 60 ? '#fff' : '#0b1f33' };
}

/** The retention definitions the API offers (`mode`); `calendar` is its default. */
export const RETENTION_MODES = ['calendar', 'rolling', 'unbounded'] as const;
export type RetentionMode = (typeof RETENTION_MODES)[number];

/** The name of each mode in the page's select. */
export const RETENTION_MODE_NAMES: Record<RetentionMode, string> = {
  calendar: 'Calendar days (default)',
  rolling: 'Rolling 24-hour windows',
  unbounded: 'On or after day N (unbounded)',
};

/** The `mode` of the URL, `calendar` when absent or unknown (the API's default). */
export function retentionMode(value: string | null | undefined): RetentionMode {
  return RETENTION_MODES.find((mode) => mode === value) ?? 'calendar';
}

/**
 * What a retention mode counts, for the page: a short label (for the line under the heading and the
 * mode's select) and a sentence explaining it. `unit` is the period: days (D1, D7, D30 and daily
 * cohorts) or weeks (weekly cohorts).
 */
export function retentionModeText(
  mode: RetentionMode,
  unit: 'day' | 'week' = 'day',
): { label: string; explanation: string } {
  const day = unit === 'day';
  switch (mode) {
    case 'calendar':
      return {
        label: day
          ? 'calendar days (active on cohort day + N)'
          : 'calendar weeks (active in cohort week + N)',
        explanation: day
          ? 'A user counts for day N when active on the calendar day N days after the day first seen, in this time zone: first seen at 23:59 and back at 00:01 is day-1 retained.'
          : 'A user counts for week N when active in the calendar week (Monday to Sunday) N weeks after the week first seen, in this time zone.',
      };
    case 'rolling':
      return {
        label: day
          ? '24-hour windows (active N × 24 h to (N + 1) × 24 h after the first event)'
          : '7-day windows (active N × 7 × 24 h to (N + 1) × 7 × 24 h after the first event)',
        explanation: day
          ? 'A user counts for day N when active within the N-th 24 hours after their own first event, as Amplitude and Mixpanel count by default; the cohort is still the calendar day first seen.'
          : 'A user counts for week N when active within the N-th 7 × 24 hours after their own first event; the cohort is still the calendar week first seen.',
      };
    case 'unbounded':
      return {
        label: day
          ? 'on or after day N (active on cohort day + N or later)'
          : 'on or after week N (active in cohort week + N or later)',
        explanation: day
          ? 'A user counts for day N when active on the calendar day N days after the day first seen or on any later day of the range ("returned on or after day N").'
          : 'A user counts for week N when active in the calendar week N weeks after the week first seen or in any later week of the range.',
      };
  }
}

/** The line under the heading: the zone and the retention definition the replies were computed with. */
export function definitionLine(timeZone: string, mode: RetentionMode): string {
  return `Days in ${timeZone} · Retention: ${retentionModeText(mode).label}`;
}

/** Whether `Intl` knows the zone (the API refuses one it does not know, naming `tz`). */
export function isTimeZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The page's zone: the URL's `tz` when `Intl` knows it, else the browser's, else UTC. */
export function analyticsTimeZone(param: string | null | undefined, browserZone: string | undefined): string {
  if (isTimeZone(param)) return param;
  return isTimeZone(browserZone) ? browserZone : 'UTC';
}

/** A few zones teams commonly report in, after the browser's own and UTC. */
export const COMMON_TIME_ZONES = [
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
] as const;

/** The zones of the select: the browser's first, then UTC and the common ones, with `current` kept; no repeats. */
export function timeZoneChoices(browserZone: string, current: string): string[] {
  return [...new Set([browserZone, 'UTC', ...COMMON_TIME_ZONES, current])];
}

/** Today's `YYYY-MM-DD` in a time zone (its calendar, not UTC's). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** The page's state in the URL: the range, the zone and the retention mode. */
export function analyticsUrl(view: { from: string; to: string; tz: string; mode: RetentionMode }): string {
  const params = new URLSearchParams({ from: view.from, to: view.to, tz: view.tz, mode: view.mode });
  return `/analytics?${params.toString()}`;
}

/**
 * Whether each day's figure is final, from the API's `complete` flags; a day the API gave no point
 * for (the activity mix has rows only where there were events) is complete when it is before today.
 */
export function completeOnDays(
  days: readonly string[],
  points: readonly { day: string; complete: boolean }[],
  today: string,
): boolean[] {
  const byDay = new Map<string, boolean>();
  for (const point of points) byDay.set(point.day, (byDay.get(point.day) ?? true) && point.complete);
  return days.map((day) => byDay.get(day) ?? day < today);
}

/**
 * A series cut in two for drawing: `complete` holds the values of the complete points (null
 * elsewhere), drawn solid; `incomplete` the values of the incomplete points plus, before each run of
 * them, the last complete point, so that the dashed part joins the solid one (null elsewhere).
 * `joins` are the indexes of those joining points, the only values in both.
 */
export function splitByCompleteness<T extends number | null>(
  values: readonly T[],
  complete: readonly boolean[],
): { complete: (T | null)[]; incomplete: (T | null)[]; incompleteIndexes: number[]; joins: number[] } {
  const isComplete = (i: number) => complete[i] ?? true;
  const joins: number[] = [];
  const incompleteIndexes: number[] = [];
  values.forEach((_, i) => {
    if (isComplete(i)) {
      if (i + 1 < values.length && !isComplete(i + 1)) joins.push(i);
    } else incompleteIndexes.push(i);
  });
  const joinSet = new Set(joins);
  return {
    complete: values.map((value, i) => (isComplete(i) ? value : null)),
    incomplete: values.map((value, i) => (!isComplete(i) || joinSet.has(i) ? value : null)),
    incompleteIndexes,
    joins,
  };
}

/** A headline figure's label: "so far" when its period is not over yet. */
export function soFar(label: string, complete: boolean): string {
  return complete ? label : `${label} (so far)`;
}
