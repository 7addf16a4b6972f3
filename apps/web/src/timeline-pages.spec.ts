import { appendTimelinePage, dayHeading, localDate, timelineTimeZone, timeOfDay } from './timeline-pages';

describe('the timeline across pages', () => {
  it('continues a day that goes on over the next page, and adds the other days after it', () => {
    const shown = [
      { date: '2026-11-22', activities: [1, 2] },
      { date: '2026-11-21', activities: [3] },
    ];
    const next = appendTimelinePage(shown, [
      { date: '2026-11-21', activities: [4] },
      { date: '2026-11-20', activities: [5] },
    ]);
    expect(next).toEqual([
      { date: '2026-11-22', activities: [1, 2] },
      { date: '2026-11-21', activities: [3, 4] },
      { date: '2026-11-20', activities: [5] },
    ]);
    expect(shown[1]?.activities).toEqual([3]);
    expect(appendTimelinePage([], [])).toEqual([]);
  });

  it('heads days Today, Yesterday, then the date', () => {
    expect(dayHeading('2026-11-22', '2026-11-22')).toBe('Today');
    expect(dayHeading('2026-11-21', '2026-11-22')).toBe('Yesterday');
    expect(dayHeading('2026-11-01', '2026-11-22', 'en-US')).toBe('Sunday, November 1, 2026');
  });

  it("knows today's date in a time zone", () => {
    const late = new Date('2026-11-22T23:30:00Z');
    expect(localDate(late, 'UTC')).toBe('2026-11-22');
    expect(localDate(late, 'Asia/Tokyo')).toBe('2026-11-23');
  });

  it("writes the timeline in the browser's time zone, or UTC when the browser names none Intl can use", () => {
    expect(timelineTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(timelineTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(timelineTimeZone('Etc/Unknown')).toBe('UTC');
    expect(timelineTimeZone('')).toBe('UTC');
    expect(timelineTimeZone(undefined)).toBe('UTC');
  });

  it('writes the time of an activity in that zone', () => {
    const at = '2026-11-22T23:30:00.000Z';
    expect(timeOfDay(at, 'UTC', 'en-GB')).toBe('23:30');
    expect(timeOfDay(at, 'Asia/Tokyo', 'en-GB')).toBe('08:30');
    expect(timeOfDay(at, 'America/New_York', 'en-GB')).toBe('18:30');
  });
});
