import {
  AnalyticsQueries,
  ENTITY_RANKS,
  MAX_PERIODS,
  RETENTION_MODES,
  type EntityRank,
  type RetentionMode,
} from '@chronicle/analytics';
import { applyDecorators, Controller, Get, Inject, Query } from '@nestjs/common';
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
import { analyticsRange, checkTypeFilter, type AnalyticsRange } from './analytics-range';
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

/** The retention definition: `mode` (checked by the query, naming it) and `cohortType` (types and prefixes). */
function retentionDefinition(query: QueryParams) {
  const cohortType = listParam(query, 'cohortType');
  const mode = (textParam(query, 'mode') ?? 'calendar') as RetentionMode;
  return {
    mode,
    ...(cohortType ? { cohortTypes: checkTypeFilter(cohortType, 'cohortType') } : {}),
    reply: { mode, cohortType: cohortType ?? null },
  };
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

  /** `from`, `to` (days in `tz`, both included; the last 30 days by default), `type` and `tz`. */
  private range(query: QueryParams): AnalyticsRange {
    return analyticsRange(
      {
        from: textParam(query, 'from'),
        to: textParam(query, 'to'),
        types: listParam(query, 'type'),
        tz: textParam(query, 'tz'),
      },
      { from: 'from', to: 'to', types: 'type' },
      this.analytics.timeZone,
    );
  }

  @Get('dau')
  @ApiOperation({ summary: 'Daily active users per day.' })
  @ApiOkResponse({ type: DailyUsersSeries })
  async dau(@Query() query: QueryParams): Promise<DailyUsersSeries> {
    const range = this.range(query);
    return { timeZone: range.tz, series: await this.analytics.dailyActiveUsersSeries(range) };
  }

  @Get('wau')
  @ApiOperation({ summary: 'Users active in the 7 days ending on each day.' })
  @ApiOkResponse({ type: DailyUsersSeries })
  async wau(@Query() query: QueryParams): Promise<DailyUsersSeries> {
    const range = this.range(query);
    return {
      timeZone: range.tz,
      series: await this.analytics.activeUsersSeries({ ...range, windowDays: 7 }),
    };
  }

  @Get('mau')
  @ApiOperation({ summary: 'Users active in the 30 days ending on each day.' })
  @ApiOkResponse({ type: DailyUsersSeries })
  async mau(@Query() query: QueryParams): Promise<DailyUsersSeries> {
    const range = this.range(query);
    return {
      timeZone: range.tz,
      series: await this.analytics.activeUsersSeries({ ...range, windowDays: 30 }),
    };
  }

  @Get('stickiness')
  @ApiOperation({ summary: 'DAU / MAU per day.' })
  @ApiOkResponse({ type: StickinessSeries })
  async stickiness(@Query() query: QueryParams): Promise<StickinessSeries> {
    const range = this.range(query);
    return { timeZone: range.tz, series: await this.analytics.stickiness(range) };
  }

  /** The cohort matrix: `granularity=day|week`, `periods` (default 8). */
  @Get('retention')
  @ApiOperation({ summary: 'The cohort retention matrix.' })
  @ApiQueryParameter('granularity', '`day` (default) or `week` cohorts.', {
    type: 'string',
    enum: [...GRANULARITIES],
  })
  @ApiIntegerQuery('periods', 'Periods per cohort, period 0 included (default 8).', PERIODS)
  @ApiRetentionDefinitionQuery()
  @ApiOkResponse({ type: CohortRetention })
  async retention(@Query() query: QueryParams): Promise<CohortRetention> {
    const range = this.range(query);
    const granularity = textParam(query, 'granularity') ?? 'day';
    const periods = integerParam(query, 'periods', PERIODS);
    const { reply, ...definition } = retentionDefinition(query);
    const cohorts = await this.analytics.cohortRetention({
      ...range,
      ...definition,
      periods,
      granularity: granularity as (typeof GRANULARITIES)[number],
    });
    return { timeZone: range.tz, ...reply, cohorts };
  }

  /** Day-N retention, `days=1,7,30` by default. */
  @Get('retention/rates')
  @ApiOperation({ summary: 'Day-N retention (D1, D7, D30 by default).' })
  @ApiQueryParameter('days', 'The N of day-N retention, comma-separated (default `1,7,30`).', {
    type: 'string',
    example: '1,7,30',
  })
  @ApiRetentionDefinitionQuery()
  @ApiOkResponse({ type: RetentionRates })
  async retentionRates(@Query() query: QueryParams): Promise<RetentionRates> {
    const range = this.range(query);
    const days = integerListParam(query, 'days', { min: 1, max: MAX_PERIODS - 1 });
    const { reply, ...definition } = retentionDefinition(query);
    const rates = await this.analytics.retentionRates({ ...range, ...definition, ...(days ? { days } : {}) });
    return { timeZone: range.tz, ...reply, rates };
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
    const range = this.range(query);
    const limit = integerParam(query, 'limit', RANKING_LIMIT);
    const entityType = textParam(query, 'entityType') ?? 'app';
    // An unknown value is refused by the query, naming `rank`.
    const rank = textParam(query, 'rank') as EntityRank | undefined;
    const entities = await this.analytics.topEntities({ ...range, entityType, limit, rank });
    return { ...this.rangeReply(range), entities };
  }

  @Get('most-active-users')
  @ApiOperation({ summary: 'The users with the most events.' })
  @ApiIntegerQuery('limit', 'How many (default 10).', RANKING_LIMIT)
  @ApiOkResponse({ type: MostActiveUsers })
  async mostActiveUsers(@Query() query: QueryParams): Promise<MostActiveUsers> {
    const range = this.range(query);
    const limit = integerParam(query, 'limit', RANKING_LIMIT);
    const users = await this.analytics.mostActiveUsers({ ...range, limit });
    return { ...this.rangeReply(range), users };
  }

  /** Events per type per day. */
  @Get('activity-mix')
  @ApiOperation({ summary: 'Events per type per day.' })
  @ApiOkResponse({ type: ActivityMix })
  async activityMix(@Query() query: QueryParams): Promise<ActivityMix> {
    const range = this.range(query);
    return { timeZone: range.tz, mix: await this.analytics.activityMix(range) };
  }

  /** The zone and completeness of a figure over the whole range. */
  private rangeReply(range: AnalyticsRange) {
    return { timeZone: range.tz, complete: this.analytics.isRangeComplete(range.to, range.tz) };
  }
}

/** `mode` and `cohortType` of the retention routes. */
function ApiRetentionDefinitionQuery() {
  return applyDecorators(
    ApiQueryParameter(
      'mode',
      '`calendar` (default): active on cohort day (week) + k; `rolling`: within the k-th 24-hour (7 × 24-hour) window from the first event; `unbounded`: in period k or later.',
      { type: 'string', enum: [...RETENTION_MODES] },
    ),
    ApiQueryParameter(
      'cohortType',
      'Cohorts by the first event of these types and prefixes, comma-separated (default: the first event of any type).',
      { type: 'string', example: 'download.completed' },
    ),
  );
}
