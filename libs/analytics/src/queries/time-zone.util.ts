import { isTimeZoneName } from '@chronicle/contracts';
import { AnalyticsQueryError } from './query-parameters';
import { addDays } from './utc-day.util';

/*
 * The time zone a figure's days and weeks follow. Days are bucketed by ClickHouse (`toDate(ts, tz)`);
 * Node only checks the name and works out which days are over (for `complete`), through Intl.
 */

export const UTC = 'UTC';
const NAME = /^[A-Za-z0-9_+\-/]{1,64}$/;
/** The names the stored UTC-day aggregates answer for as they are. */
const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'UCT',
  'Etc/Universal',
  'Universal',
  'Zulu',
  'Etc/Zulu',
]);

/** An IANA time zone name (`Europe/Berlin`, `Asia/Kolkata`, `UTC`), or `fallback` when undefined. */
export function checkTimeZone(value: unknown, parameter: string, fallback: string = UTC): string {
  const chosen = value === undefined ? fallback : value;
  if (typeof chosen !== 'string' || !NAME.test(chosen) || !isTimeZoneName(chosen)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : String(value);
    throw new AnalyticsQueryError(
      parameter,
      `must be an IANA time zone name such as "Europe/Berlin" or "UTC", got ${shown}`,
    );
  }
  return chosen;
}

/** Whether `tz` is UTC, whose days are the stored aggregates' days. */
export function isUtc(tz: string): boolean {
  return UTC_NAMES.has(tz);
}

/**
 * Formatters by zone name, as the caller spelled it. Intl takes names in any letter case, so the
 * names a client can send are not few: the cache is emptied when full rather than left to grow.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
export const MAX_CACHED_FORMATTERS = 64;

/** The calendar day `YYYY-MM-DD` in `tz` at the instant `ms`. */
export function dayIn(tz: string, ms: number): string {
  let format = formatters.get(tz);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    if (formatters.size >= MAX_CACHED_FORMATTERS) formatters.clear();
    formatters.set(tz, format);
  }
  const part = Object.fromEntries(format.formatToParts(ms).map(({ type, value }) => [type, value]));
  return `${part['year']}-${part['month']}-${part['day']}`;
}

/**
 * The last day of a range that is over: `to`, or yesterday in `tz` when `to` is today or later. A
 * period is complete when its last day is on or before it; today is never complete.
 */
export function lastCompleteDay(to: string, tz: string, nowMs: number): string {
  const yesterday = addDays(dayIn(tz, nowMs), -1);
  return to < yesterday ? to : yesterday;
}

/** How many formatters dayIn holds (for its test). */
export function formatterCount(): number {
  return formatters.size;
}
