import type {
  CohortGranularity,
  CohortRetentionOptions,
  CohortRow,
  RetentionRate,
  RetentionRateOptions,
} from './analytics-query.types';
import {
  AnalyticsQueryError,
  checkChoice,
  checkDayRange,
  checkInteger,
  resolveTypes,
} from './query-parameters';
import { selectRows, typeCondition, typeParams, type QueryContext } from './query-context';
import { addDays, mondayOf } from './utc-day.util';

export const MAX_PERIODS = 120;
export const DEFAULT_RETENTION_DAYS_N = [1, 7, 30] as const;

const PERIOD_DAYS: Record<CohortGranularity, number> = { day: 1, week: 7 };

/*
 * A user's cohort is the UTC day (or ISO week) of their first event of any type, from actor_first_seen;
 * their activity per day comes from user_daily_activity. Both are aggregates fed by the events' views.
 * The cohort expression is one of two fixed fragments, chosen by granularity.
 */
const COHORTS = (granularity: CohortGranularity) => `
  cohorts AS (
    SELECT actor_key, ${granularity === 'week' ? 'toMonday' : 'toDate'}(min(first_seen)) AS cohort_start
    FROM {db:Identifier}.actor_first_seen
    GROUP BY actor_key
    HAVING cohort_start BETWEEN {from:Date} AND {to:Date}
  )`;

const COHORT_SIZES_SQL = (granularity: CohortGranularity) => `
  WITH ${COHORTS(granularity)}
  SELECT toString(cohort_start) AS cohort, count() AS user_count
  FROM cohorts
  GROUP BY cohort_start
  ORDER BY cohort_start`;

const RETAINED_SQL = (granularity: CohortGranularity, types: readonly string[] | undefined) => `
  WITH ${COHORTS(granularity)},
  active AS (
    SELECT DISTINCT actor_key, day
    FROM {db:Identifier}.user_daily_activity
    WHERE day BETWEEN {from:Date} AND {to:Date} ${typeCondition(types)}
  )
  SELECT
    toString(c.cohort_start) AS cohort,
    intDiv(dateDiff('day', c.cohort_start, a.day), {periodDays:UInt8}) AS period,
    uniqExact(c.actor_key) AS user_count
  FROM cohorts AS c
  INNER JOIN active AS a ON a.actor_key = c.actor_key
  WHERE a.day >= c.cohort_start AND period < {periods:UInt16}
  GROUP BY cohort, period`;

/**
 * The cohort retention matrix: one row per cohort first seen from `from` to `to` (for weeks, from the
 * Monday of `from`'s week), with the users of the cohort active in each period k = 0 … periods - 1
 * (the cohort's day or week + k). Activity counts up to `to`; a period that begins after `to` is null.
 */
export async function cohortRetention(
  context: QueryContext,
  options: CohortRetentionOptions,
): Promise<CohortRow[]> {
  const range = checkDayRange(options.from, options.to);
  const periods = checkInteger(options.periods, 'periods', { min: 1, max: MAX_PERIODS });
  const granularity = checkChoice(options.granularity, 'granularity', ['day', 'week'], 'day');
  const types = resolveTypes(options.types, context.catalog);
  const from = granularity === 'week' ? mondayOf(range.from) : range.from;
  const to = range.to;
  const periodDays = PERIOD_DAYS[granularity];
  const params = { from, to, periods, periodDays, ...typeParams(types) };

  const sizes = await selectRows<{ cohort: string; user_count: string | number }>(
    context,
    COHORT_SIZES_SQL(granularity),
    params,
  );
  const retained = await selectRows<{ cohort: string; period: number | string; user_count: string | number }>(
    context,
    RETAINED_SQL(granularity, types),
    params,
  );
  const retainedBy = new Map(
    retained.map((row) => [`${row.cohort}/${Number(row.period)}`, Number(row.user_count)]),
  );
  return sizes.map(({ cohort, user_count }) => {
    const users = Number(user_count);
    const counts = Array.from({ length: periods }, (_, period) =>
      addDays(cohort, period * periodDays) > to ? null : (retainedBy.get(`${cohort}/${period}`) ?? 0),
    );
    return {
      cohort,
      users,
      retained: counts,
      rates: counts.map((count) => (count === null ? null : count / users)),
    };
  });
}

/**
 * Day-N retention over the daily cohorts first seen from `from` to `to`: of the users of the cohorts
 * whose day N is on or before `to`, the share active exactly on their day N.
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
    granularity: 'day',
    periods: Math.max(...days) + 1,
  });
  return days.map((day) => {
    let cohorts = 0;
    let cohortUsers = 0;
    let retainedUsers = 0;
    for (const row of matrix) {
      const retained = row.retained[day];
      if (retained === null || retained === undefined) continue;
      cohorts++;
      cohortUsers += row.users;
      retainedUsers += retained;
    }
    return {
      day,
      cohorts,
      cohortUsers,
      retainedUsers,
      rate: cohortUsers === 0 ? null : retainedUsers / cohortUsers,
    };
  });
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
