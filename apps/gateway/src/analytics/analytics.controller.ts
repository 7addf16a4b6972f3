import { AnalyticsQueries, MAX_PERIODS } from '@chronicle/analytics';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { AdminOnly } from '../auth/access.decorators';
import {
  integerListParam,
  integerParam,
  listParam,
  textParam,
  type Query as QueryParams,
} from '../http/query-params';
import { analyticsRange } from './analytics-range';

/** `from`, `to` (UTC days, both included; the last 30 days by default) and `type` (types and prefixes). */
function range(query: QueryParams) {
  return analyticsRange(textParam(query, 'from'), textParam(query, 'to'), listParam(query, 'type'), {
    from: 'from',
    to: 'to',
    types: 'type',
  });
}

/** Product analytics from ClickHouse: pseudonymous, exact figures (docs/analytics.md has the definitions). */
@AdminOnly()
@Controller('api/admin/analytics')
export class AnalyticsController {
  constructor(@Inject(AnalyticsQueries) private readonly analytics: AnalyticsQueries) {}

  @Get('dau')
  async dau(@Query() query: QueryParams) {
    return { series: await this.analytics.dailyActiveUsersSeries(range(query)) };
  }

  @Get('wau')
  async wau(@Query() query: QueryParams) {
    return { series: await this.analytics.activeUsersSeries({ ...range(query), windowDays: 7 }) };
  }

  @Get('mau')
  async mau(@Query() query: QueryParams) {
    return { series: await this.analytics.activeUsersSeries({ ...range(query), windowDays: 30 }) };
  }

  @Get('stickiness')
  async stickiness(@Query() query: QueryParams) {
    return { series: await this.analytics.stickiness(range(query)) };
  }

  /** The cohort matrix: `granularity=day|week`, `periods` (default 8). */
  @Get('retention')
  async retention(@Query() query: QueryParams) {
    const granularity = textParam(query, 'granularity') ?? 'day';
    const periods = integerParam(query, 'periods', { fallback: 8, min: 1, max: 90 });
    return {
      cohorts: await this.analytics.cohortRetention({
        ...range(query),
        periods,
        granularity: granularity as 'day' | 'week',
      }),
    };
  }

  /** Day-N retention, `days=1,7,30` by default. */
  @Get('retention/rates')
  async retentionRates(@Query() query: QueryParams) {
    const days = integerListParam(query, 'days', { min: 1, max: MAX_PERIODS - 1 });
    return { rates: await this.analytics.retentionRates({ ...range(query), ...(days ? { days } : {}) }) };
  }

  /** Most active entities of `entityType` (default `app`): most viewed apps, most downloaded media. */
  @Get('top-entities')
  async topEntities(@Query() query: QueryParams) {
    const limit = integerParam(query, 'limit', { fallback: 10, min: 1, max: 1_000 });
    const entityType = textParam(query, 'entityType') ?? 'app';
    return { entities: await this.analytics.topEntities({ ...range(query), entityType, limit }) };
  }

  @Get('most-active-users')
  async mostActiveUsers(@Query() query: QueryParams) {
    const limit = integerParam(query, 'limit', { fallback: 10, min: 1, max: 1_000 });
    return { users: await this.analytics.mostActiveUsers({ ...range(query), limit }) };
  }

  /** Events per type per day. */
  @Get('activity-mix')
  async activityMix(@Query() query: QueryParams) {
    return { mix: await this.analytics.activityMix(range(query)) };
  }
}
