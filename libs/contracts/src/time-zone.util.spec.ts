import { isTimeZoneName } from './time-zone.util';

describe('isTimeZoneName', () => {
  it('knows IANA names and their aliases', () => {
    for (const name of [
      'UTC',
      'Europe/Berlin',
      'Asia/Kolkata',
      'Asia/Calcutta',
      'America/Argentina/Buenos_Aires',
    ])
      expect(isTimeZoneName(name)).toBe(true);
  });

  it('refuses what is not one', () => {
    for (const name of ['', 'Mars/Olympus', 'Europe/Berlin; DROP', 'utc+25'])
      expect(isTimeZoneName(name)).toBe(false);
  });
});
