import type {
  ActiveUsersSeriesOptions,
  DailyUsers,
  DayOptions,
  DayRangeOptions,
  StickinessPoint,
} from './analytics-query.types';
import { dailyRead, dailySource, sourceParams } from './daily-sources';
import { readSourceParts, resultKey } from './figure-cache';
import { checkDay, checkDayRange, checkInteger, resolveTypes } from './query-parameters';
import { selectRows, typeCondition, typeParams, type QueryContext } from './query-context';
import { checkTimeZone, lastCompleteDay } from './time-zone.util';
import { addDays, daysFromTo } from './utc-day.util';

export const MAX_WINDOW_DAYS = 90;

/*
 * Distinct users active in a window of days ending on each day of a range. It reads the
 * daily_active_users states only (for a zone other than UTC, the same states from the raw events):
 * each state row (a day and a type) is spread over the windows it falls in (ARRAY JOIN of its day
 * + 0 … window - 1), and the states of a window are merged into one exact set of users. A user active
 * on several days or with several types of a window counts once.
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
  const usersByDay = await activeUsersByDay(context, { from, to, windowDays, tz, types });
  const lastComplete = lastCompleteDay(to, tz, context.now());
  return daysFromTo(from, to).map((day) => ({
    day,
    users: usersByDay.get(day) ?? 0,
    complete: day <= lastComplete,
  }));
}

interface ActiveUsersQuery {
  from: string;
  to: string;
  windowDays: number;
  tz: string;
  types: readonly string[] | undefined;
}

/** Users per window ending on each day from `from` to `to` that has any, computed. */
async function queryActiveUsers(
  context: QueryContext,
  query: ActiveUsersQuery,
): Promise<Map<string, number>> {
  const { from, to, windowDays, tz, types } = query;
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
  return new Map(rows.map((row) => [row.on_day, Number(row.user_count)]));
}

/*
 * With a cache, each day's figure is kept on its own, with the version of the parts its window
 * reads: a new part of today recomputes the windows that reach today, not the other days of the
 * series. The days not cached are computed in one query, from the first to the last of them.
 */
async function activeUsersByDay(
  context: QueryContext,
  query: ActiveUsersQuery,
): Promise<Map<string, number>> {
  const cache = context.cache;
  if (cache === undefined) return queryActiveUsers(context, query);
  const windowRead = (day: string) =>
    dailyRead('daily_active_users', query.tz, addDays(day, -(query.windowDays - 1)), day);
  const parts = await readSourceParts(context, [windowRead(query.from)]);
  const keyOf = (day: string) =>
    resultKey(context, 'active users', { ...query, from: undefined, to: undefined, day });
  const versions = new Map(
    daysFromTo(query.from, query.to).map((day) => [day, parts.versionOf([windowRead(day)])]),
  );
  const usersByDay = new Map<string, number>();
  const missing: string[] = [];
  for (const [day, version] of versions) {
    const users = cache.get<number>(keyOf(day), version);
    if (users === undefined) missing.push(day);
    else usersByDay.set(day, users);
  }
  const [first, last] = [missing[0], missing.at(-1)];
  if (first === undefined || last === undefined) return usersByDay;
  const computed = await queryActiveUsers(context, { ...query, from: first, to: last });
  for (const day of daysFromTo(first, last)) {
    const users = computed.get(day) ?? 0;
    usersByDay.set(day, users);
    cache.set(keyOf(day), versions.get(day) as string, users);
  }
  return usersByDay;
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
