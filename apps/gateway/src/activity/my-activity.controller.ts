import { ActivityQueries } from '@chronicle/events-store';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { CurrentUser } from '../auth/access.decorators';
import type { Principal } from '../auth/token-verifier';
import { integerParam, textParam, type Query as QueryParams } from '../http/query-params';
import { decodeCursor, encodeCursor } from './activity-cursor';
import { groupByLocalDate, localDateFormatter, type TimelineDay } from './timeline-grouping';

export interface MyActivityPage {
  timeZone: string;
  days: number;
  groups: TimelineDay[];
  nextCursor: string | null;
}

const DAY_MS = 86_400_000;

/** A user's own activity: nobody else's can be reached from here, whatever the parameters. */
@Controller('api/users/me/activity')
export class MyActivityController {
  constructor(@Inject(ActivityQueries) private readonly activities: ActivityQueries) {}

  /**
   * The caller's activity of the last `days` days (30; at most 90), newest first, grouped by local date
   * in `tz`, each activity with the sentence that says what happened.
   */
  @Get()
  async timeline(@CurrentUser() user: Principal, @Query() query: QueryParams): Promise<MyActivityPage> {
    const days = integerParam(query, 'days', { fallback: 30, min: 1, max: 90 });
    const limit = integerParam(query, 'limit', { fallback: 50, min: 1, max: 200 });
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
