import { hashUnit, Prng, sampleCumulative, WeightedChoice } from './prng.util';
import { isWeekend } from './rhythm.util';
import { CLIENT_VERSIONS, PLATFORMS, type Platform } from './traffic-vocabulary.constants';

/*
 * Who uses the product, and when. Every user has:
 * - an activity weight from a Pareto distribution (α = 1.5): a few heavy users and a long tail of light
 *   ones; it sets how often they are picked for a session, how long their sessions are, how often they
 *   come back and how long they stay;
 * - a join day: sign-ups spread over months before the start and a month after it, growing (twice as
 *   many per day at the end as at the beginning), so new users keep arriving;
 * - a last day: one-time visitors never come back, a loyal core never leaves, the rest churn after an
 *   exponentially distributed lifetime, so cohorts decay and then flatten like real retention curves;
 * - a return probability: on each day of their lifetime after the first, whether they show up; higher in
 *   the first days after sign-up (so day-1 retention is high and decays) and at weekends.
 * Whether a user is active on a day is a hash of (seed, user, day), not a draw from the event stream:
 * the same people are active whatever the rate, and a day can be recomputed at any time.
 */

const PARETO_ALPHA = 1.5;
const MAX_WEIGHT = 50;
/**
 * Sign-ups run from HISTORY_DAYS before the start day to FUTURE_DAYS after it: a 90-day backfill begins
 * with an established base, and a live run that goes on for days keeps getting new users. Counting from
 * the start day (not the window) gives a backfill and a live run started the same day the same users.
 */
export const HISTORY_DAYS = 150;
export const FUTURE_DAYS = 30;
/** Sign-ups per day at the end of the span compared with its start. */
const GROWTH = 2;
const MEAN_LIFETIME_DAYS = 12;
/** New users come back more often in their first days (the honeymoon), which is what makes day-1 retention high. */
const HONEYMOON_BOOST = 2;
const HONEYMOON_DAYS = 4;
/** A media product gets more returning visitors on Saturdays and Sundays. */
const WEEKEND_RETURN_FACTOR = 1.25;

const PLATFORM_CHOICE = new WeightedChoice<number>([
  [0, 34],
  [1, 36],
  [2, 20],
  [3, 5],
  [4, 5],
]);

const VERSION_CHOICE = new WeightedChoice<number>([
  [0, 62],
  [1, 28],
  [2, 10],
]);

export interface PopulationOptions {
  users: number;
  /** The day the run starts (UTC day number); a backfill's window ends then. */
  startDay: number;
}

/** The users active on one day, weighted for picking who starts the next session. */
export interface ActiveDay {
  readonly day: number;
  /** In a random order (the same for the same seed and day): the order of their first visits. */
  readonly users: Int32Array;
  /** A user drawn by activity weight. */
  sample(prng: Prng): number;
}

export class Population {
  readonly size: number;
  private readonly joinDay: Int32Array;
  private readonly lastDay: Float64Array;
  private readonly weight: Float64Array;
  private readonly returnProbability: Float64Array;
  private readonly platform: Uint8Array;
  private readonly clientVersion: Uint8Array;
  private readonly ids: string[];

  constructor(
    private readonly seed: number,
    options: PopulationOptions,
  ) {
    const n = options.users;
    this.size = n;
    this.joinDay = new Int32Array(n);
    this.lastDay = new Float64Array(n);
    this.weight = new Float64Array(n);
    this.returnProbability = new Float64Array(n);
    this.platform = new Uint8Array(n);
    this.clientVersion = new Uint8Array(n);
    this.ids = new Array<string>(n);

    // A stream of its own: the population does not change when the event model draws differently.
    const prng = new Prng(seed ^ 0x5eed_0b5e);
    const firstJoin = options.startDay - HISTORY_DAYS;
    const lastJoin = options.startDay + FUTURE_DAYS;
    const span = lastJoin - firstJoin + 1;
    for (let user = 0; user < n; user++) {
      const weight = Math.min(MAX_WEIGHT, Math.pow(1 - prng.next(), -1 / PARETO_ALPHA));
      this.weight[user] = weight;
      // Inverse of the linear sign-up density 1 + (GROWTH - 1) x over x in [0, 1).
      const g = GROWTH - 1;
      const x = (-1 + Math.sqrt(1 + g * (2 + g) * prng.next())) / g;
      const joinDay = Math.min(lastJoin, firstJoin + Math.floor(x * span));
      this.joinDay[user] = joinDay;
      this.lastDay[user] = joinDay + lifetimeDays(prng, weight);
      this.returnProbability[user] = Math.min(0.8, 0.06 + 0.09 * Math.pow(weight, 0.9));
      this.platform[user] = PLATFORM_CHOICE.sample(prng);
      this.clientVersion[user] = VERSION_CHOICE.sample(prng);
      this.ids[user] = `u_${user + 1}`;
    }
  }

  id(user: number): string {
    return this.ids[user] as string;
  }

  weightOf(user: number): number {
    return this.weight[user] as number;
  }

  joinDayOf(user: number): number {
    return this.joinDay[user] as number;
  }

  platformOf(user: number): Platform {
    return PLATFORMS[this.platform[user] as number] as Platform;
  }

  clientVersionOf(user: number): string {
    return CLIENT_VERSIONS[this.platformOf(user)][this.clientVersion[user] as number] as string;
  }

  /** Whether the user shows up on `day`: always on the day they join, then with their return probability until they churn. */
  isActive(user: number, day: number): boolean {
    const joined = this.joinDay[user] as number;
    if (day < joined || day > (this.lastDay[user] as number)) return false;
    if (day === joined) return true;
    const honeymoon = 1 + HONEYMOON_BOOST * Math.exp((joined + 1 - day) / HONEYMOON_DAYS);
    const weekend = isWeekend(day) ? WEEKEND_RETURN_FACTOR : 1;
    return hashUnit(this.seed, user, day) < (this.returnProbability[user] as number) * honeymoon * weekend;
  }

  activeCount(day: number): number {
    let count = 0;
    for (let user = 0; user < this.size; user++) if (this.isActive(user, day)) count++;
    return count;
  }

  activeDay(day: number): ActiveDay {
    const users: number[] = [];
    const cumulative: number[] = [];
    let total = 0;
    for (let user = 0; user < this.size; user++) {
      if (!this.isActive(user, day)) continue;
      users.push(user);
      total += this.weight[user] as number;
      cumulative.push(total);
    }
    const normalised = Float64Array.from(cumulative, (sum) => sum / total);
    const weighted = Int32Array.from(users);
    const shuffled = Int32Array.from(users);
    const prng = new Prng(this.seed ^ Math.imul(day, 0x2545f491));
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = prng.int(0, i);
      const swap = shuffled[i] as number;
      shuffled[i] = shuffled[j] as number;
      shuffled[j] = swap;
    }
    return {
      day,
      users: shuffled,
      sample: (draw) => weighted[sampleCumulative(normalised, draw.next())] as number,
    };
  }
}

/** Days after sign-up during which the user may come back; heavier users are less often one-time visitors and more often loyal. */
function lifetimeDays(prng: Prng, weight: number): number {
  const draw = prng.next();
  const oneTime = 0.3 / weight;
  const loyal = Math.min(0.5, 0.1 * weight);
  if (draw < oneTime) return 0;
  if (draw < oneTime + loyal) return Infinity;
  return 1 + Math.floor(prng.exponential(MEAN_LIFETIME_DAYS * Math.sqrt(weight)));
}
