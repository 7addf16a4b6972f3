import type { ClickHouseClient } from '@clickhouse/client';
import { getDefaultActivityCatalog, type ActivityCatalog } from '@chronicle/contracts';
import { checkDatabaseName } from '../schema/clickhouse-identifier.util';
import { activeUsersOn, activeUsersSeries, stickinessSeries } from './active-users.queries';
import type {
  ActiveUser,
  ActiveUsersSeriesOptions,
  ActivityMixRow,
  CohortRetentionOptions,
  CohortRow,
  DailyUsers,
  DayOptions,
  DayRangeOptions,
  EntityCount,
  MostActiveUsersOptions,
  PseudonymResolver,
  RetentionRate,
  RetentionRateOptions,
  StickinessPoint,
  TopEntitiesOptions,
} from './analytics-query.types';
import { FigureCache } from './figure-cache';
import type { QueryContext } from './query-context';
import { checkDay } from './query-parameters';
import { checkTimeZone, lastCompleteDay } from './time-zone.util';
import { activityMix, mostActiveUsers, topEntities } from './rankings.queries';
import { cohortRetention, retentionRates } from './retention.queries';

export interface AnalyticsQueriesOptions {
  database: string;
  /** The types a filter may name; the built-in catalog by default. */
  catalog?: ActivityCatalog;
  /** Names the people of "most active users" and of top entities that are people. */
  resolvePseudonyms: PseudonymResolver;
  /** The IANA time zone of a query that names none; UTC by default. */
  timeZone?: string;
  /** The clock that decides which periods are over (`complete`); Date.now by default. */
  now?: () => number;
  /**
   * Result rows to keep (a series point counts one), each result answered again while the ClickHouse
   * parts it was computed from are unchanged (figure-cache.ts); 0 or absent: none, every call queries.
   */
  cacheRows?: number;
}

/**
 * The product-analytics queries over one ClickHouse database (definitions in docs/analytics.md). Every
 * figure is exact: distinct users and distinct events, however often an event was delivered. Inputs
 * are checked first; a bad one throws AnalyticsQueryError naming the parameter.
 */
export class AnalyticsQueries {
  private readonly context: QueryContext;

  constructor(client: ClickHouseClient, options: AnalyticsQueriesOptions) {
    this.context = {
      client,
      database: checkDatabaseName(options.database),
      catalog: options.catalog ?? getDefaultActivityCatalog(),
      resolvePseudonyms: options.resolvePseudonyms,
      timeZone: checkTimeZone(options.timeZone, 'timeZone'),
      now: options.now ?? Date.now,
      ...(options.cacheRows ? { cache: new FigureCache(options.cacheRows) } : {}),
    };
  }

  /** Answers from the cache and computations since the start (both 0 without a cache). */
  get cacheStats(): { hits: number; misses: number; rows: number } {
    const cache = this.context.cache;
    return { hits: cache?.hits ?? 0, misses: cache?.misses ?? 0, rows: cache?.size ?? 0 };
  }

  /** The zone of a query that names none. */
  get timeZone(): string {
    return this.context.timeZone;
  }

  /**
   * Whether the range ending on `to` is over in `tz` (the default zone when absent): `to` is before
   * today there. For the figures over a whole range (rankings), which carry no per-day flag.
   */
  isRangeComplete(to: string, tz?: string): boolean {
    const zone = checkTimeZone(tz, 'tz', this.context.timeZone);
    return to <= lastCompleteDay(checkDay(to, 'to'), zone, this.context.now());
  }

  /** Users active on `day`. */
  dailyActiveUsers(options: DayOptions): Promise<number> {
    return activeUsersOn(this.context, options, 1);
  }

  /** DAU of every day of the range. */
  dailyActiveUsersSeries(options: DayRangeOptions): Promise<DailyUsers[]> {
    return activeUsersSeries(this.context, { ...options, windowDays: 1 });
  }

  /** Users active in the 7 days ending on `day`. */
  weeklyActiveUsers(options: DayOptions): Promise<number> {
    return activeUsersOn(this.context, options, 7);
  }

  /** Users active in the 30 days ending on `day`. */
  monthlyActiveUsers(options: DayOptions): Promise<number> {
    return activeUsersOn(this.context, options, 30);
  }

  /** Users active in the `windowDays` days ending on each day of the range (rolling WAU, MAU…). */
  activeUsersSeries(options: ActiveUsersSeriesOptions): Promise<DailyUsers[]> {
    return activeUsersSeries(this.context, options);
  }

  /** DAU / MAU of every day of the range. */
  stickiness(options: DayRangeOptions): Promise<StickinessPoint[]> {
    return stickinessSeries(this.context, options);
  }

  /** The retention matrix of the daily or weekly cohorts first seen in the range. */
  cohortRetention(options: CohortRetentionOptions): Promise<CohortRow[]> {
    return cohortRetention(this.context, options);
  }

  /** D1 / D7 / D30 (or other day-N) retention of the cohorts first seen in the range. */
  retentionRates(options: RetentionRateOptions): Promise<RetentionRate[]> {
    return retentionRates(this.context, options);
  }

  /** The entities of a type with the most events (e.g. most viewed apps). */
  topEntities(options: TopEntitiesOptions): Promise<EntityCount[]> {
    return topEntities(this.context, options);
  }

  /** The users with the most events, by actor id. */
  mostActiveUsers(options: MostActiveUsersOptions): Promise<ActiveUser[]> {
    return mostActiveUsers(this.context, options);
  }

  /** Events per type per day. */
  activityMix(options: DayRangeOptions): Promise<ActivityMixRow[]> {
    return activityMix(this.context, options);
  }
}
