import { getDefaultActivityCatalog } from '@chronicle/contracts';
import type { ActivityFilter, ActivityQueries, ActivityRecord } from '@chronicle/events-store';
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor } from '../activity/activity-cursor';
import { parseActivityFilter, usedFilters } from '../activity/activity-filter.parser';
import { withSentence } from '../activity/timeline-grouping';
import { FieldError } from '../http/field-error';
import type { ActivityFilterInput } from './activity-graphql.types';

export const catalog = getDefaultActivityCatalog();

/**
 * Runs a REST parameter reader on GraphQL arguments; its 400 becomes BAD_USER_INPUT naming the
 * argument as GraphQL spells it (`renamed` maps a query parameter's name to the argument's).
 */
export function userInput<T>(read: () => T, renamed: Record<string, string> = {}): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof FieldError) {
      const field = renamed[error.field] ?? error.field;
      throw new GraphQLError(`${field}: ${error.reason}`, { extensions: { code: 'BAD_USER_INPUT', field } });
    }
    throw error;
  }
}

/** An integer argument from 1 to `max`, or BAD_USER_INPUT naming it. */
export function checkRange(field: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new GraphQLError(`${field}: must be an integer from 1 to ${max}`, {
      extensions: { code: 'BAD_USER_INPUT', field },
    });
  return value;
}

/** The REST search's filter from the GraphQL input, and the names of the filters used (for the audit). */
export function toFilter(input: ActivityFilterInput | null | undefined): {
  filter: ActivityFilter;
  used: string[];
} {
  const { types, ...rest } = input ?? {};
  const query = { ...rest, ...(types ? { type: types } : {}) };
  return {
    filter: userInput(() => parseActivityFilter(query, catalog), { type: 'types' }),
    used: usedFilters(query),
  };
}

/** One page of `filter`'s activities as a connection, with the REST search's cursors. */
export async function connection(
  activities: ActivityQueries,
  filter: ActivityFilter,
  first: number,
  after: string | null | undefined,
) {
  const keyset = userInput(() => decodeCursor(after ?? undefined, 'after'));
  const page = await activities.page(filter, { limit: first, ...(keyset ? { after: keyset } : {}) });
  return {
    edges: page.items.map((node: ActivityRecord) => ({
      node: withSentence(node, catalog),
      cursor: encodeCursor({ occurredAt: new Date(node.occurredAt), id: node.id }),
    })),
    pageInfo: { hasNextPage: page.next !== null, endCursor: page.next ? encodeCursor(page.next) : null },
  };
}
