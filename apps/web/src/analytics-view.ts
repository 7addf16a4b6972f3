import type { ApiSchema } from './api-schema';

const DAY_MS = 86_400_000;

export type DailyUsers = ApiSchema<'DailyUsers'>;
export type StickinessPoint = ApiSchema<'StickinessPoint'>;
export type ActivityMixRow = ApiSchema<'ActivityMixRow'>;

/** The analytics range of the last `days` UTC days ending `today` (both included), as the API takes it. */
export function lastDays(days: number, today: string): { from: string; to: string } {
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to: today };
}

/** Every UTC day from `from` to `to`, both included. */
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
