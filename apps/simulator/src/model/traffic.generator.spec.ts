import {
  type ActivityInput,
  BUILT_IN_ACTIVITY_TYPES,
  formatProblems,
  toActivityEvent,
  validateActivityEvent,
} from '@chronicle/contracts';
import { sourceOf } from '../run/activity-sources.constants';
import { isDeepStrictEqual } from 'node:util';
import { DAY_MS, dayOf } from './rhythm.util';
import { generateTraffic, type TrafficOptions } from './traffic.generator';

const START = Date.parse('2026-11-22T12:00:00Z');
const LIVE: TrafficOptions = { users: 20_000, apps: 1_000, rate: 200, backfillDays: 0 };
const BACKFILL: TrafficOptions = { users: 5_000, apps: 500, rate: 200, backfillDays: 28 };

function take(iterator: Iterator<ActivityInput>, n: number): ActivityInput[] {
  const out: ActivityInput[] = [];
  for (let next = iterator.next(); !next.done && out.length < n; next = iterator.next()) out.push(next.value);
  return out;
}

function all(iterator: Iterator<ActivityInput>): ActivityInput[] {
  return take(iterator, Infinity);
}

const timeOf = (input: ActivityInput) => (input.time as Date).getTime();
const hourOf = (input: ActivityInput) => new Date(timeOf(input)).getUTCHours();
const isPerson = (input: ActivityInput) =>
  input.actor.type === 'user' && !input.actor.id.startsWith('u_admin');

function expectValid(inputs: ActivityInput[]): void {
  const invalid = inputs
    .map((input) => ({
      input,
      result: validateActivityEvent(toActivityEvent(input, { source: sourceOf(input.type) })),
    }))
    .filter(({ result }) => !result.ok);
  const first = invalid[0];
  if (first !== undefined && !first.result.ok) {
    throw new Error(
      `${invalid.length} invalid, e.g. ${JSON.stringify(first.input)}: ${formatProblems(first.result.problems)}`,
    );
  }
}

describe('generateTraffic', () => {
  describe('determinism', () => {
    it('gives the same first 100,000 events for the same seed, options and start', () => {
      const first = take(generateTraffic(7, LIVE, START), 100_000);
      const second = take(generateTraffic(7, LIVE, START), 100_000);
      expect(first).toHaveLength(100_000);
      expect(second).toHaveLength(100_000);
      // Node's deep equality (jest's takes seconds on 100,000 events); the index says where they part.
      const firstDifference = first.findIndex((input, i) => !isDeepStrictEqual(input, second[i]));
      expect(firstDifference).toBe(-1);
    });

    it('gives a different stream for a different seed', () => {
      const a = take(generateTraffic(7, LIVE, START), 1_000);
      const b = take(generateTraffic(8, LIVE, START), 1_000);
      expect(b).not.toEqual(a);
      // Not merely shifted: the actors differ too.
      const actors = (inputs: ActivityInput[]) => inputs.map((input) => input.actor.id).join();
      expect(actors(b)).not.toEqual(actors(a));
    });

    it('replays a backfill exactly', () => {
      const options = { ...BACKFILL, count: 20_000 };
      expect(
        isDeepStrictEqual(all(generateTraffic(3, options, START)), all(generateTraffic(3, options, START))),
      ).toBe(true);
    });
  });

  describe('a live run', () => {
    it('spaces its events 1000 / rate ms apart from the start', () => {
      const stream = generateTraffic(1, { ...LIVE, rate: 3 }, START);
      expect(stream.total).toBeUndefined(); // it goes on until stopped
      const inputs = take(stream, 10);
      expect(inputs.map(timeOf)).toEqual(inputs.map((_, i) => Math.floor(START + (i * 1000) / 3)));
    });

    it('makes events that are valid against the contract, by day and by night', () => {
      expectValid(take(generateTraffic(11, LIVE, START + 8 * 3_600_000), 20_000));
      expectValid(take(generateTraffic(12, { ...LIVE, rate: 2_000 }, START - 9 * 3_600_000), 20_000));
    });

    it('starts in the middle of things rather than with a burst of sign-ins', () => {
      const inputs = take(generateTraffic(5, LIVE, START + 8 * 3_600_000), 5_000);
      const signIns = inputs.filter((input) => input.type === 'user.logged_in').length;
      const views = inputs.filter((input) => input.type === 'app.viewed').length;
      expect(signIns / inputs.length).toBeLessThan(0.08);
      expect(views / inputs.length).toBeGreaterThan(0.3);
    });
  });

  describe('a backfill', () => {
    let inputs: ActivityInput[];
    beforeAll(() => {
      inputs = all(generateTraffic(1, BACKFILL, START));
    });

    it('holds the population’s natural volume, in time order, within the last days', () => {
      expect(inputs.length).toBe(generateTraffic(1, BACKFILL, START).total);
      expect(inputs.length).toBeGreaterThan(100_000);
      const times = inputs.map(timeOf);
      expect(times.every((time, i) => i === 0 || time >= (times[i - 1] as number))).toBe(true);
      expect(times[0]).toBeGreaterThanOrEqual(START - 28 * DAY_MS);
      expect(times.at(-1)).toBeLessThan(START);
    });

    it('holds exactly --count events when asked', () => {
      const options = { ...BACKFILL, backfillDays: 3, count: 12_345 };
      expect(all(generateTraffic(1, options, START))).toHaveLength(12_345);
      expect(generateTraffic(1, options, START).total).toBe(12_345);
    });

    it("makes only valid events, of every type in the catalog but the gateway's admin audit", () => {
      expectValid(inputs.filter((_, i) => i % 4 === 0));
      expect(new Set(inputs.map((input) => input.type))).toEqual(
        new Set(BUILT_IN_ACTIVITY_TYPES.map((d) => d.type).filter((type) => !type.startsWith('admin.'))),
      );
    });

    it('has more traffic in the evening than at night', () => {
      const inHours = (hours: number[]) => inputs.filter((input) => hours.includes(hourOf(input))).length;
      const evening = inHours([19, 20, 21]);
      const night = inHours([2, 3, 4]);
      expect(evening).toBeGreaterThan(4 * night);
    });

    it('has weekends that differ from weekdays', () => {
      const share = (weekend: boolean) => {
        const days = inputs.filter(
          (input) => [0, 6].includes(new Date(timeOf(input)).getUTCDay()) === weekend,
        );
        return days.filter((input) => hourOf(input) >= 10 && hourOf(input) < 14).length / days.length;
      };
      expect(share(true)).toBeGreaterThan(1.1 * share(false));
    });

    it('has heavy-tailed activity: the top 10% of users make most of the events', () => {
      const byUser = new Map<string, number>();
      for (const input of inputs.filter(isPerson))
        byUser.set(input.actor.id, (byUser.get(input.actor.id) ?? 0) + 1);
      const counts = [...byUser.values()].sort((a, b) => b - a);
      const total = counts.reduce((sum, count) => sum + count, 0);
      const top = counts.slice(0, Math.ceil(counts.length / 10)).reduce((sum, count) => sum + count, 0);
      expect(top / total).toBeGreaterThan(0.4);
    });

    it('has heavy-tailed app popularity', () => {
      const views = new Map<string, number>();
      for (const input of inputs.filter((i) => i.type === 'app.viewed')) {
        const app = input.entity?.id ?? 'none';
        views.set(app, (views.get(app) ?? 0) + 1);
      }
      const counts = [...views.values()].sort((a, b) => b - a);
      const total = counts.reduce((sum, count) => sum + count, 0);
      expect(counts.slice(0, 50).reduce((sum, count) => sum + count, 0) / total).toBeGreaterThan(0.5);
    });

    describe('users over the days', () => {
      let daysOfUser: Map<string, Set<number>>;
      let days: number[];
      beforeAll(() => {
        daysOfUser = new Map();
        for (const input of inputs.filter(isPerson)) {
          const seen = daysOfUser.get(input.actor.id) ?? new Set<number>();
          seen.add(dayOf(timeOf(input)));
          daysOfUser.set(input.actor.id, seen);
        }
        days = [...new Set(inputs.map((input) => dayOf(timeOf(input))))].sort((a, b) => a - b);
      });
      const firstSeen = (seen: Set<number>) => Math.min(...seen);
      const lastSeen = (seen: Set<number>) => Math.max(...seen);

      it('has new users arriving every day', () => {
        const firstDays = new Map<number, number>();
        for (const seen of daysOfUser.values())
          firstDays.set(firstSeen(seen), (firstDays.get(firstSeen(seen)) ?? 0) + 1);
        // The last day is cut short at the start time.
        for (const day of days.slice(-14, -1)) expect(firstDays.get(day) ?? 0).toBeGreaterThan(20);
      });

      it('has users who stop coming', () => {
        const early = [...daysOfUser.values()].filter((seen) => firstSeen(seen) <= (days[6] as number));
        const gone = early.filter((seen) => lastSeen(seen) < (days.at(-14) as number));
        expect(gone.length / early.length).toBeGreaterThan(0.1);
      });

      it('has retention that decays after sign-up and a plausible DAU/MAU', () => {
        const cohort = [...daysOfUser.values()].filter((seen) =>
          [days[8], days[9], days[10]].includes(firstSeen(seen)),
        );
        const retained = (after: number) =>
          cohort.filter((seen) => seen.has(firstSeen(seen) + after)).length / cohort.length;
        expect(retained(1)).toBeGreaterThan(retained(7));
        expect(retained(7)).toBeGreaterThan(retained(14) * 0.9);
        expect(retained(14)).toBeGreaterThan(0.03);

        const day = days.at(-2) as number;
        const dau = [...daysOfUser.values()].filter((seen) => seen.has(day)).length;
        const mau = [...daysOfUser.values()].filter((seen) => lastSeen(seen) > day - 28).length;
        expect(dau / mau).toBeGreaterThan(0.1);
        expect(dau / mau).toBeLessThan(0.5);
      });
    });

    it('ties follow-ups to what started them', () => {
      const downloads = new Map<string, ActivityInput>();
      const runs = new Set<string>();
      const favourites = new Set<string>();
      const orphans: ActivityInput[] = [];
      for (const input of inputs) {
        const metadata = input.metadata as Record<string, unknown>;
        const favourite = `${input.actor.id} ${input.entity?.id}`;
        switch (input.type) {
          case 'download.initiated':
            downloads.set(metadata['downloadId'] as string, input);
            break;
          case 'download.completed':
          case 'download.failed': {
            const started = downloads.get(metadata['downloadId'] as string);
            if (
              started === undefined ||
              started.entity?.id !== input.entity?.id ||
              timeOf(started) > timeOf(input)
            ) {
              orphans.push(input);
            }
            break;
          }
          case 'job.started':
            runs.add(metadata['runId'] as string);
            break;
          case 'job.completed':
          case 'job.failed':
            if (!runs.has(metadata['runId'] as string)) orphans.push(input);
            break;
          case 'favorite.added':
            favourites.add(favourite);
            break;
          case 'favorite.removed':
            if (!favourites.has(favourite)) orphans.push(input);
        }
      }
      expect(orphans).toEqual([]);
      expect(downloads.size).toBeGreaterThan(1_000);
    });
  });
});
