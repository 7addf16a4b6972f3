import type { ClickHouseClient } from '@clickhouse/client';
import type { ActivityCatalog } from '@chronicle/contracts';
import type { PseudonymResolver } from './analytics-query.types';
import type { FigureCache } from './figure-cache';
import { AnalyticsQueryError } from './query-parameters';

/**
 * What every query needs: where to send it, which database, the types a filter may name, and (for the
 * identified views) the way from pseudonyms to people.
 */
export interface QueryContext {
  client: ClickHouseClient;
  database: string;
  catalog: ActivityCatalog;
  resolvePseudonyms: PseudonymResolver;
  /** The zone of a query that names none. */
  timeZone: string;
  /** The current time (ms), which decides which periods are over. */
  now: () => number;
  /** Results kept while the parts they were computed from are unchanged (figure-cache.ts); none if absent. */
  cache?: FigureCache;
}

/**
 * Runs a SELECT with every value bound as a `{name:Type}` parameter (the database too, as
 * `{db:Identifier}`): nothing a caller passes is ever spliced into the SQL text.
 */
export async function selectRows<Row>(
  context: QueryContext,
  query: string,
  params: Record<string, unknown> = {},
): Promise<Row[]> {
  try {
    const result = await context.client.query({
      query,
      query_params: { db: context.database, ...params },
      format: 'JSONEachRow',
    });
    return await result.json<Row>();
  } catch (error) {
    // A name Intl accepts that this server's time zone database lacks: the caller's input, not a fault.
    if (error instanceof Error && /Cannot load time zone/.test(error.message))
      throw new AnalyticsQueryError(
        'tz',
        `names a time zone the analytics store does not know (${String(params['tz'])})`,
      );
    throw error;
  }
}

/**
 * The condition on activity_type for a resolved filter: none for every type, otherwise membership in the
 * bound `{types:Array(String)}` (the caller passes `types` among the parameters). One of two fixed
 * fragments: no caller's text reaches the SQL.
 */
export function typeCondition(types: readonly string[] | undefined): string {
  return types === undefined ? '' : 'AND activity_type IN {types:Array(String)}';
}

/** The bound parameters of a type filter (none for every type). */
export function typeParams(types: readonly string[] | undefined): { types?: readonly string[] } {
  return types === undefined ? {} : { types };
}
