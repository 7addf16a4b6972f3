import { DAY_MS, partitionDay, partitionName, utcDayStart } from './daily-partitions';

describe('daily partitions', () => {
  const day = Date.UTC(2026, 10, 22);

  it('names a partition after its UTC day and reads the day back', () => {
    expect(partitionName(day)).toBe('activity_events_p20261122');
    expect(partitionDay('activity_events_p20261122')).toBe(day);
  });

  it('puts the last millisecond of a day in that day, and midnight in the next', () => {
    expect(utcDayStart(day + DAY_MS - 1)).toBe(day);
    expect(utcDayStart(day + DAY_MS)).toBe(day + DAY_MS);
    expect(utcDayStart(Date.UTC(1969, 11, 31, 23))).toBe(Date.UTC(1969, 11, 31));
  });

  it.each(['activity_events', 'activity_events_p2026112', 'activity_events_p20261332', 'other_p20261122'])(
    'does not take %s for a daily partition',
    (name) => {
      expect(partitionDay(name)).toBeUndefined();
    },
  );
});
