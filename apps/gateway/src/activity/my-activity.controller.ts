import { ActivityQueries } from '@chronicle/events-store';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/access.decorators';
import type { Principal } from '../auth/token-verifier';
import { integerParam, textParam, type Query as QueryParams } from '../http/query-params';
import { decodeCursor, encodeCursor } from './activity-cursor';
import { ApiCursorQuery, ApiIntegerQuery, ApiQueryParameter } from '../openapi/api-parameters';
import { ApiProblems, USER_ROUTE_PROBLEMS } from '../openapi/api-problems';
import { TimelinePage } from './activity.schemas';
import { groupByLocalDate, localDateFormatter } from './timeline-grouping';

const DAY_MS = 86_400_000;
const DAYS = { fallback: 30, min: 1, max: 90 };
const LIMIT = { fallback: 50, min: 1, max: 200 };

/** A user's own activity: nobody else's can be reached from here, whatever the parameters. */
@ApiTags('my activity')
@ApiBearerAuth('bearer')
@Controller('api/users/me/activity')
export class MyActivityController {
  constructor(@Inject(ActivityQueries) private readonly activities: ActivityQueries) {}

  /**
   * The caller's activity of the last `days` days (30; at most 90), newest first, grouped by local date
   * in `tz`, each activity with the sentence that says what happened.
   */
  @Get()
  @ApiOperation({
    summary:
      "The caller's activity, newest first, grouped by local date, each with a sentence saying what happened.",
  })
  @ApiIntegerQuery('days', 'How many days back (default 30, at most 90).', DAYS)
  @ApiIntegerQuery('limit', 'Activities per page (default 50, at most 200).', LIMIT)
  @ApiQueryParameter('tz', 'IANA time zone of the grouping (default UTC).', {
    type: 'string',
    example: 'Europe/Paris',
  })
  @ApiCursorQuery()
  @ApiOkResponse({ type: TimelinePage })
  @ApiProblems(USER_ROUTE_PROBLEMS)
  async timeline(@CurrentUser() user: Principal, @Query() query: QueryParams): Promise<TimelinePage> {
    const days = integerParam(query, 'days', DAYS);
    const limit = integerParam(query, 'limit', LIMIT);
    const timeZone = textParam(query, 'tz') ?? 'UTC';
    localDateFormatter(timeZone);
    const after = decodeCursor(textParam(query, 'cursor'));
    const page = await this.activities.page(
      { actorId: user.id, actorType: 'user', from: new Date(Date.now() - days * DAY_MS) },
      { limit, ...(after ? { after } : {}) },
    );
    return {
      timeZone,
      days,
      groups: groupByLocalDate(page.items, timeZone),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  }
}
