import type { TypeFilter } from '@chronicle/contracts';

/*
 * Inputs and results of the product-analytics queries. Days are UTC days written `YYYY-MM-DD`; ranges
 * include both ends. `types` filters activity types: an exact type (`app.viewed`), a prefix
 * (`download.*`) or a list of both; absent, every type counts. Only actors of type `user` are users.
 */

export interface DayOptions {
  day: string;
  types?: TypeFilter;
}

export interface DayRangeOptions {
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
}

export interface StickinessPoint {
  day: string;
  dau: number;
  mau: number;
  /** dau / mau; null when nobody was active in the 30 days. */
  ratio: number | null;
}

export type CohortGranularity = 'day' | 'week';

export interface CohortRetentionOptions extends DayRangeOptions {
  /** How many periods to report, period 0 (the cohort's own day or week) included. */
  periods: number;
  /** Daily cohorts (first-seen UTC day) or weekly ones (first-seen ISO week); default 'day'. */
  granularity?: CohortGranularity;
}

export interface CohortRow {
  /** The cohort's first day: the first-seen day, or the Monday of the first-seen week. */
  cohort: string;
  /** Users first seen in the cohort (any activity type). */
  users: number;
  /** Per period k: users of the cohort active (with the filtered types) in period k; null once period k begins after `to`. */
  retained: (number | null)[];
  /** retained[k] / users. */
  rates: (number | null)[];
}

export interface RetentionRateOptions extends DayRangeOptions {
  /** Which day-N retentions; default [1, 7, 30]. */
  days?: readonly number[];
}

export interface RetentionRate {
  /** N of "day N retention". */
  day: number;
  /** Cohorts (first-seen days in the range) old enough: their day N is on or before `to`. */
  cohorts: number;
  cohortUsers: number;
  /** Users of those cohorts active exactly on their day N. */
  retainedUsers: number;
  /** retainedUsers / cohortUsers; null when no cohort is old enough. */
  rate: number | null;
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
