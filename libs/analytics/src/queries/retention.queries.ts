import type {
  CohortGranularity,
  CohortRetentionOptions,
  CohortRow,
  RetentionMode,
  RetentionRate,
  RetentionRateOptions,
} from './analytics-query.types';
import {
  dailyRead,
  eventsRead,
  sourceParams,
  USER_EVENTS_NEAR_SOURCE_DAYS,
  userActivityDays,
} from './daily-sources';
import { cachedSelectRows, firstSeenRead, readSourceParts } from './figure-cache';
import {
  AnalyticsQueryError,
  checkChoice,
  checkDayRange,
  checkInteger,
  resolveTypes,
} from './query-parameters';
import { typeCondition, typeParams, type QueryContext } from './query-context';
import { checkTimeZone, lastCompleteDay } from './time-zone.util';
import { addDays, mondayOf } from './utc-day.util';

export const MAX_PERIODS = 120;
export const DEFAULT_RETENTION_DAYS_N = [1, 7, 30] as const;
export const RETENTION_MODES: readonly RetentionMode[] = ['calendar', 'rolling', 'unbounded'];

const PERIOD_DAYS: Record<CohortGranularity, number> = { day: 1, week: 7 };

/*
 * A user's cohort is the day (or ISO week) in `tz` of their first event: of any type from
 * actor_first_seen, or of the cohort types from actor_first_seen_by_type. Both keep the first event's
 * time, so the day is taken in the zone by ClickHouse. Every fragment below is one of a few fixed
 * texts chosen by the checked options; values are bound parameters.
 */
const COHORTS = (granularity: CohortGranularity, cohortTypes: readonly string[] | undefined) => `
  cohorts AS (
    SELECT actor_key, min(first_seen) AS first_at,
           ${granularity === 'week' ? 'toMonday' : 'toDate'}(toDate(first_at, {tz:String})) AS cohort_start
    FROM {db:Identifier}.${cohortTypes === undefined ? 'actor_first_seen' : 'actor_first_seen_by_type'}
    ${cohortTypes === undefined ? '' : 'WHERE activity_type IN {cohortTypes:Array(String)}'}
    GROUP BY actor_key
    HAVING cohort_start BETWEEN {from:Date} AND {to:Date}
  )`;

const COHORT_SIZES_SQL = (granularity: CohortGranularity, cohortTypes: readonly string[] | undefined) => `
  WITH ${COHORTS(granularity, cohortTypes)}
  SELECT toString(cohort_start) AS cohort, count() AS user_count
  FROM cohorts
  GROUP BY cohort_start
  ORDER BY cohort_start`;

/**
 * Per cohort and period, the users active in it. Calendar periods count days in `tz` from the
 * cohort's start; rolling ones count 24-hour windows (× 7 for weeks) from each user's first event.
 * Activity counts from the user's cohort start (calendar) or first event (rolling) up to `to`.
 *
 * A user may appear in `active` many times (events, types, unmerged parts): the counts below are of
 * distinct users, so no DISTINCT is needed first. The cohorts are the join's right side, from which
 * ClickHouse builds its hash table by default: they are one row per user, the activity many more.
 */
const ACTIVE_PERIODS = (mode: RetentionMode, tz: string, types: readonly string[] | undefined) =>
  mode === 'rolling'
    ? `
  active AS (
    SELECT actor_key, occurred_at
    FROM {db:Identifier}.events
    WHERE ${USER_EVENTS_NEAR_SOURCE_DAYS}
      AND toDate(occurred_at, {tz:String}) BETWEEN {from:Date} AND {to:Date}
      ${typeCondition(types)}
  ),
  periods AS (
    SELECT c.cohort_start AS cohort_start, a.actor_key AS actor_key,
           intDiv(toUnixTimestamp64Milli(a.occurred_at) - toUnixTimestamp64Milli(c.first_at),
                  {periodDays:UInt8} * 86400000) AS period
    FROM active AS a
    INNER JOIN cohorts AS c ON a.actor_key = c.actor_key
    WHERE a.occurred_at >= c.first_at
  )`
    : `
  active AS (
    SELECT actor_key, day
    FROM ${userActivityDays(tz)}
    WHERE day BETWEEN {from:Date} AND {to:Date} ${typeCondition(types)}
  ),
  periods AS (
    SELECT c.cohort_start AS cohort_start, a.actor_key AS actor_key,
           intDiv(dateDiff('day', c.cohort_start, a.day), {periodDays:UInt8}) AS period
    FROM active AS a
    INNER JOIN cohorts AS c ON a.actor_key = c.actor_key
    WHERE a.day >= c.cohort_start
  )`;

/**
 * Calendar and rolling: users per (cohort, period). Unbounded: users per (cohort, last period they
 * were active in), summed from the right in retainedCounts, so that period k counts whoever was
 * active in k or later (and a period past the matrix still counts).
 */
const RETAINED_SQL = (
  mode: RetentionMode,
  granularity: CohortGranularity,
  tz: string,
  types: readonly string[] | undefined,
  cohortTypes: readonly string[] | undefined,
) => `
  WITH ${COHORTS(granularity, cohortTypes)}, ${ACTIVE_PERIODS(mode, tz, types)}
  ${
    mode === 'unbounded'
      ? `SELECT toString(cohort_start) AS cohort, last_period AS period, count() AS user_count
         FROM (SELECT cohort_start, actor_key, max(period) AS last_period
               FROM periods GROUP BY cohort_start, actor_key)
         GROUP BY cohort, period`
      : `SELECT toString(cohort_start) AS cohort, period, uniqExact(actor_key) AS user_count
         FROM periods
         WHERE period < {periods:UInt16}
         GROUP BY cohort, period`
  }`;

/**
 * The cohort retention matrix: one row per cohort first seen from `from` to `to` (for weeks, from the
 * Monday of `from`'s week), with the users of the cohort retained in each period k = 0 … periods - 1
 * by the mode. Activity counts up to `to`; a period that begins after `to` is null.
 */
export async function cohortRetention(
  context: QueryContext,
  options: CohortRetentionOptions,
): Promise<CohortRow[]> {
  const range = checkDayRange(options.from, options.to);
  const periods = checkInteger(options.periods, 'periods', { min: 1, max: MAX_PERIODS });
  const granularity = checkChoice(options.granularity, 'granularity', ['day', 'week'], 'day');
  const mode = checkChoice(options.mode, 'mode', RETENTION_MODES, 'calendar');
  const tz = checkTimeZone(options.tz, 'tz', context.timeZone);
  const types = resolveTypes(options.types, context.catalog);
  const cohortTypes = resolveCohortTypes(options.cohortTypes, context);
  const from = granularity === 'week' ? mondayOf(range.from) : range.from;
  const to = range.to;
  const periodDays = PERIOD_DAYS[granularity];
  const params = {
    from,
    to,
    periods,
    periodDays,
    ...sourceParams(tz, from, to),
    ...typeParams(types),
    ...(cohortTypes === undefined ? {} : { cohortTypes }),
  };

  // The last cohort takes users first seen up to its last day (for weeks, the Sunday of `to`'s
  // week); the UTC day after it covers that day in any zone.
  const cohortsRead = firstSeenRead(
    cohortTypes === undefined ? 'actor_first_seen' : 'actor_first_seen_by_type',
    granularity === 'week' ? addDays(mondayOf(to), 7) : addDays(to, 1),
  );
  const activityRead =
    mode === 'rolling' ? eventsRead(from, to) : dailyRead('user_daily_activity', tz, from, to);
  // One listing of the parts for both queries, made before either runs.
  const parts = context.cache && (await readSourceParts(context, [cohortsRead, activityRead]));
  const sizes = await cachedSelectRows<{ cohort: string; user_count: string | number }>(
    context,
    COHORT_SIZES_SQL(granularity, cohortTypes),
    params,
    [cohortsRead],
    parts,
  );
  const retained = await cachedSelectRows<{
    cohort: string;
    period: number | string;
    user_count: string | number;
  }>(
    context,
    RETAINED_SQL(mode, granularity, tz, types, cohortTypes),
    params,
    [cohortsRead, activityRead],
    parts,
  );
  const counts = retainedCounts(retained, mode, periods);
  const lastComplete = lastCompleteDay(to, tz, context.now());
  // The last day of period k: for rolling periods, a day later than the latest member's window can end.
  const lastDayOf = (cohort: string, period: number) =>
    addDays(cohort, (period + (mode === 'rolling' ? 2 : 1)) * periodDays - 1);
  return sizes.map(({ cohort, user_count }) => {
    const users = Number(user_count);
    const cells = Array.from({ length: periods }, (_, period) =>
      addDays(cohort, period * periodDays) > to ? null : (counts.get(`${cohort}/${period}`) ?? 0),
    );
    return {
      cohort,
      users,
      retained: cells,
      rates: cells.map((count) => (count === null ? null : count / users)),
      complete: cells.map((count, period) => count !== null && lastDayOf(cohort, period) <= lastComplete),
    };
  });
}

/** `cohort/period` → users retained; for unbounded, the users whose last active period is k or later. */
function retainedCounts(
  rows: readonly { cohort: string; period: number | string; user_count: string | number }[],
  mode: RetentionMode,
  periods: number,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const period = Number(row.period);
    const users = Number(row.user_count);
    if (mode !== 'unbounded') {
      counts.set(`${row.cohort}/${period}`, users);
      continue;
    }
    for (let k = 0; k <= Math.min(period, periods - 1); k++) {
      const key = `${row.cohort}/${k}`;
      counts.set(key, (counts.get(key) ?? 0) + users);
    }
  }
  return counts;
}

/**
 * Day-N retention over the daily cohorts first seen from `from` to `to`: of the users of the cohorts
 * whose day N is on or before `to`, the share retained on their day N (by the mode).
 */
export async function retentionRates(
  context: QueryContext,
  options: RetentionRateOptions,
): Promise<RetentionRate[]> {
  const days = checkRetentionDays(options.days ?? DEFAULT_RETENTION_DAYS_N);
  const matrix = await cohortRetention(context, {
    from: options.from,
    to: options.to,
    types: options.types,
    tz: options.tz,
    mode: options.mode,
    cohortTypes: options.cohortTypes,
    granularity: 'day',
    periods: Math.max(...days) + 1,
  });
  return days.map((day) => {
    let cohorts = 0;
    let cohortUsers = 0;
    let retainedUsers = 0;
    let complete = true;
    for (const row of matrix) {
      const retained = row.retained[day];
      if (retained === null || retained === undefined) continue;
      cohorts++;
      cohortUsers += row.users;
      retainedUsers += retained;
      complete &&= row.complete[day] === true;
    }
    return {
      day,
      cohorts,
      cohortUsers,
      retainedUsers,
      rate: cohortUsers === 0 ? null : retainedUsers / cohortUsers,
      complete,
    };
  });
}

function resolveCohortTypes(filter: CohortRetentionOptions['cohortTypes'], context: QueryContext) {
  try {
    return resolveTypes(filter, context.catalog);
  } catch (error) {
    if (error instanceof AnalyticsQueryError)
      throw new AnalyticsQueryError('cohortTypes', error.message.replace(/^types /, ''));
    throw error;
  }
}

function checkRetentionDays(days: unknown): number[] {
  if (!Array.isArray(days) || days.length === 0) {
    throw new AnalyticsQueryError(
      'days',
      `must be a non-empty list of whole numbers from 1 to ${MAX_PERIODS - 1}`,
    );
  }
  return days.map((day, index) => checkInteger(day, `days[${index}]`, { min: 1, max: MAX_PERIODS - 1 }));
}
