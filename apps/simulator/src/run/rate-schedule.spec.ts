import fc from 'fast-check';
import { RateSchedule, systemClock } from './rate-schedule';

describe('RateSchedule', () => {
  it('has event i due at i × 1000 / rate ms', () => {
    const schedule = new RateSchedule(200);
    expect(schedule.dueAt(0)).toBe(0);
    expect(schedule.dueAt(1)).toBe(5);
    expect(schedule.dueAt(200)).toBe(1000);
  });

  it('counts the events due by a time, the one due exactly then included', () => {
    const schedule = new RateSchedule(200);
    expect(schedule.dueBy(-1)).toBe(0);
    expect(schedule.dueBy(0)).toBe(1);
    expect(schedule.dueBy(4.999)).toBe(1);
    expect(schedule.dueBy(5)).toBe(2);
    expect(schedule.dueBy(60_000)).toBe(12_001);
  });

  it('counts the events of a run of a given length: those due before it ends', () => {
    expect(new RateSchedule(5_000).countWithin(60_000)).toBe(300_000);
    expect(new RateSchedule(3).countWithin(1_000)).toBe(3);
    expect(new RateSchedule(0.5).countWithin(1)).toBe(1);
    expect(new RateSchedule(0.5).countWithin(2_001)).toBe(2);
  });

  it('agrees with dueAt for any rate and index, fractional ones included', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (rate, index) => {
          const schedule = new RateSchedule(rate);
          const at = schedule.dueAt(index);
          expect(schedule.dueBy(at)).toBe(index + 1);
          if (index > 0)
            expect(schedule.dueBy(at - Math.max(1e-9, at * 1e-15) * 4)).toBeLessThanOrEqual(index);
        },
      ),
    );
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => new RateSchedule(0)).toThrow('positive number');
    expect(() => new RateSchedule(Number.NaN)).toThrow('positive number');
    expect(() => new RateSchedule(Infinity)).toThrow('positive number');
  });
});

describe('systemClock', () => {
  it('is monotonic and sleeps about as long as asked', async () => {
    const before = systemClock.now();
    await systemClock.sleep(20);
    expect(systemClock.now() - before).toBeGreaterThanOrEqual(19);
  });
});
