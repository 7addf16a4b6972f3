import type { ActivityInput } from '@chronicle/contracts';
import { AppCatalog } from './app-catalog.model';
import type { EmitFollowUp } from './follow-ups.types';
import { FollowUpQueue } from './follow-up-queue';
import { Operations } from './operations.behaviour';
import { type ActiveDay, Population } from './population.model';
import { Prng } from './prng.util';
import { dayOf, systemIntensity, userIntensity } from './rhythm.util';
import { UserSessions } from './user-session.behaviour';

export interface TrafficModelOptions {
  users: number;
  apps: number;
  /** The day the run starts (UTC day number). */
  startDay: number;
}

/** The share of new visits that go to an active user's first visit of the day, while some are left. */
const FIRST_VISIT_SHARE = 0.6;

/**
 * Decides what happens at each moment it is asked about. A follow-up that is due (a visit's next step,
 * a download finishing) comes first; otherwise something new starts: a visit of a user active that
 * day, picked by activity weight, or, in proportion to the time of day, something the server does on
 * its own. Since the caller decides when events happen, the same model serves a live run at a fixed
 * rate and a backfill that follows the daily rhythm.
 */
export class TrafficModel {
  readonly population: Population;
  private readonly prng: Prng;
  private readonly pending = new FollowUpQueue();
  private readonly sessions: UserSessions;
  private readonly operations: Operations;
  private today: ActiveDay | undefined;
  /** How many of today's active users have had their first visit. */
  private firstVisits = 0;

  constructor(seed: number, options: TrafficModelOptions) {
    this.prng = new Prng(seed);
    this.population = new Population(seed, options);
    const followUps = {
      later: (due: number, emit: EmitFollowUp) => this.pending.push(due, emit),
    };
    this.operations = new Operations(this.prng, followUps);
    this.sessions = new UserSessions(
      this.prng,
      followUps,
      this.population,
      new AppCatalog(seed, options.apps),
      this.operations,
    );
  }

  /** The event at `now` (ms since the epoch); successive calls must not go back in time. */
  next(now: number): ActivityInput {
    if (this.pending.peekDue() <= now) return (this.pending.pop() as EmitFollowUp)(now);
    const users = userIntensity(now);
    const system = systemIntensity(now);
    if (this.prng.next() * (users + system) >= system) {
      const user = this.visitor(dayOf(now));
      if (user !== undefined) return this.sessions.start(user, now);
    }
    return this.operations.start(now);
  }

  /**
   * Who visits next: a share of the visits go to active users who have not visited yet today, in a
   * random order, so that (given enough traffic) everyone active on a day does show up that day; the
   * others go to users drawn by activity weight, which is where the heavy users' volume comes from.
   */
  private visitor(day: number): number | undefined {
    if (this.today?.day !== day) {
      this.today = this.population.activeDay(day);
      this.firstVisits = 0;
    }
    const { users } = this.today;
    if (users.length === 0) return undefined;
    if (this.firstVisits < users.length && this.prng.chance(FIRST_VISIT_SHARE))
      return users[this.firstVisits++];
    return this.today.sample(this.prng);
  }
}
