/*
 * RFC 3339 `date-time` (section 5.6): `2026-11-22T01:53:46.123Z`, `2026-11-22T02:53:46+01:00`.
 * Consumers accept any valid form (any offset, any fraction length, `t`/`z` in lower case as the RFC
 * allows) because events may come from other Kafka clients; Chronicle's producers always emit UTC with
 * milliseconds (`formatEventTime`). Leap seconds (`:60`) are refused: JavaScript and the stores have none.
 *
 * A hand-written scanner rather than a regular expression: validation runs on the SDK's hot path, and
 * this neither backtracks nor allocates.
 */

// Bounded: the longest sensible timestamp has nanoseconds and an offset (35 characters).
const MAX_LENGTH = 64;

const MS_PER_MINUTE = 60_000;
// 400 Gregorian years are exactly 146097 days; shifting by them keeps Date.UTC away from its
// "years 0–99 mean 1900–1999" rule.
const MS_PER_400_YEARS = 146_097 * 86_400_000;

// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: outside them toISOString writes six-digit years.
const FIRST_FOUR_DIGIT_YEAR_MS = -62_167_219_200_000;
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/** The fields of the last timestamp scanned (the scan is synchronous, so one scratch object suffices). */
const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millis: 0, offsetMinutes: 0 };

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The value of `count` decimal digits at `at`, or -1 if any of them is not a digit. */
function digitsAt(value: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = value.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Scans `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` into `fields`; false when it is not one. */
function scan(value: string): boolean {
  if (value.length < 20 || value.length > MAX_LENGTH) return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  const t = value.charCodeAt(10);
  if (
    value.charCodeAt(4) !== 45 /* - */ ||
    value.charCodeAt(7) !== 45 ||
    (t !== 84 && t !== 116) /* T t */ ||
    value.charCodeAt(13) !== 58 /* : */ ||
    value.charCodeAt(16) !== 58 ||
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return false;
  }
  let at = 19;
  let millis = 0;
  if (value.charCodeAt(at) === 46 /* . */) {
    const fractionStart = ++at;
    while (at < value.length && digitsAt(value, at, 1) >= 0) at++;
    const length = at - fractionStart;
    if (length === 0) return false;
    // Milliseconds are the first three digits; finer ones are dropped (truncated, not rounded).
    millis =
      digitsAt(value, fractionStart, Math.min(length, 3)) * (length === 1 ? 100 : length === 2 ? 10 : 1);
  }
  let offsetMinutes = 0;
  const zone = value.charCodeAt(at);
  if (zone === 90 || zone === 122 /* Z z */) {
    if (at + 1 !== value.length) return false;
  } else if (zone === 43 || zone === 45 /* + - */) {
    const offsetHours = digitsAt(value, at + 1, 2);
    const offsetMins = digitsAt(value, at + 4, 2);
    if (at + 6 !== value.length || value.charCodeAt(at + 3) !== 58) return false;
    if (offsetHours < 0 || offsetHours > 23 || offsetMins < 0 || offsetMins > 59) return false;
    offsetMinutes = (zone === 45 ? -1 : 1) * (offsetHours * 60 + offsetMins);
  } else {
    return false;
  }
  fields.year = year;
  fields.month = month;
  fields.day = day;
  fields.hour = hour;
  fields.minute = minute;
  fields.second = second;
  fields.millis = millis;
  fields.offsetMinutes = offsetMinutes;
  return true;
}

/** Whether `value` is a valid RFC 3339 date-time (see the rules at the top of this file). */
export function isRfc3339Timestamp(value: unknown): value is string {
  return typeof value === 'string' && scan(value);
}

/**
 * The instant an RFC 3339 timestamp denotes, in Unix milliseconds (fractions beyond the millisecond are
 * truncated), or undefined when `value` is not a valid RFC 3339 date-time.
 */
export function parseRfc3339(value: string): number | undefined {
  if (!scan(value)) return undefined;
  const { year, month, day, hour, minute, second, millis, offsetMinutes } = fields;
  const shifted = Date.UTC(year + 400, month - 1, day, hour, minute, second, millis);
  return shifted - MS_PER_400_YEARS - offsetMinutes * MS_PER_MINUTE;
}

/**
 * The form producers emit: UTC with milliseconds, `2026-11-22T01:53:46.123Z`. Undefined when the instant
 * has no such form (an invalid Date, or a year outside 0000–9999).
 */
export function formatEventTime(time: Date | number): string | undefined {
  // Truncated like Date does with a fractional number of milliseconds.
  const ms = Math.trunc(typeof time === 'number' ? time : time.getTime());
  if (!(ms >= FIRST_FOUR_DIGIT_YEAR_MS && ms <= LAST_FOUR_DIGIT_YEAR_MS)) return undefined;
  // Producers stamp many events per second: the `YYYY-MM-DDTHH:MM:SS.` part is formatted once per second.
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const millis = ms - second * 1000;
  return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

let cachedSecond = Number.NaN;
let cachedPrefix = '';
