import { FUTURE_DAYS, HISTORY_DAYS, Population } from './population.model';
import { Prng } from './prng.util';

const START_DAY = 20_429;

describe('Population', () => {
  const population = new Population(1, { users: 10_000, startDay: START_DAY });
  const users = Array.from({ length: population.size }, (_, user) => user);

  it('has users sign up over months before the start and a month after it, more of them recently', () => {
    const joins = users.map((user) => population.joinDayOf(user));
    expect(Math.min(...joins)).toBe(START_DAY - HISTORY_DAYS);
    expect(Math.max(...joins)).toBe(START_DAY + FUTURE_DAYS);
    const firstTen = joins.filter((day) => day < START_DAY - HISTORY_DAYS + 10).length;
    const lastTen = joins.filter((day) => day > START_DAY + FUTURE_DAYS - 10).length;
    expect(lastTen).toBeGreaterThan(1.5 * firstTen);
  });

  it('has every user active on the day they join and never before', () => {
    for (const user of users.slice(0, 2_000)) {
      const joined = population.joinDayOf(user);
      expect(population.isActive(user, joined)).toBe(true);
      expect(population.isActive(user, joined - 1)).toBe(false);
    }
  });

  it('has one-time visitors and a core that is still there months later', () => {
    const longAgo = users.filter((user) => population.joinDayOf(user) < START_DAY - 40);
    const activeDays = (user: number) => {
      let days = 0;
      for (let day = population.joinDayOf(user) + 1; day <= START_DAY; day++)
        if (population.isActive(user, day)) days++;
      return days;
    };
    const neverBack = longAgo.filter((user) => activeDays(user) === 0).length;
    const stillHere = longAgo.filter(
      (user) => population.isActive(user, START_DAY) || population.isActive(user, START_DAY - 1),
    ).length;
    expect(neverBack / longAgo.length).toBeGreaterThan(0.1);
    expect(stillHere / longAgo.length).toBeGreaterThan(0.05);
  });

  it('brings heavy users back more often than light ones', () => {
    const byWeight = [...users].sort((a, b) => population.weightOf(b) - population.weightOf(a));
    const share = (group: number[]) => {
      let active = 0;
      for (const user of group) if (population.isActive(user, START_DAY)) active++;
      return active / group.length;
    };
    expect(share(byWeight.slice(0, 1_000))).toBeGreaterThan(2 * share(byWeight.slice(-1_000)));
  });

  it('lists the active users of a day and draws only from them', () => {
    const day = population.activeDay(START_DAY);
    const expected = users.filter((user) => population.isActive(user, START_DAY));
    expect([...day.users].sort((a, b) => a - b)).toEqual(expected);
    expect(population.activeCount(START_DAY)).toBe(expected.length);
    const members = new Set(expected);
    const prng = new Prng(3);
    for (let i = 0; i < 5_000; i++) expect(members.has(day.sample(prng))).toBe(true);
    expect(population.activeDay(START_DAY).users).toEqual(day.users);
  });

  it('gives users opaque ids, a platform and a client version of that platform', () => {
    expect(population.id(0)).toBe('u_1');
    const platforms = new Set(users.map((user) => population.platformOf(user)));
    expect(platforms).toEqual(new Set(['ios', 'android', 'web', 'tv', 'desktop']));
    expect(population.clientVersionOf(0)).toMatch(/^[0-9]+\.[0-9]+\.[0-9]+$/);
  });
});
