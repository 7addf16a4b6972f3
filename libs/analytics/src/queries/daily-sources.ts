import type { SourceRead } from './figure-cache';
import { isUtc } from './time-zone.util';
import { addDays } from './utc-day.util';

/*
 * Where a query reads its per-day figures from. The aggregate tables are kept per UTC day by their
 * materialized views (migrations 0002, 0004–0006). For UTC the query reads them; for any other time
 * zone it reads the same columns computed from the raw events, with each event's day taken in that
 * zone by ClickHouse (`toDate(occurred_at, tz)`). Each SELECT below is its view's SELECT with that
 * one change, so both sources give the same rows for UTC (the reference comparison runs both).
 *
 * Consequence (docs/analytics.md): a figure in another zone covers the raw events' retention
 * (RETENTION_DAYS), the UTC aggregates without a TTL reach further back.
 */

export type DailyTable =
  'daily_active_users' | 'user_daily_activity' | 'entity_daily_counts' | 'activity_daily_counts';

/**
 * Only the UTC days an event of local days [sourceFrom, sourceTo] can fall on (an offset is under a
 * day), so that ClickHouse reads the matching parts of the events' primary key (toDate(occurred_at)).
 */
const NEAR_SOURCE_DAYS = 'toDate(occurred_at) BETWEEN {sourceFrom:Date} - 1 AND {sourceTo:Date} + 1';
const LOCAL_DAY = 'toDate(occurred_at, {tz:String}) AS day';

const FROM_EVENTS: Record<DailyTable, string> = {
  daily_active_users: `
    SELECT ${LOCAL_DAY}, activity_type, uniqExactState(actor_key) AS users
    FROM {db:Identifier}.events
    WHERE actor_type = 'user' AND ${NEAR_SOURCE_DAYS}
    GROUP BY day, activity_type`,
  user_daily_activity: `
    SELECT ${LOCAL_DAY}, activity_type, actor_key, uniqExactState(event_id) AS events
    FROM {db:Identifier}.events
    WHERE actor_type = 'user' AND ${NEAR_SOURCE_DAYS}
    GROUP BY day, activity_type, actor_key`,
  entity_daily_counts: `
    SELECT ${LOCAL_DAY}, entity_type, activity_type, entity_id,
           uniqExactState(event_id) AS events,
           uniqExactStateIf(actor_key, actor_type = 'user') AS users
    FROM {db:Identifier}.events
    WHERE entity_type != '' AND ${NEAR_SOURCE_DAYS}
    GROUP BY day, entity_type, activity_type, entity_id`,
  activity_daily_counts: `
    SELECT ${LOCAL_DAY}, activity_type, uniqExactState(event_id) AS events
    FROM {db:Identifier}.events
    WHERE ${NEAR_SOURCE_DAYS}
    GROUP BY day, activity_type`,
};

/** The FROM clause of `table` with its days in `tz`: the table itself for UTC, else a subquery. */
export function dailySource(table: DailyTable, tz: string): string {
  return isUtc(tz) ? `{db:Identifier}.${table}` : `(${FROM_EVENTS[table]}) AS ${table}`;
}

/**
 * The FROM clause of (day in `tz`, activity_type, actor_key) rows, one or more per user active that
 * day with that type: for a query that counts distinct users itself. For UTC, user_daily_activity
 * (its rows not yet merged repeat a user); else the raw events, without the per-day event states
 * that user_daily_activity's own SELECT would build for nothing.
 */
export function userActivityDays(tz: string): string {
  return isUtc(tz)
    ? '{db:Identifier}.user_daily_activity'
    : `(SELECT ${LOCAL_DAY}, activity_type, actor_key
        FROM {db:Identifier}.events
        WHERE ${USER_EVENTS_NEAR_SOURCE_DAYS}) AS user_daily_activity`;
}

/** The parameters dailySource's SQL binds, for a query reading local days `from` to `to`. */
export function sourceParams(
  tz: string,
  from: string,
  to: string,
): { tz: string; sourceFrom: string; sourceTo: string } {
  return { tz, sourceFrom: from, sourceTo: to };
}

/** The raw events of users in `tz`'s days [sourceFrom, sourceTo], for figures that need each event's time. */
export const USER_EVENTS_NEAR_SOURCE_DAYS = `actor_type = 'user' AND ${NEAR_SOURCE_DAYS}`;

/** The UTC days of the raw events that local days [from, to] in any zone can hold (NEAR_SOURCE_DAYS). */
export function eventsRead(from: string, to: string): SourceRead {
  return { table: 'events', days: { from: addDays(from, -1), to: addDays(to, 1) } };
}

/** What dailySource(table, tz) reads for local days [from, to]: for the figure cache. */
export function dailyRead(table: DailyTable, tz: string, from: string, to: string): SourceRead {
  return isUtc(tz) ? { table, days: { from, to } } : eventsRead(from, to);
}
