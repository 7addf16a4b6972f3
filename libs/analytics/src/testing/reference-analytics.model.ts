import { isPersonEntityType, type ActivityEvent, type Pseudonymizer } from '@chronicle/contracts';
import type {
  ActiveUser,
  ActivityMixRow,
  CohortRow,
  DailyUsers,
  EntityCount,
  EntityRank,
  PseudonymSubject,
  RetentionMode,
  RetentionRate,
  StickinessPoint,
} from '../queries/analytics-query.types';

/*
 * The analytics figures computed the slow, obvious way in plain TypeScript over the events themselves,
 * following the definitions of docs/analytics.md word for word. The integration tests hold the
 * ClickHouse queries to it. It shares no code with the queries on purpose.
 */

type TypePredicate = (type: string) => boolean;
const everyType: TypePredicate = () => true;

const DAY_MS = 86_400_000;
const plusDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const mondayOf = (day: string): string =>
  plusDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
const daysApart = (from: string, to: string): number =>
  Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** The calendar day in `timeZone` at `ms`, as a wall clock there shows it. */
function localDayFormat(timeZone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  return (ms) => {
    const parts = new Map<string, string>(format.formatToParts(ms).map((part) => [part.type, part.value]));
    const pad = (part: string) => (parts.get(part) as string).padStart(2, '0');
    return `${parts.get('year')}-${pad('month')}-${pad('day')}`;
  };
}

export interface ReferenceOptions {
  /** The zone whose calendar days the figures count in; UTC by default. */
  timeZone?: string;
  /** "Now", which decides the periods that are over; Date.now() by default. */
  now?: number;
}

/** How a user joins a cohort and is retained; calendar and any type by default. */
export interface ReferenceRetention {
  mode?: RetentionMode;
  cohortTypes?: TypePredicate;
}

type DatedEvent = ActivityEvent & { day: string; at: number };

/** The set under `key`, made empty on first use. */
function setOf<K, V = string>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  return set;
}

function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = plusDays(day, 1)) days.push(day);
  return days;
}

export class ReferenceAnalytics {
  private readonly events: DatedEvent[];
  private readonly userEvents: DatedEvent[];
  /** day → activity type → users active with it that day. */
  private readonly usersByDay = new Map<string, Map<string, Set<string>>>();
  private readonly localDay: (ms: number) => string;
  private readonly today: string;

  /** `events` may hold duplicates (redeliveries): each event id counts once. */
  constructor(
    events: readonly ActivityEvent[],
    private readonly pseudonymize: Pseudonymizer,
    options: ReferenceOptions = {},
  ) {
    this.localDay = localDayFormat(options.timeZone ?? 'UTC');
    this.today = this.localDay(options.now ?? Date.now());
    const byId = new Map<string, DatedEvent>();
    for (const event of events) {
      const at = Date.parse(event.time);
      byId.set(event.id, { ...event, at, day: this.localDay(at) });
    }
    this.events = [...byId.values()];
    this.userEvents = this.events.filter((event) => event.data.actor.type === 'user');
    for (const event of this.userEvents) {
      const byType = this.usersByDay.get(event.day) ?? new Map<string, Set<string>>();
      this.usersByDay.set(event.day, byType);
      setOf(byType, event.type).add(event.data.actor.id);
    }
  }

  /** A period ending on `lastDay` is over: on or before `to`, and before today. */
  private isOver(lastDay: string, to: string): boolean {
    return lastDay <= to && lastDay < this.today;
  }

  /** Each user's first event (of the cohort types): its time and day. */
  private firstEvents(cohortTypes: TypePredicate): Map<string, DatedEvent> {
    const first = new Map<string, DatedEvent>();
    for (const event of this.userEvents) {
      if (!cohortTypes(event.type)) continue;
      const seen = first.get(event.data.actor.id);
      if (seen === undefined || event.at < seen.at) first.set(event.data.actor.id, event);
    }
    return first;
  }

  /** Users with an event of the types in [end - windowDays + 1, end]. */
  activeUsers(end: string, windowDays: number, types: TypePredicate = everyType): number {
    const users = new Set<string>();
    for (let back = 0; back < windowDays; back++) {
      for (const [type, active] of this.usersByDay.get(plusDays(end, -back)) ?? []) {
        if (types(type)) for (const user of active) users.add(user);
      }
    }
    return users.size;
  }

  activeUsersSeries(
    from: string,
    to: string,
    windowDays: number,
    types: TypePredicate = everyType,
  ): DailyUsers[] {
    return daysFrom(from, to).map((day) => ({
      day,
      users: this.activeUsers(day, windowDays, types),
      complete: this.isOver(day, to),
    }));
  }

  stickiness(from: string, to: string, types: TypePredicate = everyType): StickinessPoint[] {
    return daysFrom(from, to).map((day) => {
      const dau = this.activeUsers(day, 1, types);
      const mau = this.activeUsers(day, 30, types);
      return { day, dau, mau, ratio: mau === 0 ? null : dau / mau, complete: this.isOver(day, to) };
    });
  }

  cohortRetention(
    from: string,
    to: string,
    periods: number,
    granularity: 'day' | 'week',
    types: TypePredicate = everyType,
    { mode = 'calendar', cohortTypes = everyType }: ReferenceRetention = {},
  ): CohortRow[] {
    const periodDays = granularity === 'week' ? 7 : 1;
    const cohortOf = (day: string) => (granularity === 'week' ? mondayOf(day) : day);
    const firstEvents = this.firstEvents(cohortTypes);
    const first = cohortOf(from);
    const members = new Map<string, Set<string>>();
    for (const [user, seen] of firstEvents) {
      const cohort = cohortOf(seen.day);
      if (cohort < first || cohort > to) continue;
      setOf(members, cohort).add(user);
    }
    // The periods of their cohort each member was active in (with the types), up to `to`.
    const periodsOf = new Map<string, Set<number>>();
    for (const event of this.userEvents) {
      if (event.day > to || !types(event.type)) continue;
      const user = event.data.actor.id;
      const seen = firstEvents.get(user);
      if (seen === undefined || !members.get(cohortOf(seen.day))?.has(user)) continue;
      const cohort = cohortOf(seen.day);
      if (mode === 'rolling') {
        if (event.at >= seen.at)
          setOf(periodsOf, user).add(Math.floor((event.at - seen.at) / (periodDays * DAY_MS)));
      } else if (event.day >= cohort) {
        setOf(periodsOf, user).add(Math.floor(daysApart(cohort, event.day) / periodDays));
      }
    }
    const retainedIn = (user: string, period: number): boolean => {
      const active = periodsOf.get(user);
      if (active === undefined) return false;
      return mode === 'unbounded' ? Math.max(...active) >= period : active.has(period);
    };
    return [...members.keys()].sort().map((cohort) => {
      const users = [...setOf(members, cohort)];
      const retained = Array.from({ length: periods }, (_, period) =>
        plusDays(cohort, period * periodDays) > to
          ? null
          : users.filter((user) => retainedIn(user, period)).length,
      );
      // A rolling window can end up to a period after the cohort's own period k.
      const lastDay = (period: number) =>
        plusDays(cohort, (period + (mode === 'rolling' ? 2 : 1)) * periodDays - 1);
      return {
        cohort,
        users: users.length,
        retained,
        rates: retained.map((count) => (count === null ? null : count / users.length)),
        complete: retained.map((count, period) => count !== null && this.isOver(lastDay(period), to)),
      };
    });
  }

  /** Day-N retention, straight from the definition (not from the matrix). */
  retentionRates(
    from: string,
    to: string,
    days: readonly number[],
    types: TypePredicate = everyType,
    { mode = 'calendar', cohortTypes = everyType }: ReferenceRetention = {},
  ): RetentionRate[] {
    const firstEvents = this.firstEvents(cohortTypes);
    const eventsOf = new Map<string, DatedEvent[]>();
    for (const event of this.userEvents) {
      if (!types(event.type) || event.day > to) continue;
      const list = eventsOf.get(event.data.actor.id) ?? [];
      list.push(event);
      eventsOf.set(event.data.actor.id, list);
    }
    const retainedOn = (user: string, seen: DatedEvent, n: number): boolean =>
      (eventsOf.get(user) ?? []).some((event) => {
        if (mode === 'rolling')
          return event.at >= seen.at + n * DAY_MS && event.at < seen.at + (n + 1) * DAY_MS;
        const dayN = plusDays(seen.day, n);
        return mode === 'unbounded' ? event.day >= dayN : event.day === dayN;
      });
    return days.map((n) => {
      const cohorts = new Set<string>();
      let cohortUsers = 0;
      let retainedUsers = 0;
      let complete = true;
      for (const [user, seen] of firstEvents) {
        if (seen.day < from || seen.day > to || plusDays(seen.day, n) > to) continue;
        cohorts.add(seen.day);
        cohortUsers++;
        if (retainedOn(user, seen, n)) retainedUsers++;
        complete &&= this.isOver(plusDays(seen.day, n + (mode === 'rolling' ? 1 : 0)), to);
      }
      return {
        day: n,
        cohorts: cohorts.size,
        cohortUsers,
        retainedUsers,
        rate: cohortUsers === 0 ? null : retainedUsers / cohortUsers,
        complete,
      };
    });
  }

  topEntities(
    from: string,
    to: string,
    entityType: string,
    limit: number,
    types: TypePredicate = everyType,
    rank: EntityRank = 'events',
  ): EntityCount[] {
    const counts = new Map<string, { events: number; users: Set<string> }>();
    for (const event of this.events) {
      const { entity, actor } = event.data;
      const day = event.day;
      if (entity?.type !== entityType || day < from || day > to || !types(event.type)) continue;
      const count = counts.get(entity.id) ?? { events: 0, users: new Set<string>() };
      count.events++;
      if (actor.type === 'user') count.users.add(actor.id);
      counts.set(entity.id, count);
    }
    // A person is stored, and so ranked on ties, by pseudonym.
    const person = isPersonEntityType(entityType);
    return [...counts.entries()]
      .map(([entityId, count]) => ({
        entityId,
        ...(person ? { entityKey: this.pseudonymize(entityType, entityId) } : {}),
        events: count.events,
        users: count.users.size,
      }))
      .sort((a, b) => {
        const [first, second] =
          rank === 'events' ? (['events', 'users'] as const) : (['users', 'events'] as const);
        return (
          b[first] - a[first] ||
          b[second] - a[second] ||
          ((a.entityKey ?? a.entityId) < (b.entityKey ?? b.entityId) ? -1 : 1)
        );
      })
      .slice(0, limit);
  }

  /**
   * The pseudonym → subject table the identified store keeps for these events (every actor, and every
   * entity that is a person), for tests of the ClickHouse queries without Postgres.
   */
  resolvePseudonyms = async (keys: readonly string[]): Promise<Map<string, PseudonymSubject>> => {
    const subjects = new Map<string, PseudonymSubject>();
    for (const { data } of this.events) {
      subjects.set(this.pseudonymize(data.actor.type, data.actor.id), data.actor);
      if (data.entity && isPersonEntityType(data.entity.type))
        subjects.set(this.pseudonymize(data.entity.type, data.entity.id), data.entity);
    }
    return new Map(
      keys.flatMap((key) => {
        const subject = subjects.get(key);
        return subject ? [[key, { type: subject.type, id: subject.id }] as const] : [];
      }),
    );
  };

  mostActiveUsers(from: string, to: string, limit: number, types: TypePredicate = everyType): ActiveUser[] {
    const byUser = new Map<string, { events: number; days: Set<string> }>();
    for (const event of this.userEvents) {
      const day = event.day;
      if (day < from || day > to || !types(event.type)) continue;
      const activity = byUser.get(event.data.actor.id) ?? { events: 0, days: new Set<string>() };
      activity.events++;
      activity.days.add(day);
      byUser.set(event.data.actor.id, activity);
    }
    return [...byUser.entries()]
      .map(([actorId, activity]) => ({
        actorId,
        actorKey: this.pseudonymize('user', actorId),
        events: activity.events,
        activeDays: activity.days.size,
      }))
      .sort(
        (a, b) => b.events - a.events || b.activeDays - a.activeDays || (a.actorKey < b.actorKey ? -1 : 1),
      )
      .slice(0, limit);
  }

  activityMix(from: string, to: string, types: TypePredicate = everyType): ActivityMixRow[] {
    const counts = new Map<string, number>();
    for (const event of this.events) {
      const day = event.day;
      if (day < from || day > to || !types(event.type)) continue;
      const key = `${day}|${event.type}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.entries()]
      .map(([key, events]) => {
        const [day, activityType] = key.split('|') as [string, string];
        return { day, activityType, events, complete: this.isOver(day, to) };
      })
      .sort((a, b) =>
        a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.activityType < b.activityType ? -1 : 1,
      );
  }
}
