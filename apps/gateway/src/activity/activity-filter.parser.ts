import { ActivityTypeFilterError, type ActivityCatalog } from '@chronicle/contracts';
import type { ActivityFilter } from '@chronicle/events-store';
import { FieldError } from '../http/field-error';
import { listParam, textParam, timeParam, type Query } from '../http/query-params';

/** The filters of the admin search, export and live feed: `userId, type, entityType, entityId, source, from, to`. */
export const ACTIVITY_FILTER_PARAMS = [
  'userId',
  'type',
  'entityType',
  'entityId',
  'source',
  'from',
  'to',
] as const;

/**
 * Reads the admin filters from a query string. `type` takes a list of types and prefixes
 * (`type=app.viewed,download.*`), expanded here against the catalog so that a typo is a 400 rather
 * than an empty page. `from` is inclusive, `to` exclusive.
 */
export function parseActivityFilter(query: Query, catalog: ActivityCatalog): ActivityFilter {
  const filter: ActivityFilter = {};
  const userId = textParam(query, 'userId');
  if (userId !== undefined) filter.actorId = userId;
  const types = listParam(query, 'type');
  if (types !== undefined) {
    try {
      filter.types = catalog.resolveFilter(types);
    } catch (error) {
      if (error instanceof ActivityTypeFilterError) throw new FieldError('type', error.message);
      throw error;
    }
  }
  const entityType = textParam(query, 'entityType');
  if (entityType !== undefined) filter.entityType = entityType;
  const entityId = textParam(query, 'entityId');
  if (entityId !== undefined) filter.entityId = entityId;
  const source = textParam(query, 'source');
  if (source !== undefined) filter.source = source;
  const from = timeParam(query, 'from');
  if (from !== undefined) filter.from = from;
  const to = timeParam(query, 'to');
  if (to !== undefined) filter.to = to;
  if (from && to && from >= to) throw new FieldError('to', 'must be after from');
  return filter;
}

/** The names of the filters a query used, for the audit event: which filters, never their values. */
export function usedFilters(query: Query): string[] {
  return ACTIVITY_FILTER_PARAMS.filter((name) => query[name] !== undefined && query[name] !== '');
}
