import { ActivityTypeFilterError, getDefaultActivityCatalog, resolveTypeFilter } from '@chronicle/contracts';
import { FieldError } from '../http/field-error';

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface AnalyticsRange {
  from: string;
  to: string;
  types?: string[];
}

/** The names the client sent the range under: `type` in REST, `types` in GraphQL. */
export interface RangeParameterNames {
  from: string;
  to: string;
  types: string;
}

/**
 * The range of an analytics query: UTC days `YYYY-MM-DD`, both included; by default the 30 days
 * ending today. What the defaults are computed from is checked here, and every error names the
 * parameter as the client sent it; the analytics library checks the rest (bounds, span).
 */
export function analyticsRange(
  from: string | undefined,
  to: string | undefined,
  types: string[] | undefined,
  names: RangeParameterNames,
): AnalyticsRange {
  for (const [value, name] of [
    [from, names.from],
    [to, names.to],
  ] as const)
    if (value !== undefined && !isCalendarDay(value))
      throw new FieldError(name, 'must be a UTC day written YYYY-MM-DD');
  if (types !== undefined) {
    try {
      resolveTypeFilter(types, getDefaultActivityCatalog().types);
    } catch (error) {
      if (error instanceof ActivityTypeFilterError) throw new FieldError(names.types, error.message);
      throw error;
    }
  }
  const last = to ?? new Date().toISOString().slice(0, 10);
  const first = from ?? new Date(Date.parse(`${last}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  return { from: first, to: last, ...(types ? { types } : {}) };
}

/** `YYYY-MM-DD` naming a day that exists (no 30 February), in years Date can write. */
function isCalendarDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}
