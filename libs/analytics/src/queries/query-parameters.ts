import {
  ActivityTypeFilterError,
  resolveTypeFilter,
  type ActivityCatalog,
  type TypeFilter,
} from '@chronicle/contracts';
import { daysBetween } from './utc-day.util';

/** A query's input was invalid; `parameter` names the one at fault, as the caller spelled it. */
export class AnalyticsQueryError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter} ${message}`);
    this.name = 'AnalyticsQueryError';
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const FIRST_DAY = '2000-01-01';
export const LAST_DAY = '2099-12-31';
/** The longest range a query takes: a year, which is already four times the raw events' retention. */
export const MAX_RANGE_DAYS = 366;

/** A UTC day `YYYY-MM-DD` between FIRST_DAY and LAST_DAY that exists in the calendar. */
export function checkDay(value: unknown, parameter: string): string {
  if (!isCalendarDay(value) || value < FIRST_DAY || value > LAST_DAY) {
    throw new AnalyticsQueryError(
      parameter,
      `must be a UTC day written YYYY-MM-DD, from ${FIRST_DAY} to ${LAST_DAY}, got ${describe(value)}`,
    );
  }
  return value;
}

/** `YYYY-MM-DD` naming a day that exists (no 30 February). */
function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !DAY.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}

/** `from` and `to` as days, `to` not before `from`, at most MAX_RANGE_DAYS days apart. */
export function checkDayRange(from: unknown, to: unknown): { from: string; to: string } {
  const first = checkDay(from, 'from');
  const last = checkDay(to, 'to');
  const span = daysBetween(first, last) + 1;
  if (span < 1) throw new AnalyticsQueryError('to', `(${last}) is before from (${first})`);
  if (span > MAX_RANGE_DAYS) {
    throw new AnalyticsQueryError(
      'to',
      `is ${span} days from from (both included); a query covers at most ${MAX_RANGE_DAYS} days`,
    );
  }
  return { from: first, to: last };
}

/** An integer from `min` to `max`, or `fallback` when undefined. */
export function checkInteger(
  value: unknown,
  parameter: string,
  bounds: { min: number; max: number; fallback?: number },
): number {
  const chosen = value === undefined ? bounds.fallback : value;
  if (typeof chosen !== 'number' || !Number.isInteger(chosen) || chosen < bounds.min || chosen > bounds.max) {
    throw new AnalyticsQueryError(
      parameter,
      `must be a whole number from ${bounds.min} to ${bounds.max}, got ${describe(value)}`,
    );
  }
  return chosen;
}

/** One of `allowed`, or `fallback` when undefined. */
export function checkChoice<T extends string>(
  value: unknown,
  parameter: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const chosen = value === undefined ? fallback : value;
  if (typeof chosen !== 'string' || !allowed.includes(chosen as T)) {
    throw new AnalyticsQueryError(
      parameter,
      `must be one of ${allowed.map((choice) => `"${choice}"`).join(', ')}, got ${describe(value)}`,
    );
  }
  return chosen as T;
}

/** A non-empty name of at most 128 characters (entity types are bound, never spliced; this is for a clear error). */
export function checkName(value: unknown, parameter: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 128) {
    throw new AnalyticsQueryError(
      parameter,
      `must be a non-empty string of at most 128 characters, got ${describe(value)}`,
    );
  }
  return value;
}

/**
 * The activity types a filter selects (an exact type, a prefix such as `download.*`, or a list), or
 * undefined for no filter (every type). A filter that selects nothing is an error, not an empty result.
 */
export function resolveTypes(filter: TypeFilter | undefined, catalog: ActivityCatalog): string[] | undefined {
  if (filter === undefined) return undefined;
  try {
    return resolveTypeFilter(filter, catalog.types);
  } catch (error) {
    if (error instanceof ActivityTypeFilterError)
      throw new AnalyticsQueryError('types', `filter: ${error.message}`);
    throw error;
  }
}

/** A value echoed in an error message, cut short: it usually comes from a request. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
