import { isPersonEntityType, type ActivityEvent, type Pseudonymizer } from '@chronicle/contracts';
import type {
  ActiveUser,
  ActivityMixRow,
  CohortRow,
  DailyUsers,
  EntityCount,
  EntityRank,
  PseudonymSubject,
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
const dayOf = (event: ActivityEvent): string => new Date(Date.parse(event.time)).toISOString().slice(0, 10);

/** The set under `key`, made empty on first use. */
function setOf<K>(map: Map<K, Set<string>>, key: K): Set<string> {
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
  private readonly events: (ActivityEvent & { day: string })[];
  private readonly userEvents: (ActivityEvent & { day: string })[];
  private readonly firstSeen = new Map<string, string>();
  /** day → activity type → users active with it that day. */
  private readonly usersByDay = new Map<string, Map<string, Set<string>>>();

  /** `events` may hold duplicates (redeliveries): each event id counts once. */
  constructor(
    events: readonly ActivityEvent[],
    private readonly pseudonymize: Pseudonymizer,
  ) {
    const byId = new Map<string, ActivityEvent & { day: string }>();
    for (const event of events) byId.set(event.id, { ...event, day: dayOf(event) });
    this.events = [...byId.values()];
    this.userEvents = this.events.filter((event) => event.data.actor.type === 'user');
    for (const event of this.userEvents) {
      const user = event.data.actor.id;
      const seen = this.firstSeen.get(user);
      if (seen === undefined || event.day < seen) this.firstSeen.set(user, event.day);
      const byType = this.usersByDay.get(event.day) ?? new Map<string, Set<string>>();
      this.usersByDay.set(event.day, byType);
      setOf(byType, event.type).add(user);
    }
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
    return daysFrom(from, to).map((day) => ({ day, users: this.activeUsers(day, windowDays, types) }));
  }

  stickiness(from: string, to: string, types: TypePredicate = everyType): StickinessPoint[] {
    return daysFrom(from, to).map((day) => {
      const dau = this.activeUsers(day, 1, types);
      const mau = this.activeUsers(day, 30, types);
      return { day, dau, mau, ratio: mau === 0 ? null : dau / mau };
    });
  }

  cohortRetention(
    from: string,
    to: string,
    periods: number,
    granularity: 'day' | 'week',
    types: TypePredicate = everyType,
  ): CohortRow[] {
    const periodDays = granularity === 'week' ? 7 : 1;
    const cohortOf = (day: string) => (granularity === 'week' ? mondayOf(day) : day);
    const first = cohortOf(from);
    const members = new Map<string, Set<string>>();
    for (const [user, seen] of this.firstSeen) {
      const cohort = cohortOf(seen);
      if (cohort < first || cohort > to) continue;
      setOf(members, cohort).add(user);
    }
    // Who was active (with the types) in which period of their cohort, counting activity up to `to`.
    const activeIn = new Map<string, Set<string>>();
    for (const event of this.userEvents) {
      const day = event.day;
      if (day > to || !types(event.type)) continue;
      const user = event.data.actor.id;
      const cohort = cohortOf(this.firstSeen.get(user) as string);
      if (!members.get(cohort)?.has(user)) continue;
      const elapsed = Math.round((Date.parse(day) - Date.parse(cohort)) / DAY_MS);
      const key = `${cohort}/${Math.floor(elapsed / periodDays)}`;
      setOf(activeIn, key).add(user);
    }
    return [...members.keys()].sort().map((cohort) => {
      const users = setOf(members, cohort).size;
      const retained = Array.from({ length: periods }, (_, period) =>
        plusDays(cohort, period * periodDays) > to ? null : (activeIn.get(`${cohort}/${period}`)?.size ?? 0),
      );
      return {
        cohort,
        users,
        retained,
        rates: retained.map((count) => (count === null ? null : count / users)),
      };
    });
  }

  /** Day-N retention, straight from the definition (not from the matrix). */
  retentionRates(
    from: string,
    to: string,
    days: readonly number[],
    types: TypePredicate = everyType,
  ): RetentionRate[] {
    const activeDays = new Map<string, Set<string>>();
    for (const event of this.userEvents) {
      if (!types(event.type)) continue;
      setOf(activeDays, event.data.actor.id).add(event.day);
    }
    return days.map((n) => {
      const cohorts = new Set<string>();
      let cohortUsers = 0;
      let retainedUsers = 0;
      for (const [user, seen] of this.firstSeen) {
        if (seen < from || seen > to || plusDays(seen, n) > to) continue;
        cohorts.add(seen);
        cohortUsers++;
        if (activeDays.get(user)?.has(plusDays(seen, n))) retainedUsers++;
      }
      return {
        day: n,
        cohorts: cohorts.size,
        cohortUsers,
        retainedUsers,
        rate: cohortUsers === 0 ? null : retainedUsers / cohortUsers,
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
        return { day, activityType, events };
      })
      .sort((a, b) =>
        a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.activityType < b.activityType ? -1 : 1,
      );
  }
}
