import type { ActivityInput } from '@chronicle/contracts';
import { Population } from './population.model';
import { cumulativeWeights, Prng } from './prng.util';
import { DAY_MS, dayOf, systemIntensity, userIntensity } from './rhythm.util';
import { TrafficModel } from './traffic.model';

export interface TrafficOptions {
  /** Users who sign up over the simulated history (not all at once, not all active on a day). */
  users: number;
  apps: number;
  /** Events per second of a live run. */
  rate: number;
  /** 0 for a live run from `startMs` on; otherwise the events fall in the `backfillDays` days before `startMs`. */
  backfillDays: number;
  /** The size of a backfill; defaults to the population's own volume (see backfillEventCount). */
  count?: number;
}

/** The events, and how many there are: a backfill's size (by default about EVENTS_PER_ACTIVE_USER_DAY per active user per day), none for a live run, which goes on. */
export interface TrafficStream extends Iterator<ActivityInput> {
  readonly total: number | undefined;
}

/** A backfill spreads its events over buckets of this size, in proportion to the activity expected in each. */
const BUCKET_MS = 10 * 60_000;
const BUCKETS_PER_DAY = DAY_MS / BUCKET_MS;
/** A live run's model runs this long before the start (at most MAX_WARM_UP_EVENTS events), its events discarded. */
const WARM_UP_MS = 180_000;
const MAX_WARM_UP_EVENTS = 300_000;
/** What an active user does in a day, on average; sets a backfill's default size. */
export const EVENTS_PER_ACTIVE_USER_DAY = 12;

/**
 * The simulated traffic: a pure function of (seed, options, startMs), so the same arguments give the
 * same stream, event for event. Every input has its `time`: a live run's events are `1000 / rate` ms
 * apart from `startMs` on (the runner sends each at that time), a backfill's follow the daily and weekly
 * rhythm and the number of active users over the days before `startMs`, oldest first. The set-up (the
 * population, a live run's warm-up) happens in this call, before the first event is asked for, so that
 * it does not delay the first events of a timed run.
 */
export function generateTraffic(seed: number, options: TrafficOptions, startMs: number): TrafficStream {
  if (options.backfillDays > 0) {
    const plan = new BackfillPlan(seed, options, startMs);
    const model = new TrafficModel(seed, modelOptions(options, startMs));
    const total = options.count ?? plan.naturalCount;
    return Object.assign(eventsAt(model, plan.times(total)), { total });
  }
  const model = new TrafficModel(seed, modelOptions(options, startMs));
  // A live run joins a product already in use: visits under way, downloads and jobs running. Without
  // this, its first minutes would be all sign-ins and first clicks.
  const warmUp = Math.min(MAX_WARM_UP_EVENTS, Math.ceil((options.rate * WARM_UP_MS) / 1000));
  for (let i = -warmUp; i < 0; i++) model.next(liveEventTime(startMs, options.rate, i));
  return Object.assign(eventsAt(model, liveTimes(startMs, options.rate)), { total: undefined });
}

function* eventsAt(model: TrafficModel, times: Iterable<number>): Generator<ActivityInput> {
  for (const time of times) yield model.next(time);
}

function* liveTimes(startMs: number, rate: number): Generator<number> {
  for (let i = 0; ; i++) yield liveEventTime(startMs, rate, i);
}

/** When event `index` of a live run happens (and is due to be sent). */
export function liveEventTime(startMs: number, rate: number, index: number): number {
  return startMs + (index * 1000) / rate;
}

function modelOptions(options: TrafficOptions, startMs: number) {
  return { users: options.users, apps: options.apps, startDay: dayOf(startMs) };
}

/** Where a backfill's events fall in time. */
class BackfillPlan {
  readonly windowStartMs: number;
  readonly naturalCount: number;
  private readonly weights: Float64Array;

  constructor(
    private readonly seed: number,
    options: TrafficOptions,
    endMs: number,
  ) {
    this.windowStartMs = endMs - options.backfillDays * DAY_MS;
    const population = new Population(seed, modelOptions(options, endMs));
    const activeByDay = new Map<number, number>();
    const activeOn = (day: number) => {
      let count = activeByDay.get(day);
      if (count === undefined) activeByDay.set(day, (count = population.activeCount(day)));
      return count;
    };
    const buckets = options.backfillDays * BUCKETS_PER_DAY;
    const middleOf = (bucket: number) => this.windowStartMs + (bucket + 0.5) * BUCKET_MS;
    let activeUserBuckets = 0;
    for (let bucket = 0; bucket < buckets; bucket++) activeUserBuckets += activeOn(dayOf(middleOf(bucket)));
    const meanActive = activeUserBuckets / buckets;
    // Users' activity scales with how many are active that day; the server's own does not.
    this.weights = Float64Array.from({ length: buckets }, (_, bucket) => {
      const middle = middleOf(bucket);
      return userIntensity(middle) * activeOn(dayOf(middle)) + systemIntensity(middle) * meanActive;
    });
    this.naturalCount = Math.max(
      1,
      Math.round((activeUserBuckets / BUCKETS_PER_DAY) * EVENTS_PER_ACTIVE_USER_DAY),
    );
  }

  /** `count` times in order: each bucket gets its share (rounded so the total is exact), spread evenly within it. */
  *times(count: number): Generator<number> {
    const cumulative = cumulativeWeights(this.weights);
    const prng = new Prng(this.seed ^ 0x7153_11e5);
    let allotted = 0;
    for (let bucket = 0; bucket < cumulative.length; bucket++) {
      const upTo = Math.round(count * (cumulative[bucket] as number));
      const inBucket = upTo - allotted;
      allotted = upTo;
      const bucketStart = this.windowStartMs + bucket * BUCKET_MS;
      for (let k = 0; k < inBucket; k++) yield bucketStart + ((k + prng.next()) / inBucket) * BUCKET_MS;
    }
  }
}
