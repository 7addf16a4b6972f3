import { isPersonEntityType } from '@chronicle/contracts';
import type {
  ActiveUser,
  ActivityMixRow,
  DayRangeOptions,
  EntityCount,
  EntityRank,
  MostActiveUsersOptions,
  TopEntitiesOptions,
} from './analytics-query.types';
import { dailyRead, dailySource, sourceParams } from './daily-sources';
import { cachedSelectRows } from './figure-cache';
import { checkChoice, checkDayRange, checkInteger, checkName, resolveTypes } from './query-parameters';
import { typeCondition, typeParams, type QueryContext } from './query-context';
import { checkTimeZone, lastCompleteDay } from './time-zone.util';

export const MAX_LIMIT = 1000;
export const ENTITY_RANKS: readonly EntityRank[] = ['events', 'users'];
const DEFAULT_LIMIT = 10;

/*
 * Event counts come from uniqExact states of event ids. An event id belongs to one day, type, entity
 * and actor, so merging an entity's (or a user's) states over days and types counts each event once,
 * however often it was delivered.
 */

/** Ranked by events (ties by users) or by distinct users (ties by events); then by id. */
const TOP_ENTITIES_ORDER: Record<EntityRank, string> = {
  events: 'event_count DESC, user_count DESC',
  users: 'user_count DESC, event_count DESC',
};

const TOP_ENTITIES_SQL = (types: readonly string[] | undefined, rank: EntityRank, tz: string) => `
  SELECT entity_id, uniqExactMerge(events) AS event_count, uniqExactMerge(users) AS user_count
  FROM ${dailySource('entity_daily_counts', tz)}
  WHERE entity_type = {entityType:String}
    AND day BETWEEN {from:Date} AND {to:Date}
    ${typeCondition(types)}
  GROUP BY entity_id
  ORDER BY ${TOP_ENTITIES_ORDER[rank]}, entity_id ASC
  LIMIT {limit:UInt32}`;

const MOST_ACTIVE_SQL = (types: readonly string[] | undefined, tz: string) => `
  SELECT actor_key, uniqExactMerge(events) AS event_count, uniqExact(day) AS active_days
  FROM ${dailySource('user_daily_activity', tz)}
  WHERE day BETWEEN {from:Date} AND {to:Date} ${typeCondition(types)}
  GROUP BY actor_key
  ORDER BY event_count DESC, active_days DESC, actor_key ASC
  LIMIT {limit:UInt32}`;

const ACTIVITY_MIX_SQL = (types: readonly string[] | undefined, tz: string) => `
  SELECT toString(day) AS on_day, activity_type, uniqExactMerge(events) AS event_count
  FROM ${dailySource('activity_daily_counts', tz)}
  WHERE day BETWEEN {from:Date} AND {to:Date} ${typeCondition(types)}
  GROUP BY day, activity_type
  ORDER BY day, activity_type`;

/**
 * The entities of a type with the most events (or, with `rank: 'users'`, the most distinct users) in
 * the range (e.g. most viewed apps), ties by the other count, then by id (by pseudonym for people,
 * whose ids are resolved through the identified store).
 */
export async function topEntities(
  context: QueryContext,
  options: TopEntitiesOptions,
): Promise<EntityCount[]> {
  const { from, to } = checkDayRange(options.from, options.to);
  const entityType = checkName(options.entityType, 'entityType');
  const limit = checkInteger(options.limit, 'limit', { min: 1, max: MAX_LIMIT, fallback: DEFAULT_LIMIT });
  const types = resolveTypes(options.types, context.catalog);
  const rank = checkChoice(options.rank, 'rank', ENTITY_RANKS, 'events');
  const tz = checkTimeZone(options.tz, 'tz', context.timeZone);
  const rows = await cachedSelectRows<{
    entity_id: string;
    event_count: string | number;
    user_count: string | number;
  }>(
    context,
    TOP_ENTITIES_SQL(types, rank, tz),
    { from, to, entityType, limit, ...sourceParams(tz, from, to), ...typeParams(types) },
    [dailyRead('entity_daily_counts', tz, from, to)],
  );
  const counts = (row: (typeof rows)[number]) => ({
    events: Number(row.event_count),
    users: Number(row.user_count),
  });
  if (!isPersonEntityType(entityType))
    return rows.map((row) => ({ entityId: row.entity_id, ...counts(row) }));
  const people = await context.resolvePseudonyms(rows.map((row) => row.entity_id));
  return rows.map((row) => ({
    entityId: people.get(row.entity_id)?.id ?? null,
    entityKey: row.entity_id,
    ...counts(row),
  }));
}

/**
 * The users with the most events in the range, then the most active days, then by pseudonym (a stable
 * if arbitrary tie-break), resolved to actor ids through the identified store.
 */
export async function mostActiveUsers(
  context: QueryContext,
  options: MostActiveUsersOptions,
): Promise<ActiveUser[]> {
  const { from, to } = checkDayRange(options.from, options.to);
  const limit = checkInteger(options.limit, 'limit', { min: 1, max: MAX_LIMIT, fallback: DEFAULT_LIMIT });
  const types = resolveTypes(options.types, context.catalog);
  const tz = checkTimeZone(options.tz, 'tz', context.timeZone);
  const rows = await cachedSelectRows<{
    actor_key: string;
    event_count: string | number;
    active_days: string | number;
  }>(
    context,
    MOST_ACTIVE_SQL(types, tz),
    { from, to, limit, ...sourceParams(tz, from, to), ...typeParams(types) },
    [dailyRead('user_daily_activity', tz, from, to)],
  );
  const actors = await context.resolvePseudonyms(rows.map((row) => row.actor_key));
  return rows.map((row) => ({
    actorId: actors.get(row.actor_key)?.id ?? null,
    actorKey: row.actor_key,
    events: Number(row.event_count),
    activeDays: Number(row.active_days),
  }));
}

/** Events per activity type per day (every actor type), for the days and types that have any. */
export async function activityMix(
  context: QueryContext,
  options: DayRangeOptions,
): Promise<ActivityMixRow[]> {
  const { from, to } = checkDayRange(options.from, options.to);
  const types = resolveTypes(options.types, context.catalog);
  const tz = checkTimeZone(options.tz, 'tz', context.timeZone);
  const rows = await cachedSelectRows<{
    on_day: string;
    activity_type: string;
    event_count: string | number;
  }>(
    context,
    ACTIVITY_MIX_SQL(types, tz),
    { from, to, ...sourceParams(tz, from, to), ...typeParams(types) },
    [dailyRead('activity_daily_counts', tz, from, to)],
  );
  const lastComplete = lastCompleteDay(to, tz, context.now());
  return rows.map((row) => ({
    day: row.on_day,
    activityType: row.activity_type,
    events: Number(row.event_count),
    complete: row.on_day <= lastComplete,
  }));
}
