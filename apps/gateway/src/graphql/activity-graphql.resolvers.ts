import { AnalyticsQueries } from '@chronicle/analytics';
import { getDefaultActivityCatalog } from '@chronicle/contracts';
import { ActivityQueries, type ActivityFilter, type ActivityRecord } from '@chronicle/events-store';
import type { ActivityClient } from '@chronicle/sdk/nest';
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor } from '../activity/activity-cursor';
import { parseActivityFilter, usedFilters } from '../activity/activity-filter.parser';
import { withSentence } from '../activity/timeline-grouping';
import { analyticsRange } from '../analytics/analytics-range';
import type { Principal } from '../auth/token-verifier';
import { FieldError } from '../http/field-error';
import { callerKey } from '../http/rate-limit';
import type { ConcurrencyLimit } from '../limits/concurrency-limit';
import type { LiveFeed } from '../live/live-feed';
import { liveActivities } from '../live/live-iterator';

export interface GraphqlServices {
  activities: ActivityQueries;
  analytics: AnalyticsQueries;
  liveFeed: LiveFeed;
  /** Subscriptions count against the same per-caller cap as SSE streams. */
  liveStreams: ConcurrencyLimit;
  audit: ActivityClient;
}

export interface GraphqlContext {
  user: Principal;
}

interface FilterInput {
  userId?: string;
  types?: string[];
  entityType?: string;
  entityId?: string;
  source?: string;
  from?: string;
  to?: string;
}

const DAY_MS = 86_400_000;
const catalog = getDefaultActivityCatalog();

function requireAdmin(context: GraphqlContext): void {
  if (!context.user.admin)
    throw new GraphQLError('this field needs the admin role', { extensions: { code: 'FORBIDDEN' } });
}

/** REST's 400 with the field at fault, as a GraphQL error. */
/**
 * Runs a REST parameter reader on GraphQL arguments; its 400 becomes BAD_USER_INPUT naming the
 * argument as GraphQL spells it (`renamed` maps a query parameter's name to the argument's).
 */
function userInput<T>(read: () => T, renamed: Record<string, string> = {}): T {
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

function checkFirst(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw new GraphQLError(`first: must be an integer from 1 to ${max}`, {
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  return first;
}

function toFilter(input: FilterInput | undefined): { filter: ActivityFilter; used: string[] } {
  const { types, ...rest } = input ?? {};
  const query = { ...rest, ...(types ? { type: types } : {}) };
  return {
    filter: userInput(() => parseActivityFilter(query, catalog), { type: 'types' }),
    used: usedFilters(query),
  };
}

async function connection(
  activities: ActivityQueries,
  filter: ActivityFilter,
  first: number,
  after: string | undefined,
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

/**
 * The root value of the schema: graphql-js calls these with (args, context). Analytics fields are
 * resolved lazily, so a query pays only for the figures it asks for.
 */
export function graphqlRoot(services: GraphqlServices) {
  return {
    async activities(args: { filter?: FilterInput; first: number; after?: string }, context: GraphqlContext) {
      requireAdmin(context);
      const { filter, used } = toFilter(args.filter);
      const result = await connection(services.activities, filter, checkFirst(args.first, 1_000), args.after);
      services.audit.log({
        type: 'admin.activities_viewed',
        actor: { type: 'user', id: context.user.id },
        metadata: { filters: used, channel: 'graphql', results: result.edges.length },
      });
      return result;
    },

    myActivity(args: { days: number; first: number; after?: string }, context: GraphqlContext) {
      if (!Number.isInteger(args.days) || args.days < 1 || args.days > 90)
        throw new GraphQLError('days: must be an integer from 1 to 90', {
          extensions: { code: 'BAD_USER_INPUT', field: 'days' },
        });
      const filter: ActivityFilter = {
        actorId: context.user.id,
        actorType: 'user',
        from: new Date(Date.now() - args.days * DAY_MS),
      };
      return connection(services.activities, filter, checkFirst(args.first, 200), args.after);
    },

    analytics(args: { from?: string; to?: string; types?: string[] }, context: GraphqlContext) {
      requireAdmin(context);
      const range = analyticsRange(args.from ?? undefined, args.to ?? undefined, args.types ?? undefined, {
        from: 'from',
        to: 'to',
        types: 'types',
      });
      const { analytics } = services;
      return {
        dau: () => analytics.dailyActiveUsersSeries(range),
        wau: () => analytics.activeUsersSeries({ ...range, windowDays: 7 }),
        mau: () => analytics.activeUsersSeries({ ...range, windowDays: 30 }),
        stickiness: () => analytics.stickiness(range),
        retention: (a: { periods: number; granularity: 'day' | 'week' }) =>
          analytics.cohortRetention({ ...range, periods: a.periods, granularity: a.granularity }),
        retentionRates: (a: { days?: number[] }) =>
          analytics.retentionRates({ ...range, ...(a.days ? { days: a.days } : {}) }),
        topEntities: (a: { entityType: string; limit: number }) =>
          analytics.topEntities({ ...range, entityType: a.entityType, limit: a.limit }),
        mostActiveUsers: (a: { limit: number }) => analytics.mostActiveUsers({ ...range, limit: a.limit }),
        activityMix: () => analytics.activityMix(range),
      };
    },

    activityAdded(args: { filter?: FilterInput }, context: GraphqlContext) {
      requireAdmin(context);
      const { filter, used } = toFilter(args.filter);
      const release = services.liveStreams.acquire(callerKey(context.user));
      services.audit.log({
        type: 'admin.activities_viewed',
        actor: { type: 'user', id: context.user.id },
        metadata: { filters: used, channel: 'stream', results: 0 },
      });
      return mapIterator(liveActivities(services.liveFeed, filter, release), (activity) => ({
        activityAdded: withSentence(activity, catalog),
      }));
    },
  };
}

/** Each value as `map` makes it; graphql-js reads a subscription's payload under the field's name. */
function mapIterator<T, U>(source: AsyncIterableIterator<T>, map: (value: T) => U): AsyncIterableIterator<U> {
  const mapped: AsyncIterableIterator<U> = {
    async next() {
      const result = await source.next();
      return result.done ? { value: undefined, done: true } : { value: map(result.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}
