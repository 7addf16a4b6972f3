/*
 * Activity type filters, as the gateway's query parameters and the consumers' configuration take them:
 * an exact type (`app.viewed`) or a prefix ending in `.*` (`download.*`, matching `download.failed` and
 * any deeper `download.x.y`). A filter that selects nothing is an error rather than an empty result, so a
 * typo (`dowload.*`) is reported instead of silently showing no events.
 */

/** One filter or several (their union). */
export type TypeFilter = string | readonly string[];

export class ActivityTypeFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActivityTypeFilterError';
  }
}

const PREFIX_FILTER = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\.\*$/;

/** Echoes a filter in an error message, cut short: it usually comes from a request. */
function quote(filter: string): string {
  return JSON.stringify(filter.length > 64 ? `${filter.slice(0, 64)}…` : filter);
}

/**
 * The types of `knownTypes` a filter selects, in `knownTypes`' order. Throws ActivityTypeFilterError for
 * an unknown type, a prefix that matches no type, a malformed filter or an empty list.
 */
export function resolveTypeFilter(filter: TypeFilter, knownTypes: readonly string[]): string[] {
  const filters: readonly unknown[] = typeof filter === 'string' ? [filter] : filter;
  if (!Array.isArray(filters) || filters.length === 0)
    throw new ActivityTypeFilterError('an activity type filter needs at least one type or prefix');
  const selected = new Set<string>();
  for (const one of filters) {
    if (typeof one !== 'string')
      throw new ActivityTypeFilterError('an activity type filter must be a string');
    if (one.endsWith('*')) {
      if (!PREFIX_FILTER.test(one)) {
        throw new ActivityTypeFilterError(
          `${quote(one)} is not a type prefix: write it as <segment>.* (e.g. download.*)`,
        );
      }
      const prefix = one.slice(0, -1);
      const matches = knownTypes.filter((type) => type.startsWith(prefix));
      if (matches.length === 0) throw new ActivityTypeFilterError(`${quote(one)} matches no activity type`);
      for (const type of matches) selected.add(type);
    } else {
      if (!knownTypes.includes(one))
        throw new ActivityTypeFilterError(`${quote(one)} is not an activity type`);
      selected.add(one);
    }
  }
  return knownTypes.filter((type) => selected.has(type));
}
