import type { TypeFilter } from '@chronicle/contracts';

/*
 * Inputs and results of the product-analytics queries. Days are calendar days in the time zone `tz`
 * (UTC unless the queries were given another default), written `YYYY-MM-DD`; ranges include both
 * ends. `types` filters activity types: an exact type (`app.viewed`), a prefix (`download.*`) or a
 * list of both; absent, every type counts. Only actors of type `user` are users. A period is
 * `complete` once it is over: its last day is on or before `to` and before today (in `tz`).
 */

export interface ZoneOption {
  /** IANA time zone name; days and weeks begin at its midnights. */
  tz?: string;
}

export interface DayOptions extends ZoneOption {
  day: string;
  types?: TypeFilter;
}

export interface DayRangeOptions extends ZoneOption {
  from: string;
  to: string;
  types?: TypeFilter;
}

export interface ActiveUsersSeriesOptions extends DayRangeOptions {
  /** 1 (DAU), 7 (WAU), 30 (MAU) or any window up to 90 days ending on each day; default 1. */
  windowDays?: number;
}

export interface DailyUsers {
  day: string;
  users: number;
  /** Whether the window ending on `day` is over. */
  complete: boolean;
}

export interface StickinessPoint {
  day: string;
  dau: number;
  mau: number;
  /** dau / mau; null when nobody was active in the 30 days. */
  ratio: number | null;
  complete: boolean;
}

export type CohortGranularity = 'day' | 'week';

/**
 * When a user of a cohort counts as retained in period k (docs/analytics.md):
 * - `calendar`: active on the cohort's day (or week) + k, in calendar days of `tz`;
 * - `rolling`: active within the k-th 24-hour (or 7 × 24-hour) window from their own first event;
 * - `unbounded`: active in calendar period k or any later one, up to `to`.
 */
export type RetentionMode = 'calendar' | 'rolling' | 'unbounded';

export interface RetentionOptions extends DayRangeOptions {
  /** Default 'calendar'. */
  mode?: RetentionMode;
  /**
   * What makes a user join a cohort: their first event of these types (a type, a prefix or a list);
   * absent, their first event of any type.
   */
  cohortTypes?: TypeFilter;
}

export interface CohortRetentionOptions extends RetentionOptions {
  /** How many periods to report, period 0 (the cohort's own day or week) included. */
  periods: number;
  /** Daily cohorts (first-seen day) or weekly ones (first-seen ISO week, Monday to Sunday); default 'day'. */
  granularity?: CohortGranularity;
}

export interface CohortRow {
  /** The cohort's first day: the first-seen day, or the Monday of the first-seen week. */
  cohort: string;
  /** Users first seen in the cohort. */
  users: number;
  /** Per period k: users of the cohort retained in period k (by the mode); null once period k begins after `to`. */
  retained: (number | null)[];
  /** retained[k] / users. */
  rates: (number | null)[];
  /** Per period k: whether retained[k] is final (the period is over for every member of the cohort). */
  complete: boolean[];
}

export interface RetentionRateOptions extends RetentionOptions {
  /** Which day-N retentions; default [1, 7, 30]. */
  days?: readonly number[];
}

export interface RetentionRate {
  /** N of "day N retention". */
  day: number;
  /** Cohorts (first-seen days in the range) old enough: their day N is on or before `to`. */
  cohorts: number;
  cohortUsers: number;
  /** Users of those cohorts retained on their day N (by the mode). */
  retainedUsers: number;
  /** retainedUsers / cohortUsers; null when no cohort is old enough. */
  rate: number | null;
  /** Whether every counted cohort's day N is over. */
  complete: boolean;
}

/** What ranks top entities: their events, or their distinct users. */
export type EntityRank = 'events' | 'users';

export interface TopEntitiesOptions extends DayRangeOptions {
  /** e.g. `app`. */
  entityType: string;
  /** Default 10, at most 1000. */
  limit?: number;
  /** Default 'events'; ties are ranked by the other count, then by id. */
  rank?: EntityRank;
}

export interface EntityCount {
  /**
   * The entity's id. For an entity that is a person (isPersonEntityType), ClickHouse holds only its
   * pseudonym: the id is resolved through the identified store, null when it has none (erased, expired).
   */
  entityId: string | null;
  /** The pseudonym, for an entity that is a person; absent otherwise. */
  entityKey?: string;
  /** Distinct events on the entity (any actor type). */
  events: number;
  /** Distinct users among their actors. */
  users: number;
}

export interface MostActiveUsersOptions extends DayRangeOptions {
  /** Default 10, at most 1000. */
  limit?: number;
}

export interface ActiveUser {
  /** The actor id, resolved through the identified store; null when it has none for the key (erased, expired, not stored yet). */
  actorId: string | null;
  actorKey: string;
  /** Distinct events of the filtered types in the range. */
  events: number;
  /** Days in the range with at least one of them. */
  activeDays: number;
}

export interface ActivityMixRow {
  day: string;
  activityType: string;
  /** Distinct events of the type that day, by actors of every type. */
  events: number;
  complete: boolean;
}

/** A person or other subject behind a pseudonym. */
export interface PseudonymSubject {
  type: string;
  id: string;
}

/**
 * The subjects behind pseudonyms, from the identified store (Postgres `pseudonyms`, under its retention
 * and erasure): ClickHouse has no way back from a pseudonym. Keys it cannot resolve are absent.
 */
export type PseudonymResolver = (keys: readonly string[]) => Promise<ReadonlyMap<string, PseudonymSubject>>;
