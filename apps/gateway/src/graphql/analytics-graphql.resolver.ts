import type { EntityRank, RetentionMode } from '@chronicle/analytics';
import { Inject } from '@nestjs/common';
import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { analyticsRange, checkTypeFilter, type AnalyticsRange } from '../analytics/analytics-range';
import { AdminOnly } from '../auth/access.decorators';
import {
  ActiveUser,
  ActivityMixRow,
  AnalyticsFigures,
  CohortRow,
  DailyUsers,
  EntityCount,
  RetentionRate,
  StickinessPoint,
} from './analytics-graphql.types';
import { ExplicitArgTypes } from './explicit-types.decorator';
import { GRAPHQL_SERVICES, type GraphqlServices } from './graphql-services';

const MODE_ARG = {
  type: () => String,
  nullable: true,
  defaultValue: 'calendar',
  description:
    '`calendar`: active on cohort day (week) + k; `rolling`: within the k-th 24-hour (7 × 24-hour) window from the first event; `unbounded`: in period k or later.',
} as const;

const COHORT_TYPES_ARG = {
  type: () => [String],
  nullable: true,
  description:
    'Cohorts by the first event of these types and prefixes (default: the first event of any type).',
} as const;

/** The mode (checked by the query, naming `mode`) and the cohort types (checked here, naming `cohortTypes`). */
function retentionDefinition(mode: string, cohortTypes: string[] | null) {
  return {
    mode: mode as RetentionMode,
    ...(cohortTypes ? { cohortTypes: checkTypeFilter(cohortTypes, 'cohortTypes') } : {}),
  };
}

/**
 * `analytics(from, to, types, tz)` (admin) checks the range; each figure below it is a field resolved on
 * its own, so a query pays only for the figures it asks for.
 */
@ExplicitArgTypes()
@Resolver(() => AnalyticsFigures)
export class AnalyticsGraphqlResolver {
  constructor(@Inject(GRAPHQL_SERVICES) private readonly services: GraphqlServices) {}

  @AdminOnly()
  @Query(() => AnalyticsFigures, {
    description:
      'Product analytics over calendar days in `tz`, from and to included; the last 30 days by default (admin).',
  })
  analytics(
    @Args('from', { type: () => String, nullable: true }) from: string | null,
    @Args('to', { type: () => String, nullable: true }) to: string | null,
    @Args('types', { type: () => [String], nullable: true }) types: string[] | null,
    @Args('tz', {
      type: () => String,
      nullable: true,
      description:
        'IANA time zone whose midnights begin the days (default: ANALYTICS_TIME_ZONE, UTC unless set).',
    })
    tz: string | null,
  ): AnalyticsRange {
    return analyticsRange(
      { from: from ?? undefined, to: to ?? undefined, types: types ?? undefined, tz: tz ?? undefined },
      { from: 'from', to: 'to', types: 'types' },
      this.services.analytics.timeZone,
    );
  }

  @ResolveField(() => String, { description: 'The IANA time zone the days are in.' })
  timeZone(@Parent() range: AnalyticsRange) {
    return range.tz;
  }

  @ResolveField(() => Boolean, {
    description: 'Whether the range is over: `to` is before today in `timeZone`.',
  })
  complete(@Parent() range: AnalyticsRange) {
    return this.services.analytics.isRangeComplete(range.to, range.tz);
  }

  @ResolveField(() => [DailyUsers])
  dau(@Parent() range: AnalyticsRange) {
    return this.services.analytics.dailyActiveUsersSeries(range);
  }

  @ResolveField(() => [DailyUsers])
  wau(@Parent() range: AnalyticsRange) {
    return this.services.analytics.activeUsersSeries({ ...range, windowDays: 7 });
  }

  @ResolveField(() => [DailyUsers])
  mau(@Parent() range: AnalyticsRange) {
    return this.services.analytics.activeUsersSeries({ ...range, windowDays: 30 });
  }

  @ResolveField(() => [StickinessPoint])
  stickiness(@Parent() range: AnalyticsRange) {
    return this.services.analytics.stickiness(range);
  }

  @ResolveField(() => [CohortRow])
  retention(
    @Parent() range: AnalyticsRange,
    @Args('periods', { type: () => Int, nullable: true, defaultValue: 8 }) periods: number,
    @Args('granularity', { type: () => String, nullable: true, defaultValue: 'day' }) granularity: string,
    @Args('mode', MODE_ARG) mode: string,
    @Args('cohortTypes', COHORT_TYPES_ARG) cohortTypes: string[] | null,
  ) {
    return this.services.analytics.cohortRetention({
      ...range,
      ...retentionDefinition(mode, cohortTypes),
      periods,
      granularity: granularity as 'day' | 'week',
    });
  }

  @ResolveField(() => [RetentionRate])
  retentionRates(
    @Parent() range: AnalyticsRange,
    @Args('days', { type: () => [Int], nullable: true }) days: number[] | null,
    @Args('mode', MODE_ARG) mode: string,
    @Args('cohortTypes', COHORT_TYPES_ARG) cohortTypes: string[] | null,
  ) {
    return this.services.analytics.retentionRates({
      ...range,
      ...retentionDefinition(mode, cohortTypes),
      ...(days ? { days } : {}),
    });
  }

  @ResolveField(() => [EntityCount])
  topEntities(
    @Parent() range: AnalyticsRange,
    @Args('entityType', { type: () => String, nullable: true, defaultValue: 'app' }) entityType: string,
    @Args('limit', { type: () => Int, nullable: true, defaultValue: 10 }) limit: number,
    @Args('rank', {
      type: () => String,
      nullable: true,
      defaultValue: 'events',
      description: '`events` or `users`: what ranks them; ties by the other count, then id.',
    })
    rank: string,
  ) {
    return this.services.analytics.topEntities({ ...range, entityType, limit, rank: rank as EntityRank });
  }

  @ResolveField(() => [ActiveUser])
  mostActiveUsers(
    @Parent() range: AnalyticsRange,
    @Args('limit', { type: () => Int, nullable: true, defaultValue: 10 }) limit: number,
  ) {
    return this.services.analytics.mostActiveUsers({ ...range, limit });
  }

  @ResolveField(() => [ActivityMixRow])
  activityMix(@Parent() range: AnalyticsRange) {
    return this.services.analytics.activityMix(range);
  }
}
