import type {
  ActiveUsersSeriesOptions,
  DailyUsers,
  DayOptions,
  DayRangeOptions,
  StickinessPoint,
} from './analytics-query.types';
import { dailySource, sourceParams } from './daily-sources';
import { checkDay, checkDayRange, checkInteger, resolveTypes } from './query-parameters';
import { selectRows, typeCondition, typeParams, type QueryContext } from './query-context';
import { checkTimeZone, lastCompleteDay } from './time-zone.util';
import { addDays, daysFromTo } from './utc-day.util';

export const MAX_WINDOW_DAYS = 90;

/*
 * Distinct users active in a window of days ending on each day of a range. It reads the
 * daily_active_users states only (for a zone other than UTC, the same states from the raw events): each state row (a day and a type) is spread over the windows it falls
 * in (ARRAY JOIN of its day + 0 … window - 1), and the states of a window are merged into one exact set
 * of users. A user active on several days or with several types of a window counts once.
 */
const ACTIVE_USERS_SQL = (types: readonly string[] | undefined, tz: string) => `
  SELECT toString(window_end) AS on_day, uniqExactMerge(users) AS user_count
  FROM ${dailySource('daily_active_users', tz)}
  ARRAY JOIN arrayMap(offset -> day + offset, range({window:UInt16})) AS window_end
  WHERE day BETWEEN {from:Date} - ({window:UInt16} - 1) AND {to:Date}
    AND window_end BETWEEN {from:Date} AND {to:Date}
    ${typeCondition(types)}
  GROUP BY window_end
  ORDER BY window_end`;

/** Active users for a window of `windowDays` days ending on each day from `from` to `to` (0 for a day without any). */
export async function activeUsersSeries(
  context: QueryContext,
  options: ActiveUsersSeriesOptions,
): Promise<DailyUsers[]> {
  const { from, to } = checkDayRange(options.from, options.to);
  const windowDays = checkInteger(options.windowDays, 'windowDays', {
    min: 1,
    max: MAX_WINDOW_DAYS,
    fallback: 1,
  });
  const tz = checkTimeZone(options.tz, 'tz', context.timeZone);
  const types = resolveTypes(options.types, context.catalog);
  const rows = await selectRows<{ on_day: string; user_count: string | number }>(
    context,
    ACTIVE_USERS_SQL(types, tz),
    {
      from,
      to,
      window: windowDays,
      ...sourceParams(tz, addDays(from, -(windowDays - 1)), to),
      ...typeParams(types),
    },
  );
  const usersByDay = new Map(rows.map((row) => [row.on_day, Number(row.user_count)]));
  const lastComplete = lastCompleteDay(to, tz, context.now());
  return daysFromTo(from, to).map((day) => ({
    day,
    users: usersByDay.get(day) ?? 0,
    complete: day <= lastComplete,
  }));
}

/** Users active in the `windowDays` days ending on `day`: DAU (1), WAU (7), MAU (30). */
export async function activeUsersOn(
  context: QueryContext,
  options: DayOptions,
  windowDays: number,
): Promise<number> {
  const day = checkDay(options.day, 'day');
  const [point] = await activeUsersSeries(context, {
    from: day,
    to: day,
    windowDays,
    types: options.types,
    tz: options.tz,
  });
  return (point as DailyUsers).users;
}

/** DAU / MAU for each day of the range: how much of the month's audience comes back on a given day. */
export async function stickinessSeries(
  context: QueryContext,
  options: DayRangeOptions,
): Promise<StickinessPoint[]> {
  const daily = await activeUsersSeries(context, { ...options, windowDays: 1 });
  const monthly = await activeUsersSeries(context, { ...options, windowDays: 30 });
  return daily.map(({ day, users: dau, complete }, index) => {
    const mau = (monthly[index] as DailyUsers).users;
    return { day, dau, mau, ratio: mau === 0 ? null : dau / mau, complete };
  });
}
