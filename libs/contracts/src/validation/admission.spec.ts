import fc from 'fast-check';
import { formatEventTime } from '../rfc3339.util';
import { admitActivityEvent, DEFAULT_ADMISSION_POLICY } from './admission';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const DAY = 86_400_000;
const at = (ms: number) => ({ time: formatEventTime(ms) as string });

describe('admitActivityEvent', () => {
  it('admits an event inside the window, its edges included', () => {
    expect(admitActivityEvent(at(NOW), NOW)).toEqual({ admitted: true });
    expect(admitActivityEvent(at(NOW + DAY), NOW)).toEqual({ admitted: true });
    expect(admitActivityEvent(at(NOW - 90 * DAY), NOW)).toEqual({ admitted: true });
  });

  it('refuses an event timed too far ahead, naming the time', () => {
    expect(admitActivityEvent(at(NOW + DAY + 1), NOW)).toEqual({
      admitted: false,
      reason: 'time_in_future',
      problem: { path: 'time', message: 'more than 86400000 ms ahead of the clock; it would not be stored' },
    });
    expect(admitActivityEvent({ time: '2999-01-01T00:00:00Z' }, NOW)).toMatchObject({
      reason: 'time_in_future',
    });
  });

  it('refuses an event past retention', () => {
    expect(admitActivityEvent(at(NOW - 90 * DAY - 1), NOW)).toMatchObject({
      admitted: false,
      reason: 'expired',
      problem: { path: 'time' },
    });
    expect(admitActivityEvent({ time: '0001-01-01T00:00:00Z' }, NOW)).toMatchObject({ reason: 'expired' });
  });

  it('follows the policy it is given', () => {
    const policy = { maxFutureMs: 0, retentionDays: 1 };
    expect(admitActivityEvent(at(NOW + 1), NOW, policy)).toMatchObject({ reason: 'time_in_future' });
    expect(admitActivityEvent(at(NOW - DAY - 1), NOW, policy)).toMatchObject({ reason: 'expired' });
  });

  it('leaves a time that does not parse to validation', () => {
    expect(admitActivityEvent({ time: 'yesterday' }, NOW)).toEqual({ admitted: true });
  });

  it('admits exactly the times inside [now − retention, now + max future], in any offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -200 * DAY, max: 10 * DAY }),
        fc.integer({ min: -14, max: 14 }),
        (delta, hours) => {
          const ms = NOW + delta;
          const local = new Date(ms + hours * 3_600_000).toISOString().slice(0, 23);
          const zone =
            hours === 0 ? 'Z' : `${hours < 0 ? '-' : '+'}${String(Math.abs(hours)).padStart(2, '0')}:00`;
          const inside = delta <= DEFAULT_ADMISSION_POLICY.maxFutureMs && delta >= -90 * DAY;
          return admitActivityEvent({ time: `${local}${zone}` }, NOW).admitted === inside;
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
