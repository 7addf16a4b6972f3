import { AnalyticsQueries, ENTITY_RANKS, MAX_PERIODS, type EntityRank } from '@chronicle/analytics';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/access.decorators';
import {
  integerListParam,
  integerParam,
  listParam,
  textParam,
  type Query as QueryParams,
} from '../http/query-params';
import { ApiAnalyticsRangeQuery, ApiIntegerQuery, ApiQueryParameter } from '../openapi/api-parameters';
import { ADMIN_ROUTE_PROBLEMS, ApiProblems } from '../openapi/api-problems';
import { analyticsRange } from './analytics-range';
import {
  ActivityMix,
  CohortRetention,
  DailyUsersSeries,
  MostActiveUsers,
  RetentionRates,
  StickinessSeries,
  TopEntities,
} from './analytics.schemas';

const PERIODS = { fallback: 8, min: 1, max: 90 };
const RANKING_LIMIT = { fallback: 10, min: 1, max: 1_000 };
const GRANULARITIES = ['day', 'week'] as const;

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
@ApiTags('analytics')
@ApiBearerAuth('bearer')
@ApiProblems(ADMIN_ROUTE_PROBLEMS)
@ApiAnalyticsRangeQuery()
@Controller('api/admin/analytics')
export class AnalyticsController {
  constructor(@Inject(AnalyticsQueries) private readonly analytics: AnalyticsQueries) {}

  @Get('dau')
  @ApiOperation({ summary: 'Daily active users per day.' })
  @ApiOkResponse({ type: DailyUsersSeries })
  async dau(@Query() query: QueryParams): Promise<DailyUsersSeries> {
    return { series: await this.analytics.dailyActiveUsersSeries(range(query)) };
  }

  @Get('wau')
  @ApiOperation({ summary: 'Users active in the 7 days ending on each day.' })
  @ApiOkResponse({ type: DailyUsersSeries })
  async wau(@Query() query: QueryParams): Promise<DailyUsersSeries> {
    return { series: await this.analytics.activeUsersSeries({ ...range(query), windowDays: 7 }) };
  }

  @Get('mau')
  @ApiOperation({ summary: 'Users active in the 30 days ending on each day.' })
  @ApiOkResponse({ type: DailyUsersSeries })
  async mau(@Query() query: QueryParams): Promise<DailyUsersSeries> {
    return { series: await this.analytics.activeUsersSeries({ ...range(query), windowDays: 30 }) };
  }

  @Get('stickiness')
  @ApiOperation({ summary: 'DAU / MAU per day.' })
  @ApiOkResponse({ type: StickinessSeries })
  async stickiness(@Query() query: QueryParams): Promise<StickinessSeries> {
    return { series: await this.analytics.stickiness(range(query)) };
  }

  /** The cohort matrix: `granularity=day|week`, `periods` (default 8). */
  @Get('retention')
  @ApiOperation({ summary: 'The cohort retention matrix.' })
  @ApiQueryParameter('granularity', '`day` (default) or `week` cohorts.', {
    type: 'string',
    enum: [...GRANULARITIES],
  })
  @ApiIntegerQuery('periods', 'Periods per cohort, period 0 included (default 8).', PERIODS)
  @ApiOkResponse({ type: CohortRetention })
  async retention(@Query() query: QueryParams): Promise<CohortRetention> {
    const granularity = textParam(query, 'granularity') ?? 'day';
    const periods = integerParam(query, 'periods', PERIODS);
    return {
      cohorts: await this.analytics.cohortRetention({
        ...range(query),
        periods,
        granularity: granularity as (typeof GRANULARITIES)[number],
      }),
    };
  }

  /** Day-N retention, `days=1,7,30` by default. */
  @Get('retention/rates')
  @ApiOperation({ summary: 'Day-N retention (D1, D7, D30 by default).' })
  @ApiQueryParameter('days', 'The N of day-N retention, comma-separated (default `1,7,30`).', {
    type: 'string',
    example: '1,7,30',
  })
  @ApiOkResponse({ type: RetentionRates })
  async retentionRates(@Query() query: QueryParams): Promise<RetentionRates> {
    const days = integerListParam(query, 'days', { min: 1, max: MAX_PERIODS - 1 });
    return { rates: await this.analytics.retentionRates({ ...range(query), ...(days ? { days } : {}) }) };
  }

  /** Most active entities of `entityType` (default `app`): most viewed apps, most downloaded media. */
  @Get('top-entities')
  @ApiOperation({ summary: 'The entities with the most events, or the most distinct users.' })
  @ApiQueryParameter('entityType', 'Entity type (default `app`).', { type: 'string', example: 'app' })
  @ApiIntegerQuery('limit', 'How many (default 10).', RANKING_LIMIT)
  @ApiQueryParameter(
    'rank',
    '`events` (default) or `users`: what ranks them; ties by the other count, then id.',
    {
      type: 'string',
      enum: [...ENTITY_RANKS],
    },
  )
  @ApiOkResponse({ type: TopEntities })
  async topEntities(@Query() query: QueryParams): Promise<TopEntities> {
    const limit = integerParam(query, 'limit', RANKING_LIMIT);
    const entityType = textParam(query, 'entityType') ?? 'app';
    // An unknown value is refused by the query, naming `rank`.
    const rank = textParam(query, 'rank') as EntityRank | undefined;
    return { entities: await this.analytics.topEntities({ ...range(query), entityType, limit, rank }) };
  }

  @Get('most-active-users')
  @ApiOperation({ summary: 'The users with the most events.' })
  @ApiIntegerQuery('limit', 'How many (default 10).', RANKING_LIMIT)
  @ApiOkResponse({ type: MostActiveUsers })
  async mostActiveUsers(@Query() query: QueryParams): Promise<MostActiveUsers> {
    const limit = integerParam(query, 'limit', RANKING_LIMIT);
    return { users: await this.analytics.mostActiveUsers({ ...range(query), limit }) };
  }

  /** Events per type per day. */
  @Get('activity-mix')
  @ApiOperation({ summary: 'Events per type per day.' })
  @ApiOkResponse({ type: ActivityMix })
  async activityMix(@Query() query: QueryParams): Promise<ActivityMix> {
    return { mix: await this.analytics.activityMix(range(query)) };
  }
}
