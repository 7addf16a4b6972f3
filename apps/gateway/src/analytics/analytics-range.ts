import { checkDay, checkTimeZone, dayIn } from '@chronicle/analytics';
import { ActivityTypeFilterError, getDefaultActivityCatalog, resolveTypeFilter } from '@chronicle/contracts';
import { FieldError } from '../http/field-error';

const DAY_MS = 86_400_000;

export interface AnalyticsRange {
  from: string;
  to: string;
  types?: string[];
  /** The IANA zone the days are in. */
  tz: string;
}

/** The range's parameters as the client sent them (undefined when absent). */
export interface RangeParameters {
  from?: string;
  to?: string;
  types?: string[];
  tz?: string;
}

/** The names the client sent the range under: `type` in REST, `types` in GraphQL. */
export interface RangeParameterNames {
  from: string;
  to: string;
  types: string;
}

/**
 * The range of an analytics query: days `YYYY-MM-DD` in the zone `tz` (the configured default when
 * absent), both included; by default the 30 days ending today there. The days the defaults are
 * computed from, the zone and the type filter are checked here, so that every error names the
 * parameter as the client sent it (the library's checks, with the client's names); the analytics
 * library checks the rest (the span).
 */
export function analyticsRange(
  parameters: RangeParameters,
  names: RangeParameterNames,
  defaultTimeZone: string,
  now: number = Date.now(),
): AnalyticsRange {
  const { from, to, types } = parameters;
  if (from !== undefined) checkDay(from, names.from);
  if (to !== undefined) checkDay(to, names.to);
  if (types !== undefined) checkTypeFilter(types, names.types);
  const tz = checkTimeZone(parameters.tz, 'tz', defaultTimeZone);
  const last = to ?? dayIn(tz, now);
  const first = from ?? new Date(Date.parse(`${last}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  return { from: first, to: last, tz, ...(types ? { types } : {}) };
}

/** A filter of activity types and prefixes, refused with the client's name for it. */
export function checkTypeFilter(types: string[], name: string): string[] {
  try {
    resolveTypeFilter(types, getDefaultActivityCatalog().types);
  } catch (error) {
    if (error instanceof ActivityTypeFilterError) throw new FieldError(name, error.message);
    throw error;
  }
  return types;
}
