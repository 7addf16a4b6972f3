/**
 * The Activity page's filters, kept in the URL so that a view can be shared. The URL uses the admin
 * search's own parameter names (`userId`, `type`, `entityType`, `entityId`, `source`, `from`, `to`), so
 * the same query string goes to the search, the live stream and the export.
 */
export interface ActivityFilters {
  userId?: string;
  /** Exact types and prefixes (`download.*`). */
  types: string[];
  entityType?: string;
  entityId?: string;
  source?: string;
  /** Inclusive, `YYYY-MM-DD` (UTC) or RFC 3339. */
  from?: string;
  /** Exclusive, `YYYY-MM-DD` (UTC) or RFC 3339. */
  to?: string;
}

export const TEXT_FILTERS = ['userId', 'entityType', 'entityId', 'source', 'from', 'to'] as const;
export type TextFilter = (typeof TEXT_FILTERS)[number];

/** Reads the filters of a query string (`?userId=u_1&type=app.viewed,download.*`); unknown keys are ignored. */
export function filtersFromQuery(query: string | URLSearchParams): ActivityFilters {
  const params = typeof query === 'string' ? new URLSearchParams(query) : query;
  const filters: ActivityFilters = { types: splitTypes(params.getAll('type')) };
  for (const key of TEXT_FILTERS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

/** The query string of the filters, without `?`; empty filters are left out, so equal views share a URL. */
export function filtersToQuery(filters: ActivityFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of TEXT_FILTERS) {
    const value = filters[key]?.trim();
    if (value) params.set(key, value);
  }
  const types = splitTypes(filters.types);
  if (types.length > 0) params.set('type', types.join(','));
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

/** `['app.viewed,download.*', ' x ']` → `['app.viewed', 'download.*', 'x']`, without repeats. */
export function splitTypes(values: readonly string[]): string[] {
  const types = values.flatMap((value) => value.split(',')).map((type) => type.trim());
  return [...new Set(types.filter(Boolean))];
}

/**
 * The choices of the types control: each type, and a prefix per family (`download.*`) when the family
 * has more than one type. Selected values that are not among them (from a shared URL) are kept.
 */
export function typeChoices(knownTypes: readonly string[], selected: readonly string[] = []): string[] {
  const types = [...new Set(knownTypes)].sort();
  const families = new Map<string, number>();
  for (const type of types) {
    const dot = type.indexOf('.');
    if (dot > 0) families.set(type.slice(0, dot), (families.get(type.slice(0, dot)) ?? 0) + 1);
  }
  const prefixes = [...families].filter(([, count]) => count > 1).map(([family]) => `${family}.*`);
  const choices = [...prefixes, ...types];
  return [...choices, ...selected.filter((value) => !choices.includes(value))];
}
