import { checkDay } from '@chronicle/analytics';
import { ActivityTypeFilterError, getDefaultActivityCatalog, resolveTypeFilter } from '@chronicle/contracts';
import { FieldError } from '../http/field-error';

const DAY_MS = 86_400_000;

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
 * ending today. The days the defaults are computed from and the type filter are checked here, so that
 * every error names the parameter as the client sent it (the library's checks, with the client's
 * names); the analytics library checks the rest (the span).
 */
export function analyticsRange(
  from: string | undefined,
  to: string | undefined,
  types: string[] | undefined,
  names: RangeParameterNames,
): AnalyticsRange {
  if (from !== undefined) checkDay(from, names.from);
  if (to !== undefined) checkDay(to, names.to);
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
